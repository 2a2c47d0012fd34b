"""A request's query string read into the shared filters, strictly.

The dashboard drops a value it cannot use and says so in a notice; a script reading the API
would not see a notice, so here every value the registry drops is refused instead (HTTP 400).
The parameters are exactly `filters.FILTERS` (and, for a page, its own options), read at call
time and parsed by each entry's own `parse`: a filter added to the registry is a parameter of
the API and of every page with no change here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from isf_tracker import filters
from isf_tracker.filters import Choices, FilterState

#: The longest query string read; a longer one is refused before it is parsed.
MAX_QUERY_BYTES = 8192
#: The most values one query may carry, all parameters together (no filter needs more).
MAX_QUERY_VALUES = filters.MAX_VALUES
#: The most problems a 400 answer lists (the message says how many there were).
MAX_PROBLEMS = 20
#: A filter's allowed values are listed in a 400 answer when there are at most this many.
MAX_ALLOWED_LISTED = 60

Query = dict[str, list[str]]


@dataclass(frozen=True)
class Problem:
    """One refused parameter: its name, its value (cut short) and why, in words."""

    parameter: str
    value: str
    why: str
    allowed: tuple[str, ...] = ()  # what would work: its values, or (unknown) the parameters
    unknown: bool = False  # not a parameter here at all

    def as_json(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "parameter": filters.shorten(self.parameter),
            "value": filters.shorten(self.value),
            "why": self.why,
        }
        if self.allowed:
            shown["allowed"] = list(self.allowed)
        return shown


class BadQuery(ValueError):
    """The query cannot be answered as asked; `problems` say what to change."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.message())

    def message(self) -> str:
        parts = [
            f"{filters.shorten(p.parameter, 30)}={filters.shorten(p.value)} ({p.why})" for p in self.problems
        ]
        shown = ", ".join(parts[: filters.NOTICE_VALUES])
        more = len(parts) - filters.NOTICE_VALUES
        return f"Refused, nothing was returned: {shown}" + (f", and {more} more" if more > 0 else "") + "."

    def explain(self) -> str:
        """The message, then what each refused parameter would take (for a page or an image)."""
        told: dict[str, str] = {}
        for problem in self.problems[:MAX_PROBLEMS]:
            if problem.unknown:
                told[""] = f"The parameters of this page: {', '.join(problem.allowed)}."
            elif problem.allowed:
                told[problem.parameter] = (
                    f"{filters.shorten(problem.parameter, 30)} takes: {', '.join(problem.allowed)}."
                )
        return " ".join([self.message(), *told.values()])

    def as_json(self) -> dict[str, object]:
        return {
            "error": "bad_request",
            "message": self.message(),
            "problem_count": len(self.problems),
            "problems": [p.as_json() for p in self.problems[:MAX_PROBLEMS]],
        }


def _unquoted(text: bytes) -> str:
    return unquote_plus(text.decode("latin-1"), errors="replace")


def _split(field: bytes) -> tuple[str, str]:
    """A field's name and value, decoded (the value only as far as a notice shows it)."""
    name, _, value = field.partition(b"=")
    return _unquoted(name), _unquoted(value[: filters.NOTICE_VALUE_CHARS * 12])


def read_query(raw: bytes) -> Query:
    """The parameters of a raw query string, each with its values in order; a query too long
    or with too many values is refused before it is parsed, naming the parameter at fault."""
    fields = [field for field in raw.split(b"&") if field]
    if len(raw) > MAX_QUERY_BYTES:
        longest = max(fields, key=len, default=b"")
        why = f"{len(longest):,} bytes long; a query string may have at most {MAX_QUERY_BYTES:,}"
        raise BadQuery([Problem(*_split(longest), why)])
    if len(fields) > MAX_QUERY_VALUES:
        name, count = Counter(_split(field)[0] for field in fields).most_common(1)[0]
        value = next(v for n, v in map(_split, fields) if n == name)
        why = f"given {count:,} times; a query may carry at most {MAX_QUERY_VALUES:,} values"
        raise BadQuery([Problem(name, value, why)])
    query: Query = {}
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True, errors="replace"):
        query.setdefault(name, []).append(value)
    return query


def _allowed(option: filters.Filter, choices: Choices) -> tuple[str, ...]:
    """The values a filter offers, when it has a short list of them (to say what would work)."""
    options = getattr(option, "options", None)
    if not callable(options):
        return ()
    offered = tuple(options(choices))
    return offered if len(offered) <= MAX_ALLOWED_LISTED else ()


def read(
    query: Mapping[str, Sequence[str]],
    choices: Choices,
    own: Sequence[filters.Filter] = (),
    where: str = "API",
) -> tuple[FilterState, dict[str, Any]]:
    """The shared filters `query` asks for, parsed by the registry, and the values of `own` (a
    page's options, a route's parameters). Any other parameter, and any value one of them drops,
    refuses the whole query: BadQuery names each."""
    options = (*filters.FILTERS, *own)
    known = tuple(option.key for option in options)
    problems = [
        Problem(name, values[0] if values else "", f"not a parameter of this {where}", known, unknown=True)
        for name, values in query.items()
        if name not in known
    ]
    values, dropped = filters.parse(query, options, choices)
    for option in options:
        for item in dropped.get(option.key, ()):
            why = item.why or "not one of the values this parameter takes here"
            if why == filters.REPEATED:  # the dashboard keeps the last; an answer must be exact
                why = "given more than once; this parameter takes one value"
            problems.append(
                Problem(option.key, item.value, why, () if item.why else _allowed(option, choices))
            )
    if problems:
        raise BadQuery(problems)
    shared = FilterState({option.key: values[option.key] for option in filters.FILTERS})
    return shared, {option.key: values[option.key] for option in own}
