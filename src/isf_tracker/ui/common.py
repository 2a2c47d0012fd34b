"""Pieces every data page shows: its header and filter line, the empty state, the citation,
the CSV download, a chart with its table alternative, and long tables cut to a readable size.

What a page sends to the browser stays bounded however long the ledger grows: tables
show at most TABLE_ROWS rows (the download has them all, built only when clicked), and
chart specs and tables are built once per view (Context.memo) and reused on reruns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from isf_tracker import export, tables
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


#: The most rows a table on a page shows; the CSV download has every row.
TABLE_ROWS = 500


def download(
    ctx: Context,
    name: str,
    frame: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    count: int | None = None,
) -> None:
    """The filtered rows as CSV (ledger columns unless a table, or how to build it, is given),
    built only when clicked."""
    if count is None:
        count = len(ctx.view.statements) if frame is None or callable(frame) else len(frame)

    def rows() -> bytes:
        if frame is None:
            return export.csv_bytes(export.ledger_rows(ctx.view.statements))
        return export.csv_bytes(frame() if callable(frame) else frame)

    st.download_button(
        f"Download these rows (CSV, {count:,} rows)",
        data=rows,
        file_name=f"isf-tracker-{name}-{ctx.view.as_of.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"download-{name}",
        on_click="ignore",
    )


def table(
    ctx: Context,
    key: str,
    build: Callable[[], pd.DataFrame],
    what: str = "rows",
    columns: Sequence[str] | None = None,
    column_config: dict | None = None,
    total: int | None = None,
) -> None:
    """A table of at most TABLE_ROWS rows (saying so when some are left out). `total` is
    the full count when `build` gives only the first rows of a longer table.

    Built and converted to Arrow once per view, so a rerun only sends it.
    """
    shown, built = ctx.memo(f"table:{key}", lambda: _first_rows_as_arrow(build(), columns))
    total = built if total is None else total
    if total > TABLE_ROWS:
        st.caption(
            f"Showing the first {TABLE_ROWS:,} of {total:,} {what}. Narrow the filters to see the "
            "others here; the CSV download below has them all."
        )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config)


def _first_rows_as_arrow(frame: pd.DataFrame, columns: Sequence[str] | None) -> tuple[Any, int]:
    head = frame.head(TABLE_ROWS)
    if columns is not None:
        head = head[list(columns)]
    try:
        return pa.Table.from_pandas(head, preserve_index=False), len(frame)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: let Streamlit convert them
        return head, len(frame)


def _spec_with_arrow_data(chart: alt.Chart) -> dict:
    """The chart's Vega-Lite spec, ready to ship: each table of data already as Arrow bytes
    (converted once here instead of on every rerun), under a stable name.

    Altair names datasets by a hash of their rows, so new filters would mean a new spec,
    and the browser would rebuild the chart from scratch. Under stable names the spec stays
    the same when only the rows change, and the browser swaps the data into the drawn chart.
    """
    spec = chart.to_dict()
    datasets = spec.pop("datasets", {})
    stable = {name: f"data-{number}" for number, name in enumerate(datasets)}
    text = json.dumps(spec)
    for name, new_name in stable.items():
        text = text.replace(json.dumps(name), json.dumps(new_name))
    spec = json.loads(text)
    if datasets:
        spec["datasets"] = {
            stable[name]: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame.from_records(values))
            if isinstance(values, list)  # records; GeoJSON/TopoJSON payloads stay as they are
            else values
            for name, values in datasets.items()
        }
    return spec


#: The most statements a timeline draws: beyond that the marks merge into a band anyway.
TIMELINE_POINTS = 2000


def newest_dated(ctx: Context, key: str, statements: pd.DataFrame) -> pd.DataFrame:
    """The dated statements a timeline draws: the newest TIMELINE_POINTS, saying so if cut."""
    dated, total = ctx.memo(f"dated:{key}", lambda: _newest_dated(statements))
    if total > len(dated):
        st.caption(
            f"The timeline draws the newest {len(dated):,} of {total:,} dated statements; "
            "narrow the filters or the date to see the others."
        )
    return dated


def _newest_dated(statements: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    dated = statements[statements["date"].notna()]
    return tables.newest_statements(dated, TIMELINE_POINTS), len(dated)


def chart_with_table(
    ctx: Context,
    key: str,
    chart: Callable[[], alt.Chart],
    rows: Callable[[], pd.DataFrame],
    column_config: dict | None = None,
) -> None:
    """Every chart has a table alternative beside it, with the same rows."""
    # Only the open tab is built and sent (on_change="rerun"): the table repeats the chart's rows.
    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"tabs-{key}", on_change="rerun")
    if chart_tab.open:
        with chart_tab:
            vega_lite(ctx, key, chart)
    if table_tab.open:
        with table_tab:
            table(ctx, key, rows, column_config=column_config)
    citation(ctx)


def vega_lite(ctx: Context, key: str, chart: Callable[[], alt.Chart]) -> None:
    """An Altair chart, built once per view (st.altair_chart would rebuild and revalidate
    it on every rerun)."""
    spec = ctx.memo(f"chart:{key}", lambda: _spec_with_arrow_data(chart()))
    st.vega_lite_chart(spec, width="stretch", key=f"chart-{key}")


SOURCE_LINK = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
