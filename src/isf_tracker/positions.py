"""Views derived from the ledger: each country's position as of a date, and troop totals.

All functions are pure (DataFrame in, DataFrame out) so they are tested without
Streamlit. Every derived value keeps the statement_id it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from isf_tracker import vocabulary as words
from isf_tracker.schema import (
    OFFERING_STATUSES,
    MandateTask,
    Reliability,
    Stance,
    Status,
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
    "troops_low", "troops_high", "troops_in_english",
    "troops_reliability", "troops_state", "troops_disowned_by",
    "disarmament", "disarmament_from", "disarmament_reliability",
    "conditions", "conditions_from", "conditions_sources", "conditions_withdrawn",
    "roles", "roles_from", "roles_sources", "roles_withdrawn",
    "first_date", "last_date", "statements",
]  # fmt: skip


def statements_until(statements: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Dated statements made on or before `as_of` (all dated ones when None), oldest first. Undated
    statements cannot be placed in time and a corrected one gives way to its correction, so no
    as-of view uses either."""
    dated = statements[statements["date"].notna() & statements["superseded_by"].isna()]
    if as_of is not None:
        dated = dated[dated["date"] <= pd.Timestamp(as_of)]
    return dated.sort_values(["date", "line"], kind="stable")


def _latest(dated: pd.DataFrame, mask: pd.Series, columns: list[str], name: str) -> pd.DataFrame:
    """Per country, `columns` of the latest statement where `mask` holds, with its id."""
    latest = dated[mask].groupby("iso3", sort=False).tail(1).set_index("iso3")
    return latest[[*columns, "statement_id"]].rename(columns={"statement_id": f"{name}_from"})


#: How a figure is known, most reliable first: a value is cited from the most reliable statement
#: among those that state it alike, and figures are summed only within one basis.
BASES = tuple(r.value for r in Reliability)
RELIABILITY_RANK = {code: rank for rank, code in enumerate(BASES)}
#: Statuses by which a country's own government later says a reported figure was not decided on.
DISOWNING_STATUSES = frozenset({Status.CONSIDERING.value, Status.DECLINED.value})


def _stance(dated: pd.DataFrame) -> pd.DataFrame:
    """Per country, its stance on disarming Hamas: the latest explicit stance (said in so many
    words), else the latest inferred one; an inference never overrides what was said. The value
    is cited from the most reliable statement of the current run of statements that state it
    alike (latest among equals), so a reported repetition does not hide an on-record refusal."""
    addressed = dated[dated["disarmament"].isin(words.EXPLICIT_STANCES | words.INFERRED_STANCES)]
    explicit = addressed["disarmament"].isin(words.EXPLICIT_STANCES)
    tier = explicit.groupby(addressed["iso3"]).transform("max")
    chosen = addressed[explicit == tier].assign(order=range(int((explicit == tier).sum())))
    by_country = chosen.groupby("iso3", sort=False)["disarmament"]
    run = (chosen["disarmament"] != by_country.shift()).astype(int).groupby(chosen["iso3"]).cumsum()
    current = chosen[run == run.groupby(chosen["iso3"]).transform("max")]
    current = current.assign(rank=current["reliability"].map(RELIABILITY_RANK), latest=-current["order"])
    best = current.sort_values(["rank", "latest"], kind="stable").groupby("iso3", sort=False).head(1)
    names = {"statement_id": "disarmament_from", "reliability": "disarmament_reliability"}
    return best.set_index("iso3")[["disarmament", *names]].rename(columns=names)


def figure_state(status: object, reliability: object, disowned_by: object) -> str | None:
    """How far a troop figure is from troops on the ground (vocabulary.FIGURE_STATES); None
    when there is no figure, so no basis (reliability) for one."""
    if not isinstance(reliability, str):
        return None
    if isinstance(disowned_by, str) and status not in (Status.ON_HOLD.value, Status.DECLINED.value):
        return words.DISOWNED
    return words.STATE_OF_STATUS.get(str(status), words.UNSTATED_STATE)


def _disowned(dated: pd.DataFrame, troops: pd.DataFrame) -> dict[str, str]:
    """Countries whose figure is only reported or unconfirmed, and whose own government said on
    the record after it that it had not decided (or declined): the statement that said so."""
    order = dict(zip(dated["statement_id"], range(len(dated)), strict=True))
    saying = dated[
        (dated["reliability"] == Reliability.ON_RECORD.value) & dated["status"].isin(DISOWNING_STATUSES)
    ]
    said_by = saying.groupby("iso3")["statement_id"].agg(list)  # oldest first, as `dated` is
    reported = troops[troops["troops_reliability"] != Reliability.ON_RECORD.value]
    found = {}
    for iso3, from_id in zip(reported.index, reported["troops_from"], strict=True):
        later = [sid for sid in said_by.get(iso3, []) if order[sid] > order[from_id]]
        if later:
            found[iso3] = later[0]
    return found


