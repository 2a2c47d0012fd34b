"""Building small ledgers for tests: a valid row to vary, and CSV text from rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from isf_tracker.schema import POSITION_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
#: A ledger made up for the tests, one row for each case they need (its README.md says which),
#: with its own reviews, translations and lookup tables: page and logic tests read it, so the real
#: ledger in data/ can grow without breaking them.
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "ledger"
FIXTURE = FIXTURE_DIR / "positions.csv"
HEADER = ",".join(POSITION_COLUMNS)
__all__ = ["FIXTURE", "FIXTURE_DIR", "GOOD", "HEADER", "POSITION_COLUMNS", "ROOT", "csv_text", "row"]

#: A valid row, column by column, to be varied by the tests.
GOOD = {
    "statement_id": "T001",
    "date": "2025-11-29",
    "iso3": "PAK",
    "country": "Pakistan",
    "status": "conditional",
    "troops_min": "3500",
    "troops_max": "3500",
    "troops_as_stated": "around 3,500",
    "disarmament": "refuses",
    "conditions": "no_disarmament;unsc_mandate",
    "roles": "",
    "speaker": "FM Ishaq Dar",
    "quote": "We are not ready for that.",
    "source_url": "https://example.org/a",
    "source_outlet": "Example",
    "reliability": "on_record",
    "notes": "",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def csv_text(rows: list[dict[str, str]], columns=POSITION_COLUMNS, delimiter=",", newline="\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), delimiter=delimiter, lineterminator=newline, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
