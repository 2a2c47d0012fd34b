"""What changed between two dates: countries that appeared or changed status, troops,
stance, conditions or roles, each with the statement behind the new value; and every change in
between, statement by statement (`every_change`), so a stage passed through is not hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from isf_tracker import positions as views
from isf_tracker.tables import is_blank, label, stance_label, status_label, troops_text

CHANGE_COLUMNS = ["country", "iso3", "change", "before", "after", "statement_id", "date", "source_url"]


def _troops(pos: pd.Series, renderings: Mapping | None = None) -> str:
    """The figure, then the source's words where they say more (`8,000 · "up to 8,000"`, but
    `20,000`, not `20,000 · "20,000"`), in English where the words have a rendering."""
    figure = troops_text(pos["troops_low"], pos["troops_high"])
    rendering = (renderings or {}).get((pos["troops_from"], "troops_as_stated"))
    stated = "" if is_blank(pos["troops_as_stated"]) else str(pos["troops_as_stated"]).strip()
    stated = rendering.english if rendering is not None else stated
    words = f'"{stated}"' if stated and stated != figure else ""
    return " · ".join(t for t in (figure, words) if t) or "not stated"


def changes_between(
    statements: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    vocabularies: Mapping[str, Mapping] | None = None,
    renderings: Mapping | None = None,
) -> pd.DataFrame:
    """Each country's position on `start` compared with `end`: one row per changed field, and
    one per condition or role added or withdrawn (they accumulate), each with its statement."""
    before = views.positions_as_of(statements, start).set_index("iso3")
    after = views.positions_as_of(statements, end).set_index("iso3")
    by_id = statements.set_index("statement_id")
    fields = [
        ("Status", "status_from", lambda p: status_label(p["status"])),
        ("Troops", "troops_from", lambda p: _troops(p, renderings)),
        ("Stance on disarming Hamas", "disarmament_from", lambda p: stance_label(p["disarmament"])),
    ]
    rows = []

    def add(iso3: str, change: str, old: str, new: str, source_id: object) -> None:
        known = not is_blank(source_id)
        rows.append({
            "country": after.at[iso3, "country"], "iso3": iso3, "change": change,
            "before": old, "after": new, "statement_id": source_id if known else None,
            "date": by_id.at[source_id, "date"].date() if known else None,
            "source_url": by_id.at[source_id, "source_url"] if known else None,
        })  # fmt: skip

    for iso3, pos in after.iterrows():
        if iso3 not in before.index:
            dated = views.statements_until(statements[statements["iso3"] == iso3], end)
            first = dated[dated["date"] > pd.Timestamp(start)].iloc[0]  # its first statement of the period
            add(iso3, "Appeared", "", f"{status_label(pos['status'])}, troops: {_troops(pos, renderings)}",
                first["statement_id"])  # fmt: skip
            continue
        old = before.loc[iso3]
        for name, source, show in fields:
            if show(pos) != show(old):
                add(iso3, name, show(old), show(pos), pos[source])
        for column, what in (("conditions", "Condition"), ("roles", "Role")):
            vocabulary = (vocabularies or {}).get(column, {})
            held_before, held_after = dict(old[f"{column}_sources"]), dict(pos[f"{column}_sources"])
            for code, source_id in held_after.items():
                if code not in held_before:
                    add(iso3, f"{what} added", "", label(code, vocabulary), source_id)
            withdrawn_by = dict(pos[f"{column}_withdrawn"])
            for code in held_before:
                if code not in held_after:
                    add(iso3, f"{what} withdrawn", label(code, vocabulary), "", withdrawn_by.get(code))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).sort_values(
        ["date", "country"], ascending=[False, True], na_position="last", ignore_index=True
    )


def every_change(
    statements: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    vocabularies: Mapping[str, Mapping] | None = None,
    renderings: Mapping | None = None,
) -> pd.DataFrame:
    """Each change after `start` up to `end`, in date order: the positions compared from one day a
    statement was made to the next, for the countries that spoke that day (a country's position
    moves only with its own statements). Indonesia's "Considering → Committed → On hold" is two
    rows, where comparing the two ends gives one."""
    dated = statements.dropna(subset=["date"])
    days = dated.loc[(dated["date"] > pd.Timestamp(start)) & (dated["date"] <= pd.Timestamp(end)), "date"]
    steps, before = [], start
    for day in sorted(days.dt.date.unique()):
        spoke = dated.loc[dated["date"] == pd.Timestamp(day), "iso3"].unique()
        steps.append(changes_between(statements[statements["iso3"].isin(spoke)], before, day, vocabularies,
                                     renderings))  # fmt: skip
        before = day
    if not steps:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(steps, ignore_index=True).sort_values(
        ["date", "country"], na_position="last", kind="stable", ignore_index=True
    )
