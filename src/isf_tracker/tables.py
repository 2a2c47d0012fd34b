"""Tables for readers: the ledger and positions with labels instead of codes.

Pure functions, so what a reader sees is tested without Streamlit. Cell text is
left as data; pages show it in dataframes, never as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from isf_tracker import translations
from isf_tracker import vocabulary as words
from isf_tracker.schema import VocabularyEntry, withdrawn_code


def is_blank(value: object) -> bool:
    """Missing cells arrive as None or NaN depending on the column's dtype."""
    if value is None or isinstance(value, tuple):
        return value is None
    return value == "" if isinstance(value, str) else bool(pd.isna(value))


def status_label(code: str | None, missing: str = words.NOT_STATED_LABEL) -> str:
    return missing if is_blank(code) else words.STATUSES[str(code)].label


def stance_label(code: str | None) -> str:
    return words.stance(code).label


def stance_word(code: str | None) -> str:
    """The stance as a table cell under "Disarming Hamas": "Ruled out explicitly", "Not addressed" …"""
    return words.stance(code).short


def reliability_label(code: str) -> str:
    return words.reliability(code).label


def label(code: str, vocabulary: Mapping[str, VocabularyEntry]) -> str:
    """A code's label; a withdrawal reads "Withdrawn: <label>"."""
    dropped = withdrawn_code(code)
    if dropped is not None:
        return f"Withdrawn: {label(dropped, vocabulary)}"
    return vocabulary[code].label if code in vocabulary else code


def labels(codes: tuple[str, ...], vocabulary: Mapping[str, VocabularyEntry]) -> str:
    """`("unsc_mandate", "no_combat")` → "UN Security Council mandate; No combat"."""
    return "; ".join(label(c, vocabulary) for c in codes)


def troops_text(low: object, high: object) -> str:
    """A range in words: "3,500", "5,000–8,000" or "" when there is no figure."""
    if is_blank(low):
        return ""
    if is_blank(high) or high == low:
        return f"{int(low):,}"
    return f"{int(low):,}–{int(high):,}"


def figure_words(low: object, high: object, stated: object = None) -> str:
    """A figure and the source's words where they say more: `"around 3,500 troops"` when the words
    hold the figure, `100–150 ("about 100 – 150 personnel")` when they do not, `20,000` (not
    `20,000 ("20,000")`); the words alone, unquoted, when there is no number ("one battalion")."""
    figure = troops_text(low, high)
    text = "" if is_blank(stated) else str(stated).strip()
    if not figure or not text or text == figure:
        return text or figure
    return f'"{text}"' if figure in text else f'{figure} ("{text}")'


_COPY = re.compile(r"^(?P<site>.+?) \((?P<original>.+?) copy\)$")
_MIRROR = re.compile(r"^Mirror of (?P<original>.+)$")
_HOST = re.compile(r"https?://(?:www\.)?([^/?#]+)", re.IGNORECASE)


def host(url: object) -> str:
    """ "example.org" for "https://www.example.org/a": how a source reads where its outlet is not
    named ("" when there is no address)."""
    found = _HOST.match(str(url).strip()) if not is_blank(url) else None
    return found.group(1) if found else ""


def outlet_words(outlet: str) -> str:
    """The original outlet first, and whose copy was read: "Tab2Mag (BBC copy)" → "BBC, via Tab2Mag",
    "Mirror of Arab News" → "Arab News, via a mirror site"; any other outlet as it is."""
    if match := _COPY.match(outlet):
        return f"{match['original']}, via {match['site']}"
    if match := _MIRROR.match(outlet):
        return f"{match['original']}, via a mirror site"
    return outlet


def figure_basis(position: pd.Series) -> str:
    """How a position's troop figure is known: "on record · in place", "unconfirmed · since called
    undecided by its government" ("" when it states none)."""
    if is_blank(position.get("troops_reliability")):
        return ""
    state = words.FIGURE_STATES[position["troops_state"]]  # set wherever a figure's basis is
    return f"{words.reliability(position['troops_reliability']).short} · {state.short}"


def stated_figure(position: pd.Series) -> str:
    """A position's figure in words (figure_words), in English where rendered, else as stated."""
    english = position.get("troops_in_english")
    said = english if not is_blank(english) else position["troops_as_stated"]
    return figure_words(position["troops_low"], position["troops_high"], said)


def figure_with_basis(position: pd.Series) -> str:
    """ "3,500 ("around 3,500 troops") · unconfirmed · since called undecided by its government",
    "one battalion (no number) · on record · offered", or "no troop figure stated"."""
    figure = stated_figure(position)
    if not figure:
        return "no troop figure stated"
    if is_blank(position["troops_high"]):
        figure += " (no number)"
    return f"{figure} · {figure_basis(position)}"


