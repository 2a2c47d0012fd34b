"""A received link says what it shows, and keeps it (ui/shell.py): the view's filters as chips
under the title, worded by the filter registry, each removing its filter; every navigation link
carrying the view's query; "Add a statement" not among them."""

from __future__ import annotations

from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from isf_tracker import clock, derived, share
from isf_tracker.ui import shell
from tests.test_pages import open_page, url

FILTERED = {"country": ["PAK", "IDN"], "status": "committed", "as_of": "2025-12-31"}


def chips(app: AppTest) -> list[str]:
    """The chips' words as shown (their Markdown unescaped)."""
    return [b.label.replace("\\", "") for b in app.main.button if b.key and b.key.startswith("chip-")]


def nav(app: AppTest) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """Each navigation link's label: its page's address and its query."""
    return {
        link.value: (link.proto.page, parse_qs(link.proto.query_string)) for link in app.sidebar.page_link
    }


def test_each_set_filter_is_a_chip_worded_by_the_registry():
    countries = len(derived.choices(derived.current_version(), clock.today()).countries)
    app = open_page("pages/map.py", before=FILTERED)
    assert chips(app) == [
        f"2 of {countries} countries ✕",
        "status: Committed ✕",
        "the record as it stood on 31 Dec 2025 ↺ latest",
    ]
    assert chips(open_page("pages/map.py", before={"country": "PAK"})) == ["Pakistan ✕"]
    assert chips(open_page()) == []  # the whole record: nothing to remove


def test_a_chip_removes_its_filter_and_the_link_follows():
    app = open_page("pages/map.py", before=FILTERED)
    next(b for b in app.main.button if b.key == "chip-as_of").click().run()
    assert not app.exception
    assert "as_of" not in url(app) and url(app)["country"] == ["PAK", "IDN"]
    assert chips(app)[1:] == ["status: Committed ✕"]
    next(b for b in app.main.button if b.key == "chip-country").click().run()
    assert url(app) == {"status": ["committed"]}
    assert chips(app) == ["status: Committed ✕"]


def test_every_navigation_link_carries_the_view():
    app = open_page("pages/map.py", before={"country": ["PAK", "IDN"], "color": "status"})
    links = nav(app)
    shared = {"country": ["PAK", "IDN"]}
    assert list(links) == [spec.title for spec in shell.NAV_PAGES]
    assert "Add a statement" not in links  # reached at /add, not from the readers' navigation
    assert links["Map"] == ("map", {**shared, "color": ["status"]})  # this page: its options too
    assert links["Condition matrix"] == ("conditions", shared)  # another page: the shared filters
    assert links[shell.PAGES[0].title] == (share.HOME_ALIAS, shared)  # "/home", which goes on to "/"
    assert all(query == shared for page, query in links.values() if page != "map")


def test_on_the_landing_page_its_own_link_is_to_itself():
    assert nav(open_page(before={"country": "PAK"}))["Overview"] == ("", {"country": ["PAK"]})


def test_the_navigation_of_the_whole_record_carries_nothing():
    assert {query for _, (_, query) in nav(open_page("pages/charts.py")).items() if query} == set()
