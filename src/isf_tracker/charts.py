"""Charts as pure builders (DataFrame -> alt.Chart), so tests read their specs without a browser.

Every chart shows labels, not codes, takes its colours from `palette`, fills its container's
width and has tooltips. Each builder accepts an empty DataFrame and returns a chart that
renders empty; the page says why it is empty.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from isf_tracker import palette
from isf_tracker.ledger import STATEMENT_FRAME_COLUMNS
from isf_tracker.positions import POSITION_COLUMNS
from isf_tracker.schema import RELIABILITY_LABELS, Reliability
from isf_tracker.tables import reliability_label, stance_label, status_label, troops_text

#: Reliability label -> mark shape on the timeline (filled shapes, told apart without colour).
RELIABILITY_SHAPES: dict[str, str] = {
    RELIABILITY_LABELS[Reliability.ON_RECORD]: "circle",
    RELIABILITY_LABELS[Reliability.REPORTED]: "square",
    RELIABILITY_LABELS[Reliability.UNCONFIRMED]: "triangle-up",
}
QUOTE_LIMIT = 280
_TEXT_COLOR = "#333333"
_MARK_STROKE = "#444444"


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


def _strings(values: object, index: pd.Index) -> pd.Series:
    """Text column that stays text when empty (an empty list would become floats)."""
    return pd.Series(list(values), index=index, dtype="str")


def labelled_positions(positions: pd.DataFrame) -> pd.DataFrame:
    """Positions with the labels and texts charts and maps show (one row per country).

    Columns: iso3, country, status_label, stance_label, troops_low, troops_high, troops,
    troops_as_stated, troops_from, status_from, last_date (text), statements.
    """
    frame = positions.reindex(columns=POSITION_COLUMNS)
    low, high = _ints(frame["troops_low"]), _ints(frame["troops_high"])
    return pd.DataFrame(
        {
            "iso3": _text(frame["iso3"]),
            "country": _text(frame["country"]),
            "status_label": _strings(
                (status_label(s, missing=palette.NOT_STATED_LABEL) for s in frame["status"]), frame.index
            ),
            "stance_label": _strings((stance_label(s) for s in frame["disarmament"]), frame.index),
            "troops_low": low,
            "troops_high": high,
            "troops": _strings(
                (troops_text(lo, hi) or "No figure" for lo, hi in zip(low, high, strict=True)), frame.index
            ),
            "troops_as_stated": _text(frame["troops_as_stated"]),
            "troops_from": _text(frame["troops_from"]),
            "status_from": _text(frame["status_from"]),
            "last_date": frame["last_date"].map(day_text),
            "statements": pd.to_numeric(frame["statements"], errors="coerce").fillna(0).astype(int),
        }
    )


def _room(values: pd.Series, factor: float = 1.0) -> pd.Series:
    """How far the x scale must reach (an invisible mark draws it), kept in the data rather than as
    a fixed domain in the spec, so the spec stays the same when the filters change only the rows,
    and the browser swaps the rows into the drawn chart instead of drawing it anew."""
    return (values.astype(float).fillna(0) * factor).clip(lower=1)


def _by_rank() -> alt.EncodingSortField:
    """Rows in the order of the data's `rank` column (not a list of names in the spec)."""
    return alt.EncodingSortField(field="rank", op="min", order="ascending")


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    extra = {} if subtitle is None else {"subtitle": subtitle}
    return alt.TitleParams(text=text, anchor="start", fontSize=15, **extra)


#: Charts re-lay themselves by their own width (a Vega signal): below this they are on a phone.
NARROW = palette.NARROW
#: Each row of a "labelled" chart (pixels from the middle of its band): its words start at
#: LABEL_DY, one line (two lines, higher up, on a phone), and its mark sits at MARK_DY under them.
LABELLED_STEP = 64
LABEL_DY = (-30, -14)  # on a phone, on a wide chart
MARK_DY = 12


def by_width(narrow: object, wide: object) -> dict:
    """A Vega expression: `narrow` on a phone-wide chart, `wide` otherwise."""
    return {"expr": f"{NARROW} ? {narrow!r} : {wide!r}".replace("'", '"')}


def _row_label(base: alt.Chart, wide: str, first: str, second: str) -> alt.Chart:
    """The words above each row: the field `wide` on one line, or on a phone `first` over `second`
    (written downwards from the top of the row's band, so they never reach the mark or the next row)."""
    text = {"expr": f"{NARROW} ? [datum.{first}, datum.{second}] : datum.{wide}"}
    return base.mark_text(
        align="left", baseline="top", dy=by_width(*LABEL_DY), fontSize=by_width(12, 13), lineHeight=15,
        limit={"expr": "width"}, color=_TEXT_COLOR, text=text,
    ).encode(x=alt.value(0))  # fmt: skip


