"""The benchmark's browser figures come from what really happened in the page.

Behaviour only: a cold open ends with the app idle and every chart the page rendered drawn,
a filter change is timed from its key press; how long any of it took is never asserted.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from streamlit.testing.v1 import AppTest

from bench import browser as bench
from bench import reruns
from bench.run import measure_cold_opens
from bench.server import Server
from isf_tracker import paths

pytestmark = pytest.mark.browser


def charts_rendered(server: Server, script: str) -> int:
    """How many Vega-Lite charts the page renders on the server's ledger, asked of AppTest: a
    count that owes nothing to the browser or to the benchmark."""
    with reruns.ledger(server.positions):
        app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
        app.run()
        app.switch_page(str(paths.pages_dir() / script))
        app.run()
    assert not app.exception
    return len(app.get("vega_lite_chart"))


def test_the_empty_page_opens_cold_until_its_run_has_finished_and_the_app_is_idle(
    browser: Browser, empty_page: Server
):
    opened = bench.cold_open(browser, empty_page.url, "empty page", "/", app=False)
    assert opened.runs >= 1  # the server said its script run finished
    assert opened.app_state == "CONNECTED notRunning"
    assert opened.ms > 0
    assert (opened.charts_sent, opened.charts_drawn) == (0, 0)


def test_cold_opens_wait_for_every_chart_the_page_renders_and_compare_with_the_empty_page(
    browser: Browser, server: Server, empty_page: Server
):
    rendered = charts_rendered(server, "charts.py")
    assert rendered > 0  # a chart page: "every chart drawn" must not pass on an empty list
    cold = measure_cold_opens(browser, server.url, empty_page.url, opens=1, links={"charts": "/charts"})
    assert cold["empty_page_ms"] > 0
    row = cold["pages"]["charts"]
    assert row["charts"] == rendered  # what the server sent in the run
    assert row["charts_drawn"] == rendered  # each visible and with its marks when the time was taken
    assert row["runs_ms"] == [row["median_ms"]]
    assert row["ratio_to_empty"] == row["median_ms"] / cold["empty_page_ms"]


def test_filter_changes_redraw_the_map_and_never_fetch_its_geometry_again(browser: Browser, server: Server):
    change = bench.filter_changes(browser, server.url, "map", "/map", repeats=2)
    assert change.charts == 1
    assert len(change.settled_ms) == len(change.main_ms) == len(change.redraw_ms) == 2
    for redraw, main, settled in zip(change.redraw_ms, change.main_ms, change.settled_ms, strict=True):
        assert 0 < redraw <= main <= settled  # the chart is in the main panel, which is in the page
    assert all(kilobytes > 0 for kilobytes in change.kilobytes)  # the rerun's messages were counted
    assert change.geometry_requests == 0


def test_filter_changes_on_a_table_page_time_the_main_panel(browser: Browser, server: Server):
    change = bench.filter_changes(browser, server.url, "sources", "/sources", repeats=2)
    assert change.charts == 0 and change.redraw_ms == []
    assert len(change.main_ms) == 2  # the table was redrawn after each key press, not before
    assert all(0 < main <= settled for main, settled in zip(change.main_ms, change.settled_ms, strict=True))
    assert all(kilobytes > 0 for kilobytes in change.kilobytes)
