"""Charts as pure builders (DataFrame -> alt.Chart), so tests read their specs without a browser.

Every chart shows labels, not codes, takes its colours from `palette`, fills its container's
width and has tooltips. Each builder accepts an empty DataFrame and returns a chart that
renders empty; the page says why it is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import altair as alt
import pandas as pd

from isf_tracker import palette
from isf_tracker import vocabulary as words
from isf_tracker.ledger import STATEMENT_FRAME_COLUMNS
from isf_tracker.palette import by_width, tooltips
from isf_tracker.positions import BASES, POSITION_COLUMNS, RELIABILITY_RANK
from isf_tracker.schema import Reliability
from isf_tracker.tables import (
    figure_with_basis,
    reliability_label,
    stance_label,
    stance_with_basis,
    stated_figure,
    status_label,
    troops_text,
)

#: Reliability label -> mark shape on the timeline (filled shapes, told apart without colour).
RELIABILITY_SHAPES: dict[str, str] = {
    words.RELIABILITIES[Reliability.ON_RECORD.value].label: "circle",
    words.RELIABILITIES[Reliability.REPORTED.value].label: "square",
    words.RELIABILITIES[Reliability.UNCONFIRMED.value].label: "triangle-up",
}
#: How a troop figure is known, drawn the same on every chart: solid on record, paler when
#: reported, palest with a dashed outline when unconfirmed (the legend says which).
BASIS_OPACITY = {Reliability.ON_RECORD.value: 1.0, Reliability.REPORTED.value: 0.6,
                 Reliability.UNCONFIRMED.value: 0.35}  # fmt: skip
BASIS_DASH = {Reliability.ON_RECORD.value: [1, 0], Reliability.REPORTED.value: [1, 0],
              Reliability.UNCONFIRMED.value: [3, 2]}  # fmt: skip
#: The outline of a bar by the figure's state: thick when on hold or declined (it counts for no task).
OUTLINE = {
    term.label: 3 if code in (words.ON_HOLD, words.DECLINED) else 1
    for code, term in words.FIGURE_STATES.items()
}
QUOTE_LIMIT = 280


def day_text(value: object) -> str:
    """A date as readers write it: "6 Dec 2025" ("" when missing)."""
    if value is None or pd.isna(value):
        return ""
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"


#: How a statement's date reads when it is not known to the day (see DatePrecision).
_PRECISION_NOTES = {
    "inferred": " (date inferred)",
    "reported": " (date as reported)",
    "approximate": " (approximate date)",
}


def dated_text(value: object, precision: str = "day") -> str:
    """A statement's date with how sure it is: "14 Nov 2025", "Dec 2025" (month only),
    "3 Nov 2025 (date inferred)"."""
    if value is None or pd.isna(value):
        return ""
    if precision == "month":
        return f"{pd.Timestamp(value):%b %Y}"
    return day_text(value) + _PRECISION_NOTES.get(precision, "")


def _ints(column: pd.Series) -> pd.Series:
    """Nullable integers as floats (NaN when missing): plain JSON numbers in the spec."""
    return pd.to_numeric(column, errors="coerce").astype("float64")


def _text(column: pd.Series) -> pd.Series:
    return column.map(lambda v: "" if v is None or (not isinstance(v, tuple) and pd.isna(v)) else str(v))


def _texts(frame: pd.DataFrame, *columns: str) -> dict[str, pd.Series]:
    return {column: _text(frame[column]) for column in columns}


def _strings(column: pd.Series, say: Callable[[object], str]) -> pd.Series:
    """Each value in words: a text column even when empty (an empty one would be floats)."""
    return column.map(say).astype("str")


def _by_row(frame: pd.DataFrame, say: Callable[[pd.Series], str]) -> pd.Series:
    """Each row in words, a text column as `_strings` gives."""
    return pd.Series([say(row) for _, row in frame.iterrows()], index=frame.index, dtype="str")


def labelled_positions(positions: pd.DataFrame) -> pd.DataFrame:
    """Each country's position in the words the map shows: its status, stance (and how it is
    known), troop figure (and how it is known) and latest statement's date."""
    frame = positions.reindex(columns=POSITION_COLUMNS)
    return pd.DataFrame(
        {
            **_texts(frame, "iso3", "country"),
            "status_label": _strings(frame["status"], status_label),
            "stance_label": _strings(frame["disarmament"], stance_label),
            "troops": _by_row(frame, figure_with_basis),
            "stance_words": _by_row(frame, stance_with_basis),
            "last_date": frame["last_date"].map(day_text),
        }
    )