def stance_with_basis(position: pd.Series) -> str:
    """The stance in a few words, with "· reported" or "· unconfirmed" when it rests on a report."""
    short = stance_word(position["disarmament"])
    reliability = position.get("disarmament_reliability")
    if is_blank(reliability) or reliability == "on_record":
        return short
    return f"{short} · {words.reliability(reliability).short}"


def ledger_table(
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
    roles: Mapping[str, VocabularyEntry],
    renderings: Mapping[tuple[str, str], Any] | None = None,
) -> pd.DataFrame:
    """Every statement, newest first, as a reader wants to scan it: the quote beside its English
    (marked whose), the original outlet of a copy first."""
    ordered = newest_statements(statements, len(statements))
    renderings = renderings or {}

    def english(statement_id: str) -> str:
        rendering = renderings.get((statement_id, "quote"))
        return f"{rendering.english} ({translations.credit(rendering)})" if rendering else ""

    return pd.DataFrame(
        {
            "Date": ordered["date"].dt.date,
            "Country": ordered["country"],
            "Status": ordered["status"].map(lambda s: status_label(s, missing="")),
            "Disarming Hamas": ordered["disarmament"].map(stance_word),
            "Troops (as stated)": ordered["troops_as_stated"].fillna(""),
            "Conditions": ordered["conditions"].map(lambda c: labels(c, conditions)),
            "Roles": ordered["roles"].map(lambda r: labels(r, roles)),
            "Speaker": ordered["speaker"],
            "Quote": ordered["quote"].fillna(""),
            "Quote in English": ordered["statement_id"].map(english),
            "Outlet": ordered["source_outlet"].map(outlet_words),
            "Source": ordered["source_url"],
            "Reliability": ordered["reliability"].map(reliability_label),
            "Date precision": ordered["date_precision"],
            "Notes": ordered["notes"].fillna(""),
            "ID": ordered["statement_id"],
            "Corrected by": ordered["superseded_by"].map(lambda v: v if isinstance(v, str) else ""),
        }
    ).reset_index(drop=True)


#: What the timeline's marks say in their tooltips: its table alternative shows the same.
TIMELINE_COLUMNS = ("Date", "Country", "Status", "Troops (as stated)", "Speaker", "Quote", "Quote in English",
                    "Outlet", "Source", "Reliability", "ID")  # fmt: skip
#: The statements table: what matters first (country, status, stance), the long research notes
#: left to the country profile and the CSV, and the ids last, for citing.
OVERVIEW_LEDGER_COLUMNS = ("Country", "Status", "Disarming Hamas", "Date", "Troops (as stated)", "Quote",
                           "Quote in English", "Speaker", "Outlet", "Source", "Reliability", "Conditions",
                           "Roles", "ID", "Corrected by")  # fmt: skip


def positions_table(
    positions: pd.DataFrame,
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
    roles: Mapping[str, VocabularyEntry] | None = None,
) -> pd.DataFrame:
    """Current positions, most troops first, each with the source of its status: the country and
    its troop figure lead (the number a reader came for shows on a phone), then its status and
    its stance on disarming Hamas."""
    sources = statements.set_index("statement_id")["source_url"]
    ordered = positions.sort_values(["troops_high", "country"], ascending=[False, True],
                                    na_position="last")  # fmt: skip
    latest_source = ordered["status_from"].fillna(ordered["troops_from"]).map(sources)
    return pd.DataFrame(
        {
            "Country": ordered["country"],
            "Troops": [stated_figure(p) for _, p in ordered.iterrows()],
            "Status": ordered["status"].map(status_label),
            "Disarming Hamas": [stance_with_basis(p) for _, p in ordered.iterrows()],
            "Troop figure known as": [figure_basis(p) for _, p in ordered.iterrows()],
            "Conditions": ordered["conditions"].map(lambda c: labels(c, conditions)),
            "Roles": ordered["roles"].map(lambda r: labels(r, roles or {})),
            "Last statement": pd.to_datetime(ordered["last_date"]).dt.date,
            "Status source": latest_source,
        }
    ).reset_index(drop=True)


SOURCE_COLUMNS = ["Outlet", "Date", "Reliability", "Countries", "Statements", "Source"]


