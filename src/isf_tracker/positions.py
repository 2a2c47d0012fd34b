"""Views derived from the ledger: each country's position as of a date, and troop totals.

All functions are pure (DataFrame in, DataFrame out) so they are tested without
Streamlit. Every derived value keeps the statement_id it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from isf_tracker.schema import (
    COMMITTED_STATUSES,
    OFFERING_STATUSES,
    MandateTask,
    Stance,
    withdrawn_code,
)

#: A contributor that names no role is counted as offering general-purpose troops.
DEFAULT_ROLES: tuple[str, ...] = ("troops",)
#: The mandate task the headline compares the offered force with.
DISARMAMENT_TASK = "demilitarisation"

TROOP_FIELDS = ["troops_min", "troops_max", "troops_as_stated"]
POSITION_COLUMNS = [
    "iso3", "country",
    "status", "status_from",
    "troops_min", "troops_max", "troops_as_stated", "troops_from",
    "troops_low", "troops_high",
    "disarmament", "disarmament_from",
    "conditions", "conditions_from", "conditions_sources", "conditions_withdrawn",
    "roles", "roles_from", "roles_sources", "roles_withdrawn",
    "first_date", "last_date", "statements",
]  # fmt: skip


def as_timestamp(day: dt.date | str | pd.Timestamp | None) -> pd.Timestamp | None:
    return None if day is None else pd.Timestamp(day)


def statements_until(statements: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Dated statements made on or before `as_of` (all dated ones when None), oldest first.

    Undated statements stay in the history but cannot be placed in time, and a corrected
    statement gives way to its correction, so no as-of view uses either.
    """
    dated = statements[statements["date"].notna() & statements["superseded_by"].isna()]
    if as_of is not None:
        dated = dated[dated["date"] <= as_timestamp(as_of)]
    return dated.sort_values(["date", "line"], kind="stable")


def _latest(dated: pd.DataFrame, mask: pd.Series, columns: list[str], name: str) -> pd.DataFrame:
    """Per country, `columns` of the latest statement where `mask` holds, with its id."""
    latest = dated[mask].groupby("iso3", sort=False).tail(1).set_index("iso3")
    return latest[[*columns, "statement_id"]].rename(columns={"statement_id": f"{name}_from"})


