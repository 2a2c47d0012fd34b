"""The dashboard in a real browser: shared links, filters in the address bar, navigation,
the map, bad links, inert data and the "Link to this view" block.

Run: .venv/bin/python -m pytest -q tests/browser -x   (ISF_SCREENSHOTS=1 also saves screenshots)
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from isf_tracker import clock
from tests.browser.conftest import (
    VIEWPORT,
    Server,
    copy_data,
    open_view,
    start_server,
    stop_server,
    wait_for_app,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"

SHARED = "country=PAK&country=IDN&status=conditional&as_of=2025-12-31"
SHARED_QUERY = {"country": ["PAK", "IDN"], "status": ["conditional"], "as_of": ["2025-12-31"]}
HEADINGS = {
    "/": "Troops for the Gaza force",
    "/map": "Map of positions",
    "/charts": "Charts",
    "/conditions": "Condition matrix",
    "/country": "Country profile",
    "/sources": "Sources",
}
NAV_LABELS = ["Overview", "Map", "Charts", "Condition matrix", "Country profile", "Statements", "Sources"]
#: Page-only options in a shared link: (radio group label, selected option label).
PAGE_OPTIONS = {
    "/map": ("color=status", {"color": ["status"]}, ("Colour by", "Status")),
    "/conditions": ("sort=conditions", {"sort": ["conditions"]}, ("Sort by", "Number of conditions")),
}
NOTICE = "Ignored in the link, not valid here"


# --- helpers ---------------------------------------------------------------------------


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def heading(page: Page) -> Locator:
    return main(page).locator("h1")


def chips(page: Page, label: str) -> Locator:
    """The selected values ("chips") of the sidebar multiselect labelled `label`."""
    box = page.get_by_role("combobox", name=label, exact=True)
    return sidebar(page).get_by_test_id("stMultiSelect").filter(has=box).locator("[data-tag]")


def as_of_input(page: Page) -> Locator:
    """The ISO value behind the segmented "As of" date field."""
    return sidebar(page).get_by_test_id("stDateInput").locator("input[type='date']")


def min_troops_input(page: Page) -> Locator:
    return sidebar(page).locator("input[aria-label='Minimum troops']")


def nav_link(page: Page, label: str) -> Locator:
    return sidebar(page).get_by_test_id("stPageLink-NavLink").filter(has=page.get_by_text(label, exact=True))


def nav_labels(page: Page) -> list[str]:
    """The sidebar navigation's page names, without the icons' ligature text."""
    links = sidebar(page).get_by_test_id("stPageLink-NavLink")
    expect(links.first).to_be_visible()
    return links.evaluate_all(
        """links => links.map(link => {
            const copy = link.cloneNode(true);
            copy.querySelectorAll("[data-testid='stIconMaterial']").forEach(icon => icon.remove());
            return copy.textContent.trim();
        })"""
    )


def link_block(page: Page) -> Locator:
    """The sidebar's "Link to this view": its href is the view's address."""
    return sidebar(page).locator(".st-key-view-link a[href]")


def page_option(page: Page, group: str, option: str) -> Locator:
    return main(page).get_by_role("radiogroup", name=group).get_by_role("radio", name=option, exact=True)


def split_url(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


_SAME_URL = """
([path, query]) => {
  const here = new URL(window.location.href);
  if (here.pathname !== path) return false;
  const seen = {};
  for (const [key, value] of here.searchParams) (seen[key] = seen[key] || []).push(value);
  return JSON.stringify(Object.keys(seen).sort().map((k) => [k, seen[k]]))
    === JSON.stringify(Object.keys(query).sort().map((k) => [k, query[k]]));
}
"""


def wait_for_query(page: Page, path: str, query: dict[str, list[str]]) -> None:
    """The address bar ends up showing exactly `path` and `query` (any parameter order)."""
    try:
        page.wait_for_function(_SAME_URL, arg=[path, query], polling=50)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{page.url} is not {path} with {query}") from None
    assert split_url(page.url) == (path, query), page.url


def has_param(key: str, value: str | None = None) -> re.Pattern[str]:
    """A URL regex: parameter `key` (with `value`, if given) is in the query string."""
    tail = re.escape(value) if value is not None else "[^&]*"
    return re.compile(rf"[?&]{re.escape(key)}={tail}(&|$)")


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the sidebar multiselect `label`, then close its list."""
    sidebar(page).get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def type_min_troops(page: Page, value: str) -> None:
    field = min_troops_input(page)
    field.fill(value)
    field.press("Enter")


