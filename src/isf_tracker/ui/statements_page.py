"""Statements: every statement of the view, newest first, corrected rows marked as such."""

from __future__ import annotations

import streamlit as st

from isf_tracker import tables
from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import context

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
    common.table(
        derived.newest_ledger(ctx.key), "statements", columns=tables.OVERVIEW_LEDGER_COLUMNS,
        total=len(ctx.view.statements), column_config=COLUMNS,
    )  # fmt: skip
    common.citation(ctx)
    common.download(ctx, "statements")
