"""What a reader's browser sees: cold opens from a shared link, filter changes and the bytes
they cost, and cold opens of static pages.

Measured in Debian's Chromium through Playwright against a real `streamlit run`. A script
injected before any page loads keeps, on the page's own clock (performance.now(), zero at
navigation start), the time of the last change to the page, to the main panel and to any
chart (a MutationObserver), the time the last resource finished loading, and the time of the
last click or Enter key. So a figure is what happened in the page, not Playwright's polling.

Playwright also reads what the server sends over the websocket (Streamlit's ForwardMsg
protobufs): the bytes, each finished script run, and how many charts the run sent. So "every
chart drawn" waits for as many charts as the page really rendered, never for a number kept
here, and never passes on an empty list: a chart page cannot be "ready" before its run has
finished and each of its charts has drawn its marks.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.message import DecodeError
from playwright.sync_api import Browser, Page, Request, WebSocket, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

QUIET_MS = 600  # no change to the page and no request for this long: the run and its drawing are over
TIMEOUT_S = 60
POLL_MS = 50
GEOMETRY = "/geo/"  # the live map's geometry (web/mapdata.py)

#: Pages that are not views a reader shares: the form for adding a statement.
NOT_VIEWS = frozenset({"add"})
#: Each page as opened from a link a reader was sent: filters and page options in the address.
#: A page of the app not named here is opened at its plain address (so a new page is measured
#: from the day it exists); a name here that is no page of the app is ignored.
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
#: Where the filter changes start: each page with no filter set, but a country for its profile.
FIRST_OPEN = {"country": "/country?country=PAK"}


def app_pages() -> dict[str, str]:
    """Every page of the app that is a view (name → plain address), in the sidebar's order."""
    from isf_tracker.ui.shell import PAGES as SPECS

    pages = {Path(spec.script).stem: "/" + spec.url_path for spec in SPECS}
    return {name: path for name, path in pages.items() if name not in NOT_VIEWS}


def shared_links() -> dict[str, str]:
    """Each page of the app with the link it is cold-opened from."""
    return {name: LINKS.get(name, path) for name, path in app_pages().items()}


def first_opens() -> dict[str, str]:
    """Each page of the app with the address its filter changes start from."""
    return {name: FIRST_OPEN.get(name, path) for name, path in app_pages().items()}


_PROBE = """
(() => {
  const probe = {last: 0, main: 0, chart: 0, resource: 0, trigger: null};
  window.__isfProbe = probe;
  const CHART = "[data-testid='stVegaLiteChart']";
  const MAIN = "[data-testid='stMain']";
  const element = (node) => node && (node.nodeType === 1 ? node : node.parentElement);
  // A change inside a chart, or a chart added: not a change to what holds one (the app's run
  // state, a container marked stale), which would time the run rather than the drawing.
  const inChart = (node) => !!element(node)?.closest(CHART);
  const isChart = (node) => node.nodeType === 1 && !!(node.matches(CHART) || node.querySelector(CHART));
  const inMain = (node) => !!element(node)?.closest(MAIN);
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    probe.last = now;
    if (records.some((r) => inMain(r.target))) probe.main = now;
    if (records.some((r) => inChart(r.target) || [...r.addedNodes].some(isChart))) probe.chart = now;
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.resource = Math.max(probe.resource, entry.responseEnd);
  }).observe({type: "resource", buffered: true});
  const mark = () => { probe.trigger = performance.now(); };
  document.addEventListener("click", mark, true);
  document.addEventListener("keydown", (e) => { if (e.key === "Enter") mark(); }, true);
})();
"""

_READ_PROBE = """
() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return {...window.__isfProbe, now: performance.now(), loaded: navigation ? navigation.loadEventEnd : 0};
}
"""

