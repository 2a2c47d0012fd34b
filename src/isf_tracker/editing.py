"""Adding a statement from the dashboard: who may, and what the new row would change.

Pure functions, so the form's checks and preview are tested without Streamlit. The
form uses the same model and the same writer as the command line.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
from collections.abc import Mapping

import pandas as pd
from pydantic import ValidationError

from isf_tracker import positions as views
from isf_tracker.ledger import (
    Dataset,
    correction_problems,
    mark_corrections,
    statements_frame,
    validation_context,
)
from isf_tracker.problems import problems_from_validation
from isf_tracker.schema import Statement

PASSWORD_KEY = "ISF_TRACKER_EDIT_PASSWORD"


def configured_password(secrets: Mapping[str, object] | None = None) -> str | None:
    """The operator's edit password: the environment first, then Streamlit secrets."""
    value = os.environ.get(PASSWORD_KEY) or (secrets or {}).get(PASSWORD_KEY)
    return str(value) if value else None


def password_matches(given: str, expected: str | None) -> bool:
    """Constant-time comparison, so timing says nothing about the password."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def next_statement_id(statements: pd.DataFrame) -> str:
    """`S` and the next number after the highest `S<number>` in use."""
    numbers = statements["statement_id"].str.extract(r"^S(\d+)", expand=False).dropna().astype(int)
    return f"S{(numbers.max() + 1 if len(numbers) else 1):03d}"


def check_row(values: Mapping[str, str], data: Dataset, today: dt.date | None = None) -> dict[str, str]:
    """Problems of one new row, column → message (empty when it can be saved)."""
    names = dict(zip(data.countries["iso3"], data.countries["name"], strict=True))
    context = validation_context(names, data.conditions, data.roles, today)
    problems: dict[str, str] = {}
    try:
        record = Statement.model_validate(dict(values), context=context)
    except ValidationError as exc:
        for problem in problems_from_validation(exc, dict(values), "form", 0):
            problems.setdefault(problem.column or "row", problem.message)
    else:
        problems.update(_correction_problems(record, data))
    if "iso3" in problems:  # the name is derived from the code: one message is enough
        problems.pop("country", None)
    if values.get("statement_id", "").strip() in set(data.statements["statement_id"]):
        problems["statement_id"] = "is already used; identifiers are never reused"
    return problems


def _correction_problems(record: Statement, data: Dataset) -> dict[str, str]:
    """What the ledger's own correction checks say of the new row, added after the others."""
    line = int(data.statements["line"].max() or 1) + 1
    candidate = pd.concat([data.statements, statements_frame([(line, record)])], ignore_index=True)
    found, _ = correction_problems(candidate, "form")
    return {problem.column or "row": problem.message for problem in found if problem.line == line}


def preview(values: Mapping[str, str], data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The country's position before and after the new row, on the row's date (or today)."""
    record = Statement.model_validate(dict(values))
    new = statements_frame([(int(data.statements["line"].max() or 1) + 1, record)])
    combined = mark_corrections(pd.concat([data.statements, new], ignore_index=True))
    day = max(record.date or dt.date.today(), data.statements["date"].max().date())
    before = views.positions_as_of(data.statements, day)
    after = views.positions_as_of(combined, day)
    return before[before["iso3"] == record.iso3], after[after["iso3"] == record.iso3]


def blank_to_empty(values: Mapping[str, object]) -> dict[str, str]:
    """Form values as the CSV strings the ledger stores."""
    out = {}
    for key, value in values.items():
        if value is None:
            out[key] = ""
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, (list, tuple)):
            out[key] = ";".join(map(str, value))
        else:
            out[key] = str(value).strip()
    return out
