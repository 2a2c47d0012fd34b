"""Static views against Datasette: the database, the Datasette runner, the snapshot check and
the comparison in Chromium. Behaviour only; how fast any view opened is the benchmark's figure."""

from __future__ import annotations

import csv
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser

from bench import static_views
from bench.report import text_report
from bench.run import targets
from bench.server import Server
from tests.ledger_rows import FIXTURE


def ledger_rows() -> tuple[list[str], list[list[str]]]:
    with FIXTURE.open(encoding="utf-8", newline="") as source:
        header, *rows = csv.reader(source)
    return header, rows


def test_the_database_holds_exactly_the_ledger_rows_as_text_indexed_on_iso3(tmp_path):
    database = tmp_path / "ledger.db"
    header, rows = ledger_rows()
    assert static_views.build_database(FIXTURE, database) == len(rows) > 0
    with sqlite3.connect(database) as connection:
        columns = connection.execute(f"PRAGMA table_info({static_views.TABLE})").fetchall()
        stored = connection.execute(f"SELECT * FROM {static_views.TABLE} ORDER BY rowid").fetchall()
        indexed = connection.execute(f"PRAGMA index_list({static_views.TABLE})").fetchall()
        index_columns = [
            row[2] for index in indexed for row in connection.execute(f"PRAGMA index_info({index[1]})")
        ]
    assert [column[1] for column in columns] == header
    assert {column[2] for column in columns} == {"TEXT"}
    assert [list(row) for row in stored] == rows
    assert index_columns == ["iso3"]


def test_datasette_serves_the_filtered_view_with_one_country_s_rows(datasette: static_views.Datasette):
    with urllib.request.urlopen(datasette.url + static_views.DATASETTE_VIEW, timeout=10) as response:
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "rows-and-columns" in response.read().decode()
    shown = static_views.datasette_rows(datasette)
    expected = [row for row in ledger_rows()[1] if row[2] == "PAK"]
    assert len(shown) == len(expected) > 0
    assert {row["iso3"] for row in shown} == {"PAK"}
    assert sorted(row["statement_id"] for row in shown) == sorted(row[0] for row in expected)


def test_only_html_with_the_marker_counts_as_a_snapshot(server: Server, snapshot_stand_in: str):
    assert static_views.snapshot_available(snapshot_stand_in + "/s/map?country=PAK")
    assert not static_views.snapshot_available(snapshot_stand_in + "/s/shell")  # 200, HTML, no marker
    assert not static_views.snapshot_available(snapshot_stand_in + "/s/nothing")  # 404
    # The app: Streamlit answers unknown paths with its page shell; its health check is not HTML.
    assert not static_views.snapshot_available(server.url + "/s/no-such-page?country=PAK")
    assert not static_views.snapshot_available(server.url + "/_stcore/health")


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
def test_static_views_are_compared_with_datasette_and_a_missing_snapshot_is_skipped(
    browser: Browser, empty_page: Server, datasette: static_views.Datasette, snapshot_stand_in: str
):
    snapshots = {"map": "/s/map?country=PAK", "overview": "/s/overview?country=PAK"}
    figures = static_views.compare(browser, snapshot_stand_in, empty_page.url, datasette.url, 1, snapshots)
    assert figures["datasette"]["median_ms"] > 0
    assert figures["empty_page_ms"] > 0
    shown = figures["snapshots"]["map"]
    assert shown["available"] and shown["median_ms"] > 0
    assert shown["ratio_to_datasette"] == shown["median_ms"] / figures["datasette"]["median_ms"]
    assert figures["snapshots"]["overview"] == {"path": "/s/overview?country=PAK", "available": False}

    missing = browser_figures({**figures, "snapshots": {"overview": figures["snapshots"]["overview"]}})
    missing["targets"] = targets(missing)
    assert missing["targets"][-1]["value"] is None and missing["targets"][-1]["met"] is None
    report = text_report(missing)
    assert "snapshot: overview" in report and "not available yet" in report


def browser_figures(static: dict) -> dict:
    """Figures with only the static views measured (the other browser sections empty)."""
    return {
        "measured": "now",
        "machine": {"cpu": "cpu", "cores": 2, "memory_gib": 1, "system": "Linux", "python": "3.11"},
        "browser": {
            "repeats": 1,
            "cold_open": {"opens": 1, "empty_page_ms": 1.0, "pages": {"map": {
                "link": "/map", "median_ms": 2.0, "ratio_to_empty": 2.0, "runs_ms": [2.0], "charts": 1,
                "charts_drawn": 1}}},
            "filter_change": {"map": {
                "charts": 1, "main_median_ms": 1.0, "main_max_ms": 1.0, "redraw_median_ms": 1.0,
                "redraw_max_ms": 1.0, "settled_median_ms": 1.0, "kilobytes_median": 1.0, "kilobytes_max": 1.0,
                "geometry_requests": 0}},
            "static": {"available": True, "database_rows": 66, **static},
        },
    }  # fmt: skip
