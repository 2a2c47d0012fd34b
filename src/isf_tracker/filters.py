"""The shared filters: one registry, `FILTERS`, in which each entry owns its URL key, how a
raw URL value is parsed, its default, how it narrows the data and how it reads in words (its
sidebar widget is drawn by `ui.widgets`, by its kind).

The sidebar, the address bar, `apply` and the sentence "3 of 17 countries · status:
committed" all loop over the registry, so adding a filter is adding one entry. Pages never
read the URL themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from isf_tracker import clock
from isf_tracker import positions as views
from isf_tracker import vocabulary as words
from isf_tracker.schema import Reliability

Options = Callable[["Choices"], Mapping[str, str]]  # the values a filter offers: code -> label
Narrow = Callable[[pd.DataFrame, Any], pd.DataFrame]  # statements -> fewer statements
Select = Callable[[pd.DataFrame, Any, "Choices"], pd.Series]  # positions -> which to keep

#: Longest value a notice repeats, and most values it names: a notice stays one short line.
NOTICE_VALUE_CHARS = 40
NOTICE_VALUES = 8
#: Most values a many-valued filter takes from a link (there are fewer countries than this).
MAX_VALUES = 300
#: The largest troop figure a link may ask for: above any stated figure, and small enough to type.
MAX_TROOPS = 1_000_000


def slug(text: str) -> str:
    """ "Western Asia" → "western-asia": readable in a URL, no escaping."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Choices:
    """What the filters can offer with the data at hand (values that occur in the ledger)."""

    countries: dict[str, str]  # iso3 -> name
    regions: dict[str, str]  # slug -> label
    conditions: dict[str, str]  # code -> label
    first_date: dt.date
    last_date: dt.date
    today: dt.date
    region_of: dict[str, str] = field(default_factory=dict)  # iso3 -> region slug
    #: The whole ledger, for filters whose options come from it.
    statements: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    @property
    def earliest_day(self) -> dt.date:
        """The earliest day a link may ask for: 1 January of the first statement's year, so
        "as of" a day before the first statement is a view (of nothing yet), not an error."""
        return self.first_date.replace(month=1, day=1)

    def coverage(self) -> str:
        return f"the data covers {self.first_date.isoformat()} to {self.last_date.isoformat()}"


def choices_for(
    statements: pd.DataFrame,
    countries: pd.DataFrame,
    conditions: Mapping[str, Any],
    today: dt.date | None = None,
) -> Choices:
    """Only values that occur in the ledger are offered, so a filter never selects nothing."""
    names = dict(zip(statements["iso3"], statements["country"], strict=True))
    table = countries.set_index("iso3")
    label_of = {iso3: _region_label(table, iso3) for iso3 in names}
    dates = statements["date"].dropna()
    today = today or clock.today()
    return Choices(
        countries=dict(sorted(names.items(), key=lambda item: item[1])),
        regions=dict(sorted({slug(label): label for label in label_of.values()}.items(), key=lambda i: i[1])),
        conditions={code: entry.label for code, entry in conditions.items()},
        first_date=dates.min().date() if len(dates) else today,
        last_date=dates.max().date() if len(dates) else today,
        today=today,
        region_of={iso3: slug(label) for iso3, label in label_of.items()},
        statements=statements,
    )


def _region_label(countries: pd.DataFrame, iso3: str) -> str:
    """The sub-region, else the region, else "Other" (Antarctica, say, has neither)."""
    if iso3 not in countries.index:
        return "Other"
    for column in ("subregion", "region"):
        value = countries.at[iso3, column]
        if isinstance(value, str) and value.strip():
            return value
    return "Other"


class Rejected(ValueError):
    """A URL value that cannot be used; the message says why, in words."""


#: Why the dashboard drops all but the last value of a one-value filter (the API refuses them).
REPEATED = "given more than once; the last is used"


@dataclass(frozen=True)
class Dropped:
    """A URL value that was ignored, and why (in a few words, or nothing when obvious)."""

    value: str
    why: str = ""


def _keep_all(positions: pd.DataFrame, _value: Any, _choices: Choices) -> pd.Series:
    return pd.Series(True, index=positions.index)


def _unchanged(statements: pd.DataFrame, _value: Any) -> pd.DataFrame:
    return statements


