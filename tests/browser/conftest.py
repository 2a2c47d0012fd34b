"""Browser tests: a real `streamlit run app.py` server driven by the system Chromium.

The server reads a copy of the fixture ledger (ISF_TRACKER_DATA), so a test may append a
row without touching the repository, and the shipped data may grow without breaking a test.
Playwright drives /usr/bin/chromium (or $CHROMIUM_PATH); no browser is ever downloaded.
Without Chromium the browser tests are skipped, except in CI ($CI set), where they fail.

Every wait is for a state of the page (the app connected and idle, a text shown, the
address bar saying something), never for a length of time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from bench.server import ROOT, Server, copy_shipped_data, start_server, stop_server
from tests.ledger_rows import FIXTURE_DIR

__all__ = ["ROOT", "VIEWPORT", "Server", "copy_data", "fresh_page", "open_view", "serving", "wait_for_app"]
APP = "[data-testid='stApp']"
#: Generous, for a machine busy with other work: a wait ends as soon as its state is reached.
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)

#: True once the app is connected, idle, and the run has drawn the sidebar's "Link to this
#: view" for the page in the address bar: it is the last element of every run.
_RUN_FINISHED = """
() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== "CONNECTED") return false;
  if (app.dataset.testScriptState !== "notRunning") return false;
  const link = document.querySelector("[data-testid='stSidebar'] .st-key-view-link a[href]");
  if (!link) return false;
  try {
    return new URL(link.href).pathname === window.location.pathname;
  } catch (e) {
    return false;
  }
}
"""


def copy_data(folder: Path) -> Path:
    """The fixture ledger and its vocabularies copied into `folder`; the positions.csv there."""
    return copy_shipped_data(folder, FIXTURE_DIR)


_KEYS = {"browser": pytest.StashKey[tuple](), "server": pytest.StashKey[Server]()}


def _once(config: pytest.Config, name: str, start: Callable[[], Any], stop: Callable[[Any], None]) -> Any:
    """One instance per test run, however many conftests ask for it (bench/tests shares these)."""
    key = _KEYS[name]
    if key not in config.stash:
        value = start()
        config.stash[key] = value
        config.add_cleanup(lambda: stop(value))
    return config.stash[key]


def _launch() -> tuple:
    playwright = sync_playwright().start()
    try:
        return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
    except Exception:
        playwright.stop()
        raise


def _close(launched: tuple) -> None:
    playwright, browser = launched
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Browser:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    return _once(request.config, "browser", _launch, _close)[1]


@pytest.fixture(scope="session")
def server(
    browser: Browser, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Server:
    """The app on a copy of the fixture ledger, for the whole session.

    Depends on `browser` so that a missing Chromium skips before a server is started.
    """

    def start() -> Server:
        data_dir = tmp_path_factory.mktemp("isf-server") / "data"
        copy_data(data_dir)
        return start_server(data_dir)

    return _once(request.config, "server", start, stop_server)


@contextlib.contextmanager
def serving(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server on a fresh copy of the fixture ledger, stopped afterwards.

    `env` is set only while the server starts (the subprocess copies the environment).
    """
    copy_data(data_dir)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        running = start_server(data_dir)
    try:
        yield running
    finally:
        stop_server(running)


@contextlib.contextmanager
def fresh_page(browser: Browser, server: Server, viewport: dict | None = None) -> Iterator[Page]:
    """A page in a new browser context, so a new Streamlit session."""
    context = browser.new_context(base_url=server.url, viewport=viewport or VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh browser context (so a fresh Streamlit session) for each test."""
    with fresh_page(browser, server) as new:
        yield new


def wait_for_app(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script run has finished and drawn the whole page."""
    page.wait_for_function(_RUN_FINISHED, timeout=timeout, polling=50)
    expect(page.locator(APP)).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def open_view(page: Page, path_and_query: str) -> Page:
    """Open e.g. "/map?country=PAK" (relative to the server) and wait for the app."""
    page.goto(path_and_query)
    wait_for_app(page)
    return page
