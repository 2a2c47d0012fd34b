"""The benchmark's browser tests share the browser tests' Chromium and server fixtures, and add
the baselines the benchmark measures against: an empty Streamlit page and Datasette."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bench import static_views
from bench.server import Server, start_empty_page, stop_server
from tests.browser.conftest import browser, server  # noqa: F401  (pytest finds fixtures by name)
from tests.ledger_rows import FIXTURE


@pytest.fixture(scope="session")
def empty_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`streamlit run` of a page holding only `import streamlit as st`, started as the app is.

    Asks for `browser` first, so that a missing Chromium skips before a server is started.
    """
    request.getfixturevalue("browser")
    running = start_empty_page(tmp_path_factory.mktemp("empty-page") / "page")
    try:
        yield running
    finally:
        stop_server(running)


@pytest.fixture(scope="session")
def datasette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[static_views.Datasette]:
    """Datasette serving a SQLite copy of the fixture ledger (the one the `server` fixture serves)."""
    if not static_views.datasette_installed():
        reason = "Datasette is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    database = tmp_path_factory.mktemp("datasette") / f"{static_views.DATABASE}.db"
    static_views.build_database(FIXTURE, database)
    running = static_views.start_datasette(database)
    try:
        yield running
    finally:
        static_views.stop_datasette(running)