@dataclass(frozen=True)
class Filter:
    """One URL parameter and everything about it. Subclasses say how its values are read,
    written and offered; each entry says how it narrows the data.

    `narrow` acts on the statements before positions are derived (which sources, which
    dates); `select` then picks countries by their position on the as-of date.
    """

    key: str
    label: str
    default: Any = None
    help: str = ""
    narrow: Narrow = _unchanged
    select: Select = _keep_all
    #: A filter few readers change may wait in the sidebar behind an expander with this label:
    #: its widget, and the browser's code for that kind of widget, load only when it is opened.
    behind: str | None = None

    def is_set(self, value: Any) -> bool:
        """True when `value` filters anything (it is not the default)."""
        return not (value == self.default or value in (None, [], ()))

    def parse(self, raw: Sequence[str], choices: Choices) -> tuple[Any, list[Dropped]]:
        """The value for the URL strings `raw`, and the strings that were dropped."""
        dropped = [Dropped(value, REPEATED) for value in raw[:-1]]
        if not raw or raw[-1] == "":
            return self.default, dropped
        try:
            return self.parse_one(raw[-1], choices), dropped
        except Rejected as why:
            return self.default, [*dropped, Dropped(raw[-1], str(why))]

    def parse_one(self, raw: str, choices: Choices) -> Any:
        raise NotImplementedError

    def to_url(self, value: Any) -> list[str]:
        """URL values for `value`; none at the default, so links stay short."""
        if not self.is_set(value):
            return []
        return [value.isoformat() if isinstance(value, dt.date) else str(value)]

    def describe(self, value: Any, choices: Choices) -> str | None:
        """The filter in words, or None at its default."""
        if not self.is_set(value):
            return None
        return f"{self.label.lower()}: {value}"

    def clean(self, value: Any, choices: Choices) -> Any:
        """A value kept from an earlier run, made valid for the data at hand."""
        return value


@dataclass(frozen=True)
class MultiChoice(Filter):
    """Any of several values, repeated in the URL (`?country=PAK&country=IDN`)."""

    default: Any = field(default_factory=list)
    options: Options = lambda _choices: {}

    def parse(self, raw: Sequence[str], choices: Choices) -> tuple[Any, list[Dropped]]:
        allowed = self.options(choices)
        kept: list[str] = []
        dropped: list[Dropped] = []
        for value in raw:
            if value in kept or value == "":
                continue
            if value not in allowed:
                dropped.append(Dropped(value))
            elif len(kept) >= MAX_VALUES:
                dropped.append(Dropped(value, f"more than {MAX_VALUES} values"))
            else:
                kept.append(value)
        return kept, dropped

    def to_url(self, value: Any) -> list[str]:
        return [str(v) for v in value or ()]

    def describe(self, value: Any, choices: Choices) -> str | None:
        if not value:
            return None
        labels = self.options(choices)
        return f"{self.label.lower()}: " + " or ".join(labels.get(v, v) for v in value)

    def clean(self, value: Any, choices: Choices) -> Any:
        allowed = self.options(choices)
        return [v for v in value or () if v in allowed]


@dataclass(frozen=True)
class OneChoice(Filter):
    """One value of a fixed list (`?reliability=on_record`)."""

    options: Options = lambda _choices: {}
    style: str = "radio"  # or "segmented", for page options above the content

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if raw not in self.options(choices):
            raise Rejected("")
        return raw

    def describe(self, value: Any, choices: Choices) -> str | None:
        if value == self.default:
            return None
        return f"{self.label.lower()}: {self.options(choices).get(value, value)}"

    def clean(self, value: Any, choices: Choices) -> Any:
        return value if value in self.options(choices) else self.default


@dataclass(frozen=True)
class AtLeast(Filter):
    """A whole number from 0 to MAX_TROOPS, written in ASCII digits (`?min_troops=1000`)."""

    default: Any = 0
    step: int = 500
    maximum: int = MAX_TROOPS
    words: str = "at least {value:,} troops"

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if not re.fullmatch(r"[0-9]{1,7}", raw):
            raise Rejected(f"not a whole number from 0 to {MAX_TROOPS:,} in digits")
        number = int(raw)
        if number > MAX_TROOPS:
            raise Rejected(f"more than {MAX_TROOPS:,}")
        return number

    def describe(self, value: Any, choices: Choices) -> str | None:
        return self.words.format(value=value) if value else None


@dataclass(frozen=True)
class Day(Filter):
    """A day, `YYYY-MM-DD`, from 1 January of the first statement's year to today."""

    words: str = "as of {value}"
    at_default: str | None = None  # what the description says when no day is chosen

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise Rejected("not a date in the form YYYY-MM-DD")
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise Rejected("no such date") from exc
        if day > choices.today:
            raise Rejected(f"after today; {choices.coverage()}")
        if day < choices.earliest_day:
            raise Rejected(f"before {choices.earliest_day.isoformat()}; {choices.coverage()}")
        return day

    def describe(self, value: Any, choices: Choices) -> str | None:
        return self.words.format(value=value.isoformat()) if value else self.at_default

    def clean(self, value: Any, choices: Choices) -> Any:
        if isinstance(value, dt.date) and choices.earliest_day <= value <= choices.today:
            return value
        return self.default


