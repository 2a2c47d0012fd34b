"""Derived views, against values worked out by hand from the fixture ledger and small ledgers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from isf_tracker import positions as views
from isf_tracker.ledger import load_dataset, statements_frame
from isf_tracker.schema import MandateTask, Statement
from tests.ledger_rows import FIXTURE, row


@pytest.fixture(scope="module")
def fixture():
    return load_dataset(FIXTURE)


def position(statements: pd.DataFrame, iso3: str, day: str) -> dict:
    table = views.positions_as_of(statements, dt.date.fromisoformat(day)).set_index("iso3")
    return table.loc[iso3].to_dict()


def test_pakistan_as_of_end_of_2025(fixture):
    pak = position(fixture.statements, "PAK", "2025-12-31")
    assert (pak["status"], pak["status_from"]) == ("conditional", "S008")
    assert (pak["troops_low"], pak["troops_high"], pak["troops_from"]) == (3500, 3500, "S007")
    assert (pak["troops_reliability"], pak["troops_state"]) == ("unconfirmed", "offered")
    assert pak["troops_as_stated"] == "around 3,500 troops"
    assert (pak["disarmament"], pak["disarmament_from"], pak["disarmament_reliability"]) == (
        "refuses", "S008", "on_record")  # fmt: skip
    # S004's parliament condition was over-coded: its correction (S018) drops it. The undated S011
    # (a reported refusal) enters no position.
    assert dict(pak["conditions_sources"]) == {"unsc_mandate": "S008", "no_disarmament": "S008",
                                               "no_combat": "S008"}  # fmt: skip
    assert pak["conditions_from"] == "S008"  # the latest statement that named any


def test_indonesia_as_of_end_of_2025(fixture):
    idn = position(fixture.statements, "IDN", "2025-12-31")
    assert (idn["status"], idn["status_from"]) == ("considering", "S005")
    # A reported 1,200 (S005) is the latest figure, after the 20,000 on record (S002).
    assert (idn["troops_min"], idn["troops_max"], idn["troops_from"]) == (1200, 1200, "S005")
    assert (idn["troops_reliability"], idn["troops_state"]) == ("reported", "considered")
    # Only inferred by then, and only reported: "will not take part in combat" (S005).
    assert (idn["disarmament"], idn["disarmament_from"], idn["disarmament_reliability"]) == (
        "rules_out_combat", "S005", "reported")  # fmt: skip
    # Conditions accumulate, each from the latest statement that stated it.
    assert dict(idn["conditions_sources"]) == {"unsc_mandate": "S002", "no_combat": "S005"}


def test_pakistan_as_of_march_2026(fixture):
    pak = position(fixture.statements, "PAK", "2026-03-31")
    assert (pak["status"], pak["status_from"]) == ("considering", "S009")
    assert (pak["troops_high"], pak["troops_from"]) == (3500, "S007")  # carried forward
    # Pakistan's Foreign Office said on record on 8 Jan 2026 that nothing was decided (S009).
    assert (pak["troops_state"], pak["troops_disowned_by"]) == ("disowned", "S009")
    # A reported repetition (S019) does not hide the on-record refusal it is cited from.
    assert (pak["disarmament"], pak["disarmament_from"], pak["disarmament_reliability"]) == (
        "refuses", "S008", "on_record")  # fmt: skip
    # January's "clear mandate" (S009) does not erase December's refusal to disarm Hamas.
    assert pak["conditions"] == ("unsc_mandate", "no_disarmament", "no_combat", "clear_mandate")
    assert dict(pak["conditions_sources"])["no_disarmament"] == "S019"  # the latest to state it
    assert dict(pak["conditions_sources"])["clear_mandate"] == "S009"


def test_indonesia_as_of_march_2026(fixture):
    idn = position(fixture.statements, "IDN", "2026-03-31")
    assert (idn["status"], idn["status_from"]) == ("on_hold", "S013")  # S014, later, states no status
    assert pd.isna(idn["troops_min"]) and idn["troops_max"] == 8000
    assert (idn["troops_low"], idn["troops_high"], idn["troops_state"]) == (8000, 8000, "on_hold")
    assert idn["troops_as_stated"] == "up to 8,000"
    # Said in so many words (S014) outranks the earlier inference (S005).
    assert (idn["disarmament"], idn["disarmament_from"]) == ("refuses", "S014")


def test_task_figures_are_summed_only_within_a_basis(fixture):
    positions = views.positions_as_of(fixture.statements, dt.date(2026, 6, 30))
    by_task = views.troops_by_task(positions, fixture.tasks).set_index("task")
    border = by_task.loc["border_security"]
    assert (border["on_record_low"], border["on_record_high"]) == (154, 154)  # Kazakhstan 150, Morocco 4
    assert (border["unconfirmed_low"], border["unconfirmed_high"]) == (3500, 3500)  # Pakistan
    assert (border["reported_low"], border["reported_high"]) == (0, 0)
    assert "IDN" not in border["iso3"] and "AZE" not in border["iso3"]  # on hold, declined: no task
    assert "JOR" not in border["iso3"]  # it trains police only
    # Only a country that would take part in disarming Hamas counts for it (Kazakhstan, on conditions).
    assert by_task.loc["demilitarisation", "iso3"] == ("KAZ",)


def test_undated_statements_never_enter_a_position(fixture):
    undated = fixture.statements[fixture.statements["date"].isna()]
    assert list(undated["statement_id"]) == ["S011"]
    latest = views.positions_as_of(fixture.statements)
    used = set(latest.filter(like="_from").stack())
    assert used.isdisjoint(undated["statement_id"])


def test_every_value_traces_to_a_statement_of_that_country(fixture):
    latest = views.positions_as_of(fixture.statements, dt.date(2026, 6, 30))
    by_id = fixture.statements.set_index("statement_id")
    for _, pos in latest.iterrows():
        for column in ("status_from", "troops_from", "disarmament_from", "conditions_from"):
            if isinstance(pos[column], str):
                assert by_id.loc[pos[column], "iso3"] == pos["iso3"]
    assert len(latest) == 9


# Small ledgers for the carry-forward rules.


def frame(*rows: dict) -> pd.DataFrame:
    return statements_frame([(i + 2, Statement.model_validate(r)) for i, r in enumerate(rows)])


def test_before_the_first_statement_there_is_no_position():
    assert views.positions_as_of(frame(row()), dt.date(2025, 1, 1)).empty


def test_blank_fields_carry_forward_and_lists_accumulate():
    statements = frame(
        row(statement_id="A", date="2025-01-01", status="offered", troops_min="100", troops_max="200",
            conditions="unsc_mandate;no_combat", disarmament="refuses"),
        row(statement_id="B", date="2025-02-01", status="", troops_min="", troops_max="",
            troops_as_stated="", conditions="ceasefire_first", disarmament="unstated"),
    )  # fmt: skip
    pos = views.positions_as_of(statements).iloc[0]
    assert (pos["status"], pos["status_from"]) == ("offered", "A")
    assert (pos["troops_low"], pos["troops_high"], pos["troops_from"]) == (100, 200, "A")
    assert (pos["disarmament"], pos["disarmament_from"]) == ("refuses", "A")
    assert (pos["conditions"], pos["conditions_from"]) == (
        ("unsc_mandate", "no_combat", "ceasefire_first"),
        "B",
    )


def test_troop_words_alone_replace_an_older_figure():
    statements = frame(
        row(statement_id="A", date="2025-01-01"),
        row(statement_id="B", date="2025-02-01", troops_min="", troops_max="", troops_as_stated="dozens"),
    )
    pos = views.positions_as_of(statements).iloc[0]
    assert pos["troops_from"] == "B" and pos["troops_as_stated"] == "dozens"
    assert pd.isna(pos["troops_low"])


def test_a_country_that_never_states_a_stance_is_unstated():
    pos = views.positions_as_of(frame(row(disarmament="unstated"))).iloc[0]
    assert pos["disarmament"] == "unstated" and pd.isna(pos["disarmament_from"])


def task(**fields) -> MandateTask:
    base = {"code": "t", "label": "T", "description": "d", "source_url": "https://example.org"}
    return MandateTask.model_validate({**base, **fields})


def test_troops_by_task_applies_stance_roles_and_conditions():
    statements = frame(
        row(statement_id="A", iso3="PAK", country="Pakistan", status="offered", troops_min="1000",
            troops_max="1000", disarmament="will_disarm", conditions="", roles=""),
        row(statement_id="B", iso3="IDN", country="Indonesia", status="offered", troops_min="",
            troops_max="8000", disarmament="will_disarm", conditions="outside_gaza_only", roles=""),
        row(statement_id="C", iso3="JOR", country="Jordan", status="committed", troops_min="",
            troops_max="", disarmament="refuses", conditions="", roles="police_training"),
        row(statement_id="D", iso3="EGY", country="Egypt", status="declined", troops_min="500",
            troops_max="500", disarmament="will_disarm", conditions="", roles=""),
    )  # fmt: skip
    positions = views.positions_as_of(statements)
    tasks = [
        task(code="disarm", requires_stance="will_disarm", requires_roles="troops",
             excluded_by_conditions="outside_gaza_only"),
        task(code="police", requires_roles="police_training;police"),
        task(code="any"),
    ]  # fmt: skip
    table = views.troops_by_task(positions, tasks).set_index("task")
    assert table.loc["disarm", "iso3"] == ("PAK",)
    assert (table.loc["disarm", "on_record_low"], table.loc["disarm", "on_record_high"]) == (1000, 1000)
    assert table.loc["police", "iso3"] == ("JOR",)
    assert (table.loc["police", "countries"], table.loc["police", "with_figure"]) == (1, 0)
    assert set(table.loc["any", "iso3"]) == {"PAK", "IDN", "JOR"}  # Egypt declined
    assert table.loc["any", "on_record_high"] == 9000 and table.loc["any", "with_figure"] == 2


def test_a_withdrawn_condition_leaves_the_position_from_its_withdrawal_on():
    statements = frame(
        row(statement_id="A", date="2025-01-01", conditions="unsc_mandate;no_combat", roles="troops;medical"),
        row(statement_id="B", date="2025-02-01", conditions="no_combat", roles=""),
        row(statement_id="C", date="2025-03-01", conditions="withdrawn:no_combat", roles="withdrawn:troops"),
    )  # fmt: skip
    before = views.positions_as_of(statements, dt.date(2025, 2, 15)).iloc[0]
    assert dict(before["conditions_sources"]) == {"unsc_mandate": "A", "no_combat": "B"}
    after = views.positions_as_of(statements).iloc[0]
    assert (after["conditions"], after["conditions_from"]) == (("unsc_mandate",), "C")
    assert (after["roles"], after["roles_sources"]) == (("medical",), (("medical", "A"),))


def test_withdrawing_every_condition_leaves_none_and_names_the_withdrawal():
    statements = frame(
        row(statement_id="A", date="2025-01-01", conditions="no_combat"),
        row(statement_id="B", date="2025-02-01", conditions="withdrawn:no_combat"),
    )
    pos = views.positions_as_of(statements).iloc[0]
    assert (pos["conditions"], pos["conditions_from"], pos["conditions_sources"]) == ((), "B", ())


def test_what_changed_lists_a_withdrawal_with_the_statement_that_made_it():
    from isf_tracker.changes import changes_between

    statements = frame(
        row(statement_id="A", date="2025-01-01", conditions="unsc_mandate;no_combat", roles="troops"),
        row(statement_id="B", date="2025-02-01", conditions="withdrawn:no_combat", roles="troops;medical"),
    )
    table = changes_between(statements, dt.date(2025, 1, 15), dt.date(2025, 3, 1))
    got = {(r.change, r.before, r.after, r.statement_id) for r in table.itertuples()}
    assert got == {
        ("Condition withdrawn", "no_combat", "", "B"),
        ("Role added", "", "medical", "B"),
    }
