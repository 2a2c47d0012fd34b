"""Adding a filter is adding one entry to the registry: the sidebar, the link, the data and the
sentence describing the view all pick it up, with no other change."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from isf_tracker import filters, paths
from isf_tracker.filters import MultiChoice
from isf_tracker.ui.shell import behind_key

#: A filter the app does not have: statements from some outlets only.
OUTLET = MultiChoice(
    "outlet",
    "Outlet",
    options=lambda choices: {o: o for o in sorted(set(choices.statements["source_outlet"]))},
    narrow=lambda statements, value: (
        statements[statements["source_outlet"].isin(value)] if value else statements
    ),
)


@pytest.fixture
def with_outlet_filter(monkeypatch):
    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, OUTLET))


def test_a_new_entry_works_end_to_end(with_outlet_filter):
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    app.query_params["outlet"] = ["Example Herald", "Nowhere Times"]
    app.run()
    assert not app.exception, [e.value for e in app.exception]

    widget = app.sidebar.multiselect(key="outlet")
    assert (widget.label, widget.value) == ("Outlet", ["Example Herald"])
    assert "outlet=Nowhere Times" in app.warning[0].value.replace("\\", "")
    assert app.query_params["outlet"] == "Example Herald"
    assert any("outlet: Example Herald" in c.value.replace("\\", "") for c in app.caption)
    app.switch_page(str(paths.pages_dir() / "statements.py"))
    app.session_state["table-statements"] = True  # the table of every statement, opened
    app.run()
    ledger = app.main.dataframe[-1].value  # every statement: only what Example Herald reported
    assert len(ledger) > 0 and set(ledger["Outlet"]) == {"Example Herald"}

    app.sidebar.multiselect(key="outlet").set_value([]).run()  # back to its default: every outlet again
    assert "outlet" not in app.query_params
    assert len(app.main.dataframe[-1].value) > len(ledger)


def test_the_registry_drives_apply_and_the_description_without_streamlit(with_outlet_filter):
    from isf_tracker.ledger import load_dataset
    from tests.ledger_rows import FIXTURE

    data = load_dataset(FIXTURE)
    choices = filters.choices_for(data.statements, data.countries, data.conditions)
    state = filters.state_from_query({"outlet": ["Example Herald"]}, choices)
    view = filters.apply(data.statements, state, choices)
    assert set(view.statements["source_outlet"]) == {"Example Herald"}
    assert view.description == "1 of 1 countries · latest data · outlet: Example Herald"
    assert filters.to_query(state) == {"outlet": ["Example Herald"]}
    # The positions are built from that outlet's statements only: Pakistan's stance comes from
    # one of them, not from Pakistan's latest statement in the whole ledger.
    (position,) = view.positions.to_dict("records")
    assert position["iso3"] == "PAK" and position["status_from"] in set(view.statements["statement_id"])


# --- a filter few readers change waits behind an expander ---------------------------------------

AS_OF = filters.by_key("as_of")


def sidebar_days(app: AppTest) -> list:
    return [d for d in app.sidebar.date_input if d.key == "as_of"]


def sidebar_expander_labels(app: AppTest) -> list[str]:
    return [e.label for e in app.sidebar.expander]


def test_the_as_of_day_waits_behind_an_expander_until_opened():
    assert AS_OF.behind == "An earlier date"
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    app.run()
    assert not app.exception
    assert AS_OF.behind in sidebar_expander_labels(app)
    assert sidebar_days(app) == [], "the date field is drawn (and its code loaded) only when asked for"
    assert app.session_state[AS_OF.key] is None

    app.session_state[behind_key(AS_OF)] = True  # the reader opens it
    app.run()
    day = sidebar_days(app)[0]
    assert (day.label, day.value) == ("As of", None)
    day.set_value(filters.dt.date(2025, 12, 31)).run()
    assert app.query_params["as_of"] == "2025-12-31"
    assert any("as of 2025-12-31" in c.value.replace("\\", "") for c in app.caption)

    app.session_state[behind_key(AS_OF)] = False  # closing it while a day is set: it stays open
    app.run()
    assert sidebar_days(app)[0].value == filters.dt.date(2025, 12, 31)
    assert app.query_params["as_of"] == "2025-12-31"


def test_a_link_with_a_day_opens_the_expander_and_a_closed_one_keeps_the_view():
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    app.query_params["as_of"] = "2025-12-31"
    app.run()
    assert sidebar_days(app)[0].value == filters.dt.date(2025, 12, 31)
    app.sidebar.button[0].click().run()  # Clear filters: the day goes, the view is the latest again
    assert app.session_state[AS_OF.key] is None and "as_of" not in app.query_params
    app.session_state[behind_key(AS_OF)] = False
    app.run()
    assert sidebar_days(app) == [] and app.session_state[AS_OF.key] is None
    assert any("latest data" in c.value for c in app.caption)
