"""Problems found in a data file, as small values people can act on.

A problem says where (file, line, column), what value, and what is wrong in
plain words. The command line prints them; the dashboard lists them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ValidationError

from isf_tracker import schema


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file. `line` is the 1-based physical line of the file."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.column}: " if self.column else ""
        value = self.value if len(self.value or "") <= 80 else f"{self.value[:79]}…"
        shown = f" (value {value!r})" if value else ""
        return f"{where}: {what}{self.message}{shown}"

    def as_row(self) -> dict[str, Any]:
        """The problem as a row of the problem panel: its message under "problem"."""
        row = asdict(self)
        row["problem"] = row.pop("message")
        return row


_TYPE_MESSAGES = {
    "missing": "is required but empty",
    "string_too_short": "is required but empty",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "greater_than_equal": "must be 0 or more",
    "date_from_datetime_parsing": "is not a date in the form YYYY-MM-DD",
    "date_parsing": "is not a date in the form YYYY-MM-DD",
    "date_from_datetime_inexact": "is not a date in the form YYYY-MM-DD",
    "date_type": "is not a date in the form YYYY-MM-DD",
}
#: The schema's patterns in words.
_PATTERNS = {
    schema.ISO3_PATTERN: "three capital letters, e.g. PAK",
    schema.CODE_PATTERN: "lower-case letters, digits and _",
    schema.STATED_CODE_PATTERN: "a code such as no_combat, or withdrawn:no_combat",
    schema.STATEMENT_ID_PATTERN: "letters, digits, '.', '_' or '-', at most 40",
    r"^\d{3}$": "three digits, e.g. 004",
}
#: Errors that, on a blank cell, mean only that the cell is required.
_BLANK_IS_MISSING = {"string_type", "enum", "int_type", "string_pattern_mismatch"}


def describe_error(error: dict[str, Any]) -> str:
    """Turn one pydantic error into a phrase that follows the column name."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if error.get("input") in (None, "") and kind in _BLANK_IS_MISSING:
        return "is required but empty"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "enum":
        return f"is not one of: {ctx.get('expected', '').replace(' or ', ', ')}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return f"does not have the expected form ({_PATTERNS.get(pattern, f'pattern {pattern}')})"
    return _TYPE_MESSAGES.get(kind, error["msg"][:1].lower() + error["msg"][1:])


def problems_from_validation(
    error: ValidationError, raw: dict[str, str], file: str, line: int
) -> list[Problem]:
    """One problem per failing column of one row."""
    found = []
    for item in error.errors():
        column = str(item["loc"][0]) if item["loc"] else None
        found.append(Problem(file, line, column, raw.get(column) if column else None, describe_error(item)))
    return found
