"""No link breaks a page. Every URL parameter (the filter registry's and each page's options)
either parses or is dropped with a short notice: never an exception, never a session that stays
broken. Property-based: Hypothesis writes the links."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from isf_tracker import clock, filters, paths, share
from isf_tracker.ledger import load_dataset
from isf_tracker.ui import share_panel
from isf_tracker.ui.shell import PAGES
from tests.ledger_rows import FIXTURE

TODAY = clock.today()
DATA = load_dataset(FIXTURE)
CHOICES = filters.choices_for(DATA.statements, DATA.countries, DATA.conditions, today=TODAY)
PAGE_OPTIONS = [option for options in filters.PAGE_OPTIONS.values() for option in options]
ALL_OPTIONS = [*filters.FILTERS, *PAGE_OPTIONS]


def valid_values(option: filters.Filter) -> list[str]:
    if isinstance(option, (filters.MultiChoice, filters.OneChoice)):
        return list(option.options(CHOICES))
    if isinstance(option, filters.AtLeast):
        return ["0", "500", "3500", "1000000"]
    return [CHOICES.first_date.isoformat(), CHOICES.last_date.isoformat(), CHOICES.earliest_day.isoformat()]


def nasty_text() -> st.SearchStrategy[str]:
    tricky = ["", " ", "-1", "1e3", "²", "١٢", "０", "99999999", "2025-01-01", "2024-12-31", "2999-01-01",
              "1900-01-01", "2025-02-30", "0000-00-00", "<script>", "**x**", "a" * 5000, "\x00",
              "\ud800"]  # fmt: skip
    return st.one_of(st.text(max_size=30), st.sampled_from(tricky))


def values_for(option: filters.Filter) -> st.SearchStrategy[list[str]]:
    one = st.one_of(st.sampled_from(valid_values(option)), nasty_text())
    return st.lists(one, max_size=4)


QUERIES = st.fixed_dictionaries(
    {},
    optional={
        **{option.key: values_for(option) for option in ALL_OPTIONS},
        "zz_unknown": st.lists(nasty_text(), min_size=1, max_size=2),
    },
)


@settings(max_examples=400, deadline=None)
@given(option=st.sampled_from(ALL_OPTIONS), raw=st.lists(nasty_text(), max_size=6))
def test_parsing_never_raises_and_keeps_only_valid_values(option, raw):
    value, dropped = option.parse(raw, CHOICES)
    assert option.clean(value, CHOICES) == value  # what parsing keeps is valid for the widget too
    assert all(isinstance(item, filters.Dropped) for item in dropped)
    notice = filters.dropped_notice({option.key: dropped})
    assert notice is None or len(notice) < 1200


def clean_surrogates(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """A browser cannot send lone surrogates (it encodes text as UTF-8): replace them."""
    fix = lambda text: text.encode("utf-8", "replace").decode("utf-8")  # noqa: E731
    return {key: [fix(value) for value in values] for key, values in query.items()}


def run_page(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES, first=st.sampled_from(PAGES), then=st.sampled_from(PAGES))
def test_any_link_opens_every_page_and_the_session_stays_whole(query, first, then):
    query = clean_surrogates(query)
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    for key, values in query.items():
        app.query_params[key] = values
    run_page(app)
    if first.url_path:
        app.switch_page(str(paths.pages_dir() / first.script))
        run_page(app)
    assert app.title, "the page drew nothing"
    notices = [w.value for w in app.warning if "Ignored in the link" in w.value]
    assert all(len(notice) < 1500 for notice in notices)
    run_page(app)  # a rerun of the same session
    app.switch_page(str(paths.pages_dir() / then.script))
    run_page(app)  # and the next page
    assert app.title


# --- the breaks found by the hostile pass, one by one ------------------------------------------


def open_on(page: str, query: dict[str, list[str] | str]) -> AppTest:
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    run_page(app)
    if page:
        app.switch_page(str(paths.pages_dir() / next(p.script for p in PAGES if p.url_path == page)))
        run_page(app)
    return app


def notice(app: AppTest) -> str:
    """Every "Ignored in the link" notice of the page, one per line."""
    return "\n".join(w.value.replace("\\", "") for w in app.warning if "Ignored in the link" in w.value)


def test_a_day_before_the_first_statement_is_a_view_of_nothing_yet_on_every_page():
    for page in (p.url_path for p in PAGES):
        app = open_on(page, {"as_of": "2025-01-01"})
        assert not notice(app), page
        assert app.sidebar.date_input(key="as_of").value == dt.date(2025, 1, 1)
    app.switch_page(str(paths.pages_dir() / "overview.py"))
    run_page(app)  # the session is still whole after leaving


def test_a_day_before_the_record_begins_is_refused_saying_what_the_data_covers():
    app = open_on("", {"as_of": "2024-06-01"})
    assert "as_of=2024-06-01 (before 2025-01-01; the data covers 2025-08-18 to 2026-06-18)" in notice(app)
    assert app.session_state["as_of"] is None and "as_of" not in app.query_params


def test_changes_from_far_in_the_past_is_refused_with_a_notice():
    app = open_on("changes", {"from": "1900-01-01"})
    assert "from=1900-01-01 (before 2025-01-01" in notice(app)


def test_digits_that_are_not_ascii_are_refused():
    app = open_on("", {"min_troops": "١٢"})
    assert "min_troops=١٢ (not a whole number" in notice(app)
    assert app.sidebar.number_input(key="min_troops").value == 0


def test_a_100_kb_value_is_cut_in_the_notice():
    shared = notice(open_on("", {"country": "x" * 100_000}))
    assert 0 < len(shared) < 150 and "x" * 39 + "…" in shared
    page = notice(open_on("map", {"color": "y" * 100_000}))
    assert 0 < len(page) < 150 and "y" * 39 + "…" in page


def test_the_dashboard_links_to_a_view_at_the_configured_public_address(monkeypatch):
    """The sidebar's link and the share panel come from the URL builder the snapshots use."""
    monkeypatch.setenv(share.PUBLIC_URL_ENV_VAR, "https://isf.example.org/tracker")
    app = open_on("map", {"country": "PAK"})
    wanted = "https://isf.example.org/tracker/map?country=PAK"
    assert any(f"Link to this view]({wanted})" in m.value for m in app.sidebar.markdown)
    app.session_state[share_panel.PANEL_KEY] = True
    panel = next(e for e in run_page(app).main.expander if e.label == share_panel.PANEL_LABEL)
    assert panel.code[0].value == wanted
