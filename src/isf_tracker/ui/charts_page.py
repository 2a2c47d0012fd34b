"""Charts: troop ranges by country, mandate coverage and the timeline of statements."""

from __future__ import annotations

import streamlit as st

from isf_tracker import tables
from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import context


def render() -> None:
    ctx = context("charts")
    common.header(ctx, "Charts")
    if common.is_empty(ctx):
        return
    key, positions = ctx.key, ctx.view.positions

    st.subheader("Troops offered by country")
    missing = int(positions["troops_high"].isna().sum())
    if missing == len(positions):
        st.info("None of the countries shown has stated a troop figure.")
    else:
        if missing:
            st.caption(f"{missing} of the countries shown have stated no troop figure and are not drawn.")
        common.chart_with_table(
            ctx, "ranges", lambda: derived.troop_ranges_chart(key),
            lambda: derived.positions_table(key, with_figure_only=True),
            column_config={"Status source": common.SOURCE_LINK},
        )  # fmt: skip

    st.subheader("Mandate coverage: troops available for each task")
    common.chart_with_table(ctx, "coverage", lambda: derived.coverage_chart(key),
                            lambda: derived.coverage_table(key))  # fmt: skip
    offered = derived.headline(key).offered
    st.caption(
        f"Troops offered in all: {tables.troops_text(*offered) or '0'}. How a contributor counts "
        "towards a task is set in data/mandate_tasks.csv (see the Condition matrix page)."
    )

    st.subheader("Timeline of statements")
    dated, total = derived.newest_dated(key)
    common.timeline_note(len(dated), total)
    common.chart_with_table(
        ctx, "timeline", lambda: derived.timeline_chart(key), lambda: derived.timeline_table(key),
        column_config={"Source": common.SOURCE_LINK},
    )  # fmt: skip
    common.download(ctx, "charts")