def sources_table(statements: pd.DataFrame) -> pd.DataFrame:
    """Every source once, newest first: the outlet, the date of its first statement, how reliable
    it is, the countries and statements resting on it, and its address (undated sources last)."""
    if statements.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    grouped = statements.sort_values(["date", "line"]).groupby("source_url", sort=False)
    table = grouped.agg(
        Outlet=("source_outlet", "first"),
        first=("date", "min"),
        Reliability=("reliability", lambda r: ", ".join(sorted({reliability_label(x) for x in r}))),
        Statements=("statement_id", lambda ids: ", ".join(ids)),
        Countries=("country", lambda c: ", ".join(dict.fromkeys(c))),
    ).reset_index()
    table["Date"] = table["first"].dt.date
    table = table.rename(columns={"source_url": "Source"})
    table = table.sort_values(["first", "Source"], ascending=[False, True], na_position="last", kind="stable")
    return table[SOURCE_COLUMNS].reset_index(drop=True)


def newest_statements(statements: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` statements that `ledger_table` lists first (newest first, undated last)."""
    ordered = statements.sort_values(["date", "line"], ascending=[False, False], na_position="last")
    return ordered.head(limit)


def provenance_table(
    position: pd.Series,
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
    roles: Mapping[str, VocabularyEntry],
) -> pd.DataFrame:
    """One country's position value by value, each with the statement and source it came from:
    a row per field, and a row per condition and per role (each has its own statement)."""
    by_id = statements.set_index("statement_id")
    values: list[tuple[str, str, object]] = [
        ("Status", status_label(position["status"]), position["status_from"]),
        ("Troops", figure_with_basis(position), position["troops_from"]),
        ("Disarming Hamas", stance_label(position["disarmament"]), position["disarmament_from"]),
    ]
    for column, field, vocabulary in (("conditions", "Condition", conditions), ("roles", "Role", roles)):
        held = position[f"{column}_sources"]
        values += [(field, label(code, vocabulary), source) for code, source in held]
        if not held:
            values.append((f"{field}s", "None stated", None))
    rows = []
    for field, value, source_id in values:
        known = not is_blank(source_id)
        stated = by_id.loc[source_id] if known else None
        rows.append(
            {
                "Field": field,
                "Value": value,
                "Statement": source_id if known else "",
                "Date": stated["date"].date() if known and pd.notna(stated["date"]) else None,
                "Reliability": reliability_label(stated["reliability"]) if known else "",
                "Source": stated["source_url"] if known else None,
            }
        )
    return pd.DataFrame(rows)


def stakeholder_table(stakeholders: pd.DataFrame, types: tuple[str, ...] = ()) -> pd.DataFrame:
    """The stakeholders' positions, newest first (undated last)."""
    rows = stakeholders if not types else stakeholders[stakeholders["position_type"].isin(types)]
    rows = rows.sort_values("date", ascending=False, na_position="last")
    return pd.DataFrame(
        {
            "Actor": rows["actor"].str.replace("_", " ").str.title(),
            "Position": rows["position_type"].str.replace("_", " ").str.capitalize(),
            "Summary": rows["summary"],
            "Quote": rows["quote"].fillna(""),
            "Speaker": rows["speaker"],
            "Date": rows["date"],
            "Source": rows["source_url"],
            "Reliability": rows["reliability"].map(reliability_label),
        }
    ).reset_index(drop=True)


def tasks_table(
    tasks, conditions: Mapping[str, VocabularyEntry], roles: Mapping[str, VocabularyEntry]
) -> pd.DataFrame:
    """The mandate's tasks and what rules a contributor in or out of each."""
    return pd.DataFrame(
        [
            {
                "Task": t.label,
                "Needs stance": ", ".join(stance_label(s.value) for s in t.requires_stance) or "Any",
                "Needs a role among": labels(t.requires_roles, roles) or "Any",
                "Ruled out by": labels(t.excluded_by_conditions, conditions) or "Nothing",
                "Source": t.source_url,
            }
            for t in tasks
        ]
    )


def coverage_table(by_task: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Per task: the countries whose stated position allows it, how many state a figure, and their
    figures summed within each basis (never across), with the countries by name."""

    def sums(basis: str) -> list[str]:
        lows, highs = by_task[f"{basis}_low"], by_task[f"{basis}_high"]
        return [troops_text(low, high) if high else "" for low, high in zip(lows, highs, strict=True)]

    return pd.DataFrame(
        {
            "Task": by_task["label"],
            "Countries allowing it": by_task["countries"],
            "With a troop figure": by_task["with_figure"],
            "Troops on record": sums("on_record"),
            "Troops reported": sums("reported"),
            "Troops unconfirmed": sums("unconfirmed"),
            "Countries": by_task["iso3"].map(lambda codes: ", ".join(names.get(c, c) for c in codes)),
        }
    )
