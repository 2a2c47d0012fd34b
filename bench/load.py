"""Many viewers at once: N browser sessions on one server, each acting from its own seeded mix of
a reader's actions, beside a single viewer running the same mix alone. Each session is a browser
context (its own Streamlit session) in one Chromium, which resolves no host name. An action is
timed as a filter change is (browser.Watch.act); the server's memory and CPU and how busy the
machine was come from /proc, so a saturated browser can be told from a slow server."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from bench.browser import LINKS, LOST_S, Watch, app_pages, fresh

MAX_SESSIONS, MAX_SECONDS = 50, 300
QUIET_MS = 300  # an action is over when the page has not changed for this long after its run
OPEN_AT_ONCE = 4  # sessions opening their first page at the same time (the ramp-up)
# A link opens a page with one of these queries.
QUERIES = ("", "country=PAK&country=IDN", "min_troops=1000", "reliability=on_record", "as_of=2025-12-31",
           "status=conditional", "country=PAK&country=IDN&status=conditional&as_of=2025-12-31")  # fmt: skip
START_PAGES = (*LINKS.values(), "/", "/add", "/?min_troops=1000", "/map?as_of=2025-12-31")
MULTISELECTS = ("Countries", "Region", "Status", "Stance on disarming Hamas", "Condition")
RELIABILITY = ("Reported and unconfirmed too", "On record only")
TROOPS = ("0", "500", "1000", "1500", "2000", "3000", "5000")
MIX = {"troops": 2.0, "sources": 1.0, "pick": 3.0, "unpick": 1.5, "clear": 0.5, "nav": 3.0, "link": 1.5}
FALLBACK = {"unpick": "pick", "pick": "nav"}  # when an action has nothing to act on
Trigger = Callable[[], Awaitable[Any]]


class Session:
    """One viewer: a page in its own browser context, driven through a seeded mix of actions."""

    def __init__(self, watch: Watch, url: str, rng: random.Random) -> None:
        self.watch, self.page, self.url, self.rng = watch, watch.page, url, rng
        self.sidebar = self.page.get_by_test_id("stSidebar")
        self.latencies: dict[str, list[float]] = {}
        self.wire: list[float] = []
        self.actions = self.lost = 0

    async def open(self, path: str) -> float | None:
        """A page opened afresh: its time, or None if it failed (an error counted)."""
        try:
            return (await self.watch.act(lambda: self.page.goto(self.url + path, wait_until="commit"),
                                         QUIET_MS, math.inf))["ms"]  # fmt: skip
        except (PlaywrightError, TimeoutError) as error:
            self.failed(f"opening {path}", error)
            return None

    def failed(self, what: str, error: Exception) -> None:
        self.watch.error("timeout" if isinstance(error, TimeoutError) else "action", f"{what}: {error}")

    async def act(self) -> bool:
        """One action, timed; an error counted and the page opened afresh. False when the input
        was lost (the page sent nothing), so a run of a fixed number of actions tries another."""
        kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
        try:
            kind, trigger, after = await self.prepare(kind)
            done = await self.watch.act(trigger, QUIET_MS, math.inf if kind == "link" else LOST_S)
            if after:
                await after()
            await self.page.evaluate("document.activeElement && document.activeElement.blur()")
        except (PlaywrightError, TimeoutError) as error:
            self.failed(kind, error)
            await self.open(self.rng.choice(START_PAGES))
            return True
        if done is None:
            self.lost += 1
            return False
        self.latencies.setdefault(kind, []).append(done["ms"])
        self.wire.append(done["wire"])
        self.actions += 1
        return True

    async def prepare(self, kind: str) -> tuple[str, Trigger, Trigger | None]:
        """(kind, the trigger to time, what to do after it, untimed)."""
        sidebar, page = self.sidebar, self.page
        if kind == "link":
            query = self.rng.choice(QUERIES)
            path = self.rng.choice([*app_pages().values(), "/add"]) + (f"?{query}" if query else "")
            return kind, lambda: page.goto(self.url + path, wait_until="commit"), None
        if kind == "nav":
            links = sidebar.get_by_test_id("stPageLink-NavLink")
            paths = await links.evaluate_all("links => links.map(link => new URL(link.href).pathname)")
            here = await page.evaluate("location.pathname")
            target = links.nth(self.rng.choice([i for i, path in enumerate(paths) if path != here]))
            return kind, target.click, None
        if kind == "troops":
            box = sidebar.locator("input[aria-label='Minimum troops']")
            await box.fill(self.rng.choice([v for v in TROOPS if v != await box.input_value()]))
            return kind, lambda: box.press("Enter"), None
        if kind == "sources":
            checked = await sidebar.get_by_role("radio", name=RELIABILITY[1]).is_checked()
            return kind, sidebar.get_by_text(RELIABILITY[0 if checked else 1], exact=True).click, None
        if kind == "clear":
            return kind, sidebar.get_by_role("button", name="Clear filters").click, None
        if kind == "unpick":
            chips = sidebar.get_by_test_id("stMultiSelect").get_by_role("button", name="Remove ")
            if count := await chips.count():
                return kind, chips.nth(self.rng.randrange(count)).click, None
        else:  # pick
            await sidebar.get_by_role("combobox", name=self.rng.choice(MULTISELECTS), exact=True).click()
            options = page.get_by_role("option")
            with contextlib.suppress(PlaywrightError):
                await options.first.wait_for(state="visible", timeout=5_000)
            if count := await options.count():
                click = options.nth(self.rng.randrange(count)).click
                return kind, click, lambda: page.keyboard.press("Escape")
            await page.keyboard.press("Escape")  # every value already chosen
        return await self.prepare(FALLBACK[kind])


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


async def run(browser: Browser, url: str, sessions: int, seconds: float, pid: int, seed: int = 1,
              actions: int | None = None, during: Callable[[], Awaitable[Any]] | None = None,
              ) -> dict[str, Any]:  # fmt: skip
    """`sessions` viewers open their start pages (OPEN_AT_ONCE at a time), then all act for
    `seconds`, or (given `actions`) until each has made that many, or (given `during`) until
    what it starts once they are all open is over (its result: "during"), `seconds` a cap."""
    opening, all_open = asyncio.Semaphore(OPEN_AT_ONCE), asyncio.Event()
    at: dict[str, Any] = {}  # when every session was open: the time, the server's and the machine's CPU
    done: list[Session] = []
    opens: list[float | None] = []  # each session's first open, None if it failed
    rss: list[float] = []  # the server's memory, sampled

    async def one(index: int) -> None:
        async with fresh(browser) as watch:
            session = Session(watch, url, random.Random(seed + index))
            done.append(session)
            async with opening:
                opens.append(await session.open(START_PAGES[index % len(START_PAGES)]))
            if len(opens) == sessions:
                at.update(start=time.monotonic(), cpu=_cpu_s(pid), machine=_machine())
                at["during"] = during and asyncio.create_task(during())
                all_open.set()
            await all_open.wait()
            attempted = 0
            while (
                time.monotonic() < at["start"] + seconds
                and (actions is None or attempted < actions)
                and not (at["during"] and at["during"].done())
            ):
                attempted += await session.act()

    async def sample() -> None:
        while True:
            rss.append(_rss_mb(pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    try:
        await asyncio.gather(*(one(i) for i in range(sessions)))
    finally:
        sampler.cancel()
    elapsed, (busy, total), cpu = time.monotonic() - at["start"], _machine(), _cpu_s(pid) - at["cpu"]
    found_during = await at["during"] if during else None
    latencies: dict[str, list[float]] = {}
    for session in done:
        for kind, values in session.latencies.items():
            latencies.setdefault(kind, []).extend(values)
    actions_made, wire = [s.actions for s in done], [ms for s in done for ms in s.wire]
    every = [ms for kind in latencies.values() for ms in kind]
    found = {"sessions": sessions, "seconds": elapsed, "actions": sum(actions_made),
             "actions/s": sum(actions_made) / elapsed}  # fmt: skip
    for name, values in (("", every), ("wire ", wire), ("first open ", [ms for ms in opens if ms])):
        found |= {f"{name}{measure} ms": value for measure, value in stats(values).items()}
    errors: Counter[str] = sum((s.watch.errors for s in done), Counter())
    return found | {"errors": sum(errors.values()), "lost inputs (not errors)": sum(s.lost for s in done),
                    "server RSS start MB": rss[0], "server RSS peak MB": max(rss),
                    "server RSS end MB": _rss_mb(pid), "server CPU s": cpu,
                    "server CPU, % of a core": 100 * cpu / elapsed,
                    "all cores busy, %": 100 * (busy - at["machine"][0]) / (total - at["machine"][1]),
                    "latencies": latencies, "wire": wire, "actions per session": actions_made,
                    "errors by kind": dict(errors),
                    "samples": [text for s in done for text in s.watch.samples][:10],
                    "during": found_during}  # fmt: skip


def stats(values: list[float]) -> dict[str, float | None]:
    """Median, 95th percentile (inclusive, as numpy's default) and maximum; None for no values."""
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else None
    median, most = statistics.median(values) if values else None, max(values, default=None)
    return {"median": median, "p95": p95 or most, "max": most}


def summary(alone: dict[str, Any], many: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The two runs side by side, a row per figure, with how much slower (or faster) each got."""
    label = f"{many['sessions']} sessions"
    runs = {"single viewer": alone, label: many}
    rows = {
        name: {"single viewer": value, label: many[name]}
        for name, value in alone.items()
        if isinstance(value, int | float) and name != "sessions"
    }
    for name, row in rows.items():
        if name.endswith((" ms", "/s")) and row["single viewer"] and row[label]:
            row["× single"] = row[label] / row["single viewer"]
    by_action = {}
    for kind in sorted(alone["latencies"].keys() | many["latencies"].keys()):
        row = {}
        for who, run in runs.items():
            values = run["latencies"].get(kind, [])
            times = {f"{who}: {m} ms": v for m, v in stats(values).items() if m != "max"}
            row |= {f"{who}: count": len(values), **times}
        one, all_ = row["single viewer: median ms"], row[f"{label}: median ms"]
        by_action[kind] = row | {"× single (median)": one and all_ and all_ / one}
    notes = [f"{who}: {sample}" for who, run in runs.items() for sample in run["samples"]]
    title = (
        f"Many viewers at once: a single viewer alone, then {label}, each from its own seeded mix of actions"
    )
    return {
        "many viewers": {"title": title, "rows": rows},
        "many viewers, by action": {"title": "By action", "rows": by_action, "notes": notes},
    }