def troop_ranges(positions: pd.DataFrame) -> alt.LayerChart:
    """Troops by country as low–high ranges, most first, coloured by the stance on disarming Hamas.

    The country, its figure and its status are written above each range, so the chart reads the
    same on a phone; a single figure is one point; countries without a figure are left out.
    """
    frame = labelled_positions(positions)
    frame = frame[frame["troops_high"].notna()].sort_values(
        ["troops_high", "country"], ascending=[False, True], kind="stable"
    )
    frame["figure"] = frame["troops"].astype(str) + " (" + frame["status_label"].astype(str).str.lower() + ")"
    frame["label"] = frame["country"].astype(str) + ": " + frame["figure"]
    frame["rank"] = range(len(frame))
    frame["room"] = _room(frame["troops_high"], 1.04)
    base = alt.Chart(frame).encode(
        y=alt.Y("country:N", sort=_by_rank(), title=None, axis=None),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("troops:N", title="Troops"),
            alt.Tooltip("troops_as_stated:N", title="Troops as stated"),
            alt.Tooltip("stance_label:N", title="Disarming Hamas"),
            alt.Tooltip("troops_from:N", title="Troop figure from statement"),
            alt.Tooltip("status_from:N", title="Status from statement"),
        ],
    )
    color = alt.Color(
        "stance_label:N", scale=palette.stance_scale(), legend=palette.legend("Stance on disarming Hamas")
    )
    x = alt.X("troops_low:Q", title=None, scale=alt.Scale(zero=True, nice=False), axis=None)
    rule = base.mark_rule(strokeWidth=5, yOffset=MARK_DY).encode(x=x, x2="troops_high:Q", color=color)
    point = {"filled": True, "size": 120, "opacity": 1, "stroke": _MARK_STROKE, "strokeWidth": 0.5,
             "yOffset": MARK_DY}  # fmt: skip
    low = base.mark_point(**point).encode(x=x, color=color)
    high = base.mark_point(**point).encode(x="troops_high:Q", color=color)
    room = base.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(_row_label(base, "label", "country", "figure"), rule, low, high, room).properties(
        width="container", height=alt.Step(LABELLED_STEP)
    )


def _countries_text(count: int) -> str:
    return f"{count} country" if count == 1 else f"{count} countries"


