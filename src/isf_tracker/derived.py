"""What pages show, computed by named pure functions cached on cheap, hashable arguments, for
the dashboard and the static views alike; and the data version they are keyed by.

Every function takes a `ViewKey`: the data's version (each file's path, modification time
and size), the view (the filters in URL form) and today. So a result is computed once and
shared by every session showing the same view, and a hand edit of the ledger, being a new
version, shows on the next interaction with no restart. Results are shared: never mutate one.

functools.lru_cache rather than st.cache_data: the keys are plain tuples, which Python
hashes in microseconds, and the results are shared objects, not copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from isf_tracker import (
    changes,
    charts,
    datapackage,
    filters,
    geo,
    matrix,
    paths,
    summary,
    tables,
    translations,
)
from isf_tracker import positions as views
from isf_tracker.filters import Choices, FilterState, View
from isf_tracker.ledger import COMPANION_FILES, Dataset, companion_path, load_dataset
from isf_tracker.vegaspec import Spec, stable_spec

Version = tuple[tuple[str, int, int], ...]
Query = tuple[tuple[str, tuple[str, ...]], ...]

#: The most rows a table on a page shows; the CSV download has every row.
TABLE_ROWS = 500
#: The most statements a timeline draws: beyond that the marks merge into a band anyway.
TIMELINE_POINTS = 2000


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def version_of(positions: Path) -> Version:
    """The paths, modification times and sizes of the ledger, its vocabularies and, last, its Data
    Package descriptor (beside the ledger, else the shipped one, as for the vocabularies)."""
    companions = (companion_path(positions, name) for name in (*COMPANION_FILES, "datapackage.json"))
    return tuple(_signature(path) for path in (positions, *companions))


def current_version() -> Version:
    return version_of(paths.positions_path())


# --- the data version: the Data Package's release and which state of the files it was read from --


#: The release named when no descriptor can be read (a ledger without one, a broken file).
UNRELEASED = "0.0.0"


@functools.lru_cache(maxsize=8)
def release(version: Version) -> str:
    """The Data Package's "version", read from the descriptor (the version's last file)."""
    try:
        found = json.loads(Path(version[-1][0]).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return UNRELEASED
    return found if isinstance(found, str) and found.strip() else UNRELEASED


@functools.lru_cache(maxsize=8)
def release_day(version: Version) -> dt.date | None:
    """The day of the data's release (its Data Package version), from the changelog beside it."""
    try:
        text = companion_path(Path(version[0][0]), datapackage.CHANGELOG).read_text(encoding="utf-8")
    except OSError:
        return None
    return datapackage.release_day(text, release(version))


def data_version(version: Version) -> str:
    """ "1.1.0+3f2a9c1d": the release, and which state of the files it was read from."""
    files = hashlib.sha256(repr(version).encode("utf-8")).hexdigest()[:8]
    return f"{release(version)}+{files}"


def last_modified(version: Version) -> float | None:
    """When the newest of the data files (ledger, vocabularies, descriptor) last changed, in
    seconds since the epoch; None when none can be read."""
    times = [mtime_ns for _, mtime_ns, _ in version if mtime_ns >= 0]
    return max(times) / 1e9 if times else None


class ViewKey(NamedTuple):
    """One view of one version of the data: what every cached function below is keyed on."""

    version: Version
    query: Query  # the shared filters in URL form, defaults left out
    today: dt.date

    @classmethod
    def of(cls, version: Version, query: dict[str, list[str]], today: dt.date) -> ViewKey:
        return cls(version, tuple(sorted((k, tuple(v)) for k, v in query.items())), today)


cached = functools.lru_cache(maxsize=256)


@functools.lru_cache(maxsize=4)
def dataset(version: Version) -> Dataset:
    """The ledger and its vocabularies as they were at `version` (shared by all sessions)."""
    return load_dataset(Path(version[0][0]))


@functools.lru_cache(maxsize=4)
def choices(version: Version, today: dt.date) -> Choices:
    data = dataset(version)
    return filters.choices_for(data.statements, data.countries, data.conditions, today=today)


def state(key: ViewKey) -> FilterState:
    return filters.state_from_query(dict(key.query), choices(key.version, key.today))


