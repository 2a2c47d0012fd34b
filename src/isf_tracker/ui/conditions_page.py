"""Condition matrix: which country states which condition or role, on whose word, beside the
stakeholders' red lines and the mandate's tasks."""

from __future__ import annotations

import streamlit as st

from isf_tracker import filters, matrix, tables
from isf_tracker.ui import common
from isf_tracker.ui.shell import context, page_option

RED_LINES = ("red_line", "veto", "mandate")


def _matrix(ctx, column: str, vocabulary, sort: str, title: str) -> None:
    positions = ctx.view.positions
    cells = ctx.memo(
        f"cells:{column}", lambda: tables.matrix_cells(positions, ctx.data.statements, vocabulary, column)
    )
    if cells.empty:
        st.info(f"None of the countries shown has stated any {column} on this date.")
        return
    order = ctx.memo(
        f"order:{column}",
        lambda: tables.country_order(positions[positions[column].map(len) > 0], column, sort),
    )
    common.chart_with_table(
        ctx,
        f"matrix-{column}",
        lambda: matrix.matrix_chart(cells, order, title),
        lambda: tables.matrix_table(cells, order, vocabulary),
    )


def render() -> None:
    ctx = context("conditions")
    common.header(
        ctx,
        "Condition matrix",
        "Each cell is a condition or role a country attaches in its latest statement that lists "
        "any; the cell names that statement and opens its source when clicked.",
    )
    sort = page_option(ctx, filters.MATRIX_SORT)
    if common.is_empty(ctx):
        return
    st.subheader("Conditions")
    _matrix(ctx, "conditions", ctx.data.conditions, sort, "Conditions stated, by country")
    st.subheader("Roles offered")
    _matrix(ctx, "roles", ctx.data.roles, sort, "Roles offered, by country")

    st.subheader("The stakeholders' red lines")
    st.caption("Israel's vetoes, Hamas's demand for a border-only force and the mandate, from the "
               "stakeholders' own statements.")  # fmt: skip
    common.table(
        ctx,
        "stakeholders",
        lambda: tables.stakeholder_table(ctx.data.stakeholders, RED_LINES),
        column_config={"Source": common.SOURCE_LINK, "Quote": st.column_config.TextColumn(width="large")},
    )
    st.subheader("The mandate's tasks and what rules a contributor out")
    common.table(
        ctx,
        "tasks",
        lambda: tables.tasks_table(ctx.data.tasks, ctx.data.conditions, ctx.data.roles),
        column_config={"Source": common.SOURCE_LINK},
    )
    common.download(ctx, "conditions")
