"""Keeping the ledger up to date, in a real browser: "What changed" between two dates, and
"Add a statement" (off without a password; with one, a checked preview, then an append).

Run: .venv/bin/python -m pytest -q tests/browser/test_updating.py -x
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    Server,
    fresh_page,
    open_view,
    serving,
    wait_for_app,
)

pytestmark = pytest.mark.browser

PASSWORD_KEY = "ISF_TRACKER_EDIT_PASSWORD"
EDIT_PASSWORD = "correct horse battery staple"
CHANGES_LINK = "/changes?from=2026-02-01&to=2026-03-31"


# --- helpers ---------------------------------------------------------------------------


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def date_input(page: Page, label: str) -> Locator:
    """The st.date_input labelled `label` (its segments form a group named after it)."""
    group = page.get_by_role("group", name=label, exact=True)
    return main(page).get_by_test_id("stDateInput").filter(has=group)


def date_value(page: Page, label: str) -> Locator:
    """The ISO value behind the segmented date field (the hidden input[type=date])."""
    return date_input(page, label).locator("input[type='date']")


def type_date(page: Page, label: str, iso: str) -> None:
    """Type a date into the segmented field: the digits only, from the year segment on
    (each full segment moves to the next), then Escape, which commits it like a blur.
    Enter and Tab do not commit a date typed this way."""
    date_input(page, label).get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(iso.replace("-", ""))
    page.keyboard.press("Escape")


def grid_cells(grid: Locator, text: str) -> Locator:
    """Cells of an st.dataframe whose whole text is `text`.

    The grid paints on a canvas; its accessible <table> mirrors the cells in view.
    """
    return grid.locator("td").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


def download_csv(page: Page) -> list[dict[str, str]]:
    """Click the page's "Download these rows (CSV, …)" button; the rows of the file it gives."""
    button = main(page).get_by_role("button", name=re.compile(r"Download these rows \(CSV"))
    with page.expect_download() as download:
        button.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    wait_for_app(page)  # the click also reruns the script
    return list(csv.DictReader(io.StringIO(text)))


def span_caption(page: Page, start: str, end: str) -> Locator:
    said = f"Every change after {start}, up to and including {end}: each statement that changed a value, by "
    return main(page).get_by_text(said + "country, oldest first.", exact=True)


def wait_for_url(page: Page, pattern: re.Pattern[str]) -> None:
    expect(page).to_have_url(pattern)
    wait_for_app(page)


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


# --- What changed ---------------------------------------------------------------------


def test_changes_link_sets_the_dates_and_lists_the_statements(page: Page):
    open_view(page, CHANGES_LINK)
    expect(main(page).locator("h1")).to_have_text("What changed")
    expect(date_value(page, "From")).to_have_value("2026-02-01")
    expect(date_value(page, "To")).to_have_value("2026-03-31")
    expect(span_caption(page, "2026-02-01", "2026-03-31")).to_be_visible()
    no_exception(page)

    # In words, by country, each country's oldest change first: Indonesia's February commitment
    # (S012), a stage between the window's two ends, heads the list before its suspension (S013).
    expect(main(page).get_by_role("listitem").first).to_contain_text("Status: Considering → Committed — S012")
    indonesia = main(page).get_by_role("listitem").filter(has_text="Status: Committed → On hold — S013")
    expect(indonesia).to_have_count(1)
    expect(main(page).get_by_test_id("stDataFrame")).to_have_count(0)  # the table is built when opened

    rows = download_csv(page)
    by_change = {(r["country"], r["change"], r["statement_id"]): (r["before"], r["after"]) for r in rows}
    assert by_change[("Indonesia", "Status", "S012")] == ("Considering", "Committed")  # the stage between
    assert by_change[("Indonesia", "Status", "S013")] == ("Committed", "On hold")
    assert by_change[("Kazakhstan", "Appeared", "S017")][0] == ""
    assert {r["statement_id"] for r in rows} == {"S012", "S013", "S014", "S015", "S017"}
    assert all("2026-02-01" < r["date"] <= "2026-03-31" for r in rows), rows


