"""The shared filters: one registry, `FILTERS`, whose entries each own a URL key, how a raw value
is parsed, the default, how it narrows the data and how it reads in words. The sidebar (drawn by
`ui.widgets`), the address bar, `apply` and the sentence "3 of 17 countries · status: committed"
all loop over it, so adding a filter is adding one entry. Pages never read the URL themselves.
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
        """1 January of the first statement's year: "as of" a day before the first statement is a
        view (of nothing yet), not an error."""
        return self.first_date.replace(month=1, day=1)


def choices_for(statements: pd.DataFrame, countries: pd.DataFrame, conditions: Mapping[str, Any],
                today: dt.date | None = None) -> Choices:  # fmt: skip
    """Only values that occur in the ledger are offered, so a filter never selects nothing."""
    names = dict(zip(statements["iso3"], statements["country"], strict=True))
    # The sub-region, else the region, else "Other" (Antarctica, say, has neither).
    places = countries.drop_duplicates("iso3").set_index("iso3")[["subregion", "region"]]
    places = places.replace(r"^\s*$", None, regex=True)
    label_of = places["subregion"].fillna(places["region"]).reindex(list(names)).fillna("Other").to_dict()
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


class Rejected(ValueError):
    """A URL value that cannot be used; the message says why, in words."""


#: Why the dashboard drops all but the last value of a one-value filter (the API refuses them).
REPEATED = "given more than once; the last is used"


@dataclass(frozen=True)
class Dropped:
    """A URL value that was ignored, and why (in a few words, or nothing when obvious)."""

    value: str
    why: str = ""


@dataclass(frozen=True)
class Filter:
    """One URL parameter and everything about it; subclasses say how its values are read and
    offered. When set, `narrow` acts on the statements before positions are derived (which
    sources, which dates), `select` then picks countries by their position on the as-of date."""

    key: str
    label: str
    default: Any = None
    help: str = ""
    narrow: Narrow | None = None
    select: Select | None = None
    #: A filter few readers change may wait in the sidebar behind an expander with this label:
    #: its widget, and the browser's code for that kind of widget, load only when it is opened.
    behind: str | None = None
    words: str = "{label}: {value}"  # the filter in the view's description...
    at_default: str | None = None  # ...and what it says when the filter is not set
    chip_words: str | None = None  # ...and on its removable chip, when not its description
    undo: str = "✕"  # the chip's sign for removing it
    #: The value applied when none is given, from the data at hand and the values of the options
    #: after it: shown in its widget (never an empty box while a value applies), left out of links.
    fallback: Callable[[Choices, Mapping[str, Any]], Any] | None = None

    def applied(self, value: Any, choices: Choices, later: Mapping[str, Any] | None = None) -> Any:
        return self.fallback(choices, later or {}) if value is None and self.fallback else value

    def link_values(self, value: Any, choices: Choices, later: Mapping[str, Any] | None = None) -> list[str]:
        """`to_url`, but nothing for the fallback either: a link carries only what was chosen."""
        return [] if self.fallback and value == self.fallback(choices, later or {}) else self.to_url(value)

    def is_set(self, value: Any) -> bool:
        return not (value == self.default or value in (None, [], ()))

    def parse(self, raw: Sequence[str], choices: Choices) -> tuple[Any, list[Dropped]]:
        """The value for the URL strings `raw` (the last one counts), and those dropped."""
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
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    def shown(self, value: Any, choices: Choices) -> Any:
        return value

    def describe(self, value: Any, choices: Choices) -> str | None:
        if not self.is_set(value):
            return self.at_default
        return self.words.format(label=self.label.lower(), value=self.shown(value, choices))

    def chip(self, value: Any, choices: Choices) -> str:
        """The set filter on a chip that removes it ("status: Committed ✕")."""
        said = self.chip_words.format(value=value) if self.chip_words else self.describe(value, choices)
        return f"{said} {self.undo}"

    def clean(self, value: Any, choices: Choices) -> Any:
        """A value kept from an earlier run, made valid for the data at hand: what a link to it gives."""
        return self.parse(self.to_url(value), choices)[0]


@dataclass(frozen=True)
class MultiChoice(Filter):
    """Any of several values, repeated in the URL (`?country=PAK&country=IDN`)."""

    default: Any = field(default_factory=list)
    options: Options = lambda _choices: {}
    counted: str = ""  # its chip counts what it chose ("2 of 17 countries"), or names the one

    def chip(self, value: Any, choices: Choices) -> str:
        if not self.counted:
            return super().chip(value, choices)
        offered = self.options(choices)
        said = (
            offered.get(value[0], value[0])
            if len(value) == 1
            else f"{len(value)} of {len(offered)} {self.counted}"
        )
        return f"{said} {self.undo}"

    def parse(self, raw: Sequence[str], choices: Choices) -> tuple[Any, list[Dropped]]:
        allowed, kept, dropped = self.options(choices), [], []
        for value in dict.fromkeys(v for v in raw if v):  # each value once; an empty one is none
            if value in allowed and len(kept) < MAX_VALUES:
                kept.append(value)
            else:
                dropped.append(Dropped(value, f"more than {MAX_VALUES} values" if value in allowed else ""))
        return kept, dropped

    def shown(self, value: Any, choices: Choices) -> Any:
        return " or ".join(self.options(choices).get(v, v) for v in value)


@dataclass(frozen=True)
class OneChoice(Filter):
    """One value of a fixed list (`?reliability=on_record`)."""

    options: Options = lambda _choices: {}
    style: str = "radio"  # or "segmented", for page options above the content

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if raw not in self.options(choices):
            raise Rejected("")
        return raw

    def shown(self, value: Any, choices: Choices) -> Any:
        return self.options(choices).get(value, value)


@dataclass(frozen=True)
class AtLeast(Filter):
    """A whole number from 0 to `maximum`, written in ASCII digits (`?min_troops=1000`)."""

    default: Any = 0
    step: int = 500
    maximum: int = MAX_TROOPS

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if not re.fullmatch(r"[0-9]{1,7}", raw) or int(raw) > self.maximum:  # 7 digits: no huge int()
            raise Rejected(f"not a whole number from 0 to {self.maximum:,} in digits")
        return int(raw)


@dataclass(frozen=True)
class Day(Filter):
    """A day, `YYYY-MM-DD`, from 1 January of the first statement's year to today."""

    def parse_one(self, raw: str, choices: Choices) -> Any:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):  # fromisoformat takes other forms
            raise Rejected("not a date in the form YYYY-MM-DD")
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise Rejected("no such date") from exc
        coverage = f"the data covers {choices.first_date.isoformat()} to {choices.last_date.isoformat()}"
        if day > choices.today:
            raise Rejected(f"after today; {coverage}")
        if day < choices.earliest_day:
            raise Rejected(f"before {choices.earliest_day.isoformat()}; {coverage}")
        return day


