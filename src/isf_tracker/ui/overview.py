"""The landing page: the answer in words, the troops available for each task of the mandate,
who stands where on disarming Hamas, the latest statements and the current positions."""

from __future__ import annotations

import streamlit as st

from isf_tracker import derived, summary, tables
from isf_tracker.ui import common, shell
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import context

#: Statements shown as cards under "Latest statements" (the Statements page has them all).
LATEST = 6
POSITION_COLUMNS = {
    "Country": st.column_config.TextColumn(pinned=True, width=100),
    "Status": st.column_config.TextColumn(width=95),
    "Disarming Hamas": st.column_config.TextColumn(width=125),
    "Troops": st.column_config.TextColumn(width=120),
    "Troop figure known as": st.column_config.TextColumn(width=150),
    "Conditions": st.column_config.TextColumn(width="large"),
    "Roles": st.column_config.TextColumn(width="medium"),
    "Last statement": st.column_config.DateColumn(width=110),
    "Status source": common.SOURCE_LINK,
}


def render() -> None:
    ctx = context("")
    common.header(ctx, "Troops for the Gaza force")
    answer = derived.answer(ctx.key)
    said = summary.answer(answer)
    st.markdown("**" + escape_markdown(" ".join(said.headline)) + "**")
    for paragraph in said.scope:
        st.markdown(escape_markdown(paragraph))
    if said.details:
        st.markdown("\n".join(f"- {escape_markdown(text)}" for text in said.details))
    if common.is_empty(ctx, say=False):
        return

    st.subheader("Troops for each task of the mandate")
    st.caption(
        "For each task: the countries whose stated stance, roles and conditions allow it, and the "
        "troop figures they have stated, by how each is known (solid: on record; pale: reported; "
        "outlined: unconfirmed). On-hold and declined figures count for no task. The rules are data "
        "(data/mandate_tasks.csv; see the Condition matrix page)."
    )
    common.chart_with_table(
        ctx, "coverage", lambda: derived.coverage_chart(ctx.key), lambda: derived.coverage_table(ctx.key)
    )

    st.subheader("Who stands where on disarming Hamas")
    st.caption("Countries taking part in the force or considering it, by what they have said. "
               "(reportedly) and (unconfirmed) mark a stance that rests on a report.")  # fmt: skip
    lines = [f"- **{escape_markdown(heading)} ({len(countries)}):** "
             + (escape_markdown(", ".join(countries)) if countries else "none")
             for heading, countries in summary.stance_lists(answer)]  # fmt: skip
    st.markdown("\n".join(lines))

    st.subheader("Latest statements")
    common.reliability_legend()
    data = ctx.data
    on_record, reported = derived.latest_by_reliability(ctx.key, LATEST)
    if len(on_record):
        st.markdown("**On record**")
    for _, statement in on_record.iterrows():
        common.statement_card(statement, data)
    if len(reported):
        st.markdown("**Reported or unconfirmed**")
    for _, statement in reported.iterrows():
        common.statement_card(statement, data)
    st.page_link(shell.page("statements"), label="Every statement, newest first", icon=":material/list:")

    st.subheader("Current positions")
    count = len(ctx.view.positions)
    with common.on_demand(f"Every country's position as a table ({count:,})", "table-positions") as shown:
        if shown:
            common.table(derived.positions_table(ctx.key), "countries", column_config=POSITION_COLUMNS)
    common.citation(ctx)
    common.download(ctx, "positions", lambda: derived.positions_table(ctx.key), len(ctx.view.positions))


__all__ = ["render", "tables"]
