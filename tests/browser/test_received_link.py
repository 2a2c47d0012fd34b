"""A received link on a phone (390 px) says what it shows and keeps it: the view's filters as chips
and the "Share and export" control are on the first screen; a navigation link, opened in a new tab,
opens the other page with the same view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import Server, fresh_page, open_view, wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LINK = "/map?country=PAK&country=IDN&as_of=2025-12-31"
VIEW = re.compile(r"\?country=PAK&country=IDN&as_of=2025-12-31$")


def on_first_screen(page: Page, element: Locator) -> None:
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def chips(page: Page) -> Locator:
    return page.get_by_test_id("stMain").locator(".st-key-filter-chips button")


def test_on_a_phone_the_chips_and_the_share_control_are_on_the_first_screen(browser: Browser, server: Server):
    with fresh_page(browser, server, PHONE) as page:
        open_view(page, LINK)
        expect(chips(page)).to_have_text(
            [re.compile(r"^2 of \d+ countries ✕$"), re.compile(r"31 Dec 2025 ↺ latest$")]
        )
        for chip in chips(page).all():
            on_first_screen(page, chip)
        share = page.get_by_test_id("stMain").get_by_test_id("stExpander").filter(has_text="Share and export")
        on_first_screen(page, share)

        chips(page).filter(has_text="↺ latest").click()  # back to the latest record, the countries kept
        expect(page).to_have_url(re.compile(r"/map\?country=PAK&country=IDN$"))
        wait_for_app(page)
        expect(chips(page)).to_have_text([re.compile(r"^2 of \d+ countries ✕$")])


def test_a_navigation_link_opened_in_a_new_tab_keeps_the_view(browser: Browser, server: Server):
    with fresh_page(browser, server, PHONE) as page:
        open_view(page, LINK)
        page.get_by_test_id("stExpandSidebarButton").click()
        links = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
        expect(links.filter(has_text="Charts")).to_be_visible()
        hrefs = links.evaluate_all("links => links.map(link => link.href)")
        assert hrefs and all(VIEW.search(href) for href in hrefs if "/map?" not in href), hrefs

        for label, path, heading in (
            ("Charts", "/charts", "Charts"),
            ("Overview", "/", "Troops for the Gaza force"),
        ):
            href = links.filter(has_text=label).first.evaluate("link => link.href")
            tab = page.context.new_page()  # as "open in a new tab" would: a new session, the address only
            tab.goto(href)
            expect(tab).to_have_url(
                re.compile(rf"{re.escape(path)}\?country=PAK&country=IDN&as_of=2025-12-31$")
            )
            wait_for_app(tab)
            expect(tab.get_by_test_id("stMain").locator("h1").first).to_have_text(heading)
            expect(chips(tab)).to_have_count(2)
            tab.close()