ON_RECORD = Reliability.ON_RECORD.value
RELIABILITY_CHOICES = {"all": "Reported and unconfirmed too", ON_RECORD: "On record only"}


def _labels(labels: Mapping[str, str]) -> Options:
    return lambda _choices: labels


def _in(column: str) -> Select:
    return lambda positions, value, _choices: positions[column].isin(value)


FILTERS: tuple[Filter, ...] = (
    MultiChoice("country", "Countries", help="Countries to show (ISO3 codes in the link).",
                options=lambda c: c.countries, select=_in("iso3"), counted="countries"),
    MultiChoice("region", "Region", options=lambda c: c.regions,
                select=lambda p, value, c: p["iso3"].map(c.region_of).isin(value)),
    MultiChoice("status", "Status", help="Each country's latest stated status on the chosen date.",
                options=_labels({code: term.label for code, term in words.STATUSES.items()}),
                select=_in("status")),
    MultiChoice("stance", "Stance on disarming Hamas", select=_in("disarmament"),
                options=_labels({code: words.STANCES[code].label for code in words.CURRENT_STANCES})),
    MultiChoice("condition", "Condition", help="Countries whose stated conditions include any of these.",
                options=lambda c: c.conditions,
                select=lambda p, value, _c: ~p["conditions"].map(set(value).isdisjoint).astype(bool)),
    AtLeast("min_troops", "Minimum troops", help="Countries whose stated figure reaches this number "
            "(the upper figure of a range).", words="at least {value:,} troops",
            select=lambda p, value, _c: p["troops_high"].fillna(-1) >= value),
    OneChoice("reliability", "Sources", "all", options=_labels(RELIABILITY_CHOICES),
              help="On record: the country's own officials or the ISF command, speaking publicly.",
              narrow=lambda s, value: s[s["reliability"] == ON_RECORD] if value == ON_RECORD else s),
    Day("as_of", "As of", help="Show every page as it stood on this day. Empty: the latest data.",
        words="as of {value}", at_default="latest data", behind="An earlier date", undo="↺ latest",
        chip_words="the record as it stood on {value.day} {value:%b %Y}",
        # Statements up to the day; undated ones stay (they are history, never a position).
        narrow=lambda s, day: s[s["date"].isna() | (s["date"] <= pd.Timestamp(day))]),
)  # fmt: skip
"""The shared filters, in sidebar order. Read it at call time (tests add entries to it)."""


