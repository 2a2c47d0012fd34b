"""What a reader's browser sees: cold loads, filter changes and the bytes they cost.

Measured in Debian's Chromium through Playwright against a real `streamlit run`.
A script injected before the app loads keeps the time of the last change to the
page and to any chart (a MutationObserver), and the time of the last click or
Enter key, all on the page's own clock (performance.now(), zero at navigation).
So a figure is what happened in the page, not Playwright's polling.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, WebSocket, sync_playwright

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

QUIET_MS = 600  # no change to the page for this long: the rerun and its drawing are over
TIMEOUT_S = 60
GEOMETRY = "/assets/world-countries-50m.json"

#: Each page as a reader opens it; the country page with a country chosen.
PAGES = {
    "overview": "/",
    "map": "/map",
    "charts": "/charts",
    "conditions": "/conditions",
    "country": "/country?country=PAK",
    "sources": "/sources",
    "changes": "/changes",
}
#: How many charts each page draws when opened as in PAGES: a page is ready only when all are
#: drawn (an empty list of charts must not count as "every chart drawn").
CHARTS = {"map": 1, "charts": 3, "conditions": 2, "country": 1}
CHART_PAGES = tuple(CHARTS)

_PROBE = """
(() => {
  const probe = {last: 0, chart: 0, trigger: null};
  window.__isfProbe = probe;
  const CHART = "[data-testid='stVegaLiteChart']";
  const inChart = (node) => {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(element && (element.closest(CHART) || element.querySelector?.(CHART)));
  };
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    probe.last = now;
    if (records.some((r) => inChart(r.target) || [...r.addedNodes].some(inChart))) probe.chart = now;
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const mark = () => { probe.trigger = performance.now(); };
  document.addEventListener("click", mark, true);
  document.addEventListener("keydown", (e) => { if (e.key === "Enter") mark(); }, true);
})();
"""

_READY = """
(expected) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== "CONNECTED") return false;
  if (app.dataset.testScriptState !== "notRunning") return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .filter((chart) => chart.offsetParent !== null);
  return charts.length >= expected && charts.every((chart) => chart.querySelector("svg path, canvas"));
}
"""


@dataclass
class PageLoad:
    page: str
    cold_load_ms: float
    charts: int


@dataclass
class FilterChange:
    """One page's filter changes: time until the charts were redrawn and bytes received."""

    page: str
    redraw_ms: list[float] = field(default_factory=list)
    settled_ms: list[float] = field(default_factory=list)
    kilobytes: list[float] = field(default_factory=list)
    geometry_requests: int = 0

    @property
    def redraw_median_ms(self) -> float | None:
        return statistics.median(self.redraw_ms) if self.redraw_ms else None

    @property
    def settled_median_ms(self) -> float:
        return statistics.median(self.settled_ms)

    @property
    def kilobytes_max(self) -> float:
        return max(self.kilobytes)


class Traffic:
    """Bytes the server sends over the websocket, and requests for the map geometry."""

    def __init__(self, page: Page) -> None:
        self.received = 0
        self.geometry_requests = 0
        page.on("websocket", self._socket)
        page.on("request", lambda request: self._request(request.url))

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self._add(payload))

    def _add(self, payload: str | bytes) -> None:
        self.received += len(payload.encode() if isinstance(payload, str) else payload)

    def _request(self, url: str) -> None:
        if url.endswith(GEOMETRY):
            self.geometry_requests += 1


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


def _settle(page: Page, charts: int) -> dict:
    """Wait until the app is idle with its `charts` charts drawn and the page has been quiet a while."""
    page.wait_for_function(_READY, arg=charts, timeout=TIMEOUT_S * 1000, polling=50)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        probe = page.evaluate("() => ({...window.__isfProbe, now: performance.now()})")
        ready = page.evaluate(_READY, charts)
        if ready and probe["now"] - probe["last"] >= QUIET_MS:
            return probe
        page.wait_for_timeout(100)
    raise TimeoutError(f"{page.url} never settled")


def cold_load(browser: Browser, base_url: str, name: str, path: str) -> PageLoad:
    """A new browser context (empty cache, new session) opening `path`, until charts are drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(_PROBE)
        page = context.new_page()
        page.goto(base_url + path)
        probe = _settle(page, CHARTS.get(name, 0))
        charts = page.locator("[data-testid='stVegaLiteChart']").count()
        return PageLoad(name, probe["last"], charts)
    finally:
        context.close()


def filter_changes(browser: Browser, base_url: str, name: str, path: str, repeats: int) -> FilterChange:
    """Type a minimum troop figure in the sidebar and press Enter, alternating two values."""
    context = browser.new_context(viewport=VIEWPORT)
    result = FilterChange(name)
    try:
        context.add_init_script(_PROBE)
        page = context.new_page()
        traffic = Traffic(page)
        page.goto(base_url + path)
        _settle(page, CHARTS.get(name, 0))
        drawn = min(CHARTS.get(name, 0), 1)  # a filter may leave fewer charts, never none on these pages
        box = page.locator("[data-testid='stSidebar'] input[aria-label='Minimum troops']")
        for attempt in range(repeats):
            box.fill("1000" if attempt % 2 == 0 else "0")
            received, geometry = traffic.received, traffic.geometry_requests
            box.press("Enter")
            probe = _settle(page, drawn)
            result.settled_ms.append(probe["last"] - probe["trigger"])
            if name in CHART_PAGES and probe["chart"] > probe["trigger"]:
                result.redraw_ms.append(probe["chart"] - probe["trigger"])
            result.kilobytes.append((traffic.received - received) / 1000)
            result.geometry_requests += traffic.geometry_requests - geometry
        return result
    finally:
        context.close()


def measure(base_url: str, repeats: int = 6) -> tuple[list[PageLoad], list[FilterChange]]:
    """Cold loads of every page, then `repeats` filter changes on each."""
    with chromium() as browser:
        cold_load(browser, base_url, "warm-up", "/")  # the server's first run compiles caches
        loads = [cold_load(browser, base_url, name, path) for name, path in PAGES.items()]
        changes = [filter_changes(browser, base_url, name, path, repeats) for name, path in PAGES.items()]
    return loads, changes
