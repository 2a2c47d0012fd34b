"""The dataset for this script run, cached until any of its files changes on disk.

Streamlit hashes a path argument by its text only, so the cache key also holds each
file's modification time and size: a hand edit shows on the next interaction,
with no restart and no stale cache.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from isf_tracker import filters
from isf_tracker.filters import Choices
from isf_tracker.ledger import (
    CONDITIONS_FILE,
    COUNTRIES_FILE,
    ROLES_FILE,
    STAKEHOLDERS_FILE,
    TASKS_FILE,
    Dataset,
    companion_path,
    load_dataset,
    positions_path,
)

_COMPANIONS = (CONDITIONS_FILE, ROLES_FILE, COUNTRIES_FILE, TASKS_FILE, STAKEHOLDERS_FILE)


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def files_signature(positions: Path) -> tuple[tuple[str, int, int], ...]:
    files = [positions, *(companion_path(positions, name) for name in _COMPANIONS)]
    return tuple(_signature(path) for path in files)


@st.cache_resource(max_entries=4, show_spinner="Loading the ledger…")
def _load(path: str, signature: tuple[tuple[str, int, int], ...]) -> Dataset:
    """Shared by all sessions; pages only read it (every view function is pure)."""
    del signature  # part of the cache key only
    return load_dataset(Path(path))


@st.cache_resource(max_entries=4)
def _choices(path: str, signature: tuple[tuple[str, int, int], ...], today: dt.date) -> Choices:
    """What the filters offer depends on the data only: worked out once per version of it."""
    data = _load(path, signature)
    return filters.choices_for(data.statements, data.countries, data.conditions, today=today)


def dataset_and_choices() -> tuple[Dataset, Choices]:
    """The dataset and its filter choices, both from the same version of the files."""
    path = positions_path()
    signature = files_signature(path)
    return _load(str(path), signature), _choices(str(path), signature, dt.date.today())
