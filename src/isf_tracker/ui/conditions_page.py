"""Condition matrix: each country's stance on disarming Hamas, the conditions it holds and the
roles it offers, each cell with the statement behind it; beside them the stakeholders' red lines
and the mandate's tasks."""

from __future__ import annotations

import streamlit as st

from isf_tracker import derived, filters
from isf_tracker.ui import common
from isf_tracker.ui.shell import context, page_option

RED_LINES = ("red_line", "veto", "mandate")


def render() -> None:
    ctx = context("conditions")
    common.header(
        ctx,
        "Condition matrix",
        "A row per country: first its stance on disarming Hamas, then each condition it holds, then "
        "each role it offers. A country's conditions add up over its statements until it withdraws "
        "one. Hover over a cell for the statement behind it (speaker, date, words, reliability); "
        "click it to open the source.",
    )
    sort = page_option(ctx, filters.MATRIX_SORT)
    if common.is_empty(ctx):
        return
    key = ctx.key
    common.chart_with_table(ctx, "matrix", lambda: derived.matrix_chart(key, sort),
                            lambda: derived.matrix_table(key, sort))  # fmt: skip

    quote = {"Source": common.SOURCE_LINK, "Quote": st.column_config.TextColumn(width="large")}
    st.subheader("The stakeholders' red lines")
    st.caption("Israel's vetoes, Hamas's demand for a border-only force and the mandate, from the "
               "stakeholders' own statements.")  # fmt: skip
    with common.on_demand("The red lines, with their sources", "table-red-lines") as shown:
        if shown:
            common.table(derived.stakeholder_table(ctx.key.version, RED_LINES), column_config=quote)
    st.subheader("The mandate's tasks and what rules a contributor out")
    with common.on_demand("The tasks and their rules, with their sources", "table-tasks") as shown:
        if shown:
            common.table(derived.tasks_table(ctx.key.version), column_config={"Source": common.SOURCE_LINK})
    common.download(ctx, "conditions")
