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
AVAILABLE_LABEL = "Available for this task"
OFFERED_LABEL = "All troops offered"
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


def _room(values: pd.Series) -> pd.Series:
    """Where each row's text label ends: the x scale reaches the largest, so labels fit.

    Kept in the data (drawn by an invisible mark) rather than as a fixed domain in the
    spec, so the spec stays the same when the filters change only the rows, and the
    browser swaps the rows into the drawn chart instead of drawing it anew.
    """
    return (values.astype(float).fillna(0) * 1.3).clip(lower=10)


def _by_rank() -> alt.EncodingSortField:
    """Rows in the order of the data's `rank` column (not a list of names in the spec)."""
    return alt.EncodingSortField(field="rank", op="min", order="ascending")


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    extra = {} if subtitle is None else {"subtitle": subtitle}
    return alt.TitleParams(text=text, anchor="start", fontSize=15, **extra)


def troop_ranges(positions: pd.DataFrame) -> alt.LayerChart:
    """Troops by country as low–high ranges, most first, coloured by the stance on disarming Hamas.

    A single figure is one point; countries without a figure are left out.
    """
    frame = labelled_positions(positions)
    frame = frame[frame["troops_high"].notna()].sort_values(
        ["troops_high", "country"], ascending=[False, True], kind="stable"
    )
    frame["label"] = frame["troops"] + " · " + frame["status_label"]
    frame["rank"] = range(len(frame))
    frame["room"] = _room(frame["troops_high"])
    x_scale = alt.Scale(zero=True, nice=False)
    base = alt.Chart(frame).encode(
        y=alt.Y("country:N", sort=_by_rank(), title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color(
            "stance_label:N", scale=palette.stance_scale(), legend=palette.legend("Stance on disarming Hamas")
        ),
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
    x = alt.X(
        "troops_low:Q",
        title="Troops (lowest to highest figure stated)",
        scale=x_scale,
        axis=alt.Axis(format=",d", tickMinStep=1),
    )
    rule = base.mark_rule(strokeWidth=4).encode(x=x, x2="troops_high:Q")
    point = {"filled": True, "size": 110, "opacity": 1, "stroke": _MARK_STROKE, "strokeWidth": 0.5}
    low = base.mark_point(**point).encode(x=x)
    high = base.mark_point(**point).encode(x="troops_high:Q")
    text = base.mark_text(align="left", dx=9, color=_TEXT_COLOR).encode(
        x="troops_high:Q", text="label:N", color=alt.value(_TEXT_COLOR)
    )
    room = base.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(rule, low, high, text, room).properties(
        title=_title(
            "Troops offered by country", "Lowest to highest figure stated; one point when one figure"
        ),
        width="container",
        height=alt.Step(36),
    )


def _names(row: pd.Series, names: Mapping[str, str] | None) -> str:
    if "names" in row and isinstance(row["names"], str):
        return row["names"]
    codes = row.get("iso3", ()) or ()
    return ", ".join((names or {}).get(code, code) for code in codes)


def _countries_text(count: int) -> str:
    return f"{count} country" if count == 1 else f"{count} countries"


def coverage_frame(
    tasks_table: pd.DataFrame, offered: tuple[int, int], names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Long form of `troops_by_task`: per task, a row for the troops available and one for all offered."""
    rows = []
    for position, (_, task) in enumerate(tasks_table.iterrows()):
        low, high = int(task["troops_low"]), int(task["troops_high"])
        count = int(task["countries"])
        figure = troops_text(low, high) or "0"
        if count and not high:
            figure += f" ({_countries_text(count)}, no troop figure stated)"
        elif count:
            figure += f" ({_countries_text(count)})"
        common = {"task": task["task"], "label": task["label"], "order": position}
        rows.append(
            {
                **common,
                "measure": AVAILABLE_LABEL,
                "troops_low": low,
                "troops_high": high,
                "text": figure,
                "countries": count,
                "names": _names(task, names) or "None",
            }
        )
        rows.append(
            {
                **common,
                "measure": OFFERED_LABEL,
                "troops_low": offered[0],
                "troops_high": offered[1],
                "text": f"{troops_text(*offered) or '0'} offered in all",
                "countries": None,
                "names": "All countries offering",
            }
        )
    columns = ["task", "label", "order", "measure", "troops_low", "troops_high", "text", "countries", "names"]
    return pd.DataFrame(rows, columns=columns)


def mandate_coverage(
    tasks_table: pd.DataFrame, offered: tuple[int, int], names: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """For each mandate task, the troops whose stated position allows it, next to all troops offered.

    `tasks_table` is `positions.troops_by_task(...)`; country names come from its `names`
    column if it has one, else from `names` (iso3 -> name). Bars are solid up to the lowest
    figure and pale up to the highest; every bar has its figure written out, "0" included.
    """
    frame = coverage_frame(tasks_table, offered, names)
    order = list(dict.fromkeys(frame["label"]))
    colors = {AVAILABLE_LABEL: palette.BLUE, OFFERED_LABEL: palette.REFERENCE_COLOR}
    frame["room"] = _room(frame["troops_high"])
    x_scale = alt.Scale(zero=True, nice=False)
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "label:N", sort=order or "ascending", title=None, axis=alt.Axis(labelLimit=340, labelFontSize=12)
        ),
        yOffset=alt.YOffset("measure:N", sort=list(colors)),
        color=alt.Color(
            "measure:N",
            scale=alt.Scale(domain=list(colors), range=list(colors.values())),
            legend=palette.legend(None),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Task"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("text:N", title="Troops"),
            alt.Tooltip("countries:Q", title="Countries"),
            alt.Tooltip("names:N", title="Which"),
        ],
    )
    x = alt.X("troops_low:Q", title="Troops", scale=x_scale, axis=alt.Axis(format=",d", tickMinStep=1))
    solid = base.mark_bar(height={"band": 0.9}).encode(x=x)
    pale = base.mark_bar(height={"band": 0.9}, opacity=0.4).encode(x=x, x2="troops_high:Q")
    text = base.mark_text(align="left", dx=5, fontSize=12).encode(
        x="troops_high:Q", text="text:N", color=alt.value(_TEXT_COLOR)
    )
    room = base.mark_point(opacity=0, size=0).encode(x="room:Q")
    return alt.layer(solid, pale, text, room).properties(
        title=_title(
            "Troops available for each task of the mandate",
            "Offered troops whose country's stated stance, roles and conditions allow the task",
        ),
        width="container",
        height=alt.Step(22),
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
    name = frame["country"].iloc[0] if iso3 is not None and len(frame) else None
    title = f"{name}: statements over time" if name else "Statements over time"
    shapes = alt.Scale(domain=list(RELIABILITY_SHAPES), range=list(RELIABILITY_SHAPES.values()))
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=130, opacity=0.95, stroke=_MARK_STROKE, strokeWidth=0.6)
        .encode(
            x=alt.X(
                "date:T",
                title="Date of statement",
                scale=alt.Scale(padding=14),
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month", grid=True),
            ),
            # With an offset the row is a band and the offset counts from its top edge.
            y=alt.Y(
                "country:N",
                sort=_by_rank(),
                title=None,
                scale=alt.Scale(paddingInner=0, paddingOuter=0),
                axis=alt.Axis(labelLimit=220, grid=True, gridDash=[2, 3], gridColor="#EEEEEE"),
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
        .properties(title=_title(title), width="container", height=alt.Step(step))
    )