@functools.lru_cache(maxsize=32)
def view(key: ViewKey) -> View:
    """The filtered view (views may hold most of a large ledger, so fewer are kept), its troop
    figures in words given in English where they have a rendering."""
    data = dataset(key.version)
    made = filters.apply(data.statements, state(key), choices(key.version, key.today))
    return dataclasses.replace(
        made,
        positions=translations.add_english(made.positions, data.translations),
        all_positions=translations.add_english(made.all_positions, data.translations),
    )


class OfView:
    """What a view's `key` gives whoever holds one (a page being built, a dashboard session, a
    route's request): the filtered view, the data and the filters' choices, cached here."""

    key: ViewKey

    @property
    def view(self) -> View:
        return view(self.key)

    @property
    def data(self) -> Dataset:
        return dataset(self.key.version)

    @property
    def choices(self) -> Choices:
        return choices(self.key.version, self.key.today)

    def countries(self) -> list[str]:
        """The countries the `country` filter names, in the order given."""
        return [iso3 for iso3 in state(self.key)["country"] if iso3 in self.choices.countries]


# --- figures and tables ---------------------------------------------------------------------


def _summarise(
    key: ViewKey, positions: pd.DataFrame, everyone: pd.DataFrame, filtered: bool
) -> summary.Summary:
    current, data = view(key), dataset(key.version)
    roles = {code: entry.label for code, entry in data.roles.items()}
    return summary.summarise(positions, everyone, data.statements, data.tasks, current.as_of, filtered,
                             current.as_of_set, data.translations, roles)  # fmt: skip


@cached
def answer(key: ViewKey) -> summary.Summary:
    """The figures the landing page says in words (summary.answer)."""
    current = view(key)
    return _summarise(key, current.positions, current.all_positions, any(k != "as_of" for k, _ in key.query))


@functools.lru_cache(maxsize=8)
def record_date(version: Version) -> dt.date | None:
    """The whole record's date: its newest dated statement."""
    dates = dataset(version).statements["date"].dropna()
    return dates.max().date() if len(dates) else None


@functools.lru_cache(maxsize=8)
def currency(version: Version, today: dt.date) -> str:
    """How current the record is: its newest statement and its last review (the whole record)."""
    review = dataset(version).last_review
    return summary.currency(
        record_date(version),
        review.reviewed_on if review else None,
        review.searched_to if review else None,
        today,
        approximate=review is not None and review.searched_to_precision.value != "day",
    )


@cached
def troops_by_task(key: ViewKey) -> pd.DataFrame:
    return views.troops_by_task(view(key).positions, dataset(key.version).tasks)


@cached
def newest_ledger(key: ViewKey) -> pd.DataFrame:
    """The newest TABLE_ROWS statements of the view, as the ledger table shows them."""
    data = dataset(key.version)
    newest = tables.newest_statements(view(key).statements, TABLE_ROWS)
    return tables.ledger_table(newest, data.conditions, data.roles, data.translations)


@cached
def newest_statements(key: ViewKey, count: int) -> pd.DataFrame:
    """The view's `count` newest statements, corrected ones included (the Statements page's cards)."""
    return tables.newest_statements(view(key).statements, count)


@cached
def latest_statements(key: ViewKey, count: int, iso3: str | None = None) -> pd.DataFrame:
    """The view's `count` newest dated statements in force (a corrected row gives way to its
    correction), of one country if `iso3` is given."""
    statements = view(key).statements
    if iso3 is not None:
        statements = statements[statements["iso3"] == iso3]
    return tables.newest_statements(views.statements_until(statements), count)


@cached
def positions_table(key: ViewKey, with_figure_only: bool = False) -> pd.DataFrame:
    data = dataset(key.version)
    positions = view(key).positions
    if with_figure_only:
        positions = positions[positions["troops_high"].notna()]
    return tables.positions_table(positions, data.statements, data.conditions, data.roles)


@cached
def coverage_table(key: ViewKey) -> pd.DataFrame:
    return tables.coverage_table(troops_by_task(key), choices(key.version, key.today).countries)


@cached
def newest_dated(key: ViewKey, iso3: str | None = None) -> tuple[pd.DataFrame, int]:
    """The dated statements a timeline draws (the newest TIMELINE_POINTS), and how many there are."""
    statements = view(key).statements
    if iso3 is not None:
        statements = statements[statements["iso3"] == iso3]
    dated = statements[statements["date"].notna()]
    return tables.newest_statements(dated, TIMELINE_POINTS), len(dated)


