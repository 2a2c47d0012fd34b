"""The condition matrix as a chart: countries × conditions (or roles), one cell per stated code.

Each cell names the statement that stated it and opens its source when clicked.
"""

from __future__ import annotations

import altair as alt
import pandas as pd


def matrix_chart(cells: pd.DataFrame, order: list[str], title: str) -> alt.Chart:
    """`cells` from tables.matrix_cells; `order` the country names top to bottom."""
    codes = list(cells["label"].value_counts().index) if len(cells) else []
    base = alt.Chart(cells, title=title).encode(
        x=alt.X(
            "label:N",
            title=None,
            sort=codes,
            axis=alt.Axis(labelAngle=-45, labelLimit=220, orient="top", labelOverlap=False),
        ),
        y=alt.Y("country:N", title=None, sort=order, axis=alt.Axis(labelOverlap=False, labelLimit=200)),
    )
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("label:N", title="Stated"),
        alt.Tooltip("statement_id:N", title="Statement"),
        alt.Tooltip("date:T", title="Date", format="%Y-%m-%d"),
        alt.Tooltip("speaker:N", title="Speaker"),
        alt.Tooltip("quote:N", title="Quote"),
        alt.Tooltip("outlet:N", title="Outlet"),
        alt.Tooltip("source_url:N", title="Source (click the cell)"),
    ]
    cell = base.mark_rect(color="#0072B2", opacity=0.85, stroke="white", strokeWidth=2).encode(
        tooltip=tooltip, href="source_url:N"
    )
    label = base.mark_text(color="white", fontSize=10).encode(text="statement_id:N", tooltip=tooltip)
    return (cell + label).properties(width="container", height=alt.Step(ROW_HEIGHT))


#: Pixels per country row: room for the label and the statement id in the cell.
ROW_HEIGHT = 28
