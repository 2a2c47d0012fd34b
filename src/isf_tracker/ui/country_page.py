"""Country profile: with no country chosen, every country as a short card that opens its
profile; with one, its position in words and value by value with the statement behind each,
its statements over time and its statements as cards, newest first (every one in a table on
demand)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from isf_tracker import derived, summary, tables
from isf_tracker.charts import day_text
from isf_tracker.ui import common
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import Context, context

CARDS_PER_ROW = 3
#: Statements in force shown as cards on a profile; the table (opened on demand) has them all.
STATEMENT_CARDS = 12
STATEMENT_COLUMNS = {
    "Date": st.column_config.DateColumn(width=100, pinned=True),
    "Status": st.column_config.TextColumn(width=95),
    "Disarming Hamas": st.column_config.TextColumn(width=125),
    "Quote": st.column_config.TextColumn(width="large"),
    "Source": common.SOURCE_LINK,
}


def provenance_list(provenance: pd.DataFrame) -> str:
    """Each value of the position on a line of its own, with the statement behind it and a link
    to the source under its domain: reads on a phone, where a wide table does not."""
    lines = []
    for _, value in provenance.iterrows():
        behind = [value["Statement"], day_text(value["Date"]), str(value["Reliability"]).lower()]
        domain = urlsplit(str(value["Source"])).netloc.removeprefix("www.")
        source = link(domain, str(value["Source"])) if domain else ""
        lines.append(
            f"- **{escape_markdown(value['Field'])}:** {escape_markdown(value['Value'])} — "
            + escape_markdown(" · ".join(part for part in behind if part))
            + (f" · {source}" if source else "")
        )
    return "\n".join(lines)


def _choose(iso3: str) -> None:
    st.session_state["country"] = [iso3]


def _card(position: pd.Series) -> None:
    """One country in four short lines, and a button that opens its profile."""
    with st.container(border=True):
        st.button(position["country"], key=f"open-{position['iso3']}", on_click=_choose,
                  args=(position["iso3"],), icon=":material/flag:", type="tertiary")  # fmt: skip
        lines = [
            tables.status_label(position["status"]),
            f"Troops: {tables.figure_with_basis(position)}",
            f"Disarming Hamas: {tables.stance_with_basis(position)}",
            f"Latest statement: {day_text(position['last_date'])}",
        ]
        st.caption("  \n".join(escape_markdown(line) for line in lines))


def _everyone(ctx: Context) -> None:
    st.markdown("Choose a country for its profile (or pick countries in the sidebar; the link keeps them).")
    positions = ctx.view.positions.sort_values("country", kind="stable")
    rows = [positions.iloc[i : i + CARDS_PER_ROW] for i in range(0, len(positions), CARDS_PER_ROW)]
    for chunk in rows:
        for column, (_, position) in zip(st.columns(CARDS_PER_ROW), chunk.iterrows(), strict=False):
            with column:
                _card(position)


def _profile(ctx: Context, iso3: str) -> None:
    name = ctx.choices.countries[iso3]
    st.header(name)
    provenance = derived.provenance_table(ctx.key, iso3)
    if provenance is None:
        st.info(f"{name} had made no dated statement by {summary.day_words(ctx.view.as_of)}.")
    else:
        st.markdown(escape_markdown(" ".join(derived.country_sentences(ctx.key, iso3))))
        st.subheader(f"Position, {summary.dated_phrase(ctx.view.dated, ctx.view.as_of_set)}, value by value")
        st.caption("Each value comes from the latest statement that stated it; conditions and roles add "
                   "up until withdrawn.")  # fmt: skip
        st.markdown(provenance_list(provenance))
    st.subheader("Statements over time")
    dated, total = derived.newest_dated(ctx.key, iso3)
    common.timeline_note(len(dated), total)
    if dated.empty:
        st.info("No dated statement up to this date.")
    else:
        common.chart(f"timeline-{iso3}", derived.timeline_chart(ctx.key, iso3))
    st.subheader("Its statements, newest first")
    table = derived.country_statements(ctx.key, iso3)
    latest = derived.latest_statements(ctx.key, STATEMENT_CARDS, iso3)
    data = ctx.data
    for _, statement in latest.iterrows():
        common.statement_card(statement, data)
    left_out = len(table) - len(latest)
    label = f"Every statement as a table ({len(table):,}"
    label += f", with {left_out:,} corrected, undated or older)" if left_out else ")"
    with common.on_demand(label, f"table-statements-{iso3}") as shown:
        if shown:
            common.table(table.drop(columns=["Country"]), "statements", column_config=STATEMENT_COLUMNS)
            undated = int(table["Date"].isna().sum())
            if undated:
                st.caption(
                    f"{undated} statement(s) have no known date: listed last, never used for a position."
                )
    common.download(ctx, f"country-{iso3}", table)


def render() -> None:
    ctx = context("country")
    common.header(ctx, "Country profile")
    if common.is_empty(ctx):
        return
    selected = [iso3 for iso3 in ctx.state["country"] if iso3 in ctx.choices.countries]
    if not selected:
        _everyone(ctx)
        return
    if len(selected) == 1:
        _profile(ctx, selected[0])
        return
    for tab, iso3 in zip(st.tabs([ctx.choices.countries[c] for c in selected]), selected, strict=True):
        with tab:
            _profile(ctx, iso3)
