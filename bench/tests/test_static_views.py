"""Static views against Datasette: the database, Datasette's view and the comparison in
Chromium. Behaviour only; how fast any view opened is the benchmark's figure."""

from __future__ import annotations

import csv
import json
import sqlite3
import urllib.request

import pytest

from bench import browser
from bench.server import SHIPPED_DATA, Server
from bench.tests.conftest import in_chromium

LEDGER = SHIPPED_DATA / "positions.csv"


def ledger_rows() -> tuple[list[str], list[list[str]]]:
    with LEDGER.open(encoding="utf-8", newline="") as source:
        header, *rows = csv.reader(source)
    return header, rows


def test_the_database_holds_exactly_the_ledger_rows_as_text_indexed_on_iso3(tmp_path):
    database = tmp_path / "ledger.db"
    header, rows = ledger_rows()
    assert browser.build_database(LEDGER, database) == len(rows) > 0
    with sqlite3.connect(database) as connection:
        columns = connection.execute("PRAGMA table_info(positions)").fetchall()
        stored = connection.execute("SELECT * FROM positions ORDER BY rowid").fetchall()
        indexed = connection.execute("PRAGMA index_list(positions)").fetchall()
        index_columns = [
            row[2] for index in indexed for row in connection.execute(f"PRAGMA index_info({index[1]})")
        ]
    assert [column[1] for column in columns] == header
    assert {column[2] for column in columns} == {"TEXT"}
    assert [list(row) for row in stored] == [row + [""] * (len(header) - len(row)) for row in rows]
    assert index_columns == ["iso3"]


def test_datasette_serves_the_filtered_view_with_one_country_s_rows(datasette: Server):
    with urllib.request.urlopen(datasette.url + browser.DATASETTE_VIEW, timeout=10) as response:
        assert response.headers.get_content_type() == "text/html"
        assert "rows-and-columns" in response.read().decode()
    path, _, query = browser.DATASETTE_VIEW.partition("?")
    with urllib.request.urlopen(
        f"{datasette.url}{path}.json?{query}&_shape=array&_size=max", timeout=10
    ) as got:
        shown = json.loads(got.read())
    expected = [row for row in ledger_rows()[1] if row[2] == "PAK"]
    assert len(shown) == len(expected) > 0
    assert sorted(row["statement_id"] for row in shown) == sorted(row[0] for row in expected)


@pytest.mark.browser
def test_static_views_are_compared_with_datasette(app: Server, empty_page: Server, datasette: Server):
    static = in_chromium(
        lambda chromium: browser.static_views(chromium, app.url, empty_page.url, datasette.url, 1)
    )
    rows = static["rows"]
    assert list(rows) == ["Datasette", "empty Streamlit page", "snapshot: overview", "snapshot: map"]
    assert rows["Datasette"]["× Datasette"] == 1.0 and rows["empty Streamlit page"]["median ms"] > 0
    for page, path in browser.SNAPSHOTS.items():
        row = rows[f"snapshot: {page}"]
        assert row["path"] == path and row["× Datasette"] == row["median ms"] / rows["Datasette"]["median ms"]
