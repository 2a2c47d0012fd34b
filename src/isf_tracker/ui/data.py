"""The dataset for this script run, and what pages derive from it, cached until any of its
files changes on disk.

Streamlit hashes a path argument by its text only, so the cache key also holds each
file's modification time and size (the data's version): a hand edit shows on the next
interaction, with no restart and no stale cache. Everything a page derives from the data
(the filtered view, chart specs, display tables) is pure, so it is computed once per
version and view and shared by every session that asks for the same view.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

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

T = TypeVar("T")
Version = tuple[tuple[str, int, int], ...]

#: Filtered views may hold most of a large ledger, so fewer of them are kept.
VIEW_ENTRIES = 16
#: Chart specs and display tables are bounded in size (see ui/common.py).
DERIVED_ENTRIES = 512

_COMPANIONS = (CONDITIONS_FILE, ROLES_FILE, COUNTRIES_FILE, TASKS_FILE, STAKEHOLDERS_FILE)


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def files_signature(positions: Path) -> Version:
    files = [positions, *(companion_path(positions, name) for name in _COMPANIONS)]
    return tuple(_signature(path) for path in files)


@st.cache_resource(max_entries=4, show_spinner="Loading the ledger…")
def _load(path: str, signature: Version) -> Dataset:
    """Shared by all sessions; pages only read it (every view function is pure)."""
    del signature  # part of the cache key only
    return load_dataset(Path(path))


@st.cache_resource(max_entries=4)
def _choices(path: str, signature: Version, today: dt.date) -> Choices:
    """What the filters offer depends on the data only: worked out once per version of it."""
    data = _load(path, signature)
    return filters.choices_for(data.statements, data.countries, data.conditions, today=today)


def dataset_and_choices() -> tuple[Dataset, Choices, Version]:
    """The dataset, its filter choices and its version, all from the same version of the files."""
    path = positions_path()
    signature = files_signature(path)
    return _load(str(path), signature), _choices(str(path), signature, dt.date.today()), signature


class SharedCache:
    """A small least-recently-used cache shared by all sessions of this server process.

    Keys are plain tuples, hashed by Python in microseconds; st.cache_resource would
    hash them with its own hasher, which costs more than most page reruns here.
    Two sessions asking for the same missing key at once may both compute it; the
    results are equal, so the later simply replaces the earlier.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_views = SharedCache(VIEW_ENTRIES)
_derived = SharedCache(DERIVED_ENTRIES)


def view(version: Version, key: Hashable, compute: Callable[[], T]) -> T:
    """The filtered view for `key` (the filters in URL form), computed once per data version."""
    return _views.get((version, key), compute)


def derived(version: Version, what: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per data version, view `key` and `what`; shared, so never mutate it."""
    return _derived.get((version, what, key), compute)
