"""Every page at 390 and 1400 px in Chromium, read as a phone and a desktop reader would: no text in
the main panel under 11 px, no chart label cut, the condition matrix's stances and conditions as text
on a phone (a chip opens its statement), and every legend entry a colour its chart draws."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Server, fresh_page
from tests.browser.test_layout import _CUT, _OUTSIDE, LINKS, WIDTHS, opened

pytestmark = pytest.mark.browser

#: Visible texts of the main panel (HTML and chart SVG) drawn under 11 px, with their size.
_SMALL_TEXT = """
() => {
  const main = document.querySelector("[data-testid='stMain']");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const small = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === "hidden" || style.opacity === "0") continue;
    const size = parseFloat(style.fontSize);
    if (size < 11) small.push(`${node.textContent.trim().slice(0, 40)} (${size}px)`);
  }
  return small;
}
"""
#: Chart texts cut short by Vega (its limit ends them with an ellipsis): marks too, not only axes.
_CUT_MARKS = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg .role-mark text")]
  .filter((text) => text.getBoundingClientRect().width > 0)
  .map((text) => text.textContent.trim())
  .filter((label) => label.length > 1 && label.endsWith("…"))  // a lone "…" is a symbol (sequencing only)
"""
#: For each visible chart, its legends' swatch colours that none of its marks is drawn in.
_LEGEND_COLOURS_NOT_DRAWN = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
  .filter((chart) => chart.offsetParent !== null)
  .flatMap((chart) => {
    const colour = (element, property) => getComputedStyle(element)[property];
    const drawn = new Set();
    const marks = "svg .role-mark path, svg .role-mark line, svg .role-mark text";
    for (const mark of chart.querySelectorAll(marks)) {
      if (mark.closest(".role-legend, .role-axis")) continue;
      drawn.add(colour(mark, "fill"));
      drawn.add(colour(mark, "stroke"));
    }
    const swatches = [...chart.querySelectorAll("svg .role-legend-symbol path")];
    return swatches.map((swatch) => colour(swatch, "fill"))
      .filter((fill) => fill !== "none" && !drawn.has(fill));
  })
"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(LINKS))
def test_the_page_reads_at_this_width(browser: Browser, server: Server, name, width):
    with fresh_page(browser, server, viewport=WIDTHS[width]) as page:
        opened(page, name)
        assert page.evaluate(_SMALL_TEXT) == [], f"text under 11 px on {name} ({width})"
        cut = page.evaluate(_CUT) + page.evaluate(_CUT_MARKS) + page.evaluate(_OUTSIDE)
        assert cut == [], f"chart labels cut on {name} ({width})"
        assert page.evaluate(_LEGEND_COLOURS_NOT_DRAWN) == [], f"a legend names a colour not drawn on {name}"


def test_the_matrix_on_a_phone_is_a_block_per_country_whose_chips_open_their_statement(browser, server):
    with fresh_page(browser, server, viewport=WIDTHS["phone"]) as page:
        opened(page, "conditions")
        expect(page.locator(".st-key-wide-matrix")).to_be_hidden()
        blocks = page.locator(".st-key-narrow-matrix .isf-chips section")
        expect(blocks.first).to_be_visible()
        assert blocks.count() == 9  # the fixture's countries
        indonesia = blocks.filter(has=page.get_by_role("heading", name="Indonesia"))
        stance = indonesia.locator("details.stance summary")
        expect(stance).to_have_text("Ruled out explicitly")  # in full, never a symbol
        conditions = indonesia.locator(".isf-row", has_text="Conditions").locator("details.condition summary")
        expect(conditions.first).to_be_visible()
        assert min(float(s) for s in conditions.evaluate_all(
            "(chips) => chips.map((chip) => parseFloat(getComputedStyle(chip).fontSize))"
        )) >= 11  # fmt: skip
        said = indonesia.locator("details.stance .isf-said")
        expect(said).to_be_hidden()
        stance.click()
        expect(said).to_be_visible()
        expect(said.get_by_role("link")).to_have_attribute("href", re.compile(r"^https?://"))


def test_the_matrix_on_a_desktop_is_the_chart(browser, server):
    with fresh_page(browser, server, viewport=WIDTHS["desktop"]) as page:
        opened(page, "conditions")
        expect(page.locator(".st-key-wide-matrix [data-testid='stVegaLiteChart']")).to_be_visible()
        expect(page.locator(".st-key-narrow-matrix")).to_be_hidden()
