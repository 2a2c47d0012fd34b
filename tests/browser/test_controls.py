"""Lists and tables as a reader scrolls them, in Chromium at a desktop and a phone width: the
sources in date order, newest first, in the dashboard and its snapshot; the positions table's
first number whole on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Server, fresh_page, wait_for_app

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
#: Each card's (or snapshot card's) first bold words, with where it is drawn: what a reader meets
#: in order when scrolling down (top, then left, so a grid read column by column would show).
_CARD_DATES = """
(selector) => [...document.querySelectorAll(selector)]
  .filter((bold) => bold.offsetParent !== null)
  .map((bold) => { const r = bold.getBoundingClientRect();
                   return [Math.round(r.top + scrollY), Math.round(r.left), bold.textContent.trim()]; })
"""
DASHBOARD_CARDS = "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p > strong:first-child"


def dates_as_read(page, selector: str) -> list[dt.date]:
    found = page.evaluate(_CARD_DATES, selector)
    days = []
    for _top, _left, text in sorted(found):
        if re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", text):
            days.append(dt.datetime.strptime(text, "%d %b %Y").date())
    return days


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_sources_read_newest_first_as_a_reader_scrolls(browser: Browser, server: Server, width: str):
    with fresh_page(browser, server, WIDTHS[width]) as page:
        page.goto("/sources")
        wait_for_app(page)
        expect(page.locator(DASHBOARD_CARDS).first).to_be_visible()
        days = dates_as_read(page, DASHBOARD_CARDS)
        assert len(days) >= 10 and days == sorted(days, reverse=True), days
        page.goto("/s/sources")
        snapshot = dates_as_read(page, "li.card > p:first-child > strong")
        assert snapshot == days  # the snapshot lists the same sources in the same order


#: The positions table's grid: which columns it draws in view (its accessible table lists only
#: those) and, for each drawn cell of a column, whether the text up to the end of its first number
#: fits the column, measured with the grid's font.
_FIRST_NUMBER_FITS = """
([column, width]) => {
  const grid = document.querySelector("[data-testid='stDataFrame']");
  const heads = [...grid.querySelectorAll("th")].map((th) => th.textContent.trim());
  const at = heads.indexOf(column);
  if (at < 0) return {heads, cells: []};
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = `14px ${getComputedStyle(grid).fontFamily}`;
  const cells = [...grid.querySelectorAll("tbody tr")].map((row) => row.children[at]?.textContent || "")
    .filter((text) => /[0-9]/.test(text))
    .map((text) => { const lead = text.match(/^[^0-9]*[0-9][0-9,.–-]*/)[0];
                     return [lead, measure.measureText(lead).width <= width - 16]; });
  return {heads, cells};
}
"""


def test_the_positions_tables_first_number_is_whole_on_a_phone(browser: Browser, server: Server):
    with fresh_page(browser, server, WIDTHS["phone"]) as page:
        page.goto("/")
        wait_for_app(page)
        page.get_by_text("Every country's position as a table").click()
        expect(page.locator("[data-testid='stDataFrame'] tbody tr").first).to_be_attached()
        expect(page.get_by_text("scroll the table sideways")).to_be_visible()  # more columns to the right
        drawn = page.evaluate(_FIRST_NUMBER_FITS, ["Troops", 170])
        assert drawn["heads"][:2] == ["Country", "Troops"], drawn["heads"]  # in view at 390 px
        assert drawn["cells"] and all(fits for _lead, fits in drawn["cells"]), drawn["cells"]


def test_add_a_statement_is_out_of_the_readers_navigation_and_linked_from_every_footer(
    browser: Browser, server: Server
):
    with fresh_page(browser, server, WIDTHS["desktop"]) as page:
        page.goto("/sources")
        wait_for_app(page)
        nav = page.get_by_test_id("stSidebar")
        expect(nav.get_by_role("link", name="Sources")).to_be_visible()
        expect(nav.get_by_role("link", name="Add a statement")).to_have_count(0)
        page.get_by_role("link", name="For editors: add a statement").click()
        expect(page).to_have_url(re.compile(r"/add$"))
        expect(page.get_by_role("heading", name="Add a statement", level=1)).to_be_visible()
        page.goto("/add")  # its address opens it in a new session too
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Add a statement", level=1)).to_be_visible()
