"""Tables for readers: the ledger and positions with labels instead of codes.

Pure functions, so what a reader sees is tested without Streamlit. Cell text is
left as data; pages show it in dataframes, never as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from isf_tracker.schema import (
    RELIABILITY_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    Reliability,
    Stance,
    Status,
    VocabularyEntry,
)


def is_blank(value: object) -> bool:
    """Missing cells arrive as None or NaN depending on the column's dtype."""
    if value is None or isinstance(value, tuple):
        return value is None
    return value == "" if isinstance(value, str) else bool(pd.isna(value))


def status_label(code: str | None, missing: str = "Not stated") -> str:
    return missing if is_blank(code) else STATUS_LABELS[Status(code)]


def stance_label(code: str | None) -> str:
    return STANCE_LABELS[Stance(Stance.UNSTATED if is_blank(code) else code)]


def reliability_label(code: str) -> str:
    return RELIABILITY_LABELS[Reliability(code)]


def labels(codes: tuple[str, ...], vocabulary: Mapping[str, VocabularyEntry]) -> str:
    """`("unsc_mandate", "no_combat")` → "UN Security Council mandate; No combat"."""
    return "; ".join(vocabulary[c].label if c in vocabulary else c for c in codes)


def troops_text(low: object, high: object) -> str:
    """A range in words: "3,500", "5,000–8,000" or "" when there is no figure."""
    if is_blank(low):
        return ""
    if is_blank(high) or high == low:
        return f"{int(low):,}"
    return f"{int(low):,}–{int(high):,}"


def ledger_table(
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
    roles: Mapping[str, VocabularyEntry],
) -> pd.DataFrame:
    """Every statement, newest first, as a reader wants to scan it."""
    ordered = statements.sort_values(["date", "line"], ascending=[False, False], na_position="last")
    return pd.DataFrame(
        {
            "Date": ordered["date"].dt.date,
            "Country": ordered["country"],
            "Status": ordered["status"].map(lambda s: status_label(s, missing="")),
            "Troops (as stated)": ordered["troops_as_stated"].fillna(""),
            "Disarming Hamas": ordered["disarmament"].map(stance_label),
            "Conditions": ordered["conditions"].map(lambda c: labels(c, conditions)),
            "Roles": ordered["roles"].map(lambda r: labels(r, roles)),
            "Speaker": ordered["speaker"],
            "Quote": ordered["quote"].fillna(""),
            "Outlet": ordered["source_outlet"],
            "Source": ordered["source_url"],
            "Reliability": ordered["reliability"].map(reliability_label),
            "Date precision": ordered["date_precision"],
            "Notes": ordered["notes"].fillna(""),
            "ID": ordered["statement_id"],
        }
    ).reset_index(drop=True)


def positions_table(
    positions: pd.DataFrame,
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
) -> pd.DataFrame:
    """Current positions, most troops first, each with the source of its latest statement."""
    sources = statements.set_index("statement_id")["source_url"]
    ordered = positions.sort_values(["troops_high", "country"], ascending=[False, True],
                                    na_position="last")  # fmt: skip
    latest_source = ordered["status_from"].fillna(ordered["troops_from"]).map(sources)
    return pd.DataFrame(
        {
            "Country": ordered["country"],
            "Status": ordered["status"].map(status_label),
            "Troops": [
                troops_text(lo, hi)
                for lo, hi in zip(ordered["troops_low"], ordered["troops_high"], strict=True)
            ],
            "Troops (as stated)": ordered["troops_as_stated"].fillna(""),
            "Disarming Hamas": ordered["disarmament"].map(stance_label),
            "Conditions": ordered["conditions"].map(lambda c: labels(c, conditions)),
            "Last statement": ordered["last_date"].dt.date,
            "Status source": latest_source,
        }
    ).reset_index(drop=True)
