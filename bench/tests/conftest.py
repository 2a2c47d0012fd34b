"""The servers the benchmark's browser tests measure, each its own and stopped by its process id:
the app on a copy of the shipped data, the empty Streamlit page and Datasette. Without Chromium
these tests are skipped, except in CI ($CI set), where they fail."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.async_api import Browser

from bench import browser, server
from bench.chromium import CHROMIUM
from isf_tracker.web import limits

T = TypeVar("T")
#: The servers these tests start wait for a render however busy the machine is (no 503 after 6 s).
os.environ[limits.WAIT_ENV_VAR] = "600"


def in_chromium(work: Callable[[Browser], Awaitable[T]]) -> T:
    """`work` done in a Chromium of its own, on an event loop of its own."""

    async def run() -> T:
        async with browser.chromium() as chromium:
            return await work(chromium)

    return asyncio.run(run())


def _serving(start: Callable[[], server.Server]) -> Iterator[server.Server]:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    running = start()
    try:
        yield running
    finally:
        server.stop_server(running)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.Server]:
    data = server.copy_shipped_data(tmp_path_factory.mktemp("app") / "data")
    yield from _serving(lambda: server.start_server(data.parent))


@pytest.fixture(scope="session")
def empty_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.Server]:
    yield from _serving(lambda: server.start_empty_page(tmp_path_factory.mktemp("empty-page")))


@pytest.fixture(scope="session")
def datasette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.Server]:
    """Datasette serving a SQLite copy of the shipped ledger (the one the `app` fixture serves)."""
    database = tmp_path_factory.mktemp("datasette") / "ledger.db"
    browser.build_database(server.SHIPPED_DATA / "positions.csv", database)
    yield from _serving(lambda: server.start_datasette(database))
