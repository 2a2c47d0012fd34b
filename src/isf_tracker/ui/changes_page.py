"""What changed: positions on one date compared with another, each change with its statement,
listed by country in words; every change in a table on demand."""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from isf_tracker import derived, filters
from isf_tracker.charts import day_text
from isf_tracker.ui import common
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import context, page_option

DEFAULT_SPAN = dt.timedelta(days=90)
#: Changes listed in words; the table (opened on demand) and the CSV have them all.
LISTED = 200


def render() -> None:
    ctx = context("changes")
    common.header(ctx, "What changed", "Each country's position on one day compared with another.")
    left, right = st.columns(2)
    with left:
        start = page_option(ctx, filters.CHANGES_FROM)
    with right:
        end = page_option(ctx, filters.CHANGES_TO)
    end = end or ctx.choices.today
    start = start or min(end, ctx.choices.last_date) - DEFAULT_SPAN
    if start >= end:
        st.warning("Choose a From date before the To date.", icon=":material/event_busy:")
        return
    st.caption(f"Changes after {start.isoformat()}, up to and including {end.isoformat()}.")
    if common.is_empty(ctx):
        return
    table = derived.changes_table(ctx.key, start, end)
    if table.empty:
        st.info("No change in the positions shown between these dates.", icon=":material/info:")
        return
    if len(table) > LISTED:
        st.caption(f"The newest {LISTED} of {len(table):,} changes; the table below has them all.")
    for country, lines in listed_changes(ctx.key, start, end):
        st.markdown(f"**{escape_markdown(country)}**\n\n" + "\n".join(lines))
    shown = table.rename(columns=str.capitalize).rename(
        columns={"Statement_id": "Statement", "Source_url": "Source"}
    )
    with common.on_demand(f"Every change as a table ({len(table):,})", "table-changes") as opened:
        if opened:
            common.table(shown, "changes", column_config={"Source": common.SOURCE_LINK, "Iso3": None})
    common.download(ctx, "changes", table)


@functools.lru_cache(maxsize=64)
def listed_changes(
    key: derived.ViewKey, start: dt.date, end: dt.date
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The newest LISTED changes of a view in words, built once per view and dates (like `derived`)."""
    lists = change_lists(derived.changes_table(key, start, end).head(LISTED))
    return tuple((country, tuple(lines)) for country, lines in lists)


def change_lists(table: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The changes by country (in the table's order, newest first): one Markdown line each,
    "Status: Conditional offer → On hold — S079 · 17 Mar 2026 · jawawa.id", the domain a link
    to the source. Reads on a phone, where a wide table does not."""
    by_country: dict[str, list[str]] = {}
    for _, change in table.iterrows():
        before, after = (str(change[side]).strip() for side in ("before", "after"))
        moved = f"{before} → {after}" if before and after else (after or before)
        domain = urlsplit(str(change["source_url"])).netloc.removeprefix("www.")
        source = f" · {link(domain, str(change['source_url']))}" if domain else ""
        behind = escape_markdown(f"{change['statement_id']} · {day_text(change['date'])}")
        line = f"- {escape_markdown(change['change'])}: {escape_markdown(moved)} — {behind}{source}"
        by_country.setdefault(str(change["country"]), []).append(line)
    return list(by_country.items())
