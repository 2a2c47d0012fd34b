"""The answer in words, on small ledgers worked out by hand: every sentence asserted exactly, for
every stance and every basis (on record, reported, unconfirmed), so the words readers quote are
never stronger than the evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from isf_tracker import filters, summary
from isf_tracker import vocabulary as words
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import csv_text, row

DAY = dt.date(2026, 3, 31)
PAK = {"iso3": "PAK", "country": "Pakistan"}
IDN = {"iso3": "IDN", "country": "Indonesia"}
JOR = {"iso3": "JOR", "country": "Jordan"}
MAR = {"iso3": "MAR", "country": "Morocco"}
SAU = {"iso3": "SAU", "country": "Saudi Arabia"}
NOTHING = {"troops_min": "", "troops_max": "", "troops_as_stated": "", "conditions": "", "quote": ""}
RECORD = "As of the latest statements in the record"


def made(write_ledger, rows, query: dict | None = None, day: dt.date | None = None) -> summary.Summary:
    data = load_dataset(write_ledger(csv_text(rows)))
    assert data.problems == ()
    choices = filters.choices_for(
        data.statements, data.countries, data.conditions, today=dt.date(2026, 12, 1)
    )
    asked = {**(query or {}), **({"as_of": [day.isoformat()]} if day else {})}
    view = filters.apply(data.statements, filters.state_from_query(asked, choices), choices)
    filtered = any(k != "as_of" for k in asked)
    return summary.summarise(
        view.positions,
        view.all_positions,
        data.statements,
        data.tasks,
        view.as_of,
        filtered,
        day is not None,
        data.translations,
        {c: e.label for c, e in data.roles.items()},
    )


def answer(write_ledger, rows, query: dict | None = None, day: dt.date | None = None) -> list[str]:
    return summary.sentences(made(write_ledger, rows, query, day))


#: One country's stance, by how it is known: the sentence the answer gives, word for word.
STANCE_SENTENCES = {
    "will_disarm": "has said it would take part in disarming Hamas",
    "on_conditions": "has said it would take part in disarming Hamas only on conditions",
    "refuses": "has explicitly ruled out taking part in disarming Hamas",
    "rules_out_combat": "has ruled out combat or peace enforcement, which disarming Hamas would need, but "
    "has not spoken of disarming Hamas as such",
    "no_troops": "has said it will send no troops, so the question of disarming Hamas does not arise for it",
    "sequencing_only": "has spoken only of when Hamas should disarm, not of its own part in it",
    "unstated": "has not addressed whether it would take part in disarming Hamas",
}
NAMED = {
    "on_record": "Pakistan",
    "reported": "Pakistan (reportedly)",
    "unconfirmed": "Pakistan (unconfirmed)",
}


@pytest.mark.parametrize("reliability", list(NAMED))
@pytest.mark.parametrize("stance", list(words.CURRENT_STANCES))
def test_every_stance_by_every_basis_reads_as_strong_as_its_evidence(write_ledger, stance, reliability):
    rows = [
        row(
            statement_id="A",
            status="considering",
            disarmament=stance,
            reliability=reliability,
            **{**PAK, **NOTHING},
        )
    ]
    said = answer(write_ledger, rows)
    name = "Pakistan" if stance == "unstated" else NAMED[reliability]  # nothing said, nothing to qualify
    assert said[0] == f"{RECORD}, 29 November 2025, {name} {STANCE_SENTENCES[stance]}."


def test_an_explicit_stance_outlasts_a_later_inference_and_is_cited_from_the_record(write_ledger):
    rows = [
        row(statement_id="A", date="2025-12-27", disarmament="refuses", reliability="on_record", **PAK),
        row(statement_id="B", date="2026-02-19", disarmament="refuses", reliability="reported", **PAK),
        row(
            statement_id="C",
            date="2026-03-01",
            disarmament="rules_out_combat",
            reliability="on_record",
            **PAK,
        ),
    ]
    summed = made(write_ledger, rows)
    pakistan = summed.countries[0]
    assert (pakistan.stance, pakistan.stance_said.statement_id) == ("refuses", "A")
    assert summary.sentences(summed)[0] == f"{RECORD}, 1 March 2026, Pakistan {STANCE_SENTENCES['refuses']}."


def test_a_country_that_says_it_will_take_part(write_ledger):
    rows = [
        row(
            statement_id="A",
            status="offered",
            disarmament="will_disarm",
            troops_min="500",
            troops_max="500",
            troops_as_stated="500 troops",
            **{**IDN, "conditions": "", "quote": ""},
        ),
        row(statement_id="B", status="considering", disarmament="unstated", **{**PAK, **NOTHING}),
    ]
    assert answer(write_ledger, rows) == [
        f"{RECORD}, 29 November 2025, 1 of the 2 countries taking part in the force or considering it has "
        "said it would take part in disarming Hamas.",
        "Indonesia has said it would take part.",
        "Pakistan has not addressed it.",
        "Of the 2 countries, 2 take part in the force or consider it. Offered: Indonesia. "
        "Considering: Pakistan.",
        'Troop figures, by how they are known: Indonesia "500 troops", on record, offered. 1 other has '
        "stated no figure. Only the figures of Indonesia could count towards demilitarising Gaza.",
    ]


def test_a_country_that_would_take_part_only_on_conditions_and_one_reportedly_refusing(write_ledger):
    rows = [
        row(
            statement_id="A",
            status="conditional",
            disarmament="on_conditions",
            conditions="unsc_mandate",
            **{**IDN, "troops_min": "", "troops_max": "", "troops_as_stated": ""},
        ),
        row(
            statement_id="B",
            status="considering",
            disarmament="refuses",
            reliability="reported",
            **{**PAK, **NOTHING},
        ),
    ]
    assert answer(write_ledger, rows)[:3] == [
        f"{RECORD}, 29 November 2025, 1 of the 2 countries taking part in the force or considering it has "
        "said it would take part in disarming Hamas.",
        "Indonesia has said it would take part only on conditions.",
        "Pakistan (reportedly) has ruled it out explicitly.",
    ]


def test_a_figure_its_government_later_calls_undecided_is_never_counted_as_an_offer(write_ledger):
    rows = [
        row(
            statement_id="A",
            date="2025-12-22",
            status="considering",
            disarmament="unstated",
            reliability="unconfirmed",
            **{**PAK, "troops_as_stated": "around 3,500 troops", "conditions": ""},
        ),
        row(
            statement_id="B",
            date="2026-01-08",
            status="considering",
            disarmament="unstated",
            reliability="on_record",
            **{**PAK, **NOTHING},
        ),
        row(
            statement_id="C",
            date="2026-03-20",
            status="deployed",
            disarmament="unstated",
            troops_min="4",
            troops_max="4",
            troops_as_stated="4 officers",
            quote="Officers have arrived in Israel",
            source_outlet="AFP",
            conditions="",
            **MAR,
        ),
    ]
    said = answer(write_ledger, rows)
    assert said[-2] == (
        'The one deployment: Morocco, "4 officers": "Officers have arrived in Israel" (AFP, 20 Mar 2026).'
    )
    assert said[-1] == (
        'Troop figures, by how they are known: Morocco "4 officers", on record, in place; Pakistan '
        '"around 3,500 troops", an unconfirmed report, since called undecided by its government '
        "(8 January 2026). None of these figures is for demilitarising Gaza: no country with a figure "
        "has said it would take part in disarming Hamas."
    )
    assert "add up" not in " ".join(said)  # no total mixes the record with a report


def test_a_view_where_every_country_is_unconfirmed(write_ledger):
    rows = [
        row(
            statement_id="A",
            status="considering",
            disarmament="refuses",
            reliability="unconfirmed",
            **{**PAK, "troops_as_stated": "about 3,500"},
        ),
        row(
            statement_id="B",
            status="offered",
            disarmament="unstated",
            reliability="unconfirmed",
            troops_min="100",
            troops_max="150",
            troops_as_stated="",
            **{**IDN, "conditions": "", "quote": ""},
        ),
    ]
    assert answer(write_ledger, rows) == [
        f"{RECORD}, 29 November 2025, none of the 2 countries taking part in the force or considering it has "
        "said it would take part in disarming Hamas.",
        "Pakistan (unconfirmed) has ruled it out explicitly.",
        "Indonesia has not addressed it.",
        "Of the 2 countries, 2 take part in the force or consider it. Offered: Indonesia. "
        "Considering: Pakistan.",
        'Troop figures, by how they are known: Pakistan "about 3,500", an unconfirmed report, under '
        "consideration; Indonesia 100–150, an unconfirmed report, offered. None of these figures is for "
        "demilitarising Gaza: no country with a figure has said it would take part in disarming Hamas.",
    ]


def test_countries_not_joining_are_asked_nothing_and_listed_in_their_own_words(write_ledger):
    rows = [
        row(
            statement_id="A",
            status="declined",
            disarmament="sequencing_only",
            reliability="reported",
            quote="as long as Hamas refuses to disarm, Saudi Arabia will not take part",
            source_outlet="Israel Hayom",
            **{**SAU, "troops_min": "", "troops_max": "", "troops_as_stated": "", "conditions": ""},
        ),
        row(
            statement_id="B",
            status="committed",
            disarmament="no_troops",
            roles="police_training",
            **{**JOR, **NOTHING},
        ),
    ]
    assert answer(write_ledger, rows)[:4] == [
        f"{RECORD}, 29 November 2025, Jordan, the only one of the 2 taking part in the force or considering "
        "it, has not said it would take part in disarming Hamas.",
        "Jordan has said it will send no troops.",
        'Not joining the force: Saudi Arabia (reportedly): "as long as Hamas refuses to disarm, Saudi Arabia '
        'will not take part" (Israel Hayom, 29 Nov 2025).',
        "Of the 2 countries, 1 takes part in the force or considers it. Committed: Jordan (police training).",
    ]


def test_a_chosen_day_dates_the_answer_and_committed_countries_that_moved_on_are_named(write_ledger):
    rows = [
        row(
            statement_id="A",
            date="2026-02-19",
            status="committed",
            disarmament="unstated",
            roles="troops",
            **{**IDN, **NOTHING},
        ),
        row(
            statement_id="B",
            date="2026-03-16",
            status="on_hold",
            disarmament="unstated",
            **{**IDN, **NOTHING},
        ),
        row(
            statement_id="C",
            date="2026-03-17",
            status="on_hold",
            disarmament="unstated",
            troops_max="8000",
            troops_as_stated="up to 8,000",
            **{**IDN, "troops_min": "", "conditions": "", "quote": ""},
        ),
    ]
    said = answer(write_ledger, rows, day=DAY)
    assert said[0] == (
        "As of 31 March 2026, Indonesia has not addressed whether it would take part in disarming Hamas."
    )
    assert 'Indonesia "up to 8,000", on record, on hold since 16 March 2026' in said[-2]
    assert (
        said[-1] == "Named as committed earlier, changed since: Indonesia (now on hold since 16 March 2026)."
    )


def test_nothing_matches_the_filters(write_ledger):
    assert answer(write_ledger, [row(statement_id="A", **PAK)], {"stance": ["will_disarm"]}) == [
        "No country matches these filters on 1 December 2026, out of the 1 country with a position."
    ]


def test_a_day_before_the_first_statement(write_ledger):
    assert answer(write_ledger, [row(statement_id="A", **PAK)], day=dt.date(2025, 1, 1)) == [
        "No country had stated a position on the force by 1 January 2025. "
        "The first statement in the record is from 29 November 2025."
    ]


def test_filters_are_said_to_narrow_the_view(write_ledger):
    rows = [
        row(statement_id="A", **PAK),
        row(statement_id="B", status="offered", disarmament="will_disarm", conditions="", **IDN),
    ]
    said = answer(write_ledger, rows, {"country": ["IDN"]})
    assert said[0] == f"{RECORD}, 29 November 2025, Indonesia has said it would take part in disarming Hamas."
    assert said[1] == "These filters show 1 of the 2 countries with a position on the force."
    assert said[2] == "Indonesia has offered to take part."  # one country: a sentence of its own


def test_plurals_and_lists():
    assert [summary.plural(n, "country", "countries") for n in (1, 2, 1234)] == [
        "1 country",
        "2 countries",
        "1,234 countries",
    ]
    assert summary.names(["A"]) == "A" and summary.names(["A", "B"]) == "A and B"
    assert summary.names([str(n) for n in range(12)]) == "0, 1, 2, 3, 4, 5, 6, 7, 8 and 3 others"


def test_the_record_says_its_own_date_never_today():
    assert summary.currency(
        dt.date(2026, 6, 18), dt.date(2026, 12, 2), dt.date(2026, 7, 1), dt.date(2026, 12, 3)
    ) == (
        "Record as of 18 June 2026, its latest statement (6 months ago); sources searched to about "
        "1 July 2026; checked against them on 2 December 2026."
    )
    assert summary.dated_phrase(dt.date(2026, 6, 18), False) == "record as of 18 June 2026"
    assert summary.dated_phrase(dt.date(2025, 12, 31), True) == "as of 31 December 2025"
    assert summary.is_stale(dt.date(2026, 6, 18), dt.date(2026, 12, 3))
    assert not summary.is_stale(dt.date(2026, 11, 18), dt.date(2026, 12, 3))


def test_on_hold_since_the_first_day_of_the_current_run_of_on_hold(write_ledger):
    rows = [
        row(statement_id="A", date="2026-01-10", status="on_hold"),
        row(statement_id="B", date="2026-02-01", status="committed"),
        row(statement_id="C", date="2026-03-16", status="on_hold"),
        row(statement_id="D", date="2026-03-17", status="on_hold"),
        row(statement_id="E", date="2026-03-20", status=""),  # states no status: the run goes on
    ]
    said = {day: answer(write_ledger, rows, day=day)[1] for day in (DAY, dt.date(2026, 1, 31))}
    assert said[DAY] == "Pakistan has put its part on hold since 16 March 2026."
    assert said[dt.date(2026, 1, 31)] == "Pakistan has put its part on hold since 10 January 2026."
    committed = answer(write_ledger, rows, day=dt.date(2026, 2, 15))
    assert committed[1].startswith("Pakistan has committed to take part")  # no "since": committed now