def shared_view(path: str) -> tuple[str, dict[str, list[str]]]:
    """The shared link used for `path`, and the query the app must keep."""
    if path == "/country":
        return "country=PAK&as_of=2025-12-31", {"country": ["PAK"], "as_of": ["2025-12-31"]}
    if path in PAGE_OPTIONS:
        extra, extra_query, _ = PAGE_OPTIONS[path]
        return f"{SHARED}&{extra}", {**SHARED_QUERY, **extra_query}
    return SHARED, dict(SHARED_QUERY)


def expect_shared_widgets(page: Page, countries: list[str], status: list[str], as_of: str) -> None:
    expect(chips(page, "Countries")).to_have_text(countries)
    expect(chips(page, "Status")).to_have_text(status)
    expect(as_of_input(page)).to_have_value(as_of)


# --- 1. a shared link sets the filters on every page ---------------------------------


@pytest.mark.parametrize("path", list(HEADINGS), ids=lambda p: p.strip("/") or "overview")
def test_a_shared_link_sets_the_sidebar_on_every_page(page: Page, path: str):
    query, expected = shared_view(path)
    open_view(page, f"{path}?{query}")

    expect(heading(page)).to_have_text(HEADINGS[path])
    no_exception(page)
    if path == "/country":
        expect_shared_widgets(page, ["Pakistan"], [], "2025-12-31")
        expect(main(page).locator("h2").first).to_have_text("Pakistan")
    else:
        expect_shared_widgets(page, ["Pakistan", "Indonesia"], ["Conditional offer"], "2025-12-31")
    if path in PAGE_OPTIONS:
        group, option = PAGE_OPTIONS[path][2]
        expect(page_option(page, group, option)).to_have_attribute("aria-checked", "true")
    wait_for_query(page, path, expected)


# --- 2. the widgets write the address bar; defaults stay out of it ----------------------


def test_changing_a_filter_writes_it_to_the_url_and_clearing_removes_it(page: Page):
    open_view(page, "/")
    wait_for_query(page, "/", {})

    pick(page, "Status", "Committed")
    expect(page).to_have_url(has_param("status", "committed"))
    expect(chips(page, "Status")).to_have_text(["Committed"])
    wait_for_app(page)
    sidebar(page).get_by_role("button", name="Remove Committed").click()
    expect(page).not_to_have_url(has_param("status"))
    wait_for_app(page)

    type_min_troops(page, "2000")
    expect(page).to_have_url(has_param("min_troops", "2000"))
    wait_for_app(page)
    type_min_troops(page, "0")
    expect(page).not_to_have_url(has_param("min_troops"))
    wait_for_app(page)

    sidebar(page).get_by_text("On record only", exact=True).click()
    expect(page).to_have_url(has_param("reliability", "on_record"))
    wait_for_app(page)
    sidebar(page).get_by_text("Reported and unconfirmed too", exact=True).click()
    expect(page).not_to_have_url(has_param("reliability"))
    wait_for_app(page)
    wait_for_query(page, "/", {})


def test_clear_filters_empties_the_url(page: Page):
    open_view(page, f"/sources?{SHARED}&min_troops=1000&reliability=on_record")
    wait_for_query(page, "/sources", {**SHARED_QUERY, "min_troops": ["1000"], "reliability": ["on_record"]})
    sidebar(page).get_by_role("button", name="Clear filters").click()
    wait_for_query(page, "/sources", {})
    wait_for_app(page)
    expect(chips(page, "Countries")).to_have_count(0)
    expect(min_troops_input(page)).to_have_value("0")
    expect(as_of_input(page)).to_have_value("")


def test_the_as_of_day_opens_from_its_expander(page: Page):
    open_view(page, "/map")
    wait_for_app(page)
    expect(sidebar(page).get_by_test_id("stDateInput")).to_have_count(0)  # its code not loaded yet
    sidebar(page).get_by_text("An earlier date", exact=True).click()
    expect(as_of_input(page)).to_have_value("")
    wait_for_app(page)
    no_exception(page)


