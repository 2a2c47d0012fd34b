"""Static views against Datasette: the database, the snapshot check and the comparison in
Chromium. Behaviour only; how fast any view opened is the benchmark's figure."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import browser
from bench.report import targets
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


def test_only_html_with_the_marker_counts_as_a_snapshot(app: Server, snapshot_stand_in: str):
    assert browser.snapshot_served(snapshot_stand_in + "/s/map?country=PAK")
    assert not browser.snapshot_served(snapshot_stand_in + "/s/shell")  # 200, HTML, no marker
    assert not browser.snapshot_served(snapshot_stand_in + "/s/nothing")  # 404
    # The app: Streamlit answers unknown paths with its page shell; its health check is not HTML.
    assert not browser.snapshot_served(app.url + "/s/no-such-page?country=PAK")
    assert not browser.snapshot_served(app.url + "/_stcore/health")
    assert browser.snapshot_served(app.url + browser.SNAPSHOTS["map"])


class _Snapshots(BaseHTTPRequestHandler):
    """A stand-in for the app's snapshot route: /s/map is a snapshot, /s/shell a page without the
    marker (as Streamlit's shell is), anything else is not found."""

    def do_GET(self) -> None:
        if self.path.startswith(("/s/map", "/s/shell")):
            marker = b" data-isf-snapshot='map'" if self.path.startswith("/s/map") else b""
            body = b"<!doctype html><html><body><main%s>Pakistan</main></body></html>" % marker
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"Not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def snapshot_stand_in() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Snapshots)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
def test_static_views_are_compared_with_datasette_and_a_missing_snapshot_is_left_unmeasured(
    empty_page: Server, datasette: Server, snapshot_stand_in: str
):
    snapshots = {"map": "/s/map?country=PAK", "overview": "/s/overview?country=PAK"}
    static = in_chromium(
        lambda chromium: browser.static_views(
            chromium, snapshot_stand_in, empty_page.url, datasette.url, 1, snapshots
        )
    )
    rows = static["rows"]
    assert list(rows) == ["Datasette", "empty Streamlit page", "snapshot: map", "snapshot: overview"]
    assert rows["Datasette"]["× Datasette"] == 1.0 and rows["empty Streamlit page"]["median ms"] > 0
    assert (
        rows["snapshot: map"]["× Datasette"]
        == rows["snapshot: map"]["median ms"] / rows["Datasette"]["median ms"]
    )
    assert rows["snapshot: overview"] == {"path": "/s/overview?country=PAK", "median ms": None}
    only_missing = {"rows": {name: row for name, row in rows.items() if name != "snapshot: map"}}
    figures = {
        "reruns": {"rows": {}, "first load s": {"shipped": 0.1}, "errors": []},
        "static views": only_missing,
        "cold opens": {"rows": {}},
        "filter changes": {"rows": {}},
    }
    found = targets(figures)[-1]
    assert found["target"].startswith("static snapshot") and (found["value"], found["met"]) == (None, None)
