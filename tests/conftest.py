"""Shared fixtures. Every test reads the fixture ledger unless it points elsewhere itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from isf_tracker import editing
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.ui import derived
from tests.ledger_rows import FIXTURE, FIXTURE_DIR


@pytest.fixture(autouse=True)
def fixture_ledger(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app, the loader and the command line read tests/fixtures/ledger, not data/."""
    monkeypatch.setenv(DATA_ENV_VAR, str(FIXTURE))
    monkeypatch.setattr(editing, "THROTTLE", editing.Throttle())  # wrong passwords of one test only
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