def test_changing_the_to_date_updates_the_url_and_the_table(page: Page):
    open_view(page, CHANGES_LINK)
    expect(date_value(page, "To")).to_have_value("2026-03-31")
    before = {r["statement_id"] for r in download_csv(page)}
    assert "S013" in before

    type_date(page, "To", "2026-03-01")  # before Indonesia suspended its deployment (S013, 16 March)
    wait_for_url(page, re.compile(r"[?&]to=2026-03-01(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]from=2026-02-01(&|$)"))
    expect(date_value(page, "To")).to_have_value("2026-03-01")
    expect(span_caption(page, "2026-02-01", "2026-03-01")).to_be_visible()
    no_exception(page)

    listed = main(page).get_by_role("listitem")
    expect(listed.first).to_contain_text("S012")  # Indonesia's 10 Feb commitment still first
    expect(listed.filter(has_text="S017")).to_have_count(1)  # Kazakhstan, 19 Feb
    expect(listed.filter(has_text="S013")).to_have_count(0)

    rows = download_csv(page)
    after = {r["statement_id"] for r in rows}
    assert "S013" not in after
    assert {"S012", "S017"} <= after  # Indonesia's 10 Feb figure is now its latest; Kazakhstan's stays
    assert all("2026-02-01" < r["date"] <= "2026-03-01" for r in rows), rows


# --- Add a statement: off without a password -------------------------------------------


def test_editing_is_off_without_a_password(page: Page):
    if os.environ.get(PASSWORD_KEY):
        pytest.skip(f"{PASSWORD_KEY} is set in this environment, so the shared server allows editing")
    open_view(page, "/add")
    expect(main(page).locator("h1")).to_have_text("Add a statement")
    expect(main(page).get_by_test_id("stAlert").filter(has_text="Editing is off")).to_be_visible()
    expect(main(page).get_by_test_id("stForm")).to_have_count(0)
    expect(main(page).get_by_role("button", name="Check and preview")).to_have_count(0)
    expect(main(page).get_by_role("button", name="Save to the ledger")).to_have_count(0)
    no_exception(page)


# --- Add a statement: a server with an edit password ------------------------------------


