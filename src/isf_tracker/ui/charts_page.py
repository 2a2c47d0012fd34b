"""Charts: troop ranges by country, mandate coverage and the timeline of statements."""

from __future__ import annotations

import streamlit as st

from isf_tracker import charts, tables
from isf_tracker import positions as views
from isf_tracker.ui import common
from isf_tracker.ui.shell import context


def render() -> None:
    ctx = context("charts")
    common.header(ctx, "Charts")
    if common.is_empty(ctx):
        return
    positions = ctx.view.positions

    st.subheader("Troops offered by country")
    with_figure = positions[positions["troops_high"].notna()]
    if with_figure.empty:
        st.info("None of the countries shown has stated a troop figure.")
    else:
        missing = len(positions) - len(with_figure)
        if missing:
            st.caption(f"{missing} of the countries shown have stated no troop figure and are not drawn.")
        common.chart_with_table(
            ctx,
            "ranges",
            lambda: charts.troop_ranges(positions),
            lambda: tables.positions_table(with_figure, ctx.data.statements, ctx.data.conditions),
            column_config={"Status source": common.SOURCE_LINK},
        )

    st.subheader("Mandate coverage: troops available for each task")
    by_task = ctx.memo("troops_by_task", lambda: views.troops_by_task(positions, ctx.data.tasks))
    names = dict(zip(positions["iso3"], positions["country"], strict=True))
    offered = ctx.memo("headline", lambda: views.headline(positions, ctx.data.tasks)).offered
    common.chart_with_table(
        ctx,
        "coverage",
        lambda: charts.mandate_coverage(by_task, offered, names),
        lambda: tables.coverage_table(by_task, names),
    )
    st.caption(
        f"Troops offered in all: {tables.troops_text(*offered) or '0'}. How a contributor counts "
        "towards a task is set in data/mandate_tasks.csv (see the Condition matrix page)."
    )

    st.subheader("Timeline of statements")
    dated = common.newest_dated(ctx, "all", ctx.view.statements)
    common.chart_with_table(
        ctx,
        "timeline",
        lambda: charts.timeline(dated),
        lambda: tables.ledger_table(dated, ctx.data.conditions, ctx.data.roles)[
            list(tables.TIMELINE_COLUMNS)
        ],
        column_config={"Source": common.SOURCE_LINK},
    )
    common.download(ctx, "charts")
