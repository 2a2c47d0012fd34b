"""What a reader's browser sees: cold opens, filter changes, static pages, and any action of the
load test, measured in Debian's Chromium through Playwright against a real `streamlit run`.

A script injected before any page loads keeps, on the page's own clock (performance.now(), zero
at navigation start), the time of the last change to the page, to the main panel and to a chart
(a MutationObserver), of the last resource loaded and of the last pointer press or Enter key.
Playwright reads what the server sends over the websocket (Streamlit's ForwardMsg protobufs): the
bytes, each finished script run and the charts it sent. So a figure is what happened in the page,
and "every chart drawn" waits for as many charts as the run sent, never for a number kept here.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from google.protobuf.message import DecodeError
from playwright.async_api import Browser, Page, Request, WebSocket, async_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from isf_tracker.geo import TOPOLOGY_FILE

QUIET_MS = 600  # no change to the page and no request for this long: the run and its drawing are over
TIMEOUT_S = 60
LOST_S = 5  # an input after which the page sent the server nothing this long was lost
POLL_S = 0.05
# Loopback only: no host name resolves, so nothing leaves the machine.
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]"
#: Each page as opened from a link a reader was sent; a page not named here is opened at its address.
LINKS = {
    "overview": "/?country=PAK&country=IDN",
    "map": "/map?country=PAK&country=IDN&country=AZE&country=EGY&color=status",
    "charts": "/charts?country=IDN&country=PAK&country=MAR&country=GRC&country=AZE",
    "conditions": "/conditions?country=PAK&country=IDN&country=AZE&country=EGY&sort=conditions",
    "country": "/country?country=PAK",
    "statements": "/statements?country=PAK&country=IDN&stance=refuses",
    "sources": "/sources?country=IDN&reliability=on_record",
    "changes": "/changes?from=2025-11-01",
}
FIRST_OPEN = {"country": "/country?country=PAK"}  # where filter changes start, if not the plain address
DATASETTE_VIEW = "/ledger/positions?iso3=PAK"  # Datasette's filtered table: one country's rows
SNAPSHOTS = {"overview": "/s/overview?country=PAK", "map": "/s/map?country=PAK"}  # the same filter

PROBE = """(() => {
  const probe = {last: 0, main: 0, chart: 0, resource: 0, trigger: null, drops: 0, leaving: false};
  window.__isfProbe = probe;
  const CHART = "[data-testid='stVegaLiteChart']";
  // A node still in the page: a chart Streamlit has replaced may still draw, out of sight.
  const element = (node) => { const el = node && (node.nodeType === 1 ? node : node.parentElement);
                              return el && el.isConnected ? el : null; };
  // A change inside a chart, or a chart added; not a change to what holds one (a stale container).
  const inChart = (node) => !!element(node)?.closest(CHART);
  const isChart = (node) => node.nodeType === 1 && !!(node.matches(CHART) || node.querySelector(CHART));
  new MutationObserver((records) => {
    const now = performance.now();
    probe.last = now;
    if (records.some((r) => element(r.target)?.closest("[data-testid='stMain']"))) probe.main = now;
    if (records.some((r) => inChart(r.target) || [...r.addedNodes].some(isChart))) probe.chart = now;
    for (const r of records) {
      if (r.attributeName === "data-test-connection-state" && r.oldValue === "CONNECTED" && !probe.leaving
          && r.target.getAttribute(r.attributeName) !== "CONNECTED") probe.drops += 1;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true,
                        attributeOldValue: true});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.resource = Math.max(probe.resource, entry.responseEnd);
  }).observe({type: "resource", buffered: true});
  const mark = () => { probe.trigger = performance.now(); };
  addEventListener("pointerdown", mark, true);
  addEventListener("keydown", (e) => { if (e.key === "Enter") mark(); }, true);
  addEventListener("pagehide", () => { probe.leaving = true; }, true);
})();"""

#: The probe, now, the load event's end and whether the app is settled: connected and idle, its
#: title drawn, no element waiting for its code (a skeleton), at least `expected` charts on the
#: page and every visible one with its marks drawn. Disconnections are handed over once.
READ = """({expected, heading}) => {
  const probe = window.__isfProbe, app = document.querySelector("[data-testid='stApp']");
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  const drawn = charts.filter((c) => c.offsetParent !== null && c.querySelector("svg path, canvas"));
  const visible = charts.filter((c) => c.offsetParent !== null);
  const failed = document.querySelector("[data-testid='stException']");
  const ready = !!app && app.dataset.testConnectionState === "CONNECTED"
    && app.dataset.testScriptState === "notRunning"
    && (!heading || !!document.querySelector("[data-testid='stMain'] h1"))
    && !document.querySelector("[data-testid='stSkeleton']")
    && charts.length >= expected && drawn.length === visible.length;
  const navigation = performance.getEntriesByType("navigation")[0];
  const found = {...probe, now: performance.now(), loaded: navigation ? navigation.loadEventEnd : 0,
                 ready, drawn: drawn.length, exception: failed ? failed.innerText.slice(0, 300) : ""};
  probe.drops = 0;
  return found;
}"""


class Watch:
    """One page and what happens to it: the bytes the server sent, its finished script runs and
    the charts the last one sent, requests in flight and for the map's geometry, and every error
    (page errors, console errors, HTTP 5xx, dropped connections, exceptions shown)."""

    def __init__(self, page: Page) -> None:
        self.page, self.received, self.runs, self.charts, self.pending, self.geometry = page, 0, 0, 0, 0, 0
        self.sent_at: float | None = None  # first message to the server since `act` began
        self.finished_at = 0.0  # the last finished run, on this process's clock
        self.errors: Counter[str] = Counter()
        self.samples: list[str] = []  # the first errors, as "kind: what"
        self._charts: set[tuple[int, ...]] = set()
        self._hashes: set[str] = set()
        page.on("websocket", self._socket)
        page.on("request", self._request)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)
        page.on("pageerror", lambda error: self.error("pageerror", str(error)))
        page.on("console", self._console)
        page.on("response", lambda r: r.status >= 500 and self.error("http5xx", f"{r.status} {r.url}"))

    def error(self, kind: str, text: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {' '.join(text.split())[:300]}")

    def _console(self, message: Any) -> None:
        """A console error counts, but for Streamlit's base-path probe on a deep link: it asks
        /<page>/_stcore/health first and gets 404 (streamlit#7074)."""
        path = urlsplit((message.location or {}).get("url", "")).path
        probe = path.endswith(("/_stcore/health", "/_stcore/host-config")) and not path.startswith("/_stcore")
        if message.type == "error" and not probe:
            self.error("console", message.text)

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _sent(self, _payload: str | bytes) -> None:
        self.sent_at = self.sent_at or time.monotonic()

    def _received(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.received += len(data)
        message = ForwardMsg()
        with contextlib.suppress(DecodeError):
            message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "new_session":  # a script run starts
            self._charts = set()
        elif kind == "ref_hash" or (kind == "delta" and message.delta.WhichOneof("type") == "new_element"):
            # A message the browser has cached comes again as its hash: a chart's is known by it.
            element = message.delta.new_element.WhichOneof("type")
            chart = message.ref_hash in self._hashes if kind == "ref_hash" else element == "vega_lite_chart"
            self._hashes |= {message.hash} if chart and message.hash else set()
            (self._charts.add if chart else self._charts.discard)(tuple(message.metadata.delta_path))
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.charts, self.runs, self.finished_at = len(self._charts), self.runs + 1, time.monotonic()

    def _request(self, request: Request) -> None:
        self.pending += 1
        self.geometry += TOPOLOGY_FILE in request.url  # the live map's geometry

    def _done(self, _request: Request) -> None:
        self.pending -= 1

    async def read(self, heading: bool = True) -> dict[str, Any]:
        found = await self.page.evaluate(READ, {"expected": self.charts, "heading": heading})
        found |= {key: float(found[key]) for key in ("last", "main", "chart", "resource", "loaded", "now")}
        if found["drops"]:
            self.error("disconnect", f"{self.page.url}: the connection dropped")
        return found

    async def settle(self, runs: int = 1, quiet_ms: float = QUIET_MS, heading: bool = True,
                     app: bool = True) -> dict:  # fmt: skip
        """Wait until nothing has changed (page or network) for `quiet_ms` and, on a Streamlit page,
        the server has finished `runs` runs and the app is settled; on another page, the load event
        is over. The probe then, an exception shown counted."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            found = await self.read(heading)
            latest = max(found["last"], found["resource"], found["loaded"])
            done = self.runs >= runs and found["ready"] if app else found["loaded"] > 0
            if done and not self.pending and found["now"] - latest >= quiet_ms:
                if found["exception"]:
                    self.error("exception", f"{self.page.url}: {found['exception']}")
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.page.url}: not settled after run {runs} in {TIMEOUT_S} s")
            await asyncio.sleep(POLL_S)

    async def act(
        self, trigger: Callable[[], Awaitable[Any]], quiet_ms: float = QUIET_MS, lost_s: float = LOST_S
    ):
        """Press, click or navigate (`trigger`), wait for the run it starts and the page to settle:
        from the input (or the new document's start) to the last change to the page, to the main
        panel and to a chart; the bytes received; the wire time (first message sent to the run's
        end). None if the input was lost: the page sent the server nothing for `lost_s` (a new
        document may take longer to connect: pass inf)."""
        runs, received, geometry = self.runs, self.received, self.geometry
        await self.page.evaluate("window.__isfProbe.trigger = null")
        self.sent_at, started = None, time.monotonic()
        await trigger()
        while self.sent_at is None:
            if time.monotonic() - started > lost_s:
                return None
            await asyncio.sleep(POLL_S)
        found = await self.settle(runs + 1, quiet_ms)
        start, main, chart = found["trigger"] or 0, found["main"], found["chart"] if self.charts else 0
        wire = (self.finished_at - self.sent_at) * 1000
        return {
            "ms": found["last"] - start,
            "main": main - start if main > start else None,
            "wire": wire,
            "chart": chart - start if chart > start else None,
            "geometry": self.geometry - geometry,
            "KB": (self.received - received) / 1000,
        }


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    async with async_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, LOOPBACK_ONLY])
        async with await launched as browser:  # closed on the way out, however the run ends
            yield browser


@contextlib.asynccontextmanager
async def fresh(browser: Browser, **options: Any) -> AsyncIterator[Watch]:
    """A page in a new browser context (empty cache, new Streamlit session), the probe in it."""
    async with await browser.new_context(**{"viewport": VIEWPORT, **options}) as context:
        await context.add_init_script(PROBE)
        yield Watch(await context.new_page())


def app_pages() -> dict[str, str]:
    """Every page of the app that is a view (the form for adding a statement is none a reader
    shares): name → plain address, in the sidebar's order."""
    from isf_tracker.ui.shell import PAGES

    return {Path(spec.script).stem: "/" + spec.url_path for spec in PAGES if spec.url_path != "add"}


async def cold_open(browser: Browser, url: str, heading: bool = True) -> dict[str, Any]:
    """From navigation start to the last change to the page, once the run has finished and every
    chart it sent is drawn; `heading=False` for the empty page (it has no title)."""
    async with fresh(browser) as watch:
        await watch.page.goto(url)
        found = await watch.settle(heading=heading)
        errors = sum(watch.errors.values())
        return {"ms": found["last"], "charts": watch.charts, "drawn": found["drawn"], "errors": errors}


async def cold_opens(browser: Browser, empty: str, urls: dict[str, str], opens: int) -> dict[str, Any]:
    """`opens` rounds of cold opens, the empty page then each page (the order reversed every other
    round), so a busy moment of the machine falls on every page alike."""
    runs: dict[str, list[dict]] = {name: [] for name in ("empty", *urls)}
    for round_ in range(opens):
        runs["empty"].append(await cold_open(browser, empty, heading=False))
        for name in list(urls)[:: -1 if round_ % 2 else 1]:
            runs[name].append(await cold_open(browser, urls[name]))
    empty_ms, rows = statistics.median(run["ms"] for run in runs.pop("empty")), {}
    for name, done in runs.items():
        ms, link = statistics.median(run["ms"] for run in done), "/" + urls[name].split("/", 3)[-1]
        rows[name] = {"shared link": link, "median ms": ms, "× empty": ms / empty_ms,
                      "each, ms": [r["ms"] for r in done], "charts": done[-1]["charts"],
                      "drawn": done[-1]["drawn"], "errors": sum(r["errors"] for r in done)}  # fmt: skip
    title = f"In Chromium {browser.version}: cold opens from a shared link, median of {opens}; empty page"
    return {"title": f"{title} {empty_ms:,.1f} ms", "empty page ms": empty_ms, "rows": rows}


async def filter_changes(browser: Browser, url: str, repeats: int) -> dict[str, Any]:
    """Type a minimum troop figure in the sidebar and press Enter, 1,000 and 0 in turn: the
    medians (and maxima) from Enter to the last change to the main panel, a chart and the page."""
    async with fresh(browser) as watch:
        await watch.page.goto(url)
        await watch.settle()
        charts, done = watch.charts, []
        box = watch.page.locator("[data-testid='stSidebar'] input[aria-label='Minimum troops']")
        for attempt in range(repeats):
            await box.fill("1000" if attempt % 2 == 0 else "0")
            if (changed := await watch.act(lambda: box.press("Enter"))) is None:
                raise RuntimeError(f"{url}: the server got nothing after Enter")
            done.append(changed)
    row: dict[str, Any] = {"charts": charts}
    for key, name in (("main", "main panel ms"), ("chart", "chart ms"), ("ms", "page ms"), ("KB", "KB")):
        values = [change[key] for change in done if change[key] is not None]
        row |= {name: statistics.median(values) if values else None, f"{name} max": max(values, default=None)}
    return row | {"geometry requests": sum(c["geometry"] for c in done), "errors": sum(watch.errors.values())}


async def static_open(browser: Browser, url: str, selector: str | None) -> float:
    """A page judged as a static page is: until the load event, `selector` present, and no request
    nor change for QUIET_MS; the latest of the load's end, the last resource and the last change.
    Without a selector, a Streamlit page: its script run must have finished too."""
    async with fresh(browser) as watch:
        await watch.page.goto(url, wait_until="load")
        if selector:
            await watch.page.wait_for_selector(selector, state="attached")
        found = await watch.settle(heading=False, app=not selector)
        return max(found["last"], found["resource"], found["loaded"])


def build_database(ledger_csv: Path, database: Path) -> int:
    """The ledger as Datasette serves it: table `positions`, every column text, indexed on iso3."""
    rows = pd.read_csv(ledger_csv, dtype=str, keep_default_na=False)
    database.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        rows.to_sql("positions", connection, index=False)
        connection.execute("CREATE INDEX positions_iso3 ON positions (iso3)")
    return len(rows)


async def static_views(browser: Browser, app: str, empty: str, datasette: str, opens: int) -> dict[str, Any]:
    """Datasette's filtered table, each snapshot and the empty Streamlit page, cold, in rounds:
    each median and its ratio to Datasette's."""
    views = {"Datasette": (datasette, DATASETTE_VIEW, "table.rows-and-columns"),
             "empty Streamlit page": (empty, "/", None)}  # fmt: skip
    views |= {f"snapshot: {page}": (app, path, "[data-isf-snapshot]") for page, path in SNAPSHOTS.items()}
    times: dict[str, list[float]] = {name: [] for name in views}
    for _ in range(opens):
        for name, (base, path, selector) in views.items():
            times[name].append(await static_open(browser, base + path, selector))
    median = {name: statistics.median(values) for name, values in times.items()}
    rows = {name: {"path": path, "median ms": median[name], "× Datasette": median[name] / median["Datasette"]}
            for name, (_, path, _) in views.items()}  # fmt: skip
    title = f"Static views, cold, median of {opens}: Datasette {version('datasette')} on the same ledger"
    return {"title": title + ", our snapshots", "rows": rows}
