"""Browser tests: a real `streamlit run app.py` server driven by the system Chromium.

The server reads a copy of the shipped data folder (ISF_TRACKER_DATA), so a test may
append a row without touching the repository. Playwright drives /usr/bin/chromium (or
$CHROMIUM_PATH); no browser is ever downloaded. Without Chromium the browser tests are
skipped, except in CI ($CI set), where they fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from isf_tracker.bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from isf_tracker.bench.server import ROOT, Server, copy_shipped_data, start_server, stop_server

__all__ = ["ROOT", "Server", "copy_shipped_data", "fresh_page", "open_view", "serving", "wait_for_app"]
APP = "[data-testid='stApp']"
SETTLE_MS = 300


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
    except Exception:
        playwright.stop()
        raise
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture(scope="session")
def server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on the shipped data, copied to a temporary folder, for the whole session.

    Depends on `browser` so that a missing Chromium skips before a server is started.
    """
    with serving(browser, tmp_path_factory.mktemp("isf-server") / "data") as running:
        yield running


@contextlib.contextmanager
def serving(browser: Browser, data_dir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A warmed-up server on a fresh copy of the shipped data, stopped afterwards.

    `env` is set only while the server starts (the subprocess copies the environment).
    """
    copy_shipped_data(data_dir)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        running = start_server(data_dir)
    try:
        warm_up(browser, running.url)
        yield running
    finally:
        stop_server(running)


def warm_up(browser: Browser, url: str) -> None:
    """Open the entry page once, so the server has run app.py's st.navigation.

    Streamlit decides on its first script run whether the app is a `pages/`-folder
    app (MPA v1); a first visit to a deep link such as /map is served without app.py
    until some session has opened /. test_a_fresh_server_serves_a_deep_link_first covers
    that case on a server of its own; every other test starts from a warmed-up server.
    """
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url + "/")
        wait_for_app(page, timeout=60_000)
    finally:
        context.close()


@contextlib.contextmanager
def fresh_page(browser: Browser, server: Server) -> Iterator[Page]:
    """A page in a new browser context, so a new Streamlit session."""
    context = browser.new_context(base_url=server.url, viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh browser context (so a fresh Streamlit session) for each test."""
    with fresh_page(browser, server) as new:
        yield new


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and its script run has finished, then settle."""
    app = page.locator(APP)
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    page.wait_for_timeout(SETTLE_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def open_view(page: Page, path_and_query: str) -> Page:
    """Open e.g. "/map?country=PAK" (relative to the server) and wait for the app."""
    page.goto(path_and_query)
    wait_for_app(page)
    return page
