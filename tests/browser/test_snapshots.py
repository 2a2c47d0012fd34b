"""Static snapshots in Chromium: they need no script, their charts are drawn SVG, the hostile
text of the data stays text, and on a phone nothing scrolls sideways.

The test runs its own server on a copy of the fixture ledger with a hostile statement added,
so the session's shared server keeps its data as the other tests expect it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from isf_tracker import clock
from tests.browser.conftest import fresh_page, serving

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SNAPSHOTS = ["/s/overview", "/s/map?country=PAK&country=IDN", "/s/statements?country=PAK"]
SCRIPT_QUOTE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
MARKDOWN_SPEAKER = "**bold** [link](javascript:alert(1))"
HOSTILE_URL = "https://example.org/a\"><script>window.__pwned=3</script>'x"

#: Every inline chart that the page shows has drawn marks (paths with coordinates).
_DRAWN = """
() => [...document.querySelectorAll("figure svg.marks")]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => [...svg.querySelectorAll("path")]
    .filter((path) => /^M-?[0-9]/.test(path.getAttribute("d") || "")).length)
"""
_SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def append_hostile_row(positions: Path) -> None:
    """A valid Pakistan statement, dated yesterday, whose quote, speaker and source are hostile."""
    with positions.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        template = [row for row in reader if row["iso3"] == "PAK"][-1]
    row = {
        **template,
        "statement_id": "X901",
        "date": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "date_precision": "day",
        "speaker": MARKDOWN_SPEAKER,
        "quote": SCRIPT_QUOTE,
        "source_url": HOSTILE_URL,
        "source_outlet": "<b>Outlet</b>",
        "notes": "browser test: injection in a snapshot",
        "supersedes": "",
    }
    with positions.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(row)
    # A quote not in English needs its English beside it; this one is as hostile as the quote.
    with (positions.parent / "translations.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            ["X901", "quote", "xx", SCRIPT_QUOTE, "project", "", ""]
        )


def open_snapshot(page: Page, link: str, errors: list[str]) -> None:
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    response = page.goto(link)
    assert response is not None and response.status == 200
    expect(page.locator("body[data-isf-snapshot]")).to_be_attached()


def expect_inert(page: Page) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    expect(page.locator("script")).to_have_count(0)
    expect(page.locator("img")).to_have_count(0)
    expect(page.locator("[onerror]")).to_have_count(0)
    expect(page.locator("a[href^='javascript:']")).to_have_count(0)
    expect(page.locator("strong", has_text="bold")).to_have_count(0)


def test_snapshots_need_no_script_draw_their_charts_and_fit_a_phone(browser: Browser, tmp_path: Path):
    with serving(tmp_path / "data") as server:
        append_hostile_row(server.positions)
        for viewport in (None, PHONE):
            for link in SNAPSHOTS:
                with fresh_page(browser, server, viewport) as page:
                    errors: list[str] = []
                    open_snapshot(page, link, errors)
                    drawn = page.evaluate(_DRAWN)
                    if "statements" not in link:
                        assert drawn and all(count > 0 for count in drawn), (link, drawn)
                    expect_inert(page)
                    if viewport is PHONE:
                        assert page.evaluate(_SIDEWAYS) <= 0, link
                    assert errors == [], (link, errors)
                    if "statements" in link:
                        table = page.locator("table")
                        expect(table).to_contain_text(SCRIPT_QUOTE)
                        expect(table).to_contain_text(MARKDOWN_SPEAKER)
                        source = table.locator("a[href*='example.org']").first
                        assert source.get_attribute("href").startswith("https://example.org/a%22%3E%3Cscript")
