"""What changed: positions on one date compared with another, each change with its statement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from isf_tracker import filters
from isf_tracker.changes import changes_between
from isf_tracker.ui import common
from isf_tracker.ui.shell import Context, context, page_option

DEFAULT_SPAN = dt.timedelta(days=90)


def _changes(ctx: Context, start: dt.date, end: dt.date) -> pd.DataFrame:
    chosen = ctx.data.statements["iso3"].isin(ctx.view.positions["iso3"])
    statements = ctx.data.statements[chosen]
    if ctx.state["reliability"] != filters.ALL_RELIABILITY:
        statements = statements[statements["reliability"] == ctx.state["reliability"]]
    vocabularies = {"conditions": ctx.data.conditions, "roles": ctx.data.roles}
    return changes_between(statements, start, end, vocabularies)


def render() -> None:
    ctx = context("changes")
    common.header(ctx, "What changed", "Each country's position on one day compared with another.")
    left, right = st.columns(2)
    with left:
        start = page_option(ctx, filters.CHANGES_FROM, widget="date")
    with right:
        end = page_option(ctx, filters.CHANGES_TO, widget="date")
    end = end or ctx.choices.today
    start = start or min(end, ctx.choices.last_date) - DEFAULT_SPAN
    if start >= end:
        st.warning("Choose a From date before the To date.", icon=":material/event_busy:")
        return
    st.caption(f"Changes after {start.isoformat()}, up to and including {end.isoformat()}.")
    if common.is_empty(ctx):
        return
    table = ctx.memo("changes", lambda: _changes(ctx, start, end))
    if table.empty:
        st.info("No change in the positions shown between these dates.", icon=":material/info:")
        return
    common.table(
        ctx,
        "changes",
        lambda: table.rename(columns=str.capitalize).rename(
            columns={"Statement_id": "Statement", "Source_url": "Source"}
        ),
        "changes",
        column_config={"Source": common.SOURCE_LINK, "Iso3": None},
    )
    common.download(ctx, "changes", table)