def _room(values: pd.Series, factor: float = 1.0) -> pd.Series:
    """How far the x scale must reach (an invisible mark draws it), kept in the data rather than as
    a fixed domain in the spec, so the spec stays the same when the filters change only the rows,
    and the browser swaps the rows into the drawn chart instead of drawing it anew."""
    return (values.astype(float).fillna(0) * factor).clip(lower=1)


def _countries(**axis: object) -> alt.Y:
    """Countries down the chart, in the order of the data's `rank` column (not a list of names in
    the spec), their names the axis's labels."""
    by_rank = alt.EncodingSortField(field="rank", op="min", order="ascending")
    return alt.Y("country:N", sort=by_rank, title=None, axis=alt.Axis(**axis))


def _figure_encodings(frame: pd.DataFrame, x: str, title: str) -> dict:
    """How both troop charts draw a figure: troops across from `x`, colour by the figure's state,
    opacity and outline by how it is known (one legend for both, its swatches in ink, the bars'
    outline, so it names no colour the chart does not draw); each legend lists only what is drawn."""
    codes = [code for code in BASES if words.RELIABILITIES[code].label in set(frame["basis"])]
    labels = [words.RELIABILITIES[code].label for code in codes]
    legend = alt.Legend(
        title="How it is known",
        orient="bottom",
        direction="horizontal",
        symbolType="square",
        symbolFillColor=palette.INK,
        symbolStrokeColor=palette.INK,
        symbolStrokeWidth=1,
        symbolSize=120,
    )
    states = palette.figure_scale(set(frame["state"]))
    # A figure on hold or declined (it counts for no task) is outlined thick, and the
    # colour legend's title says so (same field and title: Vega-Lite merges the two legends).
    outline = alt.Scale(domain=states.domain, range=[OUTLINE[label] for label in states.domain])
    thick = any(OUTLINE[label] > 1 for label in states.domain)
    state_legend = palette.legend(
        "State of the figure" + (" (thick outline: on hold or declined)" if thick else "")
    )
    troops = alt.Scale(zero=True, nice=False)
    opacity = alt.Scale(domain=labels, range=[BASIS_OPACITY[c] for c in codes])
    dash = alt.Scale(domain=labels, range=[BASIS_DASH[c] for c in codes])
    return {
        "x": alt.X(f"{x}:Q", title=title, scale=troops, axis=alt.Axis(grid=True, tickCount=4, format=",d")),
        "color": alt.Color("state:N", scale=states, legend=state_legend),
        "strokeWidth": alt.StrokeWidth("state:O", scale=outline, legend=state_legend),
        "opacity": alt.Opacity("basis:N", scale=opacity, legend=legend),
        "strokeDash": alt.StrokeDash("basis:N", scale=dash, legend=legend),
    }


def figures_frame(positions: pd.DataFrame) -> pd.DataFrame:
    """One row per country with a troop figure in numbers, most first: the figure in words, how it is
    known (basis) and how far it is from troops on the ground (state)."""
    frame = positions.reindex(columns=POSITION_COLUMNS)
    frame = frame[frame["troops_high"].notna()]
    out = pd.DataFrame(
        {
            **_texts(frame, "country", "troops_from"),
            "troops_low": _ints(frame["troops_low"]),
            "troops_high": _ints(frame["troops_high"]),
            "figure": _by_row(frame, stated_figure),
            "basis": _strings(frame["troops_reliability"], reliability_label),
            "state": _strings(frame["troops_state"], lambda state: words.FIGURE_STATES[state].label),
            "status_label": _strings(frame["status"], status_label),
            "stance_label": _strings(frame["disarmament"], stance_label),
        }
    )
    out["number"] = _by_row(out, lambda row: troops_text(row["troops_low"], row["troops_high"]))
    out = out.sort_values(["troops_high", "country"], ascending=[False, True], kind="stable")
    out["rank"] = range(len(out))
    out["room"] = _room(out["troops_high"], 1.22)
    return out


_FIGURE_TOOLTIP = tooltips(
    "country", figure="Troops (as stated)", basis="How it is known", state="State of the figure"
) + tooltips("status_label", "stance_label", troops_from="Figure from statement")


def troop_ranges(positions: pd.DataFrame) -> alt.LayerChart:
    """Troop figures reported, by country, most first: a bar to the lowest figure, a whisker to the
    highest, the figure written at its end. Colour is the figure's state (in place, committed,
    offered, on hold, since called undecided …), opacity and outline how it is known (on record,
    reported, unconfirmed). Countries without a figure in numbers are left out."""
    frame = figures_frame(positions)
    countries = _countries(labelLimit=by_width(90, 160), labelFontSize=by_width(11, 12), ticks=False)
    base = alt.Chart(frame).encode(y=countries, tooltip=_FIGURE_TOOLTIP)
    bar = base.mark_bar(height=16, stroke=palette.INK, strokeWidth=1).encode(
        **_figure_encodings(frame, "troops_low", "Troops (stated figure)")
    )
    whisker = base.mark_rule(strokeWidth=2, color=palette.INK).encode(x="troops_low:Q", x2="troops_high:Q")
    cap = base.mark_tick(thickness=2, size=14, color=palette.INK).encode(x="troops_high:Q")
    label = base.mark_text(align="left", dx=5, fontSize=12, color=palette.INK).encode(
        x="troops_high:Q", text="number:N"
    )
    room = base.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(bar, whisker, cap, label, room).properties(width="container", height=alt.Step(30))