# --- how each shared filter narrows the data -------------------------------------------------


def _countries(positions: pd.DataFrame, value: Sequence[str], _choices: Choices) -> pd.Series:
    return positions["iso3"].isin(value) if value else _keep_all(positions, value, _choices)


def _regions(positions: pd.DataFrame, value: Sequence[str], choices: Choices) -> pd.Series:
    if not value:
        return _keep_all(positions, value, choices)
    return positions["iso3"].map(choices.region_of).isin(value)


def _in_column(column: str) -> Select:
    def select(positions: pd.DataFrame, value: Sequence[str], choices: Choices) -> pd.Series:
        return positions[column].isin(value) if value else _keep_all(positions, value, choices)

    return select


def _any_condition(positions: pd.DataFrame, value: Sequence[str], choices: Choices) -> pd.Series:
    if not value:
        return _keep_all(positions, value, choices)
    wanted = set(value)
    return positions["conditions"].map(lambda stated: bool(wanted & set(stated))).astype(bool)


def _figure_reaches(positions: pd.DataFrame, value: int, choices: Choices) -> pd.Series:
    if not value:
        return _keep_all(positions, value, choices)
    return positions["troops_high"].fillna(-1) >= value


def _on_record_only(statements: pd.DataFrame, value: str) -> pd.DataFrame:
    if value != Reliability.ON_RECORD.value:
        return statements
    return statements[statements["reliability"] == Reliability.ON_RECORD.value]


def _up_to(statements: pd.DataFrame, value: dt.date | None) -> pd.DataFrame:
    """Statements made on or before the day (undated ones stay: they are history, never a position)."""
    if value is None:
        return statements
    return statements[statements["date"].isna() | (statements["date"] <= pd.Timestamp(value))]


ALL_RELIABILITY = "all"
RELIABILITY_CHOICES = {
    ALL_RELIABILITY: "Reported and unconfirmed too",
    Reliability.ON_RECORD.value: "On record only",
}


def _labels(labels: Mapping[str, str]) -> Options:
    return lambda _choices: labels


FILTERS: tuple[Filter, ...] = (
    MultiChoice("country", "Countries", help="Countries to show (ISO3 codes in the link).",
                options=lambda c: c.countries, select=_countries),
    MultiChoice("region", "Region", options=lambda c: c.regions, select=_regions),
    MultiChoice("status", "Status", help="Each country's latest stated status on the chosen date.",
                options=_labels({code: term.label for code, term in words.STATUSES.items()}),
                select=_in_column("status")),
    MultiChoice("stance", "Stance on disarming Hamas",
                options=_labels({code: words.STANCES[code].label for code in words.CURRENT_STANCES}),
                select=_in_column("disarmament")),
    MultiChoice("condition", "Condition", help="Countries whose stated conditions include any of these.",
                options=lambda c: c.conditions, select=_any_condition),
    AtLeast("min_troops", "Minimum troops", help="Countries whose stated figure reaches this number "
            "(the upper figure of a range).", select=_figure_reaches),
    OneChoice("reliability", "Sources", ALL_RELIABILITY, options=_labels(RELIABILITY_CHOICES),
              help="On record: the country's own officials or the ISF command, speaking publicly.",
              narrow=_on_record_only),
    Day("as_of", "As of", help="Show every page as it stood on this day. Empty: the latest data.",
        narrow=_up_to, at_default="latest data", behind="An earlier date"),
)  # fmt: skip
"""The shared filters, in sidebar order. Read it at call time (tests add entries to it)."""


def registry() -> tuple[Filter, ...]:
    return FILTERS


def by_key(key: str) -> Filter:
    return next(f for f in FILTERS if f.key == key)


@dataclass(frozen=True)
class FilterState:
    """The value of every shared filter; defaults mean "no filter"."""

    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key] if key in self.values else by_key(key).default

    @classmethod
    def default(cls) -> FilterState:
        return cls({f.key: f.default for f in FILTERS})


def parse(
    query: Mapping[str, Sequence[str]], options: Iterable[Filter], choices: Choices
) -> tuple[dict[str, Any], dict[str, list[Dropped]]]:
    """Values of `options` from URL parameters, and per key the values that were dropped."""
    values, dropped = {}, {}
    for option in options:
        values[option.key], rejected = option.parse(list(query.get(option.key, ())), choices)
        if rejected:
            dropped[option.key] = rejected
    return values, dropped


