"""Country profile: with no country chosen, every country as a short card that opens its
profile; with one, its position in words and value by value with the statement behind each,
its statements over time and every statement, newest first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from isf_tracker import summary, tables
from isf_tracker.charts import day_text
from isf_tracker.ui import common, derived
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context, context

CARDS_PER_ROW = 3
PROVENANCE_COLUMNS = {
    "Field": st.column_config.TextColumn(width=150, pinned=True),
    "Value": st.column_config.TextColumn(width="medium"),
    "Source": common.SOURCE_LINK,
}
STATEMENT_COLUMNS = {
    "Date": st.column_config.DateColumn(width=100, pinned=True),
    "Status": st.column_config.TextColumn(width=95),
    "Disarming Hamas": st.column_config.TextColumn(width=125),
    "Quote": st.column_config.TextColumn(width="large"),
    "Source": common.SOURCE_LINK,
}


def _choose(iso3: str) -> None:
    st.session_state["country"] = [iso3]


def _card(position: pd.Series) -> None:
    """One country in four short lines, and a button that opens its profile."""
    with st.container(border=True):
        st.button(position["country"], key=f"open-{position['iso3']}", on_click=_choose,
                  args=(position["iso3"],), icon=":material/flag:", type="tertiary")  # fmt: skip
        figure = tables.troops_text(position["troops_low"], position["troops_high"])
        stated = "" if tables.is_blank(position["troops_as_stated"]) else f" ({position['troops_as_stated']})"
        lines = [
            f"{tables.status_label(position['status'])} · "
            f"{'troops: ' + figure + stated if figure else 'no troop figure stated'}",
            f"Disarming Hamas: {tables.stance_short(position['disarmament'])}",
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
        st.info(f"{name} had made no dated statement by {ctx.view.as_of.isoformat()}.")
    else:
        st.markdown(escape_markdown(" ".join(derived.country_sentences(ctx.key, iso3))))
        st.subheader(f"Position as of {summary.day_words(ctx.view.as_of)}, value by value")
        st.caption("Each value comes from the latest statement that stated it; conditions and roles add "
                   "up until withdrawn.")  # fmt: skip
        common.table(provenance, column_config=PROVENANCE_COLUMNS)
    st.subheader("Statements over time")
    dated, total = derived.newest_dated(ctx.key, iso3)
    common.timeline_note(len(dated), total)
    if dated.empty:
        st.info("No dated statement up to this date.")
    else:
        common.chart(f"timeline-{iso3}", derived.timeline_chart(ctx.key, iso3))
    st.subheader("Every statement, newest first")
    table = derived.country_statements(ctx.key, iso3)
    common.table(table.drop(columns=["Country"]), "statements", column_config=STATEMENT_COLUMNS)
    undated = int(table["Date"].isna().sum())
    if undated:
        st.caption(f"{undated} statement(s) have no known date: listed last, never used for a position.")
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
