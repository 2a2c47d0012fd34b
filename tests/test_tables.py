"""Display tables: the head a page shows is exactly the head of the whole table."""

from __future__ import annotations

import pandas as pd
import pytest

from isf_tracker import tables
from isf_tracker.bench.synthetic import write_ledger
from isf_tracker.ledger import SHIPPED_DATA_DIR, load_dataset


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def data(request, tmp_path_factory):
    if request.param == "shipped":
        return load_dataset(SHIPPED_DATA_DIR / "positions.csv")
    return load_dataset(write_ledger(tmp_path_factory.mktemp("synthetic"), 4000))  # many equal dates


@pytest.mark.parametrize("limit", [1, 7, 40, 500])
def test_the_newest_sources_give_the_head_of_the_sources_table(data, limit):
    whole = tables.sources_table(data.statements)
    head = tables.sources_table(tables.newest_sources(data.statements, limit))
    pd.testing.assert_frame_equal(head, whole.head(limit))


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
