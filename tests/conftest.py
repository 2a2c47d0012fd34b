"""Shared fixtures. Every test reads the fixture ledger unless it points elsewhere itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from isf_tracker import clock, derived, editing
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.web import http, limits
from tests.ledger_rows import FIXTURE, FIXTURE_DIR

#: The day every test runs on: clock.today() reads it from the environment. Set when pytest loads
#: this file, before any test module, for the whole session and in every xdist worker, so the
#: Streamlit servers the browser tests start (bench.server copies os.environ) run on it too.
#: A page, an expected sentence or a refused date never depends on the day the suite runs.
TODAY = dt.date(2026, 12, 3)
os.environ[clock.TODAY_ENV_VAR] = TODAY.isoformat()
#: The servers they start wait for a render however busy the machine is (no 503 after 6 s).
os.environ[limits.WAIT_ENV_VAR] = "600"

# Hypothesis: in CI ($CI set, as CI runs) the same examples on every run, derived from each test,
# with no time limit, and a failing example printed as a blob to reproduce it; elsewhere the
# default profile. Loaded here, before the test modules build their @settings from it.
settings.register_profile(
    "ci", derandomize=True, print_blob=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def fixture_ledger(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app, the loader and the command line read tests/fixtures/ledger, not data/."""
    monkeypatch.setenv(DATA_ENV_VAR, str(FIXTURE))
    monkeypatch.setattr(editing, "THROTTLE", editing.Throttle())  # wrong passwords of one test only
    # Renders: each test with a whole budget, and waiting for a render however busy the machine is.
    budget = limits.Budget(http.LIMITS.budget.size, http.LIMITS.budget.per_second * 60)
    monkeypatch.setattr(http, "LIMITS", dataclasses.replace(http.LIMITS, budget=budget, wait_s=600))
    derived.clear()  # and what is built from it: a file rewritten within one clock tick is new data
    # Snapshots and images are kept: they are cached on a view that holds the data's version
    # (path, size, time), which no two tests share unless they read the same unchanged file.
    return FIXTURE


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write text or bytes as positions.csv in an empty folder (vocabularies: the shipped ones)."""

    def write(content: str | bytes, name: str = "positions.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture ledger and its vocabularies to append to; the app reads it."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    for source in FIXTURE_DIR.glob("*.csv"):
        (folder / source.name).write_bytes(source.read_bytes())
    path = folder / "positions.csv"
    monkeypatch.setenv(DATA_ENV_VAR, str(path))
    return path
