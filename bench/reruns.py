"""Rerun cost of each page: the time Streamlit spends running a page's script again.

Measured with AppTest in this process, caches warm, as the median of repeated
reruns, and compared with an empty page measured the same way in the same run,
so the ratio holds across machines.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from streamlit import config
from streamlit.testing.v1 import AppTest

from bench.server import EMPTY_PAGE
from isf_tracker import paths
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.ui.shell import PAGES

APP = paths.NAVIGATION_SCRIPT
TIMEOUT_S = 300


@dataclass(frozen=True)
class Rerun:
    """The median rerun time of one page, and the first (cold) run for reference; or, for a page
    that raised, no times and the error."""

    page: str
    median_s: float | None
    first_s: float | None
    runs: int
    error: str | None = None


class PageRaised(RuntimeError):
    """A page's run ended in an exception (the exception's type and first line)."""


def page_name(script: str) -> str:
    return Path(script).stem


@contextlib.contextmanager
def ledger(path: Path | None) -> Iterator[None]:
    """Point the app at `path` (None: the shipped data) for the duration."""
    before = os.environ.get(DATA_ENV_VAR)
    if path is None:
        os.environ.pop(DATA_ENV_VAR, None)
    else:
        os.environ[DATA_ENV_VAR] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DATA_ENV_VAR, None)
        else:
            os.environ[DATA_ENV_VAR] = before


def _timed(app: AppTest) -> float:
    start = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - start
    if app.exception:
        first = app.exception[0].proto
        raise PageRaised(f"{first.type or 'error'}: {(first.message or '').strip().splitlines()[0][:200]}")
    return elapsed


@contextlib.contextmanager
def error_details() -> Iterator[None]:
    """Say what a page raised, not the redacted notice readers get (client.showErrorDetails)."""
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    try:
        yield
    finally:
        config.set_option("client.showErrorDetails", before)


def empty_page(runs: int) -> Rerun:
    """The floor: what a rerun of a page with nothing on it costs under AppTest."""
    app = AppTest.from_string(EMPTY_PAGE, default_timeout=TIMEOUT_S)
    first = _timed(app)
    return Rerun("empty page", statistics.median(_timed(app) for _ in range(runs)), first, runs)


def page_reruns(
    runs: int, page_queries: Mapping[str, Mapping[str, str | list[str]]] | None = None
) -> list[Rerun]:
    """Each page of the app, opened with its query (if any) in the URL, rerun `runs` times. A page
    that raises is reported with its error, and the others are still measured."""
    measured = []
    for spec in PAGES:
        name = page_name(spec.script)
        app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        for key, value in (page_queries or {}).get(name, {}).items():
            app.query_params[key] = value
        try:
            with error_details():
                first = _timed(app)
                if spec.url_path:
                    app.switch_page(str(paths.pages_dir() / spec.script))
                    first = _timed(app)
                median = statistics.median(_timed(app) for _ in range(runs))
        except PageRaised as raised:
            measured.append(Rerun(name, None, None, runs, str(raised)))
            continue
        measured.append(Rerun(name, median, first, runs))
    return measured
