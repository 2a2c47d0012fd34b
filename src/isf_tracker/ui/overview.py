"""Overview: headline figures, the latest changes and the current positions."""

from __future__ import annotations

import streamlit as st

from isf_tracker import tables
from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import context

LATEST_CHANGES = 8
LATEST_COLUMNS = ("Date", "Country", "Status", "Troops (as stated)", "Disarming Hamas", "Speaker", "Quote",
                  "Source")  # fmt: skip


def _range(pair: tuple[int, int]) -> str:
    return tables.troops_text(*pair) or "0"


def render() -> None:
    ctx = context("")
    common.header(
        ctx,
        "International Stabilization Force: who offers what",
        "Troop offers to the force for Gaza (UNSC Resolution 2803), their conditions, and how "
        "much of the offered force is available for each task of the mandate.",
    )
    if common.is_empty(ctx):
        return
    figures = derived.headline(ctx.key)

    engaged, offered, committed, disarm = st.columns(4)
    engaged.metric(
        "Countries offering",
        f"{figures.countries_offering} of {figures.countries_with_position}",
        help="Countries whose latest stated status is considering, conditional, offered, "
        "committed or deployed, out of the countries shown.",
    )
    offered.metric(
        "Troops offered",
        _range(figures.offered),
        help="Sum of the latest troop figures of the countries offering (low to high).",
    )
    committed.metric(
        "Troops committed", _range(figures.committed), help="Countries named as committed or deployed."
    )
    disarm.metric(
        "Troops offered for disarmament",
        "n/a" if figures.for_disarmament is None else _range(figures.for_disarmament),
        help="Offered troops whose country accepts a role in disarming Hamas and states no "
        "condition that rules it out (rules in data/mandate_tasks.csv).",
    )
    common.citation(ctx)

    ledger = derived.newest_ledger(ctx.key)
    link_columns = {"Source": common.SOURCE_LINK, "Quote": st.column_config.TextColumn(width="large")}
    st.subheader("Latest changes")
    common.table(ledger[ledger["Date"].notna()].head(LATEST_CHANGES), columns=LATEST_COLUMNS,
                 column_config=link_columns)  # fmt: skip

    st.subheader("Current positions")
    common.table(
        derived.positions_table(ctx.key), "countries", column_config={"Status source": common.SOURCE_LINK}
    )
    st.subheader("The ledger: every statement shown, newest first")
    st.caption("The research notes on each statement are on the Country profile page and in the CSV.")
    common.table(ledger, "statements", columns=tables.OVERVIEW_LEDGER_COLUMNS, total=len(ctx.view.statements),
                 column_config=link_columns)  # fmt: skip
    common.download(ctx, "statements")