def test_defaults_in_a_link_are_left_out_of_the_url(page: Page):
    open_view(page, "/?min_troops=0&reliability=all")
    wait_for_query(page, "/", {})
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    no_exception(page)


# --- 3. the sidebar navigation keeps the filters, not the page options --------------------


def test_navigation_keeps_the_shared_filters_and_drops_page_options(page: Page):
    open_view(page, f"/map?{SHARED}&color=status")
    wait_for_query(page, "/map", {**SHARED_QUERY, "color": ["status"]})

    for label, path in (("Charts", "/charts"), ("Condition matrix", "/conditions"), ("Overview", "/")):
        nav_link(page, label).click()
        expect(page).to_have_url(re.compile(rf"^[^?]*{re.escape(path)}(\?|$)"))
        wait_for_app(page)
        wait_for_query(page, path, SHARED_QUERY)
        expect(heading(page)).to_have_text(HEADINGS[path])
        expect_shared_widgets(page, ["Pakistan", "Indonesia"], ["Conditional offer"], "2025-12-31")


# --- 4. the same link gives the same view in another browser ------------------------------


def snapshot(page: Page) -> dict[str, object]:
    """What the reader sees of the view, once the widgets show the link's values."""
    expect_shared_widgets(page, ["Pakistan", "Indonesia"], ["Conditional offer"], "2025-12-31")
    expect(page_option(page, "Sort by", "Number of conditions")).to_have_attribute("aria-checked", "true")
    expect(link_block(page)).to_be_visible()  # drawn last in a run
    return {
        "heading": heading(page).inner_text(),
        "captions": main(page).get_by_test_id("stCaptionContainer").all_inner_texts(),
        "subheadings": main(page).locator("h3").all_inner_texts(),
        "link": link_block(page).get_attribute("href"),
        "query": split_url(page.url),
    }


def test_the_same_link_reproduces_the_view_in_a_fresh_browser(page: Page, browser: Browser, server: Server):
    link = f"/conditions?{SHARED}&sort=conditions"
    open_view(page, link)
    first = snapshot(page)
    assert first["heading"] == HEADINGS["/conditions"]
    assert first["query"] == ("/conditions", {**SHARED_QUERY, "sort": ["conditions"]})

    other = browser.new_context(base_url=server.url, viewport=VIEWPORT)
    try:
        second_page = other.new_page()
        open_view(second_page, link)
        assert snapshot(second_page) == first
    finally:
        other.close()


# --- 5. the map is really drawn, and its geometry is fetched once ---------------------------


class GeometryLog:
    """Requests for the map geometry, and whether each came over the network or from cache."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.downloads: list[tuple[str, int]] = []  # (url, status) not served from the browser cache
        page.on("request", self._on_request)
        self._cdp = page.context.new_cdp_session(page)  # Chromium only: cache flags of responses
        self._cdp.on("Network.responseReceived", self._on_response)
        self._cdp.send("Network.enable")

    @staticmethod
    def is_geometry(url: str) -> bool:
        return "/geo/" in url or ("/assets/" in url and ".json" in url)

    def _on_request(self, request: Request) -> None:
        if self.is_geometry(request.url):
            self.requests.append(request.url)

    def _on_response(self, event: dict) -> None:
        response = event["response"]
        cached = response.get("fromDiskCache") or response.get("fromMemoryCache")
        if self.is_geometry(response["url"]) and not cached:
            self.downloads.append((response["url"], response["status"]))


def test_the_map_draws_countries_and_fetches_the_geometry_once(page: Page):
    log = GeometryLog(page)
    open_view(page, "/map?as_of=2026-03-31")
    no_exception(page)
    chart = main(page).get_by_test_id("stVegaLiteChart").first
    shapes = chart.locator("svg path")
    expect(shapes.nth(100)).to_be_attached()  # the countries the regional view shows
    fills = set(shapes.evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
    fills -= {None, "none", "transparent"}
    assert len(fills) >= 3, f"expected the no-data grey and colours for several stances, got {fills}"
    assert len(log.requests) == 1, log.requests
    assert [status for _, status in log.downloads] == [200], log.downloads

    # Filters change the joined rows only: the browser must not ask for the geometry again.
    pick(page, "Status", "Considering")  # as of 2026-03-31: Pakistan and Turkey
    expect(page).to_have_url(has_param("status", "considering"))
    wait_for_app(page)
    type_min_troops(page, "100")  # Pakistan (3,500)
    expect(page).to_have_url(has_param("min_troops", "100"))
    wait_for_app(page)
    expect(shapes.nth(100)).to_be_attached()
    # The legend names only the colours drawn (issue 20), so a filter that changes which stances
    # are shown gives a new spec and Vega asks again; the browser's cache answers, never the network.
    assert [status for _, status in log.downloads] == [200], f"geometry downloaded again: {log.downloads}"

    # A new colouring rebuilds the chart; Vega may ask again, but nothing is downloaded again.
    page_option(page, "Colour by", "Status").click()
    expect(page).to_have_url(has_param("color", "status"))
    wait_for_app(page)
    expect(shapes.nth(100)).to_be_attached()
    no_exception(page)
    assert len(log.downloads) == 1, f"geometry downloaded again: {log.downloads}"


# --- 6. bad links: a notice, never a traceback ------------------------------------------


def test_a_reader_s_browser_asks_nothing_of_any_other_host(page: Page, server: Server):
    """Readers may be somewhere a request to a third party is unwelcome: fonts, icons and map
    geometry all come from this server."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    for path in ("/", "/map", "/charts"):
        open_view(page, path)
    no_exception(page)
    assert hosts == {urlsplit(server.url).netloc}


