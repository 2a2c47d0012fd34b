"""The condition matrix: a row per country; first its stance on disarming Hamas, then the
conditions it holds, then the roles it offers. Each cell says what it means in a short word (a
symbol on a phone) and a colour, names the statement behind it in its tooltip, and opens the
source when clicked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from isf_tracker import palette, translations
from isf_tracker import vocabulary as words
from isf_tracker.palette import by_width, tooltips
from isf_tracker.positions import DISARMAMENT_TASK
from isf_tracker.schema import MandateTask, VocabularyEntry
from isf_tracker.tables import is_blank, label, reliability_label

STANCE_COLUMN = "Disarming Hamas?"

#: What a cell means → (legend label, colour, its words in the table and on a wide chart, its symbol).
#: The stance column answers "Disarming Hamas?" with the stance's symbol in the chart (an inferred
#: stance in brackets and a lighter shade) and its words in the table; a condition or role held is
#: ✓. Condition and role colours are used nowhere else.
MEANINGS: dict[str, tuple[str, str, str, str]] = {
    **{code: (words.STANCES[code].label, words.STANCES[code].color, words.STANCES[code].short,
              words.STANCES[code].symbol) for code in words.CURRENT_STANCES},
    "condition": ("Condition held", "#FFF2AE", "✓", "●"),
    "role": ("Role offered", "#E6E6E6", "✓", "●"),
    "withdrawn": ("Withdrawn", "#FFFFFF", "–", "–"),
}  # fmt: skip
#: Meanings drawn on a dark colour, whose word is written in white.
DARK = [words.STANCES[code].label for code in ("refuses", "will_disarm")]
CELL_COLUMNS = ["iso3", "country", "column", "group", "meaning", "word", "symbol", "statement_id", "date",
                "speaker", "quote", "english", "reliability", "outlet", "source_url", "excludes"]  # fmt: skip
#: What a condition's tooltip says when data/mandate_tasks.csv rules its holder out of disarming.
EXCLUDES = "Keeps it out of demilitarising Gaza (data/mandate_tasks.csv)"
#: Pixels per country row.
ROW_HEIGHT = 30


def cells(
    positions: pd.DataFrame,
    statements: pd.DataFrame,
    conditions: Mapping[str, VocabularyEntry],
    roles: Mapping[str, VocabularyEntry],
    tasks: Sequence[MandateTask],
    renderings: translations.Renderings | None = None,
) -> pd.DataFrame:
    """Long form of the matrix: one row per cell with what it means and the statement behind it.
    Every country has its stance cell; conditions and roles it holds have theirs, and those it
    withdrew a "Withdrawn" cell (with the withdrawing statement). A condition that keeps a country
    out of demilitarising Gaza says so in its tooltip, but does not set its stance: only the
    country's own words do."""
    by_id = statements.set_index("statement_id")
    disarming = next((t for t in tasks if t.code == DISARMAMENT_TASK), None)
    out_of_disarming = frozenset(disarming.excluded_by_conditions if disarming else ())
    renderings = renderings or {}
    rows = []

    def add(
        pos: pd.Series, column: str, group: int, meaning: str, source: object, excludes: str = ""
    ) -> None:
        legend_label, _, word, symbol = MEANINGS.get(meaning, MEANINGS["unstated"])
        known = not is_blank(source) and source in by_id.index
        stated = by_id.loc[source] if known else None
        english = renderings.get((source, "quote")) if known else None
        rows.append({
            "iso3": pos["iso3"], "country": pos["country"], "column": column, "group": group,
            "meaning": legend_label, "word": word,
            "symbol": symbol, "english": english.english if english else "", "excludes": excludes,
            "statement_id": source if known else "",
            "date": stated["date"].strftime("%Y-%m-%d") if known and pd.notna(stated["date"]) else "",
            "speaker": stated["speaker"] if known else "",
            "quote": "" if not known or is_blank(stated["quote"]) else stated["quote"],
            "reliability": reliability_label(stated["reliability"]) if known else "",
            "outlet": stated["source_outlet"] if known else "",
            "source_url": stated["source_url"] if known else "",
        })  # fmt: skip

    for _, pos in positions.iterrows():
        add(pos, STANCE_COLUMN, 0, pos["disarmament"], pos["disarmament_from"])
        for code, source in pos["conditions_sources"]:
            excludes = EXCLUDES if code in out_of_disarming else ""
            add(pos, label(code, conditions), 1, "condition", source, excludes)
        for code, source in pos["roles_withdrawn"]:
            add(pos, f"Role: {label(code, roles)}", 2, "withdrawn", source)
        for code, source in pos["conditions_withdrawn"]:
            add(pos, label(code, conditions), 1, "withdrawn", source)
        for code, source in pos["roles_sources"]:
            add(pos, f"Role: {label(code, roles)}", 2, "role", source)
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def column_order(
    cells: pd.DataFrame, conditions: Mapping[str, VocabularyEntry], roles: Mapping[str, VocabularyEntry]
) -> list[str]:
    """The stance first, then the conditions and roles in use, each in its vocabulary's order."""
    used = set(cells["column"])
    wanted = [STANCE_COLUMN, *(v.label for v in conditions.values())]
    wanted += [f"Role: {v.label}" for v in roles.values()]
    return [column for column in wanted if column in used]


