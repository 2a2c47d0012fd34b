"""Statements: every statement of the view, newest first, corrected rows marked as such: the
newest as cards that read on any screen, every one in a table on demand."""

from __future__ import annotations

import streamlit as st

from isf_tracker import derived, tables
from isf_tracker.ui import common
from isf_tracker.ui.shell import context

#: Statements shown as cards; the table (opened on demand) has every one.
CARDS = 20
COLUMNS = {
    "Country": st.column_config.TextColumn(width=100, pinned=True),
    "Status": st.column_config.TextColumn(width=95),
    "Disarming Hamas": st.column_config.TextColumn(width=125),
    "Date": st.column_config.DateColumn(width=100),
    "Quote": st.column_config.TextColumn(width="large"),
    "Source": common.SOURCE_LINK,
}


def render() -> None:
    ctx = context("statements")
    common.header(
        ctx,
        "Statements",
        "Every statement behind the view, newest first. A corrected statement stays listed, marked "
        "with the row that corrects it; only the correction counts.",
    )
    if common.is_empty(ctx):
        return
    total = len(ctx.view.statements)
    if total > CARDS:
        st.caption(f"The newest {CARDS} of {total:,} statements; the table below has them all.")
    data = ctx.data
    for _, statement in derived.newest_statements(ctx.key, CARDS).iterrows():
        common.statement_card(statement, data)
    with common.on_demand(f"Every statement as a table ({total:,})", "table-statements") as shown:
        if shown:
            common.table(derived.newest_ledger(ctx.key), "statements", columns=tables.OVERVIEW_LEDGER_COLUMNS,
                         total=total, column_config=COLUMNS)  # fmt: skip
    common.citation(ctx)
    common.download(ctx, "statements")
