"""Many viewers at once, reduced: a single viewer, then three sessions at once, on a server of its own.

Asserts behaviour, not speed: each session makes a fixed number of actions (not as many as fit in a
time), none fails, every action is timed from its rerun, and the summary sets both runs side by
side. How fast they went is the benchmark's figure (`python -m bench`), never a test. So are the
lost inputs: a click after which the page sent nothing for browser.LOST_S is a time limit in
disguise, so their count is kept as a property of the test, never asserted.
"""

from __future__ import annotations

import pytest

from bench import browser, load
from bench.server import Server
from bench.tests.conftest import in_chromium

pytestmark = pytest.mark.browser

SESSIONS, ACTIONS = 3, 3
SECONDS = load.MAX_SECONDS  # a cap only, for a machine far too slow: the runs end after ACTIONS each


@pytest.fixture(scope="module")
def runs(app: Server) -> tuple[dict, dict]:
    async def work(chromium):
        await browser.cold_open(chromium, app.url + "/")  # the first run of the app is not the test
        alone = await load.run(chromium, app.url, 1, SECONDS, app.process.pid, actions=ACTIONS)
        return alone, await load.run(chromium, app.url, SESSIONS, SECONDS, app.process.pid, actions=ACTIONS)

    return in_chromium(work)


def test_no_errors_in_either_run(runs):
    for run in runs:
        assert run["errors"] == 0, (run["errors by kind"], run["samples"])


def test_every_session_made_each_of_its_actions(runs):
    """A lost input (a starved browser dropped the click) is tried again, so each session makes
    all its actions; a failed action is one of them (and an error, see above)."""
    alone, many = runs
    assert alone["actions per session"] == [ACTIONS]
    assert many["actions per session"] == [ACTIONS] * SESSIONS
    assert many["first open median ms"] > 0


def test_every_action_was_timed_from_its_rerun(runs):
    for run in runs:
        every = [ms for kind in run["latencies"].values() for ms in kind]
        assert len(every) == run["actions"] and all(ms > 0 for ms in every)
        assert set(run["latencies"]) <= set(load.MIX)
        # The server-and-network part is a part: never longer than the longest action.
        assert run["wire"] and max(run["wire"]) <= max(every)


def test_the_summary_sets_both_runs_side_by_side(runs, record_property):
    alone, many = runs
    shown = load.summary(alone, many)
    rows = shown["many viewers"]["rows"]
    assert rows["actions"] == {"single viewer": ACTIONS, f"{SESSIONS} sessions": ACTIONS * SESSIONS}
    assert rows["median ms"]["× single"] == many["median ms"] / alone["median ms"]
    assert (
        rows["median ms"][f"{SESSIONS} sessions"]
        <= rows["p95 ms"][f"{SESSIONS} sessions"]
        <= rows["max ms"][f"{SESSIONS} sessions"]
    )
    assert 0 < rows["server RSS start MB"]["single viewer"] <= rows["server RSS peak MB"]["single viewer"]
    assert rows["lost inputs (not errors)"] == {
        "single viewer": alone["lost inputs (not errors)"],
        f"{SESSIONS} sessions": many["lost inputs (not errors)"],
    }
    record_property("lost_inputs", rows["lost inputs (not errors)"])