def _accumulated(dated: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per country, the codes of `column` it has stated and not withdrawn, each carried by the
    latest statement that stated it (`{column}_sources`: (code, statement_id) pairs, first
    stated first); the codes it has withdrawn since, with the withdrawing statement
    (`{column}_withdrawn`); and the latest statement that stated or withdrew any (`{column}_from`)."""
    held: dict[str, dict[str, str]] = {}
    dropped_by: dict[str, dict[str, str]] = {}
    latest: dict[str, str] = {}
    listing = dated[dated[column].map(len) > 0]
    for iso3, codes, statement_id in zip(
        listing["iso3"], listing[column], listing["statement_id"], strict=True
    ):
        codes_held, codes_dropped = held.setdefault(iso3, {}), dropped_by.setdefault(iso3, {})
        for code in codes:
            dropped = withdrawn_code(code)
            if dropped is None:
                codes_held[code] = statement_id
                codes_dropped.pop(code, None)
            elif codes_held.pop(dropped, None) is not None:
                codes_dropped[dropped] = statement_id
        latest[iso3] = statement_id
    return pd.DataFrame(
        {
            column: [tuple(held[iso3]) for iso3 in latest],
            f"{column}_from": list(latest.values()),
            f"{column}_sources": [tuple(held[iso3].items()) for iso3 in latest],
            f"{column}_withdrawn": [tuple(dropped_by[iso3].items()) for iso3 in latest],
        },
        index=pd.Index(list(latest), name="iso3"),
    )


def positions_as_of(statements: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Each country's position on `as_of`: the latest stated value of each field, carried forward.

    Troop figures travel as a group (min, max, words). A stance of `unstated` does not
    erase an earlier stance. Conditions and roles accumulate: those stated and not withdrawn
    (`withdrawn:CODE`), each with the latest statement that stated it.
    """
    dated = statements_until(statements, as_of)
    if dated.empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    base = dated.groupby("iso3", sort=True).agg(
        country=("country", "last"),
        first_date=("date", "min"),
        last_date=("date", "max"),
        statements=("statement_id", "size"),
    )
    has_troops = dated[TROOP_FIELDS].notna().any(axis=1)
    parts = [
        _latest(dated, dated["status"].notna(), ["status"], "status"),
        _latest(dated, has_troops, TROOP_FIELDS, "troops"),
        _latest(dated, dated["disarmament"] != Stance.UNSTATED, ["disarmament"], "disarmament"),
        _accumulated(dated, "conditions"),
        _accumulated(dated, "roles"),
    ]
    positions = base.join(parts, how="left").reset_index()
    positions["disarmament"] = positions["disarmament"].fillna(Stance.UNSTATED.value)
    for column in (
        "conditions",
        "roles",
        *(f"{c}_{k}" for c in ("conditions", "roles") for k in ("sources", "withdrawn")),
    ):
        positions[column] = positions[column].map(lambda v: v if isinstance(v, tuple) else ())
    for column in ("troops_min", "troops_max"):
        positions[column] = positions[column].astype("Int64")
    positions["troops_low"] = positions["troops_min"].fillna(positions["troops_max"])
    positions["troops_high"] = positions["troops_max"].fillna(positions["troops_min"])
    return positions[POSITION_COLUMNS]


def offering(positions: pd.DataFrame) -> pd.DataFrame:
    """Countries whose troops count as offered: not declined, not on hold, status stated."""
    return positions[positions["status"].isin([s.value for s in OFFERING_STATUSES])]


def troop_range(frame: pd.DataFrame) -> tuple[int, int]:
    """Sum of the stated figures, lowest to highest (a one-sided figure counts at both ends)."""
    low = frame["troops_low"].dropna()
    high = frame["troops_high"].dropna()
    return int(low.sum()) if len(low) else 0, int(high.sum()) if len(high) else 0


def available_for(positions: pd.DataFrame, task: MandateTask) -> pd.Series:
    """Which positions the task's rules let count towards it (a boolean mask)."""
    stance_ok = (
        positions["disarmament"].isin([s.value for s in task.requires_stance])
        if task.requires_stance
        else pd.Series(True, index=positions.index)
    )
    roles = positions["roles"].map(lambda r: r or DEFAULT_ROLES)
    roles_ok = roles.map(lambda r: not task.requires_roles or bool(set(r) & set(task.requires_roles)))
    conditions_ok = positions["conditions"].map(lambda c: not set(c) & set(task.excluded_by_conditions))
    return stance_ok & roles_ok & conditions_ok


def troops_by_task(positions: pd.DataFrame, tasks: Sequence[MandateTask]) -> pd.DataFrame:
    """For each mandate task, the offered troops whose stated position allows it."""
    offered = offering(positions)
    rows = []
    for task in tasks:
        able = offered[available_for(offered, task)]
        low, high = troop_range(able)
        rows.append(
            {
                "task": task.code,
                "label": task.label,
                "countries": len(able),
                "troops_low": low,
                "troops_high": high,
                "iso3": tuple(able["iso3"]),
            }
        )
    return pd.DataFrame(rows, columns=["task", "label", "countries", "troops_low", "troops_high", "iso3"])


@dataclass(frozen=True)
class Headline:
    """The figures a reader needs at a glance."""

    countries_with_position: int
    countries_offering: int
    offered: tuple[int, int]
    committed: tuple[int, int]
    for_disarmament: tuple[int, int] | None


def headline(positions: pd.DataFrame, tasks: Iterable[MandateTask]) -> Headline:
    offered = offering(positions)
    committed = positions[positions["status"].isin([s.value for s in COMMITTED_STATUSES])]
    disarm = next((t for t in tasks if t.code == DISARMAMENT_TASK), None)
    return Headline(
        countries_with_position=len(positions),
        countries_offering=len(offered),
        offered=troop_range(offered),
        committed=troop_range(committed),
        for_disarmament=None if disarm is None else troop_range(offered[available_for(offered, disarm)]),
    )
