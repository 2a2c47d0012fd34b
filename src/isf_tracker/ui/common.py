"""Pieces every data page shows: its header and filter line, the citation, the CSV download, a
chart with its table, long tables cut to a readable size. What a page sends stays bounded however
long the ledger grows: tables show at most TABLE_ROWS rows (the download, built only when
clicked, has them all); chart specs and tables come from `derived`, built once per view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from isf_tracker import derived, export, summary
from isf_tracker import vocabulary as words
from isf_tracker.derived import TABLE_ROWS
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context
from isf_tracker.vegaspec import Spec

__all__ = ["TABLE_ROWS"]
SOURCE_LINK = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")


def header(ctx: Context, title: str, intro: str | None = None) -> None:
    """The title; how current the record is, on every page, in body text (a notice when it is over
    90 days old; a view of an earlier day says that day instead); the intro; the filters in words."""
    st.title(title)
    currency = escape_markdown(derived.currency(ctx.key.version, ctx.key.today))
    if ctx.view.as_of_set:
        then = ctx.view.record_date
        latest = f" (its latest statement then: {summary.day_words(then)})" if then else ""
        st.info(f"The record as it stood on {summary.day_words(ctx.view.as_of)}{latest}. Clear the date in "
                "the sidebar for the latest record.", icon=":material/history:")  # fmt: skip
    elif summary.is_stale(derived.record_date(ctx.key.version), ctx.key.today):
        st.warning(f"{currency} Positions may have changed since.", icon=":material/schedule:")
    else:
        st.markdown(currency)
    if intro:
        st.markdown(intro)
    st.caption(escape_markdown(ctx.view.description))


def citation(ctx: Context) -> None:
    """The "data as of" line and how to cite the view, under every chart."""
    dated = summary.sentence_case(summary.dated_phrase(ctx.view.dated, ctx.view.as_of_set))
    st.caption(escape_markdown(f"{dated}. Source: ISF Tracker ledger, {len(ctx.view.statements)} sourced "
                               "public statements; every statement links to its source."))  # fmt: skip


def download(ctx: Context, name: str, frame: Callable[[], pd.DataFrame | None]) -> None:
    """The page's rows as CSV (the view's statements when `frame` gives None), built only when clicked."""

    def rows() -> bytes:
        made = frame()
        return export.csv_bytes(export.ledger_rows(ctx.view.statements) if made is None else made)

    st.download_button("Download these rows (CSV)", data=rows, mime="text/csv", icon=":material/download:",
                       file_name=f"isf-tracker-{name}-{ctx.view.dated.isoformat()}.csv",
                       key=f"download-{name}", on_click="ignore")  # fmt: skip


def table(
    frame: pd.DataFrame, what: str = "rows", column_config: dict | None = None, total: int | None = None
) -> None:
    """At most TABLE_ROWS rows, saying so when some are left out; `total` counts the whole table
    when `frame` holds only its first rows."""
    total = len(frame) if total is None else total
    if total > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {total:,} {what}. Narrow the filters to see the "
                   "others here; the CSV download below has them all.")  # fmt: skip
    st.dataframe(frame.head(TABLE_ROWS), hide_index=True, width="stretch", column_config=column_config)


@contextmanager
def on_demand(label: str, key: str) -> Iterator[bool]:
    """An expander built only while open (on_change="rerun"), yielding whether it is: a page opened
    from a link does not load the data grid's code (1.3 MB) for a secondary table it does not show."""
    box = st.expander(label, key=key, on_change="rerun", icon=":material/table:")
    with box:
        yield bool(box.open)


def chart_with_table(
    ctx: Context, key: str, spec: Callable[[], Spec], rows: Callable[[], pd.DataFrame] | None,
    column_config: dict | None = None,
) -> None:  # fmt: skip
    """Every chart has its table beside it, in a tab; only the open tab is built and sent
    (on_change="rerun"). The spec is cached (`derived`); Streamlit converts its datasets."""
    if rows is None:
        st.vega_lite_chart(spec(), width="stretch", key=f"chart-{key}")
        return
    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"tabs-{key}", on_change="rerun")
    if chart_tab.open:
        with chart_tab:
            st.vega_lite_chart(spec(), width="stretch", key=f"chart-{key}")
    if table_tab.open:
        with table_tab:
            table(rows(), column_config=column_config)


def badge(reliability: str) -> str:
    """The reliability as a coloured badge (Markdown; the label is ours, never the data's)."""
    term = words.reliability(reliability)
    return f":{term.color}-badge[{term.label}]"


def reliability_legend() -> None:
    """What the badges mean, once per page that shows them."""
    st.caption(
        " · ".join(f"{badge(code)} {words.RELIABILITY_MEANINGS[code]}" for code in words.RELIABILITIES)
    )