#: The app connected and idle, the page's title drawn (`heading`), no element still waiting for
#: its code (Streamlit shows a skeleton meanwhile), at least `expected` charts on the page and
#: every visible chart with its marks drawn.
_READY = """
({expected, heading}) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== "CONNECTED") return false;
  if (app.dataset.testScriptState !== "notRunning") return false;
  const main = document.querySelector("[data-testid='stMain']");
  if (!main || (heading && !main.querySelector("h1"))) return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  if (charts.length < expected) return false;
  return charts.filter((chart) => chart.offsetParent !== null)
    .every((chart) => chart.querySelector("svg path, canvas"));
}
"""

_COUNT_CHARTS = """
() => {
  const app = document.querySelector("[data-testid='stApp']");
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return {all: charts.length,
          drawn: charts.filter((c) => c.offsetParent !== null && c.querySelector("svg path, canvas")).length,
          state: app ? `${app.dataset.testConnectionState} ${app.dataset.testScriptState}` : ""};
}
"""


@dataclass
class ColdOpen:
    """One cold open: until the last change to the page, and the charts the run sent and drew."""

    page: str
    ms: float
    charts_sent: int = 0
    charts_drawn: int = 0
    runs: int = 0  # script runs the server finished (Streamlit pages)
    app_state: str = ""  # the app's connection and script state at the end, e.g. "CONNECTED notRunning"


@dataclass
class FilterChange:
    """One page's filter changes: time until the page was redrawn, and bytes received."""

    page: str
    redraw_ms: list[float] = field(default_factory=list)  # Enter → last change inside a chart
    main_ms: list[float] = field(default_factory=list)  # Enter → last change of the main panel
    settled_ms: list[float] = field(default_factory=list)  # Enter → last change anywhere
    kilobytes: list[float] = field(default_factory=list)
    geometry_requests: int = 0
    charts: int = 0  # charts on the page before the first change

    @property
    def redraw_median_ms(self) -> float | None:
        return statistics.median(self.redraw_ms) if self.redraw_ms else None

    @property
    def main_median_ms(self) -> float | None:
        return statistics.median(self.main_ms) if self.main_ms else None

    @property
    def settled_median_ms(self) -> float:
        return statistics.median(self.settled_ms)

    @property
    def kilobytes_max(self) -> float:
        return max(self.kilobytes)


class Traffic:
    """What the server sends: websocket bytes, finished script runs and the charts each run
    sent (read from Streamlit's protobuf messages); requests in flight and for the map geometry."""

    def __init__(self, page: Page) -> None:
        self.received = 0
        self.runs_finished = 0
        self.charts_sent = 0  # vega-lite charts in the last run that finished
        self.geometry_requests = 0
        self.pending = 0
        self._charts: set[tuple[int, ...]] = set()
        page.on("websocket", self._socket)
        page.on("request", self._request)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.received += len(data)
        message = ForwardMsg()
        try:
            message.ParseFromString(data)
        except DecodeError:
            return
        kind = message.WhichOneof("type")
        if kind == "new_session":  # a script run starts
            self._charts = set()
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            path = tuple(message.metadata.delta_path)
            if message.delta.new_element.WhichOneof("type") == "vega_lite_chart":
                self._charts.add(path)
            else:
                self._charts.discard(path)
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.charts_sent = len(self._charts)
            self.runs_finished += 1

    def _request(self, request: Request) -> None:
        self.pending += 1
        if GEOMETRY in request.url:
            self.geometry_requests += 1

    def _done(self, _request: Request) -> None:
        self.pending -= 1


@contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[Browser]:
    if not Path(executable).exists():
        raise FileNotFoundError(f"Chromium not found at {executable}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_page(browser: Browser) -> Iterator[tuple[Page, Traffic]]:
    """A page in a new browser context (empty cache, new session), the probe in it from the start."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(_PROBE)
        page = context.new_page()
        yield page, Traffic(page)
    finally:
        context.close()


def _until(page: Page, done: Callable[[dict], bool], what: str) -> dict:
    """Poll the page until `done(probe)`; the probe as it was then."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        probe = page.evaluate(_READ_PROBE)
        if done(probe):
            return probe
        page.wait_for_timeout(POLL_MS)
    raise TimeoutError(f"{page.url}: {what} not reached in {TIMEOUT_S} s")


def settle(page: Page, traffic: Traffic, runs: int = 1, heading: bool = True) -> dict:
    """Wait until the server has finished `runs` script runs, the app is idle with every chart the
    last run sent drawn, and nothing has changed (page or network) for QUIET_MS; the probe then."""

    def ready(probe: dict) -> bool:
        if traffic.runs_finished < runs or traffic.pending:
            return False
        if probe["now"] - max(probe["last"], probe["resource"]) < QUIET_MS:
            return False
        return page.evaluate(_READY, {"expected": traffic.charts_sent, "heading": heading})

    return _until(page, ready, f"the app idle after run {runs} with {traffic.charts_sent} charts drawn")


def cold_open(browser: Browser, base_url: str, name: str, path: str, app: bool = True) -> ColdOpen:
    """A new browser context opening `path`: from navigation start to the last change to the page,
    once the run has finished and every chart it sent is drawn. `app=False` for the empty page
    (it has no title to wait for)."""
    with fresh_page(browser) as (page, traffic):
        page.goto(base_url + path)
        probe = settle(page, traffic, heading=app)
        seen = page.evaluate(_COUNT_CHARTS)
        return ColdOpen(
            name, probe["last"], traffic.charts_sent, seen["drawn"], traffic.runs_finished, seen["state"]
        )


def static_open(browser: Browser, url: str, name: str, selector: str | None = None) -> ColdOpen:
    """A new browser context opening `url` as a static page is judged: until the load event, and
    `selector` present (if given), and no request nor change to the page for QUIET_MS. The time
    is the latest of the load event's end, the last resource loaded and the last change."""
    with fresh_page(browser) as (page, traffic):
        page.goto(url, wait_until="load")
        if selector:
            page.wait_for_selector(selector, state="attached", timeout=TIMEOUT_S * 1000)

        def quiet(probe: dict) -> bool:
            latest = max(probe["last"], probe["resource"], probe["loaded"])
            return probe["loaded"] > 0 and not traffic.pending and probe["now"] - latest >= QUIET_MS

        probe = _until(page, quiet, "load and a quiet network")
        return ColdOpen(name, max(probe["last"], probe["resource"], probe["loaded"]))


def streamlit_static_open(browser: Browser, base_url: str, name: str) -> ColdOpen:
    """The empty Streamlit page judged as a static page is, plus its script run finished (until
    then it shows nothing): load event, run finished, app idle, quiet network and page."""
    with fresh_page(browser) as (page, traffic):
        page.goto(base_url + "/", wait_until="load")
        settle(page, traffic, heading=False)
        probe = page.evaluate(_READ_PROBE)
        return ColdOpen(name, max(probe["last"], probe["resource"], probe["loaded"]))


def filter_changes(browser: Browser, base_url: str, name: str, path: str, repeats: int) -> FilterChange:
    """Type a minimum troop figure in the sidebar and press Enter, alternating two values; each
    time wait for the run it starts to finish and the page to settle."""
    result = FilterChange(name)
    with fresh_page(browser) as (page, traffic):
        page.goto(base_url + path)
        settle(page, traffic)
        result.charts = traffic.charts_sent
        box = page.locator("[data-testid='stSidebar'] input[aria-label='Minimum troops']")
        for attempt in range(repeats):
            box.fill("1000" if attempt % 2 == 0 else "0")
            received, geometry, runs = traffic.received, traffic.geometry_requests, traffic.runs_finished
            box.press("Enter")
            probe = settle(page, traffic, runs=runs + 1)
            trigger = probe["trigger"]
            result.settled_ms.append(probe["last"] - trigger)
            if probe["main"] > trigger:
                result.main_ms.append(probe["main"] - trigger)
            if result.charts and probe["chart"] > trigger:
                result.redraw_ms.append(probe["chart"] - trigger)
            result.kilobytes.append((traffic.received - received) / 1000)
            result.geometry_requests += traffic.geometry_requests - geometry
    return result
