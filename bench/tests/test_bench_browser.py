"""The benchmark's browser figures come from what really happened in the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from bench import browser as bench
from bench.server import Server

pytestmark = pytest.mark.browser


def test_a_cold_load_waits_for_every_chart_to_be_drawn(browser: Browser, server: Server):
    load = bench.cold_load(browser, server.url, "charts", "/charts")
    assert load.charts == 3  # troop ranges, mandate coverage, timeline
    assert load.cold_load_ms > 0


def test_filter_changes_redraw_the_map_and_never_fetch_its_geometry_again(browser: Browser, server: Server):
    change = bench.filter_changes(browser, server.url, "map", "/map", repeats=2)
    assert len(change.settled_ms) == 2
    assert len(change.redraw_ms) == 2  # the chart changed after each trigger, not before
    pairs = zip(change.redraw_ms, change.settled_ms, strict=True)
    assert all(0 < redraw <= settled for redraw, settled in pairs)
    assert all(kilobytes > 0 for kilobytes in change.kilobytes)  # the rerun's messages were counted
    assert change.geometry_requests == 0
