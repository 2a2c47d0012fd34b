"""What changed: positions on one date compared with another, each change with its statement."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from isf_tracker import filters
from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import context, page_option

DEFAULT_SPAN = dt.timedelta(days=90)


def render() -> None:
    ctx = context("changes")
    common.header(ctx, "What changed", "Each country's position on one day compared with another.")
    left, right = st.columns(2)
    with left:
        start = page_option(ctx, filters.CHANGES_FROM)
    with right:
        end = page_option(ctx, filters.CHANGES_TO)
    end = end or ctx.choices.today
    start = start or min(end, ctx.choices.last_date) - DEFAULT_SPAN
    if start >= end:
        st.warning("Choose a From date before the To date.", icon=":material/event_busy:")
        return
    st.caption(f"Changes after {start.isoformat()}, up to and including {end.isoformat()}.")
    if common.is_empty(ctx):
        return
    table = derived.changes_table(ctx.key, start, end)
    if table.empty:
        st.info("No change in the positions shown between these dates.", icon=":material/info:")
        return
    shown = table.rename(columns=str.capitalize).rename(
        columns={"Statement_id": "Statement", "Source_url": "Source"}
    )
    common.table(shown, "changes", column_config={"Source": common.SOURCE_LINK, "Iso3": None})
    common.download(ctx, "changes", table)