def by_key(key: str) -> Filter:
    return next(f for f in FILTERS if f.key == key)


@dataclass(frozen=True)
class FilterState:
    """The value of every shared filter; defaults mean "no filter"."""

    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key] if key in self.values else by_key(key).default


def parse(
    query: Mapping[str, Sequence[str]], options: Iterable[Filter], choices: Choices
) -> tuple[dict[str, Any], dict[str, list[Dropped]]]:
    """Values of `options` from URL parameters, and per key the values that were dropped."""
    parsed = {option.key: option.parse(list(query.get(option.key, ())), choices) for option in options}
    return {key: value for key, (value, _) in parsed.items()}, {key: d for key, (_, d) in parsed.items() if d}


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
    """Each set filter narrows the statements (which sources, up to which day), then positions
    are derived, then each picks countries by their position."""
    as_of = state["as_of"] or choices.today
    chosen = [(option, state[option.key]) for option in FILTERS if option.is_set(state[option.key])]
    for option, value in chosen:
        statements = option.narrow(statements, value) if option.narrow else statements
    everyone = views.positions_as_of(statements, as_of)
    keep = pd.Series(True, index=everyone.index)
    for option, value in chosen:
        keep &= option.select(everyone, value, choices) if option.select else True
    selected = everyone[keep].reset_index(drop=True)
    shown = statements[statements["iso3"].isin(selected["iso3"])]
    latest = everyone["last_date"].max()
    record_date = latest.date() if pd.notna(latest) else None
    # "3 of 17 countries · status: committed · as of 2026-03-31"
    said = [text for f in FILTERS if (text := f.describe(state[f.key], choices))]
    description = " · ".join([f"{len(selected)} of {len(everyone)} countries", *said])
    return View(as_of, shown, selected, everyone, description, state["as_of"] is not None, record_date)


def _segmented(key: str, label: str, labels: dict[str, str]) -> OneChoice:
    return OneChoice(key, label, next(iter(labels)), style="segmented", options=_labels(labels))


#: The window "What changed" lists unless another is chosen: the record's last 90 days.
CHANGE_SPAN = dt.timedelta(days=90)
#: View options of single pages: each has its own URL parameter, shown only on its page.
MAP_COLOR = _segmented("color", "Colour by", {"stance": "Stance on disarming Hamas", "status": "Status"})
PAGE_OPTIONS: dict[str, tuple[Filter, ...]] = {
    "map": (MAP_COLOR, _segmented("view", "Area", {"region": "Where the countries are", "world": "World"})),
    "conditions": (_segmented("sort", "Sort by", {"troops": "Troop figure",
                                                  "conditions": "Number of conditions"}),),
    "changes": (Day("from", "From", words="from {value}",
                    fallback=lambda c, later: max(  # never before the date box's first day
                        c.earliest_day, min(later.get("to") or c.last_date, c.last_date) - CHANGE_SPAN),
                    help="Every change after this day… (unless chosen: 90 days before the end)"),
                Day("to", "To", words="to {value}", fallback=lambda c, _later: c.last_date,
                    help="…up to and including this day (unless chosen: the record's latest statement)")),
}  # fmt: skip
