"""Derived data is cached by named functions on their arguments: one computation per version and view."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from isf_tracker import derived, filters, matrix
from isf_tracker.derived import ViewKey
from isf_tracker.vegaspec import stable_spec
from tests.ledger_rows import FIXTURE, csv_text, row

TODAY = dt.date(2026, 12, 1)


def key_for(query: dict[str, list[str]], positions=FIXTURE) -> ViewKey:
    return ViewKey.of(derived.version_of(positions), query, TODAY)


def test_the_same_view_is_computed_once_and_shared():
    key = key_for({"country": ["PAK", "IDN"], "as_of": ["2025-12-31"]})
    assert derived.view(key) is derived.view(key)
    assert derived.answer(key) is derived.answer(key)
    assert derived.view(key) is derived.view(key_for({"as_of": ["2025-12-31"], "country": ["PAK", "IDN"]}))


def test_a_view_holds_what_its_url_asks_for():
    view = derived.view(key_for({"country": ["PAK", "IDN"], "as_of": ["2025-12-31"]}))
    assert view.as_of == dt.date(2025, 12, 31)
    assert sorted(view.positions["iso3"]) == ["IDN", "PAK"]
    assert view.as_of_set and view.dated == view.as_of
    assert [
        c.name
        for c in derived.answer(key_for({"country": ["PAK", "IDN"], "as_of": ["2025-12-31"]})).countries
    ] == [
        "Indonesia",
        "Pakistan",
    ]
    latest = derived.view(key_for({}))
    assert not latest.as_of_set and latest.dated == latest.record_date < TODAY  # the record's date, not today


def test_different_views_are_different_entries():
    everyone = derived.view(key_for({}))
    pakistan = derived.view(key_for({"country": ["PAK"]}))
    assert len(pakistan.positions) == 1 < len(everyone.positions)


def test_an_edit_of_the_file_is_a_new_version(tmp_path):
    path = tmp_path / "positions.csv"
    path.write_text(csv_text([row(statement_id="A")]), encoding="utf-8")
    first = derived.view(key_for({}, path))
    path.write_text(csv_text([row(statement_id="A"), row(statement_id="B", iso3="IDN", country="Indonesia")]))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later edit, even within a tick
    second = derived.view(key_for({}, path))
    assert (len(first.positions), len(second.positions)) == (1, 2)


def test_the_url_form_of_a_state_reads_back_as_the_same_state():
    choices = derived.choices(derived.version_of(FIXTURE), TODAY)
    defaults = {f.key: f.default for f in filters.FILTERS}
    state = filters.FilterState(
        {**defaults, "country": ["PAK"], "min_troops": 100, "as_of": dt.date(2026, 3, 1)}
    )
    assert filters.state_from_query(filters.to_query(state), choices) == state


def test_a_chart_of_more_rows_than_altair_allows_by_default_still_builds(tmp_path):
    """A large ledger gives a matrix of thousands of cells: it must draw, not raise MaxRowsError."""
    codes = ["PAK", "IDN", "AZE", "EGY", "TUR", "JOR", "ITA", "QAT"]
    rows = [row(statement_id=f"S{n:05d}", iso3=codes[n % len(codes)], date="2025-11-01",
                conditions="unsc_mandate;no_disarmament") for n in range(len(codes))]  # fmt: skip
    path = tmp_path / "positions.csv"
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    key = ViewKey.of(derived.version_of(path), {}, dt.date(2026, 12, 2))
    cells = derived.matrix_cells(key)
    many = pd.concat([cells] * (5001 // len(cells) + 1), ignore_index=True)
    assert len(many) > 5000
    spec = stable_spec(
        matrix.chart(many, sorted(many["country"].unique()), list(many["column"].unique())), "m"
    )
    assert len(spec["datasets"]["m-0"]) == len(many)
