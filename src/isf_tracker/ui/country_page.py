"""Country profile: one country's position as of the chosen date, each value with its source,
and its whole history, newest first."""

from __future__ import annotations

import streamlit as st

from isf_tracker.ui import common, derived
from isf_tracker.ui.shell import Context, context


def _choose(choice_key: str) -> None:
    st.session_state["country"] = [st.session_state[choice_key]]


def _profile(ctx: Context, iso3: str) -> None:
    name = ctx.choices.countries[iso3]
    st.header(name)
    provenance = derived.provenance_table(ctx.key, iso3)
    if provenance is not None:
        st.subheader(f"Position as of {ctx.view.as_of.isoformat()}")
        common.table(provenance, column_config={"Source": common.SOURCE_LINK})
    else:
        st.info(f"{name} had made no dated statement by {ctx.view.as_of.isoformat()}.")
    st.subheader("Timeline")
    dated, total = derived.newest_dated(ctx.key, iso3)
    common.timeline_note(len(dated), total)
    if dated.empty:
        st.info("No dated statement up to this date.")
    else:
        common.chart(f"timeline-{iso3}", derived.timeline_chart(ctx.key, iso3))
    st.subheader("Every statement, newest first")
    table = derived.country_statements(ctx.key, iso3)
    quote = {"Source": common.SOURCE_LINK, "Quote": st.column_config.TextColumn(width="large")}
    common.table(table.drop(columns=["Country"]), "statements", column_config=quote)
    undated = int(table["Date"].isna().sum())
    if undated:
        st.caption(f"{undated} statement(s) have no known date: listed last, never used for a position.")
    common.download(ctx, f"country-{iso3}", table)


def render() -> None:
    ctx = context("country")
    common.header(ctx, "Country profile")
    selected = [iso3 for iso3 in ctx.state["country"] if iso3 in ctx.choices.countries]
    if not selected:
        st.selectbox(
            "Choose a country",
            list(ctx.choices.countries),
            index=None,
            format_func=ctx.choices.countries.get,
            key="profile_choice",
            on_change=_choose,
            args=("profile_choice",),
            placeholder="Countries in the ledger",
        )
        st.caption("Or pick one or more in the Countries filter in the sidebar; the link keeps them.")
        return
    if len(selected) == 1:
        _profile(ctx, selected[0])
        return
    for tab, iso3 in zip(st.tabs([ctx.choices.countries[c] for c in selected]), selected, strict=True):
        with tab:
            _profile(ctx, iso3)