def country_order(positions: pd.DataFrame, sort: str) -> list[str]:
    """Country names, most troops (or most conditions) first; ties by name."""
    frame = positions.assign(
        _troops=positions["troops_high"].astype("Float64").fillna(-1),
        _count=positions["conditions"].map(len),
    )
    keys = ["_troops", "_count"] if sort == "troops" else ["_count", "_troops"]
    return list(frame.sort_values([*keys, "country"], ascending=[False, False, True])["country"])


def table(cells: pd.DataFrame, countries: list[str], columns: list[str]) -> pd.DataFrame:
    """The matrix as a table: a row per country, a column per stance/condition/role, each cell
    the word the chart shows (the statement ids are in the chart's tooltips and the CSV)."""
    wide = cells.pivot_table(index="country", columns="column", values="word", aggfunc="first")
    wide = wide.reindex(index=countries, columns=columns).fillna("")
    wide.insert(0, "Country", wide.index)
    return wide.reset_index(drop=True)


def chart(cells: pd.DataFrame, countries: list[str], columns: list[str]) -> alt.LayerChart:
    """The matrix as a heat map: colour by meaning, a word in each cell (a symbol on a phone),
    the source opened by a click. Column labels sit on top, turned upright on a phone."""
    used = set(cells["meaning"])  # the legend names only what the chart draws
    legend_labels = [label for label, *_ in MEANINGS.values() if label in used]
    colors = [color for label, color, *_ in MEANINGS.values() if label in used]
    font = by_width(11, 12)
    # Each row's label says its stance in full ("Turkey — Spoke only of when Hamas disarms"): a
    # cell holds only its symbol.
    stances = {
        row.country: f"{row.country} — {row.meaning}" for row in cells[cells["group"] == 0].itertuples()
    }
    tooltip = (
        tooltips("country", column="Column", meaning="Meaning")
        + tooltips("statement_id", "date", "speaker", "quote", "english", excludes="Task")
        + tooltips("reliability", "outlet", source_url="Source (click the cell)")
    )
    base = alt.Chart(cells).encode(
        x=alt.X("column:N", title=None, sort=columns,
                axis=alt.Axis(orient="top", labelAngle=by_width(-90, -40), labelLimit=240,
                              labelOverlap=False, labelFontSize=font)),
        y=alt.Y("country:N", title=None, sort=countries,
                axis=alt.Axis(labelExpr=f"{json.dumps(stances)}[datum.value] || datum.value", labelLimit=400,
                              labelOverlap=False, labelFontSize=font)),
        tooltip=tooltip,
        href="source_url:N",
    )  # fmt: skip
    cell = base.mark_rect(stroke="#BBBBBB", strokeWidth=1).encode(
        color=alt.Color("meaning:N", scale=alt.Scale(domain=legend_labels, range=colors),
                        # The plot is narrower than the chart (the country names sit left of
                        # it): the legend may use the whole chart's width.
                        legend=palette.legend("What a cell means", label_limit={"expr": "width"})),
    )  # fmt: skip
    on_dark = alt.condition(
        f"indexof({DARK}, datum.meaning) >= 0", alt.value("white"), alt.value(palette.INK)
    )
    label = base.mark_text(
        fontSize=by_width(11, 12),
        # The stance's words do not fit a cell: its symbol there, its words in the legend and the table.
        text={"expr": f"{palette.NARROW} || datum.group == 0 ? datum.symbol : datum.word"},
    ).encode(color=on_dark)
    # The last column's slanted label reaches past the plot: room on the right keeps it inside.
    room = {"left": 5, "top": 5, "bottom": 5, "right": 30}
    return (cell + label).properties(width="container", height=alt.Step(ROW_HEIGHT), padding=room)


__all__ = ["cells", "chart", "column_order", "country_order", "table"]
