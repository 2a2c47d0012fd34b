"""Load test: N browser sessions on one Streamlit server, each changing filters and pages.

A single viewer first runs the same mix of actions alone (the baseline), then N sessions
run it at once. Each session is one browser context (so one Streamlit session) in one
headless Chromium. The question it answers: does the app stay error-free under N
concurrent viewers, and how much slower does a rerun get compared with one viewer?

How an action is timed (all in the page's own clock, `performance.now()`):

* start: the first pointerdown/mousedown/keydown the page receives after the harness
  armed it, i.e. the moment the click or Enter of the trigger reached the page (widget
  changes and sidebar navigation). For an opened link (a new document) the start is the
  navigation start of that document (`performance.now() == 0`).
* end: the moment a MutationObserver saw `data-test-script-state` on the app root turn
  `notRunning` for the last time, once it had left `notRunning` after the start, with the
  connection CONNECTED and no further change for SETTLE_MS (the settle time is not counted).
* A rerun whose `running` never reaches the DOM (React batches state updates: a very fast
  run, or a busy page handling several websocket messages in one go) still leaves a trace
  on the websocket: it counts as done only once the page has sent a message after the
  start, received one after that, and seen no traffic for GRACE_MS; its end is the last
  message received. Such actions are reported as "unobserved". Nothing else ends an
  action: without a rerun it runs into the timeout and counts as an error.
* lost input: a click or Enter that reached the page after which it sent nothing for
  LOST_MS (the click is over before the wait starts). Seen when the layout moved under the
  pointer between mousedown and mouseup on a starved browser. Reported apart from the
  errors (the app never got a request), with the targets of the events, and skipped; a
  run of a fixed number of actions tries another in its place.
* wire time: from the first websocket message the page sends after the start to the last
  one it handles before the end: the server's part plus the network, without the browser's
  work before and after. On a saturated machine it also holds the page's delay in handling
  messages, so it tells a slow server from a busy browser only roughly.

Loopback only: the server must be on 127.0.0.1/::1/localhost, and Chromium resolves no
host names (so the page icon the app asks fonts.gstatic.com for is never fetched).

Run: python -m bench.load --sessions 20 --seconds 60 [--baseline-seconds 20]
     [--url http://127.0.0.1:8501] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from bench.load_report import (
    ACTION_TIMEOUT_MS,
    GRACE_MS,
    MAX_SECONDS,
    MAX_SESSIONS,
    SETTLE_MS,
    LoadResult,
    as_json,
    check_bounds,
    check_url,
    is_loopback,
    report,
)
from bench.server import copy_shipped_data, start_server, stop_server

DEFAULT_BASELINE_SECONDS = 20
LOST_MS = 5_000  # a click or Enter after which the page sent nothing this long was lost
OPEN_AT_ONCE = 4  # sessions opening their first page at the same time (the ramp-up)
POLL_MS = 50
# Loopback only: no name resolves, so nothing leaves the machine (IP literals need none).
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]"

PATHS = ("/", "/map", "/charts", "/conditions", "/country", "/sources", "/changes", "/add")
SHARED_QUERIES = (
    "",
    "country=PAK&country=IDN",
    "min_troops=1000",
    "reliability=on_record",
    "as_of=2025-12-31",
    "status=conditional",
    "country=PAK&country=IDN&status=conditional&as_of=2025-12-31",
    "country=PAK",
)
START_PAGES = (
    "/",
    "/map?country=PAK&country=IDN",
    "/charts",
    "/conditions?status=conditional",
    "/country?country=PAK",
    "/sources?reliability=on_record",
    "/changes",
    "/?min_troops=1000",
    "/add",
    "/map?as_of=2025-12-31",
)
MULTISELECTS = ("Countries", "Region", "Status", "Stance on disarming Hamas", "Condition")
RELIABILITY_LABELS = ("Reported and unconfirmed too", "On record only")
TROOP_VALUES = ("0", "500", "1000", "1500", "2000", "3000", "5000")
#: The action mix: (kind, weight). Fallbacks apply when an action has nothing to do.
MIX = (
    ("troops", 2.0),
    ("sources", 1.0),
    ("pick", 3.0),
    ("unpick", 1.5),
    ("clear", 0.5),
    ("nav", 3.0),
    ("link", 1.5),
)
FALLBACK = {"unpick": "pick", "pick": "nav"}
SAMPLES_PER_KIND = 3
LOST = "lost input"  # not an error kind: the app never got the request

# Installed in every document before the app's own scripts: records script-state changes,
# the first input after arming, websocket traffic and dropped connections.
PROBE_JS = """
(() => {
  if (window.__isfLoad) return;
  const now = () => performance.now();
  const S = {
    events: [], armIndex: 0, armedAt: 0, input: 0, sent: null, received: [], trail: [],
    navigation: true, drops: 0, dropsReported: 0, leaving: false,
  };
  window.__isfLoad = S;
  addEventListener('pagehide', () => { S.leaving = true; }, true);
  addEventListener('beforeunload', () => { S.leaving = true; }, true);
  for (const type of ['pointerdown', 'mousedown', 'keydown']) {
    addEventListener(type, () => { if (S.input === null) S.input = now(); }, true);
  }
  const describe = (el) => {
    if (!el || !el.tagName) return '?';
    const box = el.closest('[data-testid]');
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 24);
    return `${el.tagName.toLowerCase()}${box ? '@' + box.dataset.testid : ''} "${text}"`;
  };
  for (const type of ['pointerdown', 'pointerup', 'click', 'keydown']) {
    addEventListener(type, (e) => {
      if (!S.navigation && S.trail.length < 8) S.trail.push(`${type} on ${describe(e.target)}`);
    }, true);
  }
  const Native = window.WebSocket;
  if (Native) {
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', () => {
          if (S.received.length < 100000) S.received.push(now());
        });
      }
      send(data) {
        if (S.sent === null) S.sent = now();
        return super.send(data);
      }
    };
  }
  new MutationObserver((records) => {
    const t = now();
    for (const r of records) {
      const value = r.target.getAttribute(r.attributeName);
      if (value === r.oldValue) continue;
      if (r.attributeName === 'data-test-script-state') {
        S.events.push([value, t]);
      } else if (r.oldValue === 'CONNECTED' && !S.leaving) {
        S.drops += 1;
      }
    }
  }).observe(document, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state', 'data-test-connection-state'],
  });
  // A new document starts armed: its navigation start (t = 0) is the action's start.
  S.arm = () => {
    S.armIndex = S.events.length; S.armedAt = now(); S.input = null; S.sent = null; S.received = [];
    S.trail = []; S.navigation = false;
  };
  S.check = ({settle, grace, lost}) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) return false;
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const t = now();
    // The trigger reached the page (the click is over before this runs) but nothing was sent.
    if (!S.navigation && S.input !== null && S.sent === null && t - S.input > lost) {
      return {lost: true, trail: S.trail.join(' → ')};
    }
    const start = S.input === null ? S.armedAt : S.input;
    const since = S.events.slice(S.armIndex);
    const runs = since.filter((e) => e[0] !== 'notRunning').length;
    const running = since.filter((e) => e[0] === 'running').length;
    const replies = S.sent === null ? [] : S.received.filter((r) => r >= S.sent);
    let end;
    if (runs > 0) {
      end = S.events[S.events.length - 1][1];
      if (t - end < settle) return false;
    } else {
      // No run seen: done only on evidence of one (a reply to a message sent after the start).
      if (!replies.length) return false;
      end = replies[replies.length - 1];
      if (t - end < grace) return false;
    }
    const before = replies.filter((r) => r <= end);
    const wire = before.length ? before[before.length - 1] - S.sent : null;
    const exceptions = document.querySelectorAll("[data-testid='stException']");
    const drops = S.drops - S.dropsReported;
    S.dropsReported = S.drops;
    return {
      lost: false, start, end, wire, runs, running, drops, exceptions: exceptions.length,
      exceptionText: exceptions.length ? exceptions[0].innerText.slice(0, 300) : '',
    };
  };
})();
"""


# Leave no widget focused between actions. A focused multiselect is taller than a blurred one:
# a click on a button below it blurs it on mousedown, the button moves up ~33 px and the
# mouseup lands elsewhere, so the click is lost (seen with "Clear filters" after a pick).
BLUR_JS = "document.activeElement && document.activeElement.blur()"
DIAGNOSE_JS = """
(() => {
  const S = window.__isfLoad;
  const app = document.querySelector("[data-testid='stApp']");
  if (!S || !app) return 'no app';
  const t = performance.now();
  const ago = (x) => (x === null ? 'none' : `${Math.round(t - x)} ms ago`);
  const events = S.events.slice(S.armIndex).map((e) => `${e[0]} ${ago(e[1])}`).join(', ');
  return `script ${app.getAttribute('data-test-script-state')}, `
    + `connection ${app.getAttribute('data-test-connection-state')}, input ${ago(S.input)}, `
    + `sent ${ago(S.sent)}, received ${S.received.length}, events since: ${events || 'none'}, `
    + `inputs: ${S.trail.join(' → ') || 'none'}`;
})()
"""


def ignored_console_error(text: str, source: str) -> str | None:
    """Why a console error is not the app's fault, or None if it counts.

    * a load from another host: the browser resolves no names (loopback only); the app's
      page icon (":material/public:") makes Streamlit fetch it from fonts.gstatic.com;
    * Streamlit's base-path probe: opened on a deep link such as /map, the frontend first
      asks /map/_stcore/health and /map/_stcore/host-config, gets 404, then tries /_stcore/…
      (streamlit/streamlit#7074).
    """
    if not source:
        return None
    parts = urlsplit(source)
    if not is_loopback((parts.hostname or "").lower()):
        return "blocked load from another host"
    probe = parts.path.endswith(("/_stcore/health", "/_stcore/host-config"))
    if probe and not parts.path.startswith("/_stcore/") and "404" in text:
        return "streamlit base-path probe 404 (streamlit#7074)"
    return None


# --- one session -----------------------------------------------------------------------------


@dataclass
class SessionLog:
    """What one session did; merged into a LoadResult at the end."""

    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    opens_ms: list[float] = field(default_factory=list)
    actions: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)
    wire_ms: list[float] = field(default_factory=list)
    unobserved: int = 0
    lost_inputs: int = 0
    ignored: Counter[str] = field(default_factory=Counter)

    def error(self, kind: str, text: str) -> None:
        self.errors[kind] += 1
        self._sample(kind, text)

    def lost(self, text: str) -> None:
        self.lost_inputs += 1
        self._sample(LOST, text)

    def _sample(self, kind: str, text: str) -> None:
        kept = self.samples.setdefault(kind, [])
        if len(kept) < SAMPLES_PER_KIND:
            kept.append(" ".join(text.split())[:400])


@dataclass
class Action:
    """A prepared action: its kind, the trigger to time, what to do after (untimed)."""

    kind: str
    trigger: Callable[[], Awaitable[Any]]
    navigation: bool = False
    after: Callable[[], Awaitable[Any]] | None = None


class Session:
    """One viewer: a page in its own browser context, driven through a seeded action mix."""

    def __init__(self, page: Page, base_url: str, rng: random.Random, log: SessionLog) -> None:
        self.page = page
        self.base_url = base_url
        self.rng = rng
        self.log = log
        self.sidebar = page.get_by_test_id("stSidebar")
        page.on("pageerror", lambda exc: log.error("pageerror", str(exc)))
        page.on("console", self._on_console)
        page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if reason := ignored_console_error(message.text, source):
            self.log.ignored[reason] += 1
            return
        self.log.error("console", f"{message.text} ({source})" if source else message.text)

    def _on_response(self, response: Any) -> None:
        if response.status >= 500:
            self.log.error("http5xx", f"{response.status} {response.url}")

    # --- timing ---

    async def timed(self, action: Action) -> dict[str, Any]:
        """Run the trigger; wait until its rerun is over; return the page's measurement."""
        if not action.navigation:
            await self.page.evaluate("window.__isfLoad.arm()")
        await action.trigger()
        handle = await self.page.wait_for_function(
            "args => window.__isfLoad && window.__isfLoad.check(args)",
            arg={"settle": SETTLE_MS, "grace": GRACE_MS, "lost": LOST_MS},
            polling=POLL_MS,
            timeout=ACTION_TIMEOUT_MS,
        )
        outcome = await handle.json_value()
        await handle.dispose()
        if outcome["lost"]:
            return outcome
        if outcome["drops"]:
            self.log.error(
                "disconnect", f"connection left CONNECTED {outcome['drops']}x during {action.kind}"
            )
        if outcome["exceptions"]:
            self.log.error("exception", f"{action.kind} at {self.page.url}: {outcome['exceptionText']}")
        return outcome

    def latency(self, outcome: dict[str, Any]) -> float:
        if outcome["runs"] == 0:
            self.log.unobserved += 1
        return max(0.0, outcome["end"] - outcome["start"])

    async def open(self, path: str) -> None:
        """Open the session's first page; its load time is kept apart from the rerun figures."""
        try:
            self.log.opens_ms.append(self.latency(await self.timed(self._goto(path, "open"))))
        except PlaywrightError as exc:
            self.failed(f"first page {path}", exc)
            await self.recover()

    async def act(self) -> bool:
        """One action of the mix, timed; errors are counted and the page recovered. False when
        the input was lost (the app never got it), so a run of a fixed number of actions tries
        again rather than end a session one action short."""
        kind = self.rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
        try:
            action = await self.prepare(kind)
            outcome = await self.timed(action)
            if outcome["lost"]:
                self.log.lost(f"{action.kind} at {self.page.url}: {outcome['trail']}")
            else:
                self.log.latencies_ms.setdefault(action.kind, []).append(self.latency(outcome))
                if outcome["wire"] is not None:
                    self.log.wire_ms.append(outcome["wire"])
                self.log.actions += 1
            if action.after:
                await action.after()
            if not action.navigation:
                await self.page.evaluate(BLUR_JS)
            return not outcome["lost"]
        except PlaywrightError as exc:
            self.failed(f"{kind} at {self.page.url}", exc, await self.diagnose())
            await self.recover()
            return True

    def failed(self, what: str, exc: PlaywrightError, state: str = "") -> None:
        """Count a Playwright failure: a timeout (over ACTION_TIMEOUT_MS) or another error."""
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        detail = lines[0] + (f" … {lines[-1]}" if len(lines) > 1 else "")
        kind = "timeout" if isinstance(exc, PlaywrightTimeoutError) else "action"
        self.log.error(kind, f"{what}: {detail}" + (f" [{state}]" if state else ""))

    async def diagnose(self) -> str:
        """The page's state when an action failed, for the error sample."""
        try:
            return await self.page.evaluate(DIAGNOSE_JS)
        except PlaywrightError as exc:
            return f"no state: {str(exc).splitlines()[0]}"

    async def recover(self) -> None:
        """After a failed action: a fresh load of a start page, untimed, so the session goes on."""
        path = self.rng.choice(START_PAGES)
        try:
            await self.timed(self._goto(path, "recover"))
        except PlaywrightError as exc:
            self.failed(f"recovering on {path}", exc)

    # --- the actions ---

    async def prepare(self, kind: str) -> Action:
        while True:
            action = await getattr(self, f"_{kind}")()
            if action is not None:
                return action
            kind = FALLBACK[kind]

    def _goto(self, path: str, kind: str) -> Action:
        url = self.base_url + path

        async def trigger() -> None:
            await self.page.goto(url, wait_until="commit", timeout=ACTION_TIMEOUT_MS)

        return Action(kind, trigger, navigation=True)

    async def _link(self) -> Action:
        path = self.rng.choice(PATHS)
        query = self.rng.choice(SHARED_QUERIES)
        return self._goto(f"{path}?{query}" if query else path, "link")

    async def _nav(self) -> Action:
        links = self.sidebar.get_by_test_id("stSidebarNavLink")
        paths = await links.evaluate_all("links => links.map(link => new URL(link.href).pathname)")
        here = urlsplit(self.page.url).path
        others = [i for i, path in enumerate(paths) if path != here]
        target = links.nth(self.rng.choice(others))
        return Action("nav", target.click)

    async def _troops(self) -> Action:
        field_ = self.sidebar.locator("input[aria-label='Minimum troops']")
        current = await field_.input_value()
        value = self.rng.choice([v for v in TROOP_VALUES if v != current])
        await field_.fill(value)
        return Action("troops", lambda: field_.press("Enter"))

    async def _sources(self) -> Action:
        checked = await self.sidebar.get_by_role("radio", name=RELIABILITY_LABELS[1]).is_checked()
        label = RELIABILITY_LABELS[0] if checked else RELIABILITY_LABELS[1]
        return Action("sources", self.sidebar.get_by_text(label, exact=True).click)

    async def _clear(self) -> Action:
        return Action("clear", self.sidebar.get_by_role("button", name="Clear filters").click)

    async def _pick(self) -> Action | None:
        box = self.sidebar.get_by_role("combobox", name=self.rng.choice(MULTISELECTS), exact=True)
        await box.click()
        options = self.page.get_by_role("option")
        try:
            await options.first.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:  # everything already selected
            await self.page.keyboard.press("Escape")
            return None
        target = options.nth(self.rng.randrange(await options.count()))
        return Action("pick", target.click, after=lambda: self.page.keyboard.press("Escape"))

    async def _unpick(self) -> Action | None:
        chips = self.sidebar.get_by_test_id("stMultiSelect").get_by_role("button", name="Remove ")
        count = await chips.count()
        if not count:
            return None
        return Action("unpick", chips.nth(self.rng.randrange(count)).click)


# --- a run ---------------------------------------------------------------------------------------


class ServerProbe:
    """The server's memory (sampled) and CPU, and how busy the whole machine was: from /proc.

    Linux only, and the server's figures only for a server we started (we know its pid).
    The machine figure tells a saturated browser from a slow server.
    """

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.rss: list[float] = []
        self.mark()

    def mark(self) -> None:
        """Start the CPU figures here (the acting window), not at the opening of the pages."""
        self.started = time.monotonic()
        self.cpu_start = self._cpu()
        self.machine_start = self._machine()

    def _rss_mb(self) -> float | None:
        if self.pid is None:
            return None
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            return None
        return None

    def _cpu(self) -> float | None:
        if self.pid is None:
            return None
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    @staticmethod
    def _machine() -> tuple[int, int] | None:
        """(busy, total) jiffies of all CPUs since boot."""
        try:
            values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        except (OSError, ValueError, IndexError):
            return None
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return sum(values) - idle, sum(values)

    async def sample_forever(self, every_s: float = 0.5) -> None:
        while self.pid is not None:
            if (rss := self._rss_mb()) is not None:
                self.rss.append(rss)
            await asyncio.sleep(every_s)

    def summary(self) -> dict[str, float]:
        figures: dict[str, float] = {"cpus": float(os.cpu_count() or 0)}
        wall = time.monotonic() - self.started
        machine_end = self._machine()
        if self.machine_start and machine_end and machine_end[1] > self.machine_start[1]:
            busy = machine_end[0] - self.machine_start[0]
            figures["machine_busy"] = round(busy / (machine_end[1] - self.machine_start[1]), 3)
        cpu_end = self._cpu()
        if self.rss and cpu_end is not None and self.cpu_start is not None and wall:
            figures |= {
                "rss_start_mb": round(self.rss[0], 1),
                "rss_peak_mb": round(max(self.rss), 1),
                "rss_end_mb": round(self._rss_mb() or self.rss[-1], 1),
                "cpu_s": round(cpu_end - self.cpu_start, 2),
                "cpu_share": round((cpu_end - self.cpu_start) / wall, 3),
            }
        return figures


async def run_sessions(
    browser: Browser,
    url: str,
    sessions: int,
    seconds: float,
    seed: int = 1,
    server_pid: int | None = None,
    actions: int | None = None,
) -> LoadResult:
    """`sessions` viewers open their start pages (OPEN_AT_ONCE at a time), then all act for `seconds`,
    or (given `actions`) until each has attempted that many actions, `seconds` being a cap."""
    base_url = check_url(url)
    check_bounds(sessions, seconds)
    logs = [SessionLog() for _ in range(sessions)]
    contexts = []
    opening = asyncio.Semaphore(OPEN_AT_ONCE)
    opened = 0
    all_open = asyncio.Event()
    clock: dict[str, float] = {}
    probe = ServerProbe(server_pid)
    sampler = asyncio.create_task(probe.sample_forever())

    async def one(index: int) -> None:
        nonlocal opened
        try:
            async with opening:
                context = await browser.new_context(viewport=VIEWPORT)
                contexts.append(context)
                context.set_default_timeout(ACTION_TIMEOUT_MS)
                await context.add_init_script(PROBE_JS)
                session = Session(
                    await context.new_page(), base_url, random.Random(seed + index), logs[index]
                )
                await session.open(START_PAGES[index % len(START_PAGES)])
        finally:
            opened += 1
            if opened == sessions:
                clock["start"] = time.monotonic()
                probe.mark()
                all_open.set()
        await all_open.wait()
        deadline, attempted = clock["start"] + seconds, 0
        while time.monotonic() < deadline and (actions is None or attempted < actions):
            if await session.act():  # a lost input is tried again; a failed action counts
                attempted += 1

    try:
        await asyncio.gather(*(one(i) for i in range(sessions)))
        elapsed = time.monotonic() - clock["start"]
        server = probe.summary()
    finally:
        sampler.cancel()
        for context in contexts:
            with contextlib.suppress(PlaywrightError):
                await context.close()
    result = LoadResult(sessions, seconds, elapsed, server=server)
    for log in logs:
        for kind, values in log.latencies_ms.items():
            result.latencies_ms.setdefault(kind, []).extend(values)
        result.opens_ms += log.opens_ms
        result.wire_ms += log.wire_ms
        result.actions_per_session.append(log.actions)
        result.errors.update(log.errors)
        for kind, samples in log.samples.items():
            kept = result.error_samples.setdefault(kind, [])
            kept += samples[: SAMPLES_PER_KIND - len(kept)]
        result.unobserved += log.unobserved
        result.lost_inputs += log.lost_inputs
        result.ignored.update(log.ignored)
    return result


async def warm_up(browser: Browser, url: str, paths: Sequence[str] = PATHS) -> None:
    """Open each page once, untimed: the first run of app.py and cold caches are not the test."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        await context.add_init_script(PROBE_JS)
        page = await context.new_page()
        session = Session(page, check_url(url), random.Random(0), SessionLog())
        for path in paths:
            await session.timed(session._goto(path, "warm-up"))
    finally:
        await context.close()


@contextlib.asynccontextmanager
async def chromium() -> Any:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, LOOPBACK_ONLY]
        )
        try:
            yield browser
        finally:
            with contextlib.suppress(PlaywrightError):
                await browser.close()


async def _baseline_and_load(
    url: str,
    sessions: int,
    seconds: float,
    baseline_seconds: float,
    seed: int,
    server_pid: int | None,
    warm_paths: Sequence[str],
    actions: int | None,
) -> tuple[LoadResult | None, LoadResult]:
    async with chromium() as browser:
        await warm_up(browser, url, warm_paths)
        baseline = None
        if baseline_seconds:
            baseline = await run_sessions(browser, url, 1, baseline_seconds, seed, server_pid, actions)
        load = await run_sessions(browser, url, sessions, seconds, seed, server_pid, actions)
    return baseline, load


def baseline_and_load(
    url: str,
    sessions: int,
    seconds: float,
    baseline_seconds: float = DEFAULT_BASELINE_SECONDS,
    seed: int = 1,
    server_pid: int | None = None,
    warm_paths: Sequence[str] = PATHS,
    actions: int | None = None,
) -> tuple[LoadResult | None, LoadResult]:
    """A single viewer alone (skipped if baseline_seconds is 0), then `sessions` at once.

    Both runs share one Chromium; `warm_paths` are opened once before, untimed.
    `server_pid` (our own server) adds the server's memory and CPU to the results.
    With `actions`, each session stops after that many (the seconds are then a cap).
    """
    check_url(url)
    check_bounds(sessions, seconds, baseline_seconds)
    return asyncio.run(
        _baseline_and_load(url, sessions, seconds, baseline_seconds, seed, server_pid, warm_paths, actions)
    )


def run_load(url: str, sessions: int, seconds: float, seed: int = 1) -> LoadResult:
    """`sessions` viewers at once on the server at `url`, in a Chromium of its own."""
    check_url(url)
    check_bounds(sessions, seconds)

    async def run() -> LoadResult:
        async with chromium() as browser:
            return await run_sessions(browser, url, sessions, seconds, seed)

    return asyncio.run(run())


@contextlib.contextmanager
def own_server() -> Any:
    """A server on a temporary copy of the shipped data, stopped however the run ends."""
    with tempfile.TemporaryDirectory(prefix="isf-load-") as folder:
        data_dir = Path(folder) / "data"
        copy_shipped_data(data_dir)
        server = start_server(data_dir)
        try:
            yield server
        finally:
            stop_server(server)


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Load test: N concurrent browser sessions against one Streamlit server (loopback only).",
    )
    parser.add_argument("--sessions", type=int, default=20, help=f"concurrent sessions, 1..{MAX_SESSIONS}")
    parser.add_argument(
        "--seconds", type=float, default=60, help=f"length of the N-session run, ≤ {MAX_SECONDS}"
    )
    parser.add_argument("--baseline-seconds", type=float, default=DEFAULT_BASELINE_SECONDS,
                        help="length of the single-viewer run first (0: skip it)")  # fmt: skip
    parser.add_argument("--url", help="a running server on this machine (default: start one on a data copy)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the action mix (session i: seed + i)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    try:
        check_bounds(args.sessions, args.seconds, args.baseline_seconds)
        if args.url:
            args.url = check_url(args.url)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status 0 when neither run had an error, 1 otherwise.

    SIGTERM is turned into KeyboardInterrupt, so the server we started is stopped either way.
    """
    args = parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("interrupted; the browser and any server we started are stopped", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace) -> int:
    say = (lambda *_: None) if args.json else (lambda text: print(text, file=sys.stderr, flush=True))
    say(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with contextlib.ExitStack() as stack:
        if args.url:
            url, pid = args.url, None
        else:
            server = stack.enter_context(own_server())
            url, pid = server.url, server.process.pid
            say(f"started {url} on a copy of the shipped data")
        say(f"1 viewer × {args.baseline_seconds:g} s, then {args.sessions} sessions × {args.seconds:g} s")
        baseline, load = baseline_and_load(
            url, args.sessions, args.seconds, args.baseline_seconds, args.seed, pid
        )
    if args.json:
        print(json.dumps(as_json(baseline, load), indent=2, ensure_ascii=False))
    else:
        print(report(baseline, load))
    failed = load.error_count + (baseline.error_count if baseline else 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