@pytest.fixture(scope="module")
def edit_server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server, with editing on, on its own copy of the data.

    The password is in the environment only while the server starts (Popen copies it),
    so the shared server never sees it.
    """
    data_dir = tmp_path_factory.mktemp("isf-edit-server") / "data"
    with serving(data_dir, {PASSWORD_KEY: EDIT_PASSWORD}) as running:
        yield running


@pytest.fixture
def edit_page(browser: Browser, edit_server: Server) -> Iterator[Page]:
    with fresh_page(browser, edit_server) as page:
        yield page


def form(page: Page) -> Locator:
    return main(page).get_by_test_id("stForm")


def choose(page: Page, label: str, option: str, many: bool = False) -> None:
    """Pick `option` in the form's selectbox (or, `many`, multiselect) `label`.

    The lists are virtualised (only the options in view exist), so type to filter first.
    A multiselect keeps its list open: Escape closes it. Not after a selectbox: there,
    Escape on a clearable box (Country, index=None) clears the choice just made.
    """
    box = form(page).get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    if many:
        page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)


def fill_statement(page: Page, source_url: str, password: str) -> None:
    """A Pakistan statement of 1 April 2026. Text fields are only typed into: inside
    st.form the values go to the server when the form is submitted."""
    expect(form(page)).to_be_visible()
    type_date(page, "Date of the statement", "2026-04-01")
    choose(page, "Country", "Pakistan")
    expect(form(page).get_by_role("combobox", name="Country", exact=True)).to_have_value("Pakistan")
    choose(page, "Status stated", "Conditional offer")
    choose(page, "Stance on disarming Hamas", "Ruled it out explicitly")
    choose(page, "Conditions", "Clear mandate", many=True)
    form(page).get_by_label("Speaker, with title", exact=True).fill("Test speaker, Foreign Office")
    form(page).get_by_label("Short verbatim quote", exact=True).fill("A browser test's quote, with a comma")
    form(page).get_by_label("Source URL (http or https)", exact=True).fill(source_url)
    form(page).get_by_label("Outlet", exact=True).fill("Example Outlet")
    form(page).get_by_label("Edit password", exact=True).fill(password)


def check_and_preview(page: Page) -> None:
    form(page).get_by_role("button", name="Check and preview").click()
    wait_for_app(page)


def save_button(page: Page) -> Locator:
    return main(page).get_by_role("button", name="Save to the ledger")


def alert(page: Page, text: str) -> Locator:
    return main(page).get_by_test_id("stAlert").filter(has_text=text)


def expected_row(header: list[str]) -> str:
    """The CSV line the form above must append (minimal quoting, the file's "\\n" ends)."""
    values = {
        "statement_id": "S020",
        "date": "2026-04-01",
        "iso3": "PAK",
        "country": "Pakistan",
        "status": "conditional",
        "disarmament": "refuses",
        "conditions": "clear_mandate",
        "speaker": "Test speaker, Foreign Office",
        "quote": "A browser test's quote, with a comma",
        "source_url": "https://example.org/isf-browser-test",
        "source_outlet": "Example Outlet",
        "reliability": "on_record",
        "date_precision": "day",
    }
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([values.get(column, "") for column in header])
    return buffer.getvalue()


def test_a_statement_is_previewed_saved_and_shown(edit_page: Page, edit_server: Server):
    page = edit_page
    original = edit_server.positions.read_bytes()
    header = next(csv.reader(io.StringIO(original.decode("utf-8-sig"))))
    open_view(page, "/add")
    expect(form(page).get_by_label("Statement ID (new, never reused)", exact=True)).to_have_value("S020")

    fill_statement(page, "https://example.org/isf-browser-test", EDIT_PASSWORD)
    check_and_preview(page)
    expect(main(page).get_by_role("heading", name="Preview")).to_be_visible()
    expect(main(page).get_by_text("Pakistan's position before and after this statement:")).to_be_visible()
    expect(save_button(page)).to_be_visible()
    expect(main(page).get_by_test_id("stAlert")).to_have_count(0)
    assert edit_server.positions.read_bytes() == original, "the preview wrote to the ledger"

    save_button(page).click()
    wait_for_app(page)
    expect(alert(page, "Saved S020")).to_have_text("Saved S020: appended to the ledger.")
    expect(save_button(page)).to_have_count(0)
    expect(form(page).get_by_label("Statement ID (new, never reused)", exact=True)).to_have_value("S021")
    no_exception(page)

    saved = edit_server.positions.read_bytes()
    assert saved.startswith(original), "the bytes before the new row changed"
    assert saved[len(original) :].decode("utf-8") == expected_row(header)

    open_view(page, "/country?country=PAK")
    expect(main(page).locator("h2").first).to_have_text("Pakistan")
    position = main(page).get_by_role("listitem").filter(has_text=re.compile(r"^Status:"))  # value by value
    expect(position).to_contain_text("S020")
    newest = download_csv(page)[0]  # every statement, newest first
    assert (newest["ID"], newest["Date"], newest["Speaker"]) == (
        "S020",
        "2026-04-01",
        "Test speaker, Foreign Office",
    )
    no_exception(page)


def test_a_wrong_password_writes_nothing(edit_page: Page, edit_server: Server):
    page = edit_page
    original = edit_server.positions.read_bytes()
    open_view(page, "/add")
    fill_statement(page, "https://example.org/isf-browser-test-2", "not the password")
    check_and_preview(page)
    expect(save_button(page)).to_be_visible()

    save_button(page).click()
    wait_for_app(page)
    expect(alert(page, "Wrong password: nothing was written.")).to_be_visible()
    expect(alert(page, "Saved")).to_have_count(0)
    no_exception(page)
    assert edit_server.positions.read_bytes() == original


def test_a_bad_source_url_is_named_beside_the_field(edit_page: Page, edit_server: Server):
    page = edit_page
    original = edit_server.positions.read_bytes()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_view(page, "/add")
    fill_statement(page, "javascript:alert(1)", EDIT_PASSWORD)
    check_and_preview(page)

    message = "source_url must be a full web address starting with http:// or https://"
    error = form(page).get_by_test_id("stAlert").filter(has_text=message)
    expect(error).to_be_visible()
    expect(form(page).get_by_test_id("stAlert")).to_have_count(1)  # the only problem
    # Beside the field: the element right after the Source URL input in the form's column.
    url_input = page.get_by_label("Source URL (http or https)", exact=True)
    url_field = form(page).get_by_test_id("stElementContainer").filter(has=url_input)
    expect(url_field.locator("xpath=following-sibling::*[1]")).to_contain_text(message)
    expect(save_button(page)).to_have_count(0)
    expect(main(page).get_by_role("heading", name="Preview")).to_have_count(0)
    expect(page.locator("a[href^='javascript:']")).to_have_count(0)
    no_exception(page)
    assert dialogs == []
    assert edit_server.positions.read_bytes() == original
