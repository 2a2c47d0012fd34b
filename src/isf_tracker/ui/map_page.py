"""Map: a choropleth by status or by stance, for the world or the Middle East."""

from __future__ import annotations

import streamlit as st

from isf_tracker import filters, geo, tables
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
    common.chart_with_table(
        ctx,
        "map",
        lambda: geo.choropleth(ctx.view.positions, color_by=color_by, area=area),
        lambda: tables.positions_table(ctx.view.positions, ctx.data.statements, ctx.data.conditions),
        column_config={"Status source": common.SOURCE_LINK},
    )
    common.download(ctx, "map")