def _accumulated(dated: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per country, the codes of `column` it has stated and not withdrawn, each carried by the
    latest statement that stated it (`{column}_sources`: (code, statement_id) pairs, first
    stated first); the codes it has withdrawn since, with the withdrawing statement
    (`{column}_withdrawn`); and the latest statement that stated or withdrew any (`{column}_from`)."""
    held: dict[str, dict[str, str]] = {}
    dropped_by: dict[str, dict[str, str]] = {}
    latest: dict[str, str] = {}
    listing = dated.loc[dated[column].map(len) > 0, ["iso3", column, "statement_id"]]
    for iso3, codes, statement_id in listing.itertuples(index=False):
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
    Troop figures travel as a group (min, max, words); a stance of `unstated` does not erase an
    earlier one; conditions and roles accumulate (`_accumulated`)."""
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
    troops = _latest(dated, has_troops, [*TROOP_FIELDS, "reliability"], "troops").rename(
        columns={"reliability": "troops_reliability"}
    )
    troops["troops_disowned_by"] = pd.Series(_disowned(dated, troops), dtype="object")
    parts = [
        _latest(dated, dated["status"].notna(), ["status"], "status"),
        troops,
        _stance(dated),
        _accumulated(dated, "conditions"),
        _accumulated(dated, "roles"),
    ]
    positions = base.join(parts, how="left").reset_index()
    positions["disarmament"] = positions["disarmament"].fillna(Stance.UNSTATED.value)
    for column in [f"{c}{k}" for c in ("conditions", "roles") for k in ("", "_sources", "_withdrawn")]:
        positions[column] = positions[column].map(lambda v: v if isinstance(v, tuple) else ())
    for column in ("troops_min", "troops_max"):
        positions[column] = positions[column].astype("Int64")
    positions["troops_low"] = positions["troops_min"].fillna(positions["troops_max"])
    positions["troops_high"] = positions["troops_max"].fillna(positions["troops_min"])
    positions["troops_in_english"] = None  # the words' English, where rendered (translations.add_english)
    figures = positions[["status", "troops_reliability", "troops_disowned_by"]].itertuples(index=False)
    positions["troops_state"] = [figure_state(*figure) for figure in figures]
    return positions[POSITION_COLUMNS]


def available_for(positions: pd.DataFrame, task: MandateTask) -> pd.Series:
    """Which positions the task's rules let count towards it (a boolean mask)."""
    stance_ok = positions["disarmament"].isin([s.value for s in task.requires_stance] or list(words.STANCES))
    roles = positions["roles"].map(lambda r: r or DEFAULT_ROLES)
    roles_ok = roles.map(lambda r: not task.requires_roles or bool(set(r) & set(task.requires_roles)))
    conditions_ok = positions["conditions"].map(lambda c: not set(c) & set(task.excluded_by_conditions))
    return stance_ok & roles_ok & conditions_ok


TASK_COLUMNS = ["task", "label", "countries", "with_figure", "iso3",
                *(f"{basis}_{end}" for basis in BASES for end in ("low", "high"))]  # fmt: skip


def troops_by_task(positions: pd.DataFrame, tasks: Sequence[MandateTask]) -> pd.DataFrame:
    """For each mandate task, the countries taking part (or considering it) whose stated position
    allows it, how many of them state a troop figure, and their figures summed only within one
    basis (on record, reported, unconfirmed): a report is never added to the record."""
    # Countries whose troops count as offered: not declined, not on hold, status stated.
    offered = positions[positions["status"].isin([s.value for s in OFFERING_STATUSES])]
    rows = []
    for task in tasks:
        able = offered[available_for(offered, task)]
        figures = able[able["troops_high"].notna()]
        row = {"task": task.code, "label": task.label, "countries": len(able), "with_figure": len(figures),
               "iso3": tuple(able["iso3"])}  # fmt: skip
        for basis in BASES:
            known = figures[figures["troops_reliability"] == basis]
            for end in ("low", "high"):  # summed lowest to highest; a one-sided figure counts at both ends
                row[f"{basis}_{end}"] = int(known[f"troops_{end}"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=TASK_COLUMNS)
