"""The answer in words, on small ledgers worked out by hand: every sentence asserted exactly."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from isf_tracker import filters, summary
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import csv_text, row

DAY = dt.date(2026, 3, 31)
PAK = {"iso3": "PAK", "country": "Pakistan"}
IDN = {"iso3": "IDN", "country": "Indonesia"}
JOR = {"iso3": "JOR", "country": "Jordan"}
MAR = {"iso3": "MAR", "country": "Morocco"}
NOTHING = {"troops_min": "", "troops_max": "", "troops_as_stated": "", "conditions": "", "quote": ""}


def answer(write_ledger, rows, query: dict | None = None, day: dt.date = DAY) -> list[str]:
    data = load_dataset(write_ledger(csv_text(rows)))
    choices = filters.choices_for(
        data.statements, data.countries, data.conditions, today=dt.date(2026, 12, 1)
    )
    state = filters.state_from_query({**(query or {}), "as_of": [day.isoformat()]}, choices)
    view = filters.apply(data.statements, state, choices)
    filtered = bool(query)
    made = summary.summarise(view.positions, view.all_positions, data.statements, data.tasks, day, filtered)
    return summary.sentences(made)


def test_none_refuses(write_ledger):
    rows = [
        row(statement_id="A", status="committed", disarmament="unstated", **{**PAK, **NOTHING}),
        row(statement_id="B", status="considering", disarmament="conditional", troops_min="",
            troops_max="1000", troops_as_stated="up to 1,000", conditions="", **IDN),
    ]  # fmt: skip
    assert answer(write_ledger, rows) == [
        "As of 31 March 2026, 2 countries have stated a position on the force.",
        "All of them offer or consider taking part: 1 has committed and 1 is considering it.",
        "Stated troop figures add up to 1,000, from 1 of the 2 countries offering (Indonesia 1,000); "
        "1 other has stated no figure.",
        "None of the 2 countries will take part in disarming Hamas: "
        "1 would only on conditions (Indonesia) and 1 has not said.",
        "Troops available for demilitarising Gaza: 0 of the 1,000 offered.",
    ]


def test_one_refuses(write_ledger):
    rows = [
        row(statement_id="A", **PAK),  # conditional, 3,500, refuses
        row(statement_id="B", status="declined", disarmament="unstated", **{**JOR, **NOTHING}),
        row(statement_id="C", status="on_hold", disarmament="unstated", troops_min="", troops_max="8000",
            troops_as_stated="up to 8,000", conditions="", quote="", date="2026-03-17", **IDN),
    ]  # fmt: skip
    assert answer(write_ledger, rows) == [
        "As of 31 March 2026, 3 countries have stated a position on the force.",
        "Pakistan offers to take part on conditions.",
        "Stated troop figures add up to 3,500, from the only country offering (Pakistan 3,500).",
        "Offer on hold, not counted above: Indonesia (up to 8,000, on hold since 17 March 2026).",
        "1 country has declined: Jordan.",
        "None of the 3 countries will take part in disarming Hamas: "
        "1 refuses (Pakistan) and 2 have not said.",
        "Troops available for demilitarising Gaza: 0 of the 3,500 offered.",
    ]


def test_all_refuse_and_a_deployment_says_where_in_the_source_s_words(write_ledger):
    rows = [
        row(statement_id="A", **PAK),
        row(statement_id="B", status="deployed", troops_min="4", troops_max="4",
            troops_as_stated="4 officers", quote="Officers have arrived in Israel to join the force",
            source_outlet="AFP", date="2026-03-20", conditions="", **MAR),
    ]  # fmt: skip
    assert answer(write_ledger, rows) == [
        "As of 31 March 2026, 2 countries have stated a position on the force.",
        "All of them offer or consider taking part: 1 has deployed and 1 offers on conditions.",
        'Deployed: Morocco (4 officers): "Officers have arrived in Israel to join the force" '
        "(AFP, 20 Mar 2026).",
        "Stated troop figures add up to 3,504, from both countries offering (Pakistan 3,500; Morocco 4).",
        "Both countries refuse to take part in disarming Hamas: Morocco and Pakistan.",
        "Troops available for demilitarising Gaza: 0 of the 3,504 offered.",
    ]


def test_nothing_matches_the_filters(write_ledger):
    assert answer(write_ledger, [row(statement_id="A", **PAK)], {"stance": ["will_disarm"]}) == [
        "No country matches these filters on 31 March 2026, out of the 1 country with a position."
    ]


def test_a_day_before_the_first_statement(write_ledger):
    assert answer(write_ledger, [row(statement_id="A", **PAK)], day=dt.date(2025, 1, 1)) == [
        "No country had stated a position on the force by 1 January 2025. "
        "The first statement in the record is from 29 November 2025."
    ]


def test_filters_are_said_to_narrow_the_view(write_ledger):
    rows = [row(statement_id="A", **PAK), row(statement_id="B", status="offered", disarmament="will_disarm",
                                                   conditions="", **IDN)]  # fmt: skip
    sentences = answer(write_ledger, rows, {"country": ["IDN"]})
    assert (
        sentences[0]
        == "As of 31 March 2026, these filters show 1 of the 2 countries with a position on the force."
    )
    assert sentences[1] == "Indonesia has offered to take part."
    assert sentences[3] == "Indonesia will take part in disarming Hamas."


def test_plurals_and_lists():
    assert [summary.plural(n, "country", "countries") for n in (0, 1, 2)] == ["no country", "1 country",
                                                                           "2 countries"]  # fmt: skip
    assert summary.names(["A"]) == "A" and summary.names(["A", "B"]) == "A and B"
    assert summary.names([str(n) for n in range(12)], limit=3) == "0, 1 and 10 others"
    assert summary.stance_lists(summary.Summary(DAY, 0, 0, False, None, {}, (), (0, 0), (), (), {}, (),
                                                {"refuses": ("Pakistan",)}, None, None))[0] == (
        "Refuse to take part", ("Pakistan",))  # fmt: skip
    assert isinstance(pd.Timestamp(DAY), pd.Timestamp)


def test_on_hold_since_the_first_day_of_the_current_run_of_on_hold(tmp_path):
    rows = [
        row(statement_id="A", date="2026-01-10", status="on_hold"),
        row(statement_id="B", date="2026-02-01", status="committed"),
        row(statement_id="C", date="2026-03-16", status="on_hold"),
        row(statement_id="D", date="2026-03-17", status="on_hold"),
        row(statement_id="E", date="2026-03-20", status=""),  # states no status: the run goes on
    ]
    path = tmp_path / "positions.csv"
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    statements = load_dataset(path).statements
    assert summary.status_since(statements, "PAK", "on_hold", dt.date(2026, 3, 31)) == dt.date(2026, 3, 16)
    assert summary.status_since(statements, "PAK", "on_hold", dt.date(2026, 1, 31)) == dt.date(2026, 1, 10)
    assert summary.status_since(statements, "PAK", "on_hold", dt.date(2026, 2, 15)) is None  # committed now
