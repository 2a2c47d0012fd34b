"""The overview page: headline figures, current positions and the ledger."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from isf_tracker import positions as views
from isf_tracker import tables
from isf_tracker.ui.data import dataset
from isf_tracker.ui.problems import problem_panel


def _range(pair: tuple[int, int]) -> str:
    return tables.troops_text(*pair) or "0"


def render(as_of: dt.date | None = None) -> None:
    data = dataset()
    st.title("International Stabilization Force: who offers what")
    problem_panel(data)
    statements = data.statements
    if statements.empty:
        st.info("The ledger has no valid statements yet.")
        return
    day = as_of or statements["date"].max().date()
    positions = views.positions_as_of(statements, day)
    figures = views.headline(positions, data.tasks)

    st.caption(
        f"Data as of {day.isoformat()} · {len(statements)} sourced statements · "
        "ISF Tracker, from public statements; each figure links to its source below."
    )
    offered, committed, disarm, engaged = st.columns(4)
    engaged.metric(
        "Countries offering",
        f"{figures.countries_offering} of {figures.countries_with_position}",
        help="Countries whose latest stated status is considering, conditional, offered, "
        "committed or deployed, out of all countries with a stated position.",
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

    st.subheader("Current positions")
    st.dataframe(
        tables.positions_table(positions, statements, data.conditions),
        hide_index=True,
        width="stretch",
        column_config={
            "Status source": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)"),
        },
    )

    st.subheader("The ledger: every statement, newest first")
    st.dataframe(
        tables.ledger_table(statements, data.conditions, data.roles),
        hide_index=True,
        width="stretch",
        column_config={
            "Source": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)"),
            "Quote": st.column_config.TextColumn(width="large"),
        },
    )
