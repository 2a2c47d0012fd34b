"""Display tables: the head a page shows is exactly the head of the whole table."""

from __future__ import annotations

import pandas as pd
import pytest

from isf_tracker import tables
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import FIXTURE, csv_text, row


def many_equal_dates(folder) -> pd.DataFrame:
    """4,000 statements on six days, some undated: ties everywhere for the ordering to break."""
    days = ["2025-11-01", "2025-11-02", "2025-12-31", "2026-01-05", "2026-02-19", ""]
    precision = ["", "", "", "", "", "unknown"]
    rows = [row(statement_id=f"T{n}", date=days[n % 6], date_precision=precision[n % 6]) for n in range(4000)]
    path = folder / "positions.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    return load_dataset(path)


@pytest.fixture(scope="module", params=["fixture", "ties"])
def data(request, tmp_path_factory):
    if request.param == "fixture":
        return load_dataset(FIXTURE)
    return many_equal_dates(tmp_path_factory.mktemp("ties"))


@pytest.mark.parametrize("limit", [1, 7, 40, 500])
def test_the_newest_statements_give_the_head_of_the_ledger_table(data, limit):
    whole = tables.ledger_table(data.statements, data.conditions, data.roles)
    head = tables.ledger_table(tables.newest_statements(data.statements, limit), data.conditions, data.roles)
    pd.testing.assert_frame_equal(head, whole.head(limit))


def test_the_sources_table_lists_newest_first_and_undated_sources_last():
    statements = pd.DataFrame(
        {
            "statement_id": ["A", "B", "C", "D"],
            "date": pd.to_datetime(["2025-01-01", None, "2025-03-01", "2025-03-01"]),
            "line": [2, 3, 4, 5],
            "source_url": ["https://a.org/1", "https://b.org/2", "https://d.org/3", "https://c.org/4"],
            "source_outlet": ["A", "B", "D", "C"],
            "reliability": ["on_record"] * 4,
            "country": ["Pakistan"] * 4,
        }
    )
    table = tables.sources_table(statements)
    assert list(table["Source"]) == [
        "https://c.org/4",
        "https://d.org/3",
        "https://a.org/1",
        "https://b.org/2",
    ]
