"""The shared filters: one registry that says, for each URL parameter, how to parse it,
write it back, describe it in words and apply it.

Pages never read the URL themselves. The sidebar widgets, the address bar and the
sentence "3 of 17 countries · status: committed" all come from this table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from isf_tracker import positions as views
from isf_tracker.schema import (
    STANCE_LABELS,
    STATUS_LABELS,
    Reliability,
    Stance,
    Status,
)

ALL_RELIABILITY = "all"
RELIABILITY_CHOICES = {
    ALL_RELIABILITY: "Reported and unconfirmed too",
    Reliability.ON_RECORD.value: "On record only",
}


def slug(text: str) -> str:
    """ "Western Asia" → "western-asia": readable in a URL, no escaping."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Choices:
    """The values each filter can take with the data at hand, with their labels."""

    countries: dict[str, str]  # iso3 -> name
    regions: dict[str, str]  # slug -> label
    conditions: dict[str, str]  # code -> label
    first_date: dt.date
    last_date: dt.date
    today: dt.date
    region_of: dict[str, str] = field(default_factory=dict)  # iso3 -> region slug


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
    region_of = {iso3: slug(label) for iso3, label in label_of.items()}
    region_labels = {slug(label): label for label in label_of.values()}
    dates = statements["date"].dropna()
    today = today or dt.date.today()
    return Choices(
        countries=dict(sorted(names.items(), key=lambda item: item[1])),
        regions=dict(sorted(region_labels.items(), key=lambda item: item[1])),
        conditions={code: entry.label for code, entry in conditions.items()},
        first_date=dates.min().date() if len(dates) else today,
        last_date=dates.max().date() if len(dates) else today,
        today=today,
        region_of=region_of,
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


@dataclass(frozen=True)
class Filter:
    """One filter: its URL key, its label, and how its values travel to and from the URL."""

    key: str
    label: str
    many: bool
    default: Any
    options: Callable[[Choices], Mapping[str, str]] | None = None  # code -> label
    parse_one: Callable[[str, Choices], Any] | None = None  # for single-valued filters
    help: str = ""

    def parse(self, raw: Sequence[str], choices: Choices) -> tuple[Any, list[str]]:
        """Valid value from raw URL strings, and the raw strings that were dropped."""
        rejected: list[str] = []
        if self.many:
            allowed = self.options(choices) if self.options else {}
            kept = []
            for item in raw:
                if item in allowed and item not in kept:
                    kept.append(item)
                elif item not in allowed:
                    rejected.append(item)
            return kept, rejected
        if not raw or raw[-1] == "":
            return self.default, []
        if len(raw) > 1:
            rejected.extend(raw[:-1])
        try:
            return self._parse_single(raw[-1], choices), rejected
        except Rejected:
            return self.default, [*rejected, raw[-1]]

    def _parse_single(self, raw: str, choices: Choices) -> Any:
        if self.parse_one is not None:
            return self.parse_one(raw, choices)
        if self.options is not None and raw in self.options(choices):
            return raw
        raise Rejected(raw)

    def to_url(self, value: Any) -> list[str]:
        """URL values for `value`; none at the default, so links stay short."""
        if value == self.default or value in (None, [], ()):
            return []
        if self.many:
            return [str(v) for v in value]
        if isinstance(value, dt.date):
            return [value.isoformat()]
        return [str(value)]

    def describe(self, value: Any, choices: Choices) -> str | None:
        """The filter in words, or None at its default."""
        if value == self.default or value in (None, [], ()):
            return None
        if self.many:
            labels = self.options(choices) if self.options else {}
            return f"{self.label.lower()}: " + " or ".join(labels.get(v, v) for v in value)
        if self.key == "min_troops":
            return f"at least {value:,} troops"
        if self.key == "as_of":
            return None  # stated separately, always
        labels = self.options(choices) if self.options else {}
        return f"{self.label.lower()}: {labels.get(value, value)}"


def _parse_min_troops(raw: str, _: Choices) -> int:
    if not raw.isdigit():
        raise Rejected(raw)
    return int(raw)


def _parse_as_of(raw: str, choices: Choices) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise Rejected(raw)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise Rejected(raw) from exc
    if day > choices.today:
        raise Rejected(raw)
    return day


FILTERS: tuple[Filter, ...] = (
    Filter("country", "Countries", True, [], options=lambda c: c.countries,
           help="Countries to show (ISO3 codes in the link)."),
    Filter("region", "Region", True, [], options=lambda c: c.regions),
    Filter("status", "Status", True, [],
           options=lambda c: {s.value: STATUS_LABELS[s] for s in Status},
           help="Each country's latest stated status on the chosen date."),
    Filter("stance", "Stance on disarming Hamas", True, [],
           options=lambda c: {s.value: STANCE_LABELS[s] for s in Stance}),
    Filter("condition", "Condition", True, [], options=lambda c: c.conditions,
           help="Countries whose latest stated conditions include any of these."),
    Filter("min_troops", "Minimum troops", False, 0, parse_one=_parse_min_troops,
           help="Countries whose stated figure reaches this number (upper bound)."),
    Filter("reliability", "Sources", False, ALL_RELIABILITY, options=lambda c: RELIABILITY_CHOICES,
           help="On record: the country's own officials or the ISF command, speaking publicly."),
    Filter("as_of", "As of", False, None, parse_one=_parse_as_of,
           help="Show every page as it stood on this day. Empty: the latest data."),
)  # fmt: skip
FILTERS_BY_KEY = {f.key: f for f in FILTERS}


@dataclass(frozen=True)
class FilterState:
    """The value of every shared filter; defaults mean "no filter"."""

    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key, FILTERS_BY_KEY[key].default)

    @classmethod
    def default(cls) -> FilterState:
        return cls({f.key: f.default for f in FILTERS})