def state_from_query(query: Mapping[str, Sequence[str]], choices: Choices) -> FilterState:
    """The filters a URL asks for (what it cannot give is dropped)."""
    return FilterState(parse(query, FILTERS, choices)[0])


def to_query(state: FilterState) -> dict[str, list[str]]:
    """URL parameters for `state`, defaults left out, in registry order."""
    return {f.key: encoded for f in FILTERS if (encoded := f.to_url(state[f.key]))}


def shorten(value: str, limit: int = NOTICE_VALUE_CHARS) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def dropped_notice(dropped: Mapping[str, Sequence[Dropped]]) -> str | None:
    """One short sentence naming the URL values that were ignored (long values cut)."""
    parts = [
        f"{shorten(key, 30)}={shorten(item.value)}" + (f" ({item.why})" if item.why else "")
        for key, items in dropped.items()
        for item in items
    ]
    if not parts:
        return None
    more = len(parts) - NOTICE_VALUES
    shown = ", ".join(parts[:NOTICE_VALUES]) + (f", and {more} more" if more > 0 else "")
    return f"Ignored in the link, not valid here: {shown}."


@dataclass(frozen=True)
class View:
    """What every page shows once the filters are applied."""

    as_of: dt.date
    statements: pd.DataFrame  # the filtered countries' statements up to as_of (+ undated ones)
    positions: pd.DataFrame  # the filtered countries' positions as of as_of
    all_positions: pd.DataFrame  # every country's position as of as_of (same sources), for "N of M"
    description: str
    as_of_set: bool = False  # the reader chose the day; else it is today
    #: The record's date: its latest statement in force on as_of (same sources), whatever the filters.
    record_date: dt.date | None = None

    @property
    def dated(self) -> dt.date:
        """The one date the view is as of: the chosen day, else the record's (never today)."""
        return self.as_of if self.as_of_set or self.record_date is None else self.record_date


def apply(statements: pd.DataFrame, state: FilterState, choices: Choices) -> View:
    """Narrow the ledger to what the filters select: each filter narrows the statements
    (which sources, up to which day), then positions are derived, then each filter picks
    countries by their position."""
    as_of = state["as_of"] or choices.today
    for option in FILTERS:
        statements = option.narrow(statements, state[option.key])
    everyone = views.positions_as_of(statements, as_of)
    keep = pd.Series(True, index=everyone.index)
    for option in FILTERS:
        keep &= option.select(everyone, state[option.key], choices)
    selected = everyone[keep].reset_index(drop=True)
    shown = statements[statements["iso3"].isin(selected["iso3"])]
    latest = everyone["last_date"].max() if len(everyone) else None
    record_date = latest.date() if latest is not None and pd.notna(latest) else None
    description = describe(state, choices, len(selected), len(everyone))
    return View(as_of, shown, selected, everyone, description, state["as_of"] is not None, record_date)


def describe(state: FilterState, choices: Choices, shown: int, total: int) -> str:
    """ "3 of 17 countries · status: committed · as of 2026-03-31" """
    parts = [f"{shown} of {total} countries"]
    parts += [text for f in FILTERS if (text := f.describe(state[f.key], choices))]
    return " · ".join(parts)


#: View options of single pages: each has its own URL parameter, shown only on its page.
MAP_COLOR = OneChoice(
    "color",
    "Colour by",
    "stance",
    style="segmented",
    options=_labels({"stance": "Stance on disarming Hamas", "status": "Status"}),
)
MAP_VIEW = OneChoice(
    "view",
    "Area",
    "region",
    style="segmented",
    options=_labels({"region": "Where the countries are", "world": "World"}),
)
MATRIX_SORT = OneChoice(
    "sort",
    "Sort by",
    "troops",
    style="segmented",
    options=_labels({"troops": "Troop figure", "conditions": "Number of conditions"}),
)
CHANGES_FROM = Day(
    "from",
    "From",
    help="Compare positions on this day… (empty: 90 days before the end)",
    words="from {value}",
)
CHANGES_TO = Day("to", "To", help="…with positions on this day (empty: the latest data)", words="to {value}")
PAGE_OPTIONS: dict[str, tuple[Filter, ...]] = {
    "map": (MAP_COLOR, MAP_VIEW),
    "conditions": (MATRIX_SORT,),
    "changes": (CHANGES_FROM, CHANGES_TO),
}  # fmt: skip
