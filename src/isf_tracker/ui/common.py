"""Pieces every data page shows: its header and filter line, the empty state, the citation,
the CSV download and a chart with its table alternative."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from isf_tracker import export
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context, filter_line


def header(ctx: Context, title: str, intro: str | None = None) -> None:
    st.title(title)
    if intro:
        st.markdown(intro)
    filter_line(ctx)


def is_empty(ctx: Context) -> bool:
    """True (and says so) when the filters match no country."""
    if ctx.data.statements.empty:
        st.info("The ledger has no valid statements yet.", icon=":material/info:")
        return True
    if ctx.view.positions.empty:
        st.info(
            "No country matches these filters on this date. Widen the filters in the sidebar "
            "or use **Clear filters**.",
            icon=":material/filter_alt_off:",
        )
        return True
    return False


def citation(ctx: Context) -> None:
    """The "data as of" line and how to cite the view, under every chart."""
    latest = ctx.view.statements["date"].max()
    latest_text = latest.date().isoformat() if pd.notna(latest) else "n/a"
    st.caption(
        escape_markdown(
            f"Data as of {ctx.view.as_of.isoformat()} (latest statement shown: {latest_text}). "
            f"Source: ISF Tracker ledger, {len(ctx.view.statements)} sourced public statements; "
            "every statement links to its source."
        )
    )


def download(ctx: Context, name: str, frame: pd.DataFrame | None = None) -> None:
    """The filtered rows as CSV (ledger columns unless a table is given)."""
    rows = export.ledger_rows(ctx.view.statements) if frame is None else frame
    st.download_button(
        f"Download these rows (CSV, {len(rows)} rows)",
        data=export.csv_bytes(rows),
        file_name=f"isf-tracker-{name}-{ctx.view.as_of.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"download-{name}",
    )


def chart_with_table(ctx: Context, chart: alt.Chart, table: pd.DataFrame, key: str,
                     column_config: dict | None = None) -> None:  # fmt: skip
    """Every chart has a table alternative beside it, with the same rows."""
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        st.altair_chart(chart, width="stretch", key=f"chart-{key}")
    with table_tab:
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
    citation(ctx)


SOURCE_LINK = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
