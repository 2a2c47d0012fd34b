"""Map: countries coloured by their stance on disarming Hamas (or their status), on the region
where the countries are or the whole world."""

from __future__ import annotations

import streamlit as st

from isf_tracker import derived, filters
from isf_tracker.ui import common
from isf_tracker.ui.shell import context, page_option


def render() -> None:
    ctx = context("map")
    common.header(ctx, "Map of positions")
    left, right = st.columns(2)
    with left:
        color_by = page_option(ctx, filters.MAP_COLOR)
    with right:
        area = page_option(ctx, filters.MAP_VIEW)
    if common.is_empty(ctx):
        return
    st.caption("Grey: no statement. Small countries carry a dot, so they can be seen and hovered.")
    common.chart_with_table(
        ctx, "map", lambda: derived.map_chart(ctx.key, color_by, area),
        lambda: derived.positions_table(ctx.key), column_config={"Status source": common.SOURCE_LINK},
    )  # fmt: skip
    common.download(ctx, "map")
