"""Sources: every source once, as a short card: the outlet (the link), the day of its first
statement, how reliable it is, and the statements resting on it; the same as a table below."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from isf_tracker import derived
from isf_tracker.charts import day_text
from isf_tracker.ui import common
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import context

COLUMNS = {
    "Outlet": st.column_config.TextColumn(width=170, pinned=True),
    "Date": st.column_config.DateColumn(width=100),
    "Reliability": st.column_config.TextColumn(width=110),
    "Countries": st.column_config.TextColumn(width="medium"),
    "Statements": st.column_config.TextColumn(width="medium"),
    "Source": common.SOURCE_LINK,
}
#: Cards shown; the table (and the CSV) has every source.
CARDS = 60


def _card(source: pd.Series) -> None:
    with st.container(border=True):
        when = day_text(source["Date"]) or "Undated"
        st.markdown(f"{link(str(source['Outlet']), str(source['Source']))} · {escape_markdown(when)}")
        resting = f"{source['Reliability']} · {source['Countries']} · {source['Statements']}"
        st.caption(escape_markdown(resting))


def render() -> None:
    ctx = context("sources")
    common.header(
        ctx,
        "Sources",
        "Every source behind the statements shown, newest first: the outlet (its name is the link), "
        "the day of its first statement here, how reliable it is (on record, reported, unconfirmed), "
        "and the countries and statements resting on it.",
    )
    if common.is_empty(ctx):
        return
    table = derived.sources_table(ctx.key)
    if len(table) > CARDS:
        st.caption(f"The newest {CARDS} of {len(table):,} sources; the table below has them all.")
    halves = st.columns(2)
    for number, (_, source) in enumerate(table.head(CARDS).iterrows()):
        with halves[number % 2]:
            _card(source)
    with common.on_demand(f"All {len(table):,} sources as a table", "table-sources") as shown:
        if shown:
            common.table(table, "sources", column_config=COLUMNS)
    common.citation(ctx)
    common.download(ctx, "sources", table)