def _basis_sums(task: pd.Series) -> str:
    """ "on record 4 · unconfirmed 3,600–3,650": figures summed only within one basis."""
    parts = []
    for code in BASES:
        low, high = int(task[f"{code}_low"]), int(task[f"{code}_high"])
        if high:
            parts.append(f"{words.RELIABILITIES[code].short} {troops_text(low, high)}")
    return " · ".join(parts)


def coverage_frame(tasks_table: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per task: how many countries taking part allow it, how many of them state a figure, and
    their figures by basis, as the words above its bar ("Securing border areas: 7 countries allow it,
    troops stated by 3 of them: on record 4 · unconfirmed 3,600–3,650"): two measures, never one
    troop figure beside a count of countries that did not state it."""
    rows = []
    for position, (_, task) in enumerate(tasks_table.iterrows()):
        count, with_figure, sums = int(task["countries"]), int(task["with_figure"]), _basis_sums(task)
        allowing = "1 country allows it" if count == 1 else f"{count} countries allow it"
        if not count:
            counts = "no country allows it"
        elif not with_figure:
            counts = f"{allowing}, none of them with a troop figure"
        else:
            counts = f"{allowing}, troops stated by {with_figure} of them"
        figures = f"{counts}: {sums}" if sums else counts
        named = ", ".join((names or {}).get(code, code) for code in task["iso3"])
        rows.append({"task": task["task"], "label": task["label"], "order": position, "figures": figures,
                     "counts": counts, "sums": sums, "text": f"{task['label']}: {figures}",
                     "countries": count, "names": named or "None"})  # fmt: skip
    columns = ["task", "label", "order", "figures", "counts", "sums", "text", "countries", "names"]
    return pd.DataFrame(rows, columns=columns)


def coverage_segments(positions: pd.DataFrame, tasks_table: pd.DataFrame) -> pd.DataFrame:
    """The bars' segments: for each task, one per country it counts with a figure in numbers (its
    lowest figure), on record first, so a report is never merged with the record."""
    figures = figures_frame(positions).set_index("country", drop=False)
    by_code = dict(zip(positions["iso3"], positions["country"], strict=True)) if len(positions) else {}
    rank = {words.RELIABILITIES[code].label: n for code, n in RELIABILITY_RANK.items()}
    rows = []
    for order, (_, task) in enumerate(tasks_table.iterrows()):
        shown = [by_code[c] for c in task["iso3"] if c in by_code and by_code[c] in figures.index]
        start = 0.0
        for country in sorted(shown, key=lambda c: (rank.get(figures.at[c, "basis"], 9), c)):
            row = figures.loc[country]
            end = start + float(row["troops_low"])
            rows.append({**row.to_dict(), "order": order, "start": start, "end": end})
            start = end
    columns = [*figures.columns, "order", "start", "end"]
    return pd.DataFrame(rows, columns=columns)


#: The coverage chart's rows: a task's label, then (on a phone) its counts and its figures on lines
#: of their own, then its bar under them.
COVERAGE_STEP = 84
COVERAGE_LABEL_DY = (-38, -22)  # on three lines, on one line
COVERAGE_ONE_LINE = 1000  # the chart's width (px) from which a task's words fit one line
COVERAGE_BAR_DY = 18


def mandate_coverage(
    tasks_table: pd.DataFrame, segments: pd.DataFrame, names: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """For each mandate task (`positions.troops_by_task`), a sentence with its counts and its figures
    summed within one basis, above a bar of one segment per country (`coverage_segments`) drawn like
    the troops chart."""
    frame = coverage_frame(tasks_table, names)
    frame["room"] = max([1.0, *segments["end"]])
    tasks = alt.Y("order:O", title=None, axis=None)
    tooltip = tooltips(label="Task", figures="Countries, figures", names="Countries counted")
    rows = alt.Chart(frame).encode(y=tasks, tooltip=tooltip)
    # On three lines wherever the one line could be cut short (its words are the chart's measures).
    lines = f"width < {COVERAGE_ONE_LINE}"
    text = {"expr": f"{lines} ? [datum.label, datum.counts, datum.sums] : datum.text"}
    dy = {"expr": f"{lines} ? {COVERAGE_LABEL_DY[0]} : {COVERAGE_LABEL_DY[1]}"}
    label = rows.mark_text(
        align="left", baseline="top", dy=dy, fontSize=by_width(12, 13),
        lineHeight=15, limit={"expr": "width"}, color=palette.INK, text=text,
    ).encode(x=alt.value(0))  # fmt: skip
    bars = (
        alt.Chart(segments)
        .mark_bar(height=14, yOffset=COVERAGE_BAR_DY, stroke=palette.INK, strokeWidth=1)
        .encode(y=tasks, x2="end:Q", tooltip=_FIGURE_TOOLTIP,
                **_figure_encodings(segments, "start", "Troops (lowest stated figure)"))
    )  # fmt: skip
    room = rows.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(label, bars, room).properties(width="container", height=alt.Step(COVERAGE_STEP))


#: Pixels per country row of the timeline.
TIMELINE_STEP = 34


def _timeline_frame(statements: pd.DataFrame, renderings: Mapping | None = None) -> pd.DataFrame:
    frame = statements.reindex(columns=list(STATEMENT_FRAME_COLUMNS))
    frame = frame[frame["date"].notna()].sort_values(["date", "line"], kind="stable")
    renderings = renderings or {}

    def english(statement_id: object) -> str:
        rendering = renderings.get((statement_id, "quote"))
        return rendering.english if rendering else ""

    out = pd.DataFrame(
        {
            "date": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"),
            "date_text": _by_row(frame, lambda s: dated_text(s["date"], s["date_precision"])),
            **_texts(frame, "iso3", "country"),
            "status_label": _strings(frame["status"], status_label),
            "reliability_label": _strings(frame["reliability"], reliability_label),
            **_texts(frame, "troops_as_stated", "speaker"),
            "quote": _text(frame["quote"]).map(
                lambda q: q if len(q) <= QUOTE_LIMIT else q[: QUOTE_LIMIT - 1].rstrip() + "…"
            ),
            "english": _strings(frame["statement_id"], english),
            **_texts(frame, "source_outlet", "source_url", "statement_id"),
        }
    )
    # Pixels from the top of the country's row: its middle, and statements of one country on
    # one day spread across the row rather than hidden under each other.
    same_day = out.groupby(["iso3", "date"], sort=False)
    rank, size = same_day.cumcount(), same_day["date"].transform("size")
    spread = ((TIMELINE_STEP - 12) / size.clip(lower=1)).clip(upper=9)
    out["offset"] = (TIMELINE_STEP / 2 + (rank - (size - 1) / 2) * spread).astype(float)
    return out


def timeline(statements: pd.DataFrame, renderings: Mapping | None = None) -> alt.Chart:
    """Every dated statement as a mark: date across, country down, coloured by the status it states,
    shaped by how reliable its source is (undated statements cannot be placed)."""
    frame = _timeline_frame(statements, renderings)
    first = frame.groupby("country", sort=False)["date"].min().sort_values(kind="stable")
    frame["rank"] = frame["country"].map({country: rank for rank, country in enumerate(first.index)})
    shown = {
        label: shape
        for label, shape in RELIABILITY_SHAPES.items()
        if label in set(frame["reliability_label"])
    }
    shapes = alt.Scale(domain=list(shown), range=list(shown.values()))
    statuses = palette.drawn(palette.status_colors(not_stated=True), frame["status_label"])
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=130, opacity=0.95, stroke=palette.INK, strokeWidth=0.6)
        .encode(
            x=alt.X(
                "date:T",
                title="Date of statement",
                scale=alt.Scale(padding=14),
                axis=alt.Axis(
                    format="%b %Y",
                    labelAngle=0,
                    tickCount="month",
                    labelOverlap="greedy",
                    labelFontSize=11,
                    grid=True,
                ),
            ),
            # With an offset the row is a band and the offset counts from its top edge.
            y=_countries(
                labelLimit=by_width(125, 220),
                labelFontSize=11,
                grid=True,
                gridDash=[2, 3],
                gridColor="#EEEEEE",
            ).scale(paddingInner=0, paddingOuter=0),
            yOffset=alt.YOffset("offset:Q", scale=None),
            color=alt.Color(
                "status_label:N",
                scale=palette.scale(statuses),
                legend=palette.legend("Status stated"),
            ),
            shape=alt.Shape(
                "reliability_label:N", scale=shapes, legend=palette.legend("Source", fill=palette.INK)
            ),
            tooltip=tooltips("date_text", "country", "status_label", troops_as_stated="Troops as stated")
            + tooltips("speaker", "quote", "english", "source_outlet", "reliability_label")
            + tooltips("source_url", "statement_id"),
        )
        .properties(width="container", height=alt.Step(TIMELINE_STEP))
    )
