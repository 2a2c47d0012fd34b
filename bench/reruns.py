"""What Streamlit spends running a page's script again, under AppTest in this process, caches warm:
the median of repeated reruns, beside an empty page measured the same way in the same run."""

from __future__ import annotations

import os
import statistics
import timeit
from contextlib import AbstractContextManager
from pathlib import Path
from unittest import mock

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.server import EMPTY_PAGE
from isf_tracker import paths
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.ui.shell import PAGES, PageSpec

TIMEOUT_S = 300
NONE_CHOSEN = "country, none chosen"  # the country page without a choice: a card per country


class PageRaised(RuntimeError):
    """A page's run ended in an exception (its type and first line)."""


def ledger(path: Path | None) -> AbstractContextManager:
    """Point the app at `path` (None: the shipped data) for the duration of a `with`."""
    environ = {key: value for key, value in os.environ.items() if key != DATA_ENV_VAR}
    return mock.patch.dict(os.environ, {**environ, **({DATA_ENV_VAR: str(path)} if path else {})}, clear=True)


def _runs(app: AppTest, times: int) -> list[float]:
    """`times` runs of `app`, timed; PageRaised if the page raised (its error named, not redacted)."""
    shown = st.get_option("client.showErrorDetails")
    st.set_option("client.showErrorDetails", "full")
    try:
        seconds = timeit.repeat(app.run, number=1, repeat=times)
    finally:
        st.set_option("client.showErrorDetails", shown)
    if app.exception:
        first = app.exception[0].proto
        raise PageRaised(f"{first.type or 'error'}: {(first.message or '').strip().splitlines()[0][:200]}")
    return seconds


def empty_page(runs: int) -> float:
    """The floor: the median rerun of a page with nothing on it, in ms."""
    app = AppTest.from_string(EMPTY_PAGE, default_timeout=TIMEOUT_S)
    _runs(app, 1)
    return statistics.median(_runs(app, runs)) * 1000


def cases(busiest: str) -> list[tuple[str, PageSpec, dict[str, str]]]:
    """Each page (name, spec, query): the country page with its busiest country chosen, and
    again with none chosen."""
    found: list[tuple[str, PageSpec, dict[str, str]]] = [(Path(p.script).stem, p, {}) for p in PAGES]
    at = [name for name, _, _ in found].index("country")
    country = found[at][1]
    found[at : at + 1] = [("country", country, {"country": busiest}), (NONE_CHOSEN, country, {})]
    return found


def page_reruns(runs: int, busiest: str) -> dict[str, dict]:
    """Each case's median rerun in ms, after a first run not counted, or the error it raised (the
    others are still measured)."""
    measured = {}
    for name, spec, query in cases(busiest):
        app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=TIMEOUT_S)
        app.query_params.update(query)
        try:
            _runs(app, 1)
            if spec.url_path:
                app.switch_page(str(paths.pages_dir() / spec.script))
                _runs(app, 1)
            measured[name] = {"ms": statistics.median(_runs(app, runs)) * 1000}
        except PageRaised as raised:
            measured[name] = {"ms": None, "error": str(raised)}
    return measured
