"""The column-wise check must give exactly what the model gives, row by row, on any input."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from isf_tracker.bench.synthetic import write_ledger as write_synthetic
from isf_tracker.bulk import load_statements, plainly_valid
from isf_tracker.csvfile import read_columns
from isf_tracker.ledger import (
    SHIPPED_DATA_DIR,
    frame_from_columns,
    load_dataset,
    load_table,
    statements_frame,
    validation_context,
)
from isf_tracker.schema import POSITION_COLUMNS, Statement
from tests.ledger_rows import GOOD, csv_text

TODAY = dt.date(2026, 11, 21)

#: Cells that are valid, nearly valid or plainly wrong, for random rows.
TRICKY = {
    "statement_id": ["T1", " T2 ", "\tT3", "\x1cT4", "T 5", "", "-T6", "T1", "X" * 41, "\u00a0T7"],
    "date": ["2025-11-29", "", " 2025-01-02 ", "2025-13-01", "2027-01-01", "2025-01-01T00:00:00", "20250101"],
    "iso3": ["PAK", "pak", " IDN", "ZZZ", "", "PAK\u00a0", "\x1cPAK"],
    "country": ["Pakistan", "Indonesia", " Pakistan ", "pakistan", ""],
    "status": ["conditional", "", " offered", "Offered", "maybe"],
    "troops_min": ["3500", "", "007", "+5", " 5", "-1", "1.0", "99999999999999999999", "0"],
    "troops_max": ["3500", "", "100", "20000", "1e3"],
    "troops_as_stated": ["", "about 3,500", "  "],
    "disarmament": ["refuses", " refuses", "unstated", "", "REFUSES"],
    "conditions": ["", "no_disarmament;unsc_mandate", " unsc_mandate ; ", ";;", "bogus",
                   "unsc_mandate;bogus"],
    "roles": ["", "troops", "troops; medical", "pilots"],
    "speaker": ["FM Ishaq Dar", "", " ", "\u2003Speaker"],
    "quote": ["", "We are not ready, \"for that\".", "  spaced  "],
    "source_url": ["https://example.org/a", "http://x.org", "javascript:alert(1)", "https://x",
                   " https://a.org/b ", "HTTPS://A.ORG", "https://a b.org", "https://a\u00a0b.org", ""],
    "source_outlet": ["Example", "", "  Outlet  "],
    "reliability": ["on_record", "reported", " reported", "", "maybe"],
    "notes": ["", "a note"],
    "date_precision": ["", "day", "unknown", "month", " month", "weekly"],
    "supersedes": ["", "T1", "T2", "T9", "bad id!", " T3 "],
}  # fmt: skip
COLUMNS = (*POSITION_COLUMNS, "date_precision", "supersedes")


def by_the_model(path, context):
    """What loading gave before the column-wise check: every row through `Statement`."""
    table = load_table(path, Statement, POSITION_COLUMNS, "statement_id", context)
    return statements_frame(table.records), [str(p) for p in table.problems]


def column_wise(path, context):
    lines, columns, problems = load_statements(path, context)
    return frame_from_columns(lines, columns), [str(p) for p in problems]


def assert_same(path, context) -> None:
    expected_frame, expected_problems = by_the_model(path, context)
    frame, problems = column_wise(path, context)
    assert problems == expected_problems
    pd.testing.assert_frame_equal(frame, expected_frame)


@pytest.fixture(scope="module")
def context():
    data = load_dataset(SHIPPED_DATA_DIR / "positions.csv", today=TODAY)
    names = dict(zip(data.countries["iso3"], data.countries["name"], strict=True))
    return validation_context(names, data.conditions, data.roles, TODAY)


def test_the_shipped_ledger_loads_the_same_both_ways(context):
    assert_same(SHIPPED_DATA_DIR / "positions.csv", context)


def test_a_synthetic_ledger_loads_the_same_both_ways_and_mostly_column_wise(tmp_path, context):
    path = write_synthetic(tmp_path, 3000)
    assert_same(path, context)
    plain, _ = plainly_valid(read_columns(path, POSITION_COLUMNS), context)
    assert plain.all()  # every synthetic row is plainly valid: none needed the model


def test_random_rows_of_tricky_cells_load_the_same_both_ways(tmp_path, context):
    rng = random.Random(7)
    path = tmp_path / "positions.csv"
    plain_rows = 0
    for case in range(40):
        rows = []
        for _ in range(50):
            cells = {**GOOD, "statement_id": f"R{len(rows)}", "date_precision": "", "supersedes": ""}
            for column in rng.sample(COLUMNS, rng.randrange(0, 4)):
                cells[column] = rng.choice(TRICKY[column])
            rows.append(cells)
        path.write_text(csv_text(rows, columns=COLUMNS), encoding="utf-8")
        try:
            assert_same(path, context)
        except AssertionError as exc:
            raise AssertionError(f"case {case}") from exc
        plain_rows += int(plainly_valid(read_columns(path, POSITION_COLUMNS), context)[0].sum())
    assert 200 < plain_rows < 40 * 50  # both paths were taken many times
