"""The filter registry: URL parsing, writing, wording and applying, without Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from isf_tracker import filters
from isf_tracker.filters import Dropped, FilterState
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import FIXTURE

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def data():
    return load_dataset(FIXTURE)


def parse_query(query, choices):
    values, dropped = filters.parse(query, filters.FILTERS, choices)
    return FilterState(values), {key: [item.value for item in items] for key, items in dropped.items()}


@pytest.fixture(scope="module")
def choices(data):
    return filters.choices_for(data.statements, data.countries, data.conditions, today=TODAY)


def test_choices_come_from_the_ledger(choices):
    assert choices.countries["PAK"] == "Pakistan"
    assert len(choices.countries) == 9
    assert choices.regions["western-asia"] == "Western Asia"
    assert choices.region_of["XKX"] == "southeast-europe"
    assert choices.first_date == dt.date(2025, 8, 18)


def test_a_country_without_subregion_falls_back_to_its_region_then_other(data):
    countries = data.countries.copy()
    countries.loc[countries["iso3"] == "PAK", "subregion"] = float("nan")
    countries.loc[countries["iso3"] == "IDN", ["subregion", "region"]] = float("nan")
    choices = filters.choices_for(data.statements, countries, data.conditions, today=TODAY)
    assert choices.region_of["PAK"] == "asia"
    assert choices.region_of["IDN"] == "other"
    assert choices.regions["other"] == "Other"


def test_parse_keeps_valid_values_and_names_the_dropped_ones(choices):
    state, dropped = parse_query(
        {"country": ["PAK", "ZZZ", "IDN", "PAK"], "status": ["committed", "bogus"],
         "min_troops": ["abc"], "as_of": ["2025-13-01"], "reliability": ["on_record"]},
        choices,
    )  # fmt: skip
    assert state["country"] == ["PAK", "IDN"]
    assert state["status"] == ["committed"]
    assert state["min_troops"] == 0
    assert state["as_of"] is None
    assert state["reliability"] == "on_record"
    assert dropped == {"country": ["ZZZ"], "status": ["bogus"], "min_troops": ["abc"],
                       "as_of": ["2025-13-01"]}  # fmt: skip
    _, raw = filters.parse(
        {"country": ["ZZZ"], "min_troops": ["abc"], "as_of": ["2025-13-01"]}, filters.FILTERS, choices
    )
    assert filters.dropped_notice(raw) == (
        "Ignored in the link, not valid here: country=ZZZ, "
        "min_troops=abc (not a whole number from 0 to 1,000,000 in digits), as_of=2025-13-01 (no such date)."
    )


def test_dates_outside_the_record_say_which_dates_the_data_covers(choices):
    _, dropped = filters.parse({"as_of": ["2024-12-31"]}, filters.FILTERS, choices)
    assert dropped["as_of"] == [
        Dropped("2024-12-31", "before 2025-01-01; the data covers 2025-08-18 to 2026-06-18")
    ]
    state, dropped = parse_query({"as_of": ["2025-01-01"]}, choices)  # before the first statement: a view
    assert state["as_of"] == dt.date(2025, 1, 1) and dropped == {}


def test_a_notice_cuts_long_values_and_names_at_most_a_few():
    long = "x" * 100_000
    notice = filters.dropped_notice({"country": [Dropped(long)] + [Dropped(str(n)) for n in range(20)]})
    assert len(notice) < 400
    assert "x" * 39 + "…" in notice and notice.endswith(", and 13 more.")


@pytest.mark.parametrize("raw", ["-5", "1e3", "5.5", "", " 7", "²", "١٢", "99999999", "1000001"])
def test_min_troops_accepts_whole_numbers_only(raw, choices):
    state, dropped = parse_query({"min_troops": [raw]}, choices)
    assert state["min_troops"] == 0
    assert dropped == ({} if raw == "" else {"min_troops": [raw]})


@pytest.mark.parametrize("raw", ["2026-11-22", "2025-02-30", "31/12/2025", "2025-1-1", "２０２５-01-01"])
def test_as_of_must_be_a_real_past_date(raw, choices):
    _, dropped = parse_query({"as_of": [raw]}, choices)
    assert dropped == {"as_of": [raw]}


def test_round_trip_through_the_url_leaves_defaults_out(choices):
    query = {"country": ["IDN", "PAK"], "min_troops": ["1000"], "as_of": ["2026-03-31"]}
    state, dropped = parse_query(query, choices)
    assert dropped == {}
    assert filters.to_query(state) == query
    assert filters.to_query(FilterState({f.key: f.default for f in filters.FILTERS})) == {}


def test_description_in_plain_words(data, choices):
    state, _ = parse_query({"status": ["committed"], "as_of": ["2026-03-31"], "min_troops": ["500"]}, choices)
    view = filters.apply(data.statements, state, choices)
    assert view.description == (
        f"{len(view.positions)} of {len(view.all_positions)} countries · status: Committed · "
        "at least 500 troops · as of 2026-03-31"
    )


def test_apply_filters_countries_by_their_position_on_the_date(data, choices):
    state, _ = parse_query({"status": ["committed"], "as_of": ["2026-03-31"]}, choices)
    view = filters.apply(data.statements, state, choices)
    assert set(view.positions["iso3"]) == {"JOR", "KAZ"}  # Indonesia on hold, Morocco deployed by then
    assert set(view.statements["iso3"]) == set(view.positions["iso3"])
    assert view.statements["date"].max() <= dt.datetime(2026, 3, 31)


def test_as_of_end_of_2025_with_the_two_seed_countries(data, choices):
    state, _ = parse_query({"country": ["PAK", "IDN"], "as_of": ["2025-12-31"]}, choices)
    view = filters.apply(data.statements, state, choices)
    # Indonesia's latest figure by then is a reported 1,200 (S005, 29 Nov 2025).
    assert view.positions.set_index("iso3")["troops_high"].to_dict() == {"IDN": 1200, "PAK": 3500}
    assert view.description.startswith("2 of 5 countries · countries: Pakistan or Indonesia")


def test_on_record_only_drops_reported_statements_before_deriving(data, choices):
    state, _ = parse_query({"reliability": ["on_record"], "country": ["PAK"],
                                    "as_of": ["2025-12-31"]}, choices)  # fmt: skip
    pak = filters.apply(data.statements, state, choices).positions.iloc[0]
    assert pd.isna(pak["troops_high"]) and pd.isna(pak["troops_from"])  # S007 is not on record
    assert (pak["status"], pak["status_from"]) == ("conditional", "S008")


def test_region_condition_stance_and_min_troops(data, choices):
    def iso3s(query):
        state, dropped = parse_query(query, choices)
        assert dropped == {}
        return set(filters.apply(data.statements, state, choices).positions["iso3"])

    assert iso3s({"region": ["southeast-europe"]}) == {"XKX"}
    assert iso3s({"condition": ["no_disarmament"], "as_of": ["2025-12-31"]}) == {"PAK"}
    assert iso3s({"stance": ["will_disarm"]}) == set()
    assert iso3s({"stance": ["on_conditions", "no_troops"]}) == {"KAZ", "JOR"}
    assert iso3s({"min_troops": ["5000"], "as_of": ["2026-02-17"]}) == {"IDN"}
