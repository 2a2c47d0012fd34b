"""Condition matrix: which country states which condition or role, on whose word, beside the
stakeholders' red lines and the mandate's tasks."""

from __future__ import annotations

import streamlit as st

from isf_tracker import filters
from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import Context, context, page_option

RED_LINES = ("red_line", "veto", "mandate")


def _matrix(ctx: Context, column: str, sort: str, title: str) -> None:
    if derived.matrix_cells(ctx.key, column).empty:
        st.info(f"None of the countries shown has stated any {column} on this date.")
        return
    common.chart_with_table(
        ctx, f"matrix-{column}", lambda: derived.matrix_chart(ctx.key, column, sort, title),
        lambda: derived.matrix_table(ctx.key, column, sort),
    )  # fmt: skip


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
    _matrix(ctx, "conditions", sort, "Conditions stated, by country")
    st.subheader("Roles offered")
    _matrix(ctx, "roles", sort, "Roles offered, by country")

    quote = {"Source": common.SOURCE_LINK, "Quote": st.column_config.TextColumn(width="large")}
    st.subheader("The stakeholders' red lines")
    st.caption("Israel's vetoes, Hamas's demand for a border-only force and the mandate, from the "
               "stakeholders' own statements.")  # fmt: skip
    common.table(derived.stakeholder_table(ctx.key.version, RED_LINES), column_config=quote)
    st.subheader("The mandate's tasks and what rules a contributor out")
    common.table(derived.tasks_table(ctx.key.version), column_config={"Source": common.SOURCE_LINK})
    common.download(ctx, "conditions")