def coverage_frame(
    tasks_table: pd.DataFrame, offered: tuple[int, int], names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per task: the troops available for it, all troops offered, and the sentence above
    its bar ("Securing border areas: 3,504 of 3,654 troops offered (9 countries)")."""
    rows = []
    offered_text = troops_text(*offered) or "0"
    for position, (_, task) in enumerate(tasks_table.iterrows()):
        low, high = int(task["troops_low"]), int(task["troops_high"])
        count = int(task["countries"])
        figure = troops_text(low, high) or "0"
        who = _countries_text(count) if count else "no country"
        if count and not high:
            who += ", no troop figure stated"
        rows.append(
            {
                "task": task["task"],
                "label": task["label"],
                "order": position,
                "troops_low": low,
                "troops_high": high,
                "offered_high": offered[1],
                "figures": f"{figure} of {offered_text} troops offered ({who})",
                "text": f"{task['label']}: {figure} of {offered_text} troops offered ({who})",
                "countries": count,
                "names": _names(task, names) or "None",
            }
        )
    columns = ["task", "label", "order", "troops_low", "troops_high", "offered_high", "figures", "text",
               "countries", "names"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["room"] = _room(frame["offered_high"])
    return frame


def _names(row: pd.Series, names: Mapping[str, str] | None) -> str:
    if "names" in row and isinstance(row["names"], str):
        return row["names"]
    codes = row.get("iso3", ()) or ()
    return ", ".join((names or {}).get(code, code) for code in codes)


def mandate_coverage(
    tasks_table: pd.DataFrame, offered: tuple[int, int], names: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """For each mandate task, the troops whose stated position allows it, against all troops offered.

    `tasks_table` is `positions.troops_by_task(...)`. Each task is a sentence with its figures,
    above a grey bar (all troops offered) with the available troops drawn over it in blue: solid
    up to the lowest figure, pale up to the highest. The words carry every figure, "0" included.
    """
    frame = coverage_frame(tasks_table, offered, names)
    base = alt.Chart(frame).encode(
        y=alt.Y("order:O", title=None, axis=None),
        tooltip=[
            alt.Tooltip("label:N", title="Task"),
            alt.Tooltip("text:N", title="Troops"),
            alt.Tooltip("names:N", title="Countries counted"),
        ],
    )
    x = alt.X("troops_low:Q", title=None, scale=alt.Scale(zero=True, nice=False), axis=None)
    bar = {"height": 14, "yOffset": MARK_DY}
    offered_bar = base.mark_bar(color=palette.REFERENCE_COLOR, **bar).encode(
        x=alt.X("offered_high:Q", axis=None)
    )
    pale = base.mark_bar(color=palette.BLUE, opacity=0.4, **bar).encode(x=x, x2="troops_high:Q")
    solid = base.mark_bar(color=palette.BLUE, **bar).encode(x=x)
    room = base.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(_row_label(base, "text", "label", "figures"), offered_bar, pale, solid, room).properties(
        width="container", height=alt.Step(LABELLED_STEP)
    )


def _timeline_frame(statements: pd.DataFrame, iso3: str | None, step: int) -> pd.DataFrame:
    frame = statements.reindex(columns=list(STATEMENT_FRAME_COLUMNS))
    frame = frame[frame["date"].notna()]
    if iso3 is not None:
        frame = frame[frame["iso3"] == iso3]
    frame = frame.sort_values(["date", "line"], kind="stable")
    quotes = _text(frame["quote"]).map(
        lambda q: q if len(q) <= QUOTE_LIMIT else q[: QUOTE_LIMIT - 1].rstrip() + "…"
    )
    precision = _text(frame["date_precision"])
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"),
            "date_text": _strings(
                (dated_text(d, p) for d, p in zip(frame["date"], precision, strict=True)), frame.index
            ),
            "iso3": _text(frame["iso3"]),
            "country": _text(frame["country"]),
            "status_label": _strings(
                (status_label(s, missing=palette.NOT_STATED_LABEL) for s in frame["status"]), frame.index
            ),
            "reliability_label": _strings((reliability_label(r) for r in frame["reliability"]), frame.index),
            "troops_as_stated": _text(frame["troops_as_stated"]),
            "speaker": _text(frame["speaker"]),
            "quote": quotes,
            "source_outlet": _text(frame["source_outlet"]),
            "source_url": _text(frame["source_url"]),
            "statement_id": _text(frame["statement_id"]),
        }
    )
    # Pixels from the top of the country's row: its middle, and statements of one country on
    # one day spread across the row rather than hidden under each other.
    same_day = out.groupby(["iso3", "date"], sort=False)
    rank, size = same_day.cumcount(), same_day["date"].transform("size")
    spread = ((step - 12) / size.clip(lower=1)).clip(upper=9)
    out["offset"] = (step / 2 + (rank - (size - 1) / 2) * spread).astype(float)
    return out


def timeline(statements: pd.DataFrame, iso3: str | None = None) -> alt.Chart:
    """Every dated statement as a mark: date across, country down, coloured by the status it states.

    Shape says how reliable the source is. With `iso3`, only that country's statements
    (the country profile). Undated statements cannot be placed and are left out.
    """
    step = 40 if iso3 else 34
    frame = _timeline_frame(statements, iso3, step)
    first = frame.groupby("country", sort=False)["date"].min().sort_values(kind="stable")
    frame["rank"] = frame["country"].map({country: rank for rank, country in enumerate(first.index)})
    shapes = alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values()))
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=130, opacity=0.95, stroke=_MARK_STROKE, strokeWidth=0.6)
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
                    labelFontSize=by_width(10, 11),
                    grid=True,
                ),
            ),
            # With an offset the row is a band and the offset counts from its top edge.
            y=alt.Y(
                "country:N",
                sort=_by_rank(),
                title=None,
                scale=alt.Scale(paddingInner=0, paddingOuter=0),
                axis=alt.Axis(
                    labelLimit=by_width(125, 220),
                    labelFontSize=by_width(10, 11),
                    grid=True,
                    gridDash=[2, 3],
                    gridColor="#EEEEEE",
                ),
            ),
            yOffset=alt.YOffset("offset:Q", scale=None),
            color=alt.Color(
                "status_label:N",
                scale=palette.status_scale(not_stated=True),
                legend=palette.legend("Status stated"),
            ),
            shape=alt.Shape("reliability_label:N", scale=shapes, legend=palette.legend("Source")),
            tooltip=[
                alt.Tooltip("date_text:N", title="Date"),
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("status_label:N", title="Status"),
                alt.Tooltip("troops_as_stated:N", title="Troops as stated"),
                alt.Tooltip("speaker:N", title="Speaker"),
                alt.Tooltip("quote:N", title="Quote"),
                alt.Tooltip("source_outlet:N", title="Outlet"),
                alt.Tooltip("reliability_label:N", title="Reliability"),
                alt.Tooltip("source_url:N", title="Source"),
                alt.Tooltip("statement_id:N", title="Statement"),
            ],
        )
        .properties(width="container", height=alt.Step(step))
    )