@pytest.mark.parametrize(
    ("path", "query", "named", "kept"),
    [
        (
            "/",
            "country=ZZZ&min_troops=abc&as_of=2025-13-45",
            ["country=ZZZ", "min_troops=abc", "as_of=2025-13-45"],
            {},
        ),
        (
            "/conditions",
            "sort=bogus&country=PAK&as_of=2999-01-01",
            ["sort=bogus", "as_of=2999-01-01"],
            {"country": ["PAK"]},
        ),
    ],
    ids=["overview", "conditions"],
)
def test_bad_values_in_a_link_are_named_and_dropped(
    page: Page, path: str, query: str, named: list[str], kept: dict[str, list[str]]
):
    open_view(page, f"{path}?{query}")
    expect(heading(page)).to_have_text(HEADINGS[path])
    notice = main(page).get_by_test_id("stAlert").filter(has_text=NOTICE)
    expect(notice.first).to_be_visible()
    for text in named:
        expect(main(page).get_by_test_id("stAlert").filter(has_text=text)).to_have_count(1)
    no_exception(page)
    wait_for_query(page, path, kept)


# --- 8. "Link to this view" and "Share and export" ------------------------------------------


def test_the_link_block_holds_the_current_url(page: Page, server: Server):
    open_view(page, f"/conditions?{SHARED}&sort=conditions")
    block = link_block(page)
    expect(block).to_have_attribute("href", re.compile(r"/conditions\?"))
    link = block.get_attribute("href")
    assert urlsplit(link).netloc == urlsplit(server.url).netloc
    assert split_url(link) == split_url(page.url) == ("/conditions", {**SHARED_QUERY, "sort": ["conditions"]})

    type_min_troops(page, "1000")
    expect(page).to_have_url(has_param("min_troops", "1000"))
    expect(block).to_have_attribute("href", re.compile("min_troops=1000"))
    wait_for_app(page)
    assert split_url(block.get_attribute("href")) == split_url(page.url)


# --- 7. text from the data stays text (changes the server's data copy: keep near the end) ---

SCRIPT_QUOTE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
MARKDOWN_SPEAKER = "**bold** [link](javascript:alert(1))"


def append_hostile_row(positions: Path) -> None:
    """A valid Pakistan statement, dated yesterday, whose quote and speaker are hostile."""
    with positions.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if any(row["statement_id"] == "X900" for row in rows):
        return
    template = [row for row in rows if row["iso3"] == "PAK"][-1]
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    row = {
        **template,
        "statement_id": "X900",
        "date": yesterday,
        "date_precision": "day",
        "speaker": MARKDOWN_SPEAKER,
        "quote": SCRIPT_QUOTE,
        "notes": "browser test: injection",
        "supersedes": "",
    }
    with positions.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(row)
    # A quote not in English needs its English beside it; this one is as hostile as the quote.
    with (positions.parent / "translations.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            ["X900", "quote", "xx", SCRIPT_QUOTE, "project", "", ""]
        )


