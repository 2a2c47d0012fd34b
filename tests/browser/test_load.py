"""A reduced load test: a single viewer, then three sessions at once, on a server of its own.

Asserts behaviour, not speed: no errors, every session got through several actions, and the
report holds both runs. The load test uses Playwright's async API, so it runs in a worker
thread with its own event loop, clear of the sync API the other browser tests use.

Run: .venv/bin/python -m pytest -q tests/browser/test_load.py
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from isf_tracker.bench import load, load_report

pytestmark = pytest.mark.browser

SESSIONS = 3
SECONDS = 10
BASELINE_SECONDS = 4


@pytest.fixture(scope="module")
def runs() -> tuple[load_report.LoadResult, load_report.LoadResult]:
    if not Path(load.CHROMIUM).exists():
        reason = f"Chromium not found at {load.CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    with load.own_server() as server, ThreadPoolExecutor(max_workers=1) as worker:
        job = worker.submit(
            load.baseline_and_load, server.url, SESSIONS, SECONDS, BASELINE_SECONDS,
            seed=1, server_pid=server.process.pid, warm_paths=("/",),
        )  # fmt: skip
        baseline, loaded = job.result(timeout=120)
    assert baseline is not None
    return baseline, loaded


def test_no_errors_in_either_run(runs):
    baseline, loaded = runs
    assert baseline.error_count == 0, (dict(baseline.errors), baseline.error_samples)
    assert loaded.error_count == 0, (dict(loaded.errors), loaded.error_samples)


def test_a_single_viewer_loses_no_click(runs):
    """Every click or Enter of the lone viewer became a request (see load.LOST_MS)."""
    baseline, _ = runs
    assert baseline.lost_inputs == 0, baseline.error_samples


def test_every_session_got_through_several_actions(runs):
    baseline, loaded = runs
    assert baseline.actions_per_session and min(baseline.actions_per_session) >= 2
    assert len(loaded.actions_per_session) == SESSIONS
    # Several in all; each session at least two even when other jobs share the two cores.
    assert min(loaded.actions_per_session) >= 2, loaded.actions_per_session
    assert loaded.actions >= 3 * SESSIONS, loaded.actions_per_session
    assert len(loaded.opens_ms) == SESSIONS
    assert loaded.elapsed_s >= SECONDS


def test_every_action_was_timed_from_its_rerun(runs):
    for result in runs:
        assert len(result.all_latencies) == result.actions
        assert all(value > 0 for value in result.all_latencies)
        # The server-and-network part is a part: never longer than the whole action.
        assert result.wire_ms and max(result.wire_ms) <= max(result.all_latencies)


def test_the_report_holds_both_runs(runs):
    baseline, loaded = runs
    for result in runs:
        stats = result.stats
        assert stats.count > 0
        assert stats.median <= stats.p95 <= stats.max
    assert (baseline.sessions, loaded.sessions) == (1, SESSIONS)
    text = load_report.report(baseline, loaded)
    assert "single viewer" in text and f"{SESSIONS} sessions" in text
    rows = {row[0]: row for row in load_report.report_rows(baseline, loaded)}
    assert rows["median ms"][3].endswith("x") and rows["p95 ms"][3].endswith("x")
    data = load_report.as_json(baseline, loaded)
    assert data["baseline"]["sessions"] == 1 and data["load"]["sessions"] == SESSIONS
    assert data["ratio"]["median"] is not None
    assert loaded.server["rss_peak_mb"] > 0
