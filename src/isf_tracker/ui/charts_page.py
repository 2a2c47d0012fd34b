"""Charts: the troop figures each country has stated, and every statement over time."""

from __future__ import annotations

import streamlit as st

from isf_tracker import derived
from isf_tracker.ui import common
from isf_tracker.ui.shell import context


def render() -> None:
    ctx = context("charts")
    common.header(ctx, "Charts")
    if common.is_empty(ctx):
        return
    key, positions = ctx.key, ctx.view.positions

    st.subheader("Troop figures reported, by how they are known")
    missing = int(positions["troops_high"].isna().sum())
    if missing == len(positions):
        st.info("None of the countries shown has stated a troop figure.")
    else:
        st.caption(
            "A bar to the lowest figure each country has stated, a whisker to the highest. Colour: the "
            "figure's state (in place, committed, offered, on hold, since called undecided by its "
            "government); solid, pale or outlined: on record, reported or unconfirmed."
            + (f" {missing} of the {len(positions)} countries shown have stated no figure in numbers."
               if missing else "")
        )  # fmt: skip
        common.chart_with_table(
            ctx, "ranges", lambda: derived.troop_ranges_chart(key),
            lambda: derived.positions_table(key, with_figure_only=True),
            column_config={"Status source": common.SOURCE_LINK},
        )  # fmt: skip

    st.subheader("Every statement over time")
    st.caption("Colour: the status the statement states; shape: how reliable its source is.")
    dated, total = derived.newest_dated(key)
    common.timeline_note(len(dated), total)
    common.chart_with_table(
        ctx, "timeline", lambda: derived.timeline_chart(key), lambda: derived.timeline_table(key),
        column_config={"Source": common.SOURCE_LINK},
    )  # fmt: skip
    common.download(ctx, "charts")
