"""Adding a statement from the dashboard: who may, and what the new row would change. Pure
functions, so the form's checks and preview are tested without Streamlit; the form uses the same
model and the same writer as the command line."""

from __future__ import annotations

import datetime as dt
import hmac
import math
import os
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
from pydantic import ValidationError

from isf_tracker import clock, ledger, translations
from isf_tracker import positions as views
from isf_tracker.problems import problems_from_validation
from isf_tracker.schema import LIST_SEPARATOR, Statement

PASSWORD_KEY = "ISF_TRACKER_EDIT_PASSWORD"


def configured_password(secrets: Mapping[str, object] | None = None) -> str | None:
    """The operator's edit password: the environment first, then Streamlit secrets."""
    value = os.environ.get(PASSWORD_KEY) or (secrets or {}).get(PASSWORD_KEY)
    return str(value) if value else None


def password_matches(given: str, expected: str | None) -> bool:
    """Constant-time comparison, so timing says nothing about the password."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), str(expected).encode("utf-8"))


def next_statement_id(statements: pd.DataFrame) -> str:
    """`S` and the next number after the highest `S<number>` in use."""
    numbers = statements["statement_id"].str.extract(r"^S(\d+)", expand=False).dropna().astype(int)
    return f"S{(numbers.max() + 1 if len(numbers) else 1):03d}"


def blank_to_empty(values: Mapping[str, object]) -> dict[str, str]:
    """Form values as the CSV strings the ledger stores."""

    def cell(value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return LIST_SEPARATOR.join(map(str, value))
        return "" if value is None else str(value).strip()

    return {key: cell(value) for key, value in values.items()}


def _with_row(record: Statement, data: ledger.Dataset) -> tuple[int, pd.DataFrame]:
    """The ledger's statements with `record` on a new last line, and that line."""
    line = int(data.statements["line"].max() or 1) + 1
    return line, pd.concat([data.statements, ledger.statements_frame([(line, record)])], ignore_index=True)


def check_row(values: Mapping[str, str], data: ledger.Dataset) -> dict[str, str]:
    """Problems of one new row, column → message (empty when it can be saved): the model's, then
    the ledger's own checks of corrections."""
    problems: dict[str, str] = {}
    try:
        record = Statement.model_validate(dict(values), context=data.context)
    except ValidationError as exc:
        for problem in problems_from_validation(exc, dict(values), "form", 0):
            problems.setdefault(problem.column or "row", problem.message)
    else:
        line, candidate = _with_row(record, data)
        found = ledger.correction_problems(candidate, "form")
        problems.update({p.column or "row": p.message for p in found if p.line == line})
    if "iso3" in problems:  # the name is derived from the code: one message is enough
        problems.pop("country", None)
    if values.get("statement_id", "").strip() in set(data.statements["statement_id"]):
        problems["statement_id"] = "is already used; identifiers are never reused"
    return problems


def rendering_problems(quote: str, english: str, language: str) -> dict[str, str]:
    """What the form's English of a quote lacks: a non-English quote needs its English and its
    language; English given for nothing, or a language that is not a code, is named too."""
    problems = {}
    if quote and not translations.looks_english(quote) and not english:
        problems["quote"] = "is not in English: give its English (our translation) and its language below"
    if english and not quote:
        problems["english"] = "is given, but there is no quote to render"
    if english and not re.fullmatch("[a-z]{2,3}", language):
        problems["language"] = (
            "must be the quote's language as a code of 2 or 3 small letters, e.g. id, it, ar"
        )
    return problems


def rendering_row(statement_id: str, english: str, language: str) -> list[dict[str, str]]:
    """The translations.csv row the form saves beside a new statement (our own translation)."""
    if not english:
        return []
    note = "entered with the statement in the form"
    return [{"statement_id": statement_id, "field": "quote", "language": language, "english": english,
             "translated_by": "project", "translation_url": "", "note": note}]  # fmt: skip


def preview(values: Mapping[str, str], data: ledger.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The country's position before and after the new row, on the row's date (or today)."""
    record = Statement.model_validate(dict(values))
    day = max(record.date or clock.today(), data.statements["date"].max().date())
    before = views.positions_as_of(data.statements, day)
    after = views.positions_as_of(ledger.mark_corrections(_with_row(record, data)[1]), day)
    return before[before["iso3"] == record.iso3], after[after["iso3"] == record.iso3]


#: Wrong passwords allowed before each further try must wait.
FREE_ATTEMPTS = 3
#: After this many wrong passwords in a row, editing is locked for LOCKOUT_S.
LOCKOUT_AFTER = 10
LOCKOUT_S = 15 * 60
MAX_WAIT_S = 60


def wait_after(failures: int) -> float:
    """Seconds before the next try is allowed, after `failures` wrong passwords in a row:
    none at first, then 1, 2, 4 … up to a minute, then a lockout of LOCKOUT_S."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    if failures >= LOCKOUT_AFTER:
        return float(LOCKOUT_S)
    return float(min(2 ** (failures - FREE_ATTEMPTS), MAX_WAIT_S))


class Throttle:
    """Wrong edit passwords, counted per key (one for the browser session, one for the client
    address), so a guesser is slowed whether it keeps its session or opens new ones. Shared by
    every session of the server process; the clock is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._records: dict[str, tuple[int, float]] = {}  # key → (wrong in a row, next try allowed at)
        self._lock = threading.Lock()

    def wait_s(self, keys: Sequence[str]) -> float:
        """How long these keys must still wait before a try (0: they may try now)."""
        now = self._clock()
        with self._lock:
            return max((self._records[k][1] - now for k in keys if k in self._records), default=0.0)

    def failed(self, keys: Sequence[str]) -> int:
        """Count a wrong password; returns the most failures in a row among the keys."""
        now = self._clock()
        with self._lock:
            for key in keys:
                failures = self._records.get(key, (0, 0.0))[0] + 1
                self._records[key] = (failures, now + wait_after(failures))
            return max((self._records[key][0] for key in keys), default=0)

    def succeeded(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)


THROTTLE = Throttle()


def wait_text(seconds: float) -> str:
    """ "8 s", "15 min": how long to wait, rounded up, in words a person reads at once."""
    seconds = math.ceil(seconds)
    return f"{seconds} s" if seconds < 120 else f"{math.ceil(seconds / 60)} min"