def scroll_grid_to(page: Page, grid: Locator, text: str) -> Locator:
    """The cell of `grid` showing `text`, scrolling the grid right until it is drawn.

    st.dataframe paints on a canvas; its accessible <table> holds only the columns in view,
    and is redrawn a moment after the scrolling stops.
    """
    cell = grid.locator("td").filter(has_text=text).first
    grid.scroll_into_view_if_needed()
    for _ in range(20):
        try:
            cell.wait_for(state="attached", timeout=500)
            break
        except PlaywrightTimeoutError:
            grid.hover()
            page.mouse.wheel(200, 0)
    return cell


def expect_nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    expect(page.locator("img[src='x']")).to_have_count(0)
    expect(page.locator("[onerror]")).to_have_count(0)
    expect(page.locator("a[href^='javascript:']")).to_have_count(0)
    expect(page.locator("strong", has_text=re.compile("^bold$"))).to_have_count(0)
    expect(page.get_by_text("The data files have")).to_have_count(0)  # the row was accepted
    no_exception(page)
    assert dialogs == []


def expect_inert_in_a_grid(page: Page, dialogs: list[str]) -> None:
    """The hostile row is shown in a table, as text, and nothing in it ran or was rendered."""
    grid = main(page).get_by_test_id("stDataFrame").last  # the statements, newest (the hostile row) first
    expect(grid).to_be_visible()
    expect(scroll_grid_to(page, grid, SCRIPT_QUOTE)).to_be_attached()
    expect(scroll_grid_to(page, grid, MARKDOWN_SPEAKER)).to_be_attached()
    expect_nothing_ran(page, dialogs)


def expect_inert_in_a_card(page: Page, dialogs: list[str]) -> None:
    """The hostile row is the latest statement: its card shows the words as written."""
    cards = main(page).get_by_test_id("stLayoutWrapper")
    card = cards.filter(has=page.get_by_text(MARKDOWN_SPEAKER, exact=False)).first
    expect(card).to_contain_text(MARKDOWN_SPEAKER)
    expect(card).to_contain_text(SCRIPT_QUOTE)
    expect_nothing_ran(page, dialogs)


def test_text_from_the_data_is_never_run_or_rendered(page: Page, server: Server):
    append_hostile_row(server.positions)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    open_view(page, "/")
    expect_inert_in_a_card(page, dialogs)

    open_view(page, "/statements")
    expect_inert_in_a_card(page, dialogs)
    main(page).get_by_text("Every statement as a table").click()  # built when opened
    wait_for_app(page)
    expect_inert_in_a_grid(page, dialogs)

    open_view(page, "/country?country=PAK")
    expect(heading(page)).to_have_text(HEADINGS["/country"])
    expect_inert_in_a_card(page, dialogs)  # the profile's newest statement


# --- a fresh server, first visited on a deep link ----------------------------------------------


def test_a_fresh_server_serves_a_deep_link_first(browser: Browser, tmp_path: Path):
    """Nobody has opened / yet: the first visit to /sources must still get the real app."""
    data_dir = copy_data(tmp_path / "data").parent
    fresh = start_server(data_dir)
    context = browser.new_context(base_url=fresh.url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        open_view(page, f"/sources?{SHARED}")
        expect(heading(page)).to_have_text(HEADINGS["/sources"])
        labels = nav_labels(page)
        assert labels[: len(NAV_LABELS)] == NAV_LABELS, (
            f"pages-folder navigation instead of the app's: {labels}"
        )
        expect_shared_widgets(page, ["Pakistan", "Indonesia"], ["Conditional offer"], "2025-12-31")
        expect(link_block(page)).to_have_attribute("href", re.compile(r"/sources\?"))
        wait_for_query(page, "/sources", SHARED_QUERY)
    finally:
        context.close()
        stop_server(fresh)


def test_the_server_answers_only_what_readers_need(server: Server):
    import urllib.error
    import urllib.request

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(server.url + path, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status("/_stcore/health") == 200
    assert status("/assets/favicon.png") == 200
    closed = ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/component/x")
    assert [status(path) for path in closed] == [404] * len(closed)