@cached
def timeline_table(key: ViewKey, iso3: str | None = None) -> pd.DataFrame:
    data = dataset(key.version)
    dated, _ = newest_dated(key, iso3)
    return tables.ledger_table(dated, data.conditions, data.roles, data.translations)[
        list(tables.TIMELINE_COLUMNS)
    ]


@cached
def sources_table(key: ViewKey) -> pd.DataFrame:
    return tables.sources_table(view(key).statements)


@cached
def matrix_cells(key: ViewKey) -> pd.DataFrame:
    data = dataset(key.version)
    return matrix.cells(
        view(key).positions, data.statements, data.conditions, data.roles, data.tasks, data.translations
    )


@cached
def matrix_layout(key: ViewKey, sort: str) -> tuple[list[str], list[str]]:
    """The matrix's country rows and its columns, in order."""
    data = dataset(key.version)
    columns = matrix.column_order(matrix_cells(key), data.conditions, data.roles)
    return matrix.country_order(view(key).positions, sort), columns


@cached
def matrix_table(key: ViewKey, sort: str) -> pd.DataFrame:
    return matrix.table(matrix_cells(key), *matrix_layout(key, sort))


@functools.lru_cache(maxsize=4)
def stakeholder_table(version: Version, types: tuple[str, ...]) -> pd.DataFrame:
    return tables.stakeholder_table(dataset(version).stakeholders, types)


@functools.lru_cache(maxsize=4)
def tasks_table(version: Version) -> pd.DataFrame:
    data = dataset(version)
    return tables.tasks_table(data.tasks, data.conditions, data.roles)


@cached
def provenance_table(key: ViewKey, iso3: str) -> pd.DataFrame | None:
    """One country's position field by field with its sources, or None if it had said nothing yet."""
    data = dataset(key.version)
    everyone = view(key).all_positions.set_index("iso3")
    if iso3 not in everyone.index:
        return None
    history = data.statements[data.statements["iso3"] == iso3]
    return tables.provenance_table(everyone.loc[iso3], history, data.conditions, data.roles)


@cached
def country_sentences(key: ViewKey, iso3: str) -> list[str]:
    """One country's position in words, as the landing page says it for a view of that country."""
    current = view(key)
    one = current.all_positions[current.all_positions["iso3"] == iso3]
    return summary.sentences(_summarise(key, one, one, False))


@cached
def country_statements(key: ViewKey, iso3: str) -> pd.DataFrame:
    """One country's statements in the view, newest first, as the ledger table shows them."""
    data = dataset(key.version)
    shown = view(key).statements
    return tables.ledger_table(shown[shown["iso3"] == iso3], data.conditions, data.roles, data.translations)


@cached
def changes_table(key: ViewKey, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every change after `start` up to `end`, for the countries of the view (same sources)."""
    data = dataset(key.version)
    statements = data.statements[data.statements["iso3"].isin(view(key).positions["iso3"])]
    statements = filters.by_key("reliability").narrow(statements, state(key)["reliability"])
    return changes.every_change(statements, start, end, data.vocabularies, data.translations)


# --- charts, as ready-to-send Vega-Lite specs -------------------------------------------------


@cached
def troop_ranges_chart(key: ViewKey) -> Spec:
    return stable_spec(charts.troop_ranges(view(key).positions), "ranges")


@cached
def coverage_chart(key: ViewKey) -> Spec:
    by_task = troops_by_task(key)
    segments = charts.coverage_segments(view(key).positions, by_task)
    names = choices(key.version, key.today).countries
    return stable_spec(charts.mandate_coverage(by_task, segments, names), "coverage")


@cached
def timeline_chart(key: ViewKey, iso3: str | None = None) -> Spec:
    dated, _ = newest_dated(key, iso3)
    return stable_spec(charts.timeline(dated, renderings=dataset(key.version).translations), "timeline")


@cached
def map_chart(key: ViewKey, color_by: str, area: str) -> Spec:
    region = choices(key.version, key.today).countries  # every country of the record, so it does not jump
    return stable_spec(geo.choropleth(view(key).positions, color_by, area, region), "map")


@cached
def matrix_chart(key: ViewKey, sort: str) -> Spec:
    return stable_spec(matrix.chart(matrix_cells(key), *matrix_layout(key, sort)), "matrix")


def clear() -> None:
    """Forget everything (tests that rewrite a file within one clock tick)."""
    for function in list(globals().values()):
        if hasattr(function, "cache_clear"):
            function.cache_clear()
