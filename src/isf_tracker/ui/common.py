"""Pieces every data page shows: its header and filter line, the empty state, the citation,
the CSV download, a chart with its table alternative, and long tables cut to a readable size.

What a page sends to the browser stays bounded however long the ledger grows: tables show at
most derived.TABLE_ROWS rows (the download has them all, built only when clicked), and chart
specs and tables come from `derived`, built once per view and shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from isf_tracker import derived, export, summary
from isf_tracker import vocabulary as words
from isf_tracker.derived import TABLE_ROWS
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context, filter_line
from isf_tracker.vegaspec import Spec

__all__ = ["TABLE_ROWS"]


def header(ctx: Context, title: str, intro: str | None = None) -> None:
    """The page's title, how current the record is (on every page), what it is about, and the
    filters in words."""
    st.title(title)
    currency(ctx)
    if intro:
        st.markdown(intro)
    filter_line(ctx)


def currency(ctx: Context) -> None:
    """How current the record is, in body text: its date (its newest statement, how long ago), how
    far the sources searched reach and when it was checked; a notice when it is over 90 days old.
    A view of an earlier day says that day instead."""
    if ctx.view.as_of_set:
        then = ctx.view.record_date
        latest = f" (its latest statement then: {summary.day_words(then)})" if then else ""
        st.info(f"The record as it stood on {summary.day_words(ctx.view.as_of)}{latest}. Clear the date in "
                "the sidebar for the latest record.", icon=":material/history:")  # fmt: skip
        return
    text = escape_markdown(derived.currency(ctx.key.version, ctx.key.today))
    if summary.is_stale(derived.record_date(ctx.key.version), ctx.key.today):
        st.warning(f"{text} Positions may have changed since.", icon=":material/schedule:")
    else:
        st.markdown(text)


def citation(ctx: Context) -> None:
    """The "data as of" line and how to cite the view, under every chart."""
    dated = summary.sentence_case(summary.dated_phrase(ctx.view.dated, ctx.view.as_of_set))
    st.caption(
        escape_markdown(
            f"{dated}. Source: ISF Tracker ledger, {len(ctx.view.statements)} sourced public statements; "
            "every statement links to its source."
        )
    )


def download(ctx: Context, name: str, frame: Callable[[], pd.DataFrame | None] | None = None) -> None:
    """The page's rows as CSV (the view's statements unless `frame` builds others), built only
    when clicked."""

    def rows() -> bytes:
        made = frame() if frame is not None else None
        if made is None:
            return export.csv_bytes(export.ledger_rows(ctx.view.statements))
        return export.csv_bytes(made)

    st.download_button(
        "Download these rows (CSV)",
        data=rows,
        file_name=f"isf-tracker-{name}-{ctx.view.dated.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"download-{name}",
        on_click="ignore",
    )


def table(
    frame: pd.DataFrame,
    what: str = "rows",
    columns: Sequence[str] | None = None,
    column_config: dict | None = None,
    total: int | None = None,
) -> None:
    """A table of at most TABLE_ROWS rows, saying so when some are left out. `total` is the
    full count when `frame` holds only the first rows of a longer table."""
    total = len(frame) if total is None else total
    if total > TABLE_ROWS:
        st.caption(
            f"Showing the first {TABLE_ROWS:,} of {total:,} {what}. Narrow the filters to see the "
            "others here; the CSV download below has them all."
        )
    shown = frame.head(TABLE_ROWS)
    if columns is not None:
        shown = shown[list(columns)]
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config)


@contextmanager
def on_demand(label: str, key: str) -> Iterator[bool]:
    """An expander whose content is built only while it is open (on_change="rerun"); yields
    whether it is. A page's secondary tables go here, so a page opened from a link does not
    load the data grid's code (about 1.3 MB of JavaScript) for a table it does not show."""
    box = st.expander(label, key=key, on_change="rerun", icon=":material/table:")
    with box:
        yield bool(box.open)


def chart_with_table(
    ctx: Context,
    key: str,
    spec: Callable[[], Spec],
    rows: Callable[[], pd.DataFrame] | None,
    column_config: dict | None = None,
) -> None:
    """Every chart has a table alternative beside it, with the same rows."""
    if rows is None:
        chart(key, spec())
        return
    # Only the open tab is built and sent (on_change="rerun"): the table repeats the chart's rows.
    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"tabs-{key}", on_change="rerun")
    if chart_tab.open:
        with chart_tab:
            chart(key, spec())
    if table_tab.open:
        with table_tab:
            table(rows(), column_config=column_config)


def chart(key: str, spec: Spec) -> None:
    """A chart from its cached Vega-Lite spec (see `derived`): Streamlit converts the datasets."""
    st.vega_lite_chart(spec, width="stretch", key=f"chart-{key}")


SOURCE_LINK = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")


def badge(reliability: str) -> str:
    """The reliability as a coloured badge (Markdown; the label is ours, never the data's)."""
    term = words.reliability(reliability)
    return f":{term.color}-badge[{term.label}]"


def reliability_legend() -> None:
    """What the badges mean, once per page that shows them."""
    st.caption(
        " · ".join(f"{badge(code)} {words.RELIABILITY_MEANINGS[code]}" for code in words.RELIABILITIES)
    )
