"""Every page at a desktop and a phone width, in Chromium: nothing scrolls sideways, every visible
chart has drawn its marks, no chart text falls outside its chart or is cut short, and the landing
page's answer is on the first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Server, fresh_page, wait_for_app

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
LINKS = {
    "overview": "/",
    "map": "/map",
    "charts": "/charts",
    "conditions": "/conditions",
    "country": "/country",
    "country-PAK": "/country?country=PAK",
    "statements": "/statements",
    "sources": "/sources",
    "changes": "/changes?from=2025-10-01",
    "add": "/add",
}
#: Charts each page draws when opened from its link (none on the others); on a phone the condition
#: matrix gives way to a block per country.
CHARTS = {"overview": 1, "map": 1, "charts": 2, "conditions": 1, "country-PAK": 1}
PHONE_CHARTS = {**CHARTS, "conditions": 0}

#: Every visible chart of the page has marks drawn (a chart's SVG holds paths or texts).
_DRAWN = """
(expected) => {
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .filter((chart) => chart.offsetParent !== null);
  return charts.length === expected
    && charts.every((chart) => chart.querySelector("svg .mark-rect path, svg .mark-symbol path, "
      + "svg .mark-rule line, svg .mark-shape path, svg .mark-text text, svg .mark-arc path"));
}
"""
_SIDEWAYS = """
() => {
  const main = document.querySelector("[data-testid='stMain']");
  return {
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    main: main ? main.scrollWidth - main.clientWidth : 0,
  };
}
"""
#: Texts of each chart that stick out of the chart's own box (axis labels, legends, marks).
_OUTSIDE = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
  .filter((chart) => chart.offsetParent !== null)
  .flatMap((chart) => {
    const box = chart.getBoundingClientRect();
    return [...chart.querySelectorAll("svg text")]
      .filter((text) => text.textContent.trim() && text.getAttribute("opacity") !== "0")
      .map((text) => [text.textContent.trim(), text.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1))
      .map(([label, r]) => `${label} [${Math.round(r.left)}–${Math.round(r.right)} of ` +
        `${Math.round(box.left)}–${Math.round(box.right)}]`);
  })
"""
#: Axis and legend labels Vega cut short to fit (it ends them with an ellipsis).
_CUT = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
  .filter((chart) => chart.offsetParent !== null)
  .flatMap((chart) => [...chart.querySelectorAll(
      "svg .role-axis-label text, svg .role-legend-label text, svg .role-legend-title text, "
      + "svg .role-axis-title text")])
  .map((text) => text.textContent.trim())
  .filter((label) => label.endsWith("…"))
"""


def opened(page: Page, name: str) -> Page:
    page.goto(LINKS[name])
    wait_for_app(page)
    phone = page.viewport_size is not None and page.viewport_size["width"] < 700
    page.wait_for_function(_DRAWN, arg=(PHONE_CHARTS if phone else CHARTS).get(name, 0), polling=100)
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(LINKS))
def test_the_page_fits_the_screen_and_its_charts_are_whole(browser: Browser, server: Server, name, width):
    with fresh_page(browser, server, viewport=WIDTHS[width]) as page:
        opened(page, name)
        sideways = page.evaluate(_SIDEWAYS)
        assert sideways == {"page": 0, "main": 0}, f"{name} scrolls sideways at {width} width: {sideways}"
        assert page.evaluate(_OUTSIDE) == [], f"chart text outside its chart on {name} ({width})"
        assert page.evaluate(_CUT) == [], f"labels cut short on {name} ({width})"
        expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_answer_is_on_the_first_screen(browser: Browser, server: Server, width):
    with fresh_page(browser, server, viewport=WIDTHS[width]) as page:
        opened(page, "overview")
        answer = page.get_by_test_id("stMain").locator("strong").filter(has_text="disarming Hamas").first
        expect(answer).to_be_visible()
        expect(answer).to_be_in_viewport()
        box = answer.bounding_box()
        assert box is not None and box["y"] + box["height"] <= WIDTHS[width]["height"], box
