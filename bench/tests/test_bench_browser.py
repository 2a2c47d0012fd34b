"""The benchmark's browser figures come from what really happened in the page.

Behaviour only: a cold open ends with the app idle and every chart the page rendered drawn, a
filter change is timed from its key press, an input the server never got is lost rather than
timed, an error in the page is counted; how long any of it took is never asserted.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from bench import browser, reruns
from bench.server import Server
from bench.tests.conftest import in_chromium
from isf_tracker import paths

pytestmark = pytest.mark.browser


def charts_rendered(app: Server, script: str) -> int:
    """How many Vega-Lite charts the page renders on the server's ledger, asked of AppTest: a
    count that owes nothing to the browser or to the benchmark."""
    with reruns.ledger(app.positions):
        test = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
        test.run()
        test.switch_page(str(paths.pages_dir() / script))
        test.run()
    assert not test.exception
    return len(test.get("vega_lite_chart"))


def test_the_empty_page_opens_cold_until_its_run_has_finished(empty_page: Server):
    opened = in_chromium(lambda chromium: browser.cold_open(chromium, empty_page.url + "/", heading=False))
    assert opened["ms"] > 0
    assert (opened["charts"], opened["drawn"], opened["errors"]) == (0, 0, 0)


def test_cold_opens_wait_for_every_chart_the_page_renders(app: Server, empty_page: Server):
    rendered = charts_rendered(app, "charts.py")
    assert rendered > 0  # a chart page: "every chart drawn" must not pass on an empty list
    urls = {"charts": app.url + "/charts", "map": app.url + "/map?country=PAK"}
    cold = in_chromium(lambda chromium: browser.cold_opens(chromium, empty_page.url + "/", urls, 1))
    row = cold["rows"]["charts"]
    assert row["charts"] == row["drawn"] == rendered  # sent in the run, and drawn when the time was taken
    assert (
        row["each, ms"] == [row["median ms"]] and row["× empty"] == row["median ms"] / cold["empty page ms"]
    )
    assert cold["rows"]["map"]["shared link"] == "/map?country=PAK"
    assert row["errors"] == cold["rows"]["map"]["errors"] == 0  # the deep link's base-path probe is no error


def test_filter_changes_redraw_the_map(app: Server):
    change = in_chromium(lambda chromium: browser.filter_changes(chromium, app.url + "/map", 2))
    assert change["charts"] == 1
    for measure in ("", " max"):  # the chart is in the main panel, which is in the page
        assert (
            0
            < change[f"chart ms{measure}"]
            <= change[f"main panel ms{measure}"]
            <= change[f"page ms{measure}"]
        )
    assert change["KB"] > 0  # the rerun's messages were counted
    assert change["errors"] == 0
    # Geometry requests are a figure, not asserted: the legend names only the stances drawn (issue
    # 20), so a change of the stances shown gives Vega a new spec and it asks the browser's cache.


def test_filter_changes_on_a_table_page_time_the_main_panel(app: Server):
    change = in_chromium(lambda chromium: browser.filter_changes(chromium, app.url + "/sources", 2))
    assert change["charts"] == 0 and change["chart ms"] is None
    assert 0 < change["main panel ms"] <= change["page ms"]


def test_an_input_the_server_never_got_is_lost_and_an_error_in_the_page_is_counted(app: Server):
    async def work(chromium):
        async with browser.fresh(chromium) as watch:
            await watch.page.goto(app.url + "/sources")
            await watch.settle()
            lost = await watch.act(lambda: watch.page.mouse.click(1, 1))  # on nothing: no rerun asked
            await watch.page.evaluate("console.error('a failure of the page')")
            await watch.read()
            return lost, dict(watch.errors), watch.samples

    lost, errors, samples = in_chromium(work)
    assert lost is None
    assert errors == {"console": 1} and samples == ["console: a failure of the page"]
