"""What the open data API sends, built from a filtered view: pure functions, no HTTP.

Statements go out in the ledger's own columns (plus `superseded_by`), newest first; positions
go out with the statement behind each value and that statement's provenance, so a figure read
from the API can always be traced to its source. JSON and CSV are built from the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from isf_tracker import export, tables
from isf_tracker.ledger import STATEMENT_FRAME_COLUMNS
from isf_tracker.schema import LIST_SEPARATOR, VocabularyEntry

#: A statement as the API gives it: the ledger's columns, then the id of its correction.
STATEMENT_FIELDS: tuple[str, ...] = (*(c for c in STATEMENT_FRAME_COLUMNS if c != "line"), "superseded_by")
#: What the API says of each statement a position rests on.
PROVENANCE_FIELDS: tuple[str, ...] = (
    "statement_id", "date", "date_precision", "iso3", "speaker", "quote",
    "source_url", "source_outlet", "reliability", "supersedes",
)  # fmt: skip
#: A position's values as the API gives them, before its conditions and roles.
POSITION_FIELDS = (
    "iso3", "country", "status", "status_from", "troops_low", "troops_high", "troops_min", "troops_max",
    "troops_as_stated", "troops_in_english", "troops_from", "troops_reliability", "troops_state",
    "troops_disowned_by", "disarmament", "disarmament_from", "disarmament_reliability",
)  # fmt: skip
#: Position values that come from one statement each (`{name}_from`).
SINGLE_SOURCED = ("status", "troops", "disarmament")
#: Position values that accumulate, each code with its own statement.
ACCUMULATED = ("conditions", "roles")
#: The provenance columns a position's CSV row repeats for each single-sourced value.
CSV_SOURCE_FIELDS = ("date", "source_url", "source_outlet", "reliability", "quote")


def plain(value: Any) -> Any:
    """A cell as JSON knows it: missing → None, dates → "YYYY-MM-DD", code tuples → lists."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def statement_rows(statements: pd.DataFrame) -> list[dict[str, Any]]:
    """Each statement in the ledger's columns, newest first (as the dashboard's ledger table:
    same day, later in the file first; undated last); codes as lists, blanks as null."""
    ordered = tables.newest_statements(statements, len(statements))[list(STATEMENT_FIELDS)]
    return [{key: plain(value) for key, value in record.items()} for record in ordered.to_dict("records")]


def statements_csv(statements: pd.DataFrame) -> bytes:
    """The statements as the ledger file writes them (codes joined with ';'), newest first."""
    ordered = tables.newest_statements(statements, len(statements))
    rows = export.ledger_rows(ordered).assign(superseded_by=ordered["superseded_by"])
    return export.csv_bytes(rows)


def _coded(pairs: Iterable[tuple[str, str]], vocabulary: Mapping[str, VocabularyEntry]) -> list[dict]:
    return [{"code": code, "label": tables.label(code, vocabulary), "statement_id": statement_id}
            for code, statement_id in pairs]  # fmt: skip


def position_rows(
    positions: pd.DataFrame,
    vocabularies: Mapping[str, Mapping[str, VocabularyEntry]],
) -> list[dict[str, Any]]:
    """Each country's position, every value beside the id of the statement it comes from;
    `vocabularies` maps "conditions" and "roles" to their code lists (for labels)."""
    rows = []
    for record in positions.to_dict("records"):
        row = {name: plain(record.get(name)) for name in POSITION_FIELDS}
        for column in ACCUMULATED:
            vocabulary = vocabularies[column]
            row[column] = _coded(record[f"{column}_sources"], vocabulary)
            row[f"{column}_withdrawn"] = _coded(record[f"{column}_withdrawn"], vocabulary)
            row[f"{column}_from"] = plain(record[f"{column}_from"])
        row |= {"first_date": plain(record["first_date"]), "last_date": plain(record["last_date"]),
                "statement_count": plain(record["statements"])}  # fmt: skip
        rows.append(row)
    return rows


def referenced(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every statement id the positions rest on, each once, sorted."""
    ids: set[str] = set()
    for row in rows:
        ids |= {row[f"{name}_from"] for name in (*SINGLE_SOURCED, *ACCUMULATED)}
        for column in ACCUMULATED:
            ids |= {item["statement_id"] for item in (*row[column], *row[f"{column}_withdrawn"])}
    return sorted(i for i in ids if i is not None)


def provenance(ids: Iterable[str], statements: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Who said it, where and when, for each id (ids not in `statements` are left out)."""
    wanted = statements[statements["statement_id"].isin(list(ids))]
    records = wanted[list(PROVENANCE_FIELDS)].to_dict("records")
    by_id = {record["statement_id"]: {k: plain(v) for k, v in record.items()} for record in records}
    return dict(sorted(by_id.items()))


def _joined(items: Sequence[Mapping[str, str]], key: str) -> str:
    return LIST_SEPARATOR.join(item[key] for item in items)


def positions_csv(rows: Sequence[Mapping[str, Any]], sources: Mapping[str, Mapping[str, Any]]) -> bytes:
    """One line per country: codes and their statements' ids as aligned ';' lists; for status,
    troops and disarmament, the source of the value in columns of its own."""
    flat = []
    for row in rows:
        line: dict[str, Any] = {k: v for k, v in row.items() if k not in ACCUMULATED and "withdrawn" not in k}
        for column in ACCUMULATED:
            for suffix in ("", "_withdrawn"):
                items = row[f"{column}{suffix}"]
                line[f"{column}{suffix}"] = _joined(items, "code")
                line[f"{column}{suffix}_statements"] = _joined(items, "statement_id")
        for name in SINGLE_SOURCED:
            source = sources.get(row[f"{name}_from"] or "", {})
            for field in CSV_SOURCE_FIELDS:
                line[f"{name}_{field}"] = source.get(field)
        flat.append(line)
    return export.csv_bytes(pd.DataFrame(flat, columns=positions_csv_columns()))


def positions_csv_columns() -> list[str]:
    accumulated = [f"{column}{suffix}{part}" for column in ACCUMULATED
                   for suffix in ("", "_withdrawn") for part in ("", "_statements")]  # fmt: skip
    sourced = [f"{name}_{field}" for name in SINGLE_SOURCED for field in CSV_SOURCE_FIELDS]
    return [
        "iso3", "country", "status", "status_from", "troops_low", "troops_high", "troops_min", "troops_max",
        "troops_as_stated", "troops_from", "disarmament", "disarmament_from",
        *accumulated, "conditions_from", "roles_from",
        "first_date", "last_date", "statement_count", *sourced,
    ]  # fmt: skip
