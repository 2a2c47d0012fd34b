"""Static views against Datasette: the same ledger, the same filter, opened cold in Chromium.

Datasette (a `bench` extra) serves a SQLite copy of the ledger the app serves: one table,
`positions`, every column as text, indexed on iso3. Its filtered table view
(`/ledger/positions?iso3=PAK`) is the baseline for our static snapshots (`/s/<page>?country=PAK`),
and the empty Streamlit page is measured the same way beside them. Every page is judged as a
static page is: until the load event, its known element present, and no request nor change to
the page for a while (bench/browser.py, `static_open`).

A snapshot route that does not exist yet is reported as "not available yet", never a failure:
Streamlit answers any unknown path with its page shell (200, text/html), so a snapshot counts
as served only when its HTML carries the `data-isf-snapshot` marker.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.server import free_port, stop_process, wait_until_answering

if TYPE_CHECKING:  # Playwright only when measuring: `python -m bench --no-browser` needs none
    from playwright.sync_api import Browser

    from bench.browser import ColdOpen

TABLE = "positions"
DATABASE = "ledger"
#: Datasette's filtered table view: the rows of one country (Datasette's `column=value` filter).
DATASETTE_VIEW = f"/{DATABASE}/{TABLE}?iso3=PAK"
DATASETTE_SELECTOR = "table.rows-and-columns"
#: Our static snapshots, each with the same filter as DATASETTE_VIEW.
SNAPSHOTS = {"overview": "/s/overview?country=PAK", "map": "/s/map?country=PAK"}
SNAPSHOT_MARKER = "data-isf-snapshot"
SNAPSHOT_SELECTOR = f"[{SNAPSHOT_MARKER}]"
NOT_AVAILABLE = "not available yet"
START_TIMEOUT_S = 60


def build_database(ledger_csv: Path, database: Path) -> int:
    """Copy `ledger_csv` into a new SQLite file: table `positions`, every column TEXT as in the CSV,
    an index on iso3. Returns the number of rows."""
    database.unlink(missing_ok=True)
    with ledger_csv.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        rows = [row + [""] * (len(header) - len(row)) for row in reader]
    columns = ", ".join(f'"{name}" TEXT' for name in header)
    marks = ", ".join("?" for _ in header)
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute(f"CREATE TABLE {TABLE} ({columns})")
            connection.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", rows)
            connection.execute(f"CREATE INDEX {TABLE}_iso3 ON {TABLE} (iso3)")
    finally:
        connection.close()
    return len(rows)


@dataclass
class Datasette:
    """A running `datasette serve`: its process, address and log."""

    process: subprocess.Popen
    url: str
    log: Path


def datasette_installed() -> bool:
    try:
        import datasette  # noqa: F401
    except ImportError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_datasette(database: Path, port: int | None = None) -> Datasette:
    """`datasette serve database` on a loopback port; waits until it answers."""
    port = port or free_port()
    log = database.parent / f"datasette-{port}.log"
    command = [sys.executable, "-m", "datasette", "serve", str(database),
               "--port", str(port), "--host", "127.0.0.1"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=database.parent, stdout=out, stderr=out)
    server = Datasette(process, f"http://127.0.0.1:{port}", log)
    wait_until_answering(
        process, lambda: _answers(f"{server.url}/-/versions.json"), "datasette",
        lambda: log.read_text(errors="replace"), START_TIMEOUT_S,
    )  # fmt: skip
    return server


def stop_datasette(server: Datasette) -> None:
    stop_process(server.process)


def datasette_rows(server: Datasette, view: str = DATASETTE_VIEW) -> list[dict[str, str]]:
    """The rows of a table view, from its JSON twin (for checking what the view shows)."""
    path, _, query = view.partition("?")
    url = f"{server.url}{path}.json?{query}&_shape=array&_size=max"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def snapshot_available(url: str) -> bool:
    """True when `url` answers 200 with HTML carrying the snapshot marker."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            kind = response.headers.get("content-type", "")
            body = response.read(2_000_000).decode("utf-8", errors="replace")
            return response.status == 200 and kind.startswith("text/html") and SNAPSHOT_MARKER in body
    except (urllib.error.URLError, OSError):
        return False


def compare(
    browser: Browser,
    app_url: str,
    empty_url: str,
    datasette_url: str,
    opens: int = 3,
    snapshots: Mapping[str, str] = SNAPSHOTS,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Cold opens of Datasette's view, of each snapshot that exists and of the empty Streamlit page,
    `opens` rounds of each in turn; each median, and each snapshot's ratio to Datasette."""
    from bench.browser import static_open, streamlit_static_open

    available = {page: snapshot_available(app_url + path) for page, path in snapshots.items()}
    for page, path in snapshots.items():
        if not available[page]:
            log(f"static snapshot {path}: {NOT_AVAILABLE} (no HTML with {SNAPSHOT_MARKER})")
    measures: dict[str, Callable[[], ColdOpen]] = {
        "datasette": lambda: static_open(
            browser, datasette_url + DATASETTE_VIEW, "datasette", DATASETTE_SELECTOR
        ),
        "empty_page": lambda: streamlit_static_open(browser, empty_url, "empty page"),
    }
    for page, path in snapshots.items():
        if available[page]:
            measures[f"snapshot {page}"] = lambda path=path, page=page: static_open(
                browser, app_url + path, page, SNAPSHOT_SELECTOR
            )
    times: dict[str, list[float]] = {name: [] for name in measures}
    failed: dict[str, str] = {}
    for _ in range(opens):  # in rounds, so a busy moment of the machine falls on every view alike
        for name, measure in measures.items():
            if name in failed:
                continue
            try:
                times[name].append(measure().ms)
            except Exception as exc:  # a snapshot being built may not open yet: reported, never fatal
                if not name.startswith("snapshot "):
                    raise
                failed[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                log(f"static {name}: could not be measured ({failed[name]})")
    for name in failed:
        available[name.removeprefix("snapshot ")] = False
    medians = {name: statistics.median(values) for name, values in times.items() if name not in failed}
    return {
        "opens": opens,
        "datasette": {
            "path": DATASETTE_VIEW,
            "median_ms": medians["datasette"],
            "runs_ms": times["datasette"],
        },
        "empty_page_ms": medians["empty_page"],
        "snapshots": {
            page: (
                {
                    "path": path,
                    "available": True,
                    "median_ms": medians[f"snapshot {page}"],
                    "runs_ms": times[f"snapshot {page}"],
                    "ratio_to_datasette": medians[f"snapshot {page}"] / medians["datasette"],
                }
                if available[page]
                else {"path": path, "available": False, **_why(failed.get(f"snapshot {page}"))}
            )
            for page, path in snapshots.items()
        },
    }


def _why(error: str | None) -> dict[str, str]:
    return {"error": error} if error else {}