def parse_query(
    query: Mapping[str, Sequence[str]], choices: Choices
) -> tuple[FilterState, dict[str, list[str]]]:
    """Filter values from URL parameters, and per key the values that were dropped."""
    values, dropped = {}, {}
    for flt in FILTERS:
        value, rejected = flt.parse(list(query.get(flt.key, [])), choices)
        values[flt.key] = value
        if rejected:
            dropped[flt.key] = rejected
    return FilterState(values), dropped


def to_query(state: FilterState) -> dict[str, list[str]]:
    """URL parameters for `state`, defaults left out."""
    query = {}
    for flt in FILTERS:
        encoded = flt.to_url(state[flt.key])
        if encoded:
            query[flt.key] = encoded
    return query


def dropped_notice(dropped: Mapping[str, Sequence[str]]) -> str | None:
    """One sentence naming every URL value that was ignored."""
    if not dropped:
        return None
    parts = [f"{key}={value}" for key, values in dropped.items() for value in values]
    return "Ignored in the link, not valid here: " + ", ".join(parts) + "."


@dataclass(frozen=True)
class View:
    """What every page shows once the filters are applied."""

    as_of: dt.date
    statements: pd.DataFrame  # the filtered countries' dated statements up to as_of (+ undated)
    positions: pd.DataFrame  # the filtered countries' positions as of as_of
    all_positions: pd.DataFrame  # every country's position as of as_of, for "N of M"
    description: str


def apply(statements: pd.DataFrame, state: FilterState, choices: Choices) -> View:
    """Narrow the ledger to what the filters select.

    Reliability narrows the statements before positions are derived; the other filters
    select countries by their position on the as-of date.
    """
    as_of = state["as_of"] or choices.today
    if state["reliability"] == Reliability.ON_RECORD.value:
        statements = statements[statements["reliability"] == Reliability.ON_RECORD.value]
    everyone = views.positions_as_of(statements, as_of)
    keep = pd.Series(True, index=everyone.index)
    if state["country"]:
        keep &= everyone["iso3"].isin(state["country"])
    if state["region"]:
        keep &= everyone["iso3"].map(choices.region_of).isin(state["region"])
    if state["status"]:
        keep &= everyone["status"].isin(state["status"])
    if state["stance"]:
        keep &= everyone["disarmament"].isin(state["stance"])
    if state["condition"]:
        wanted = set(state["condition"])
        keep &= everyone["conditions"].map(lambda c: bool(wanted & set(c)))
    if state["min_troops"]:
        keep &= everyone["troops_high"].fillna(-1) >= state["min_troops"]
    selected = everyone[keep].reset_index(drop=True)
    in_time = statements["date"].isna() | (statements["date"] <= pd.Timestamp(as_of))
    shown = statements[in_time & statements["iso3"].isin(selected["iso3"])]
    return View(as_of, shown, selected, everyone, describe(state, choices, len(selected), len(everyone)))


def describe(state: FilterState, choices: Choices, shown: int, total: int) -> str:
    """ "3 of 17 countries · status: committed · as of 2026-03-31" """
    parts = [f"{shown} of {total} countries"]
    parts += [text for f in FILTERS if (text := f.describe(state[f.key], choices))]
    as_of = state["as_of"]
    parts.append(f"as of {as_of.isoformat()}" if as_of else "latest data")
    return " · ".join(parts)


def _options(**labels: str) -> Callable[[Choices], Mapping[str, str]]:
    return lambda _choices: labels


#: View options of single pages: each has its own URL parameter, shown only on its page.
MAP_COLOR = Filter(
    "color",
    "Colour by",
    False,
    "status",
    options=_options(status="Status", stance="Stance on disarming Hamas"),
)
MAP_VIEW = Filter(
    "view", "Area", False, "world", options=_options(world="World", middle_east="Middle East and neighbours")
)
MATRIX_SORT = Filter(
    "sort",
    "Sort by",
    False,
    "troops",
    options=_options(troops="Troops offered", conditions="Number of conditions"),
)
CHANGES_FROM = Filter(
    "from",
    "From",
    False,
    None,
    parse_one=_parse_as_of,
    help="Compare positions on this day… (empty: 90 days before the end)",
)
CHANGES_TO = Filter(
    "to",
    "To",
    False,
    None,
    parse_one=_parse_as_of,
    help="…with positions on this day (empty: the latest data)",
)
PAGE_OPTIONS: dict[str, tuple[Filter, ...]] = {
    "map": (MAP_COLOR, MAP_VIEW),
    "conditions": (MATRIX_SORT,),
    "changes": (CHANGES_FROM, CHANGES_TO),
}  # fmt: skip
