"""Sources: every source once, with outlet, date and reliability, and the statements resting on it."""

from __future__ import annotations

import streamlit as st

from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import context


def render() -> None:
    ctx = context("sources")
    common.header(ctx, "Sources", "Every source behind the statements shown, newest first.")
    if common.is_empty(ctx):
        return
    table = derived.sources_table(ctx.key)
    common.table(table, "sources", column_config={"Source": st.column_config.LinkColumn(width="large")})
    common.citation(ctx)
    common.download(ctx, "sources", table)
