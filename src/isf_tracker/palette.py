"""The dashboard's one palette: a status or stance has the same colour on every page and chart.

Colours are Okabe & Ito's colour-blind-safe set ("Color Universal Design", 2008). The same
hue means the same kind of answer across both scales: vermillion is "no" (declined, refuses
to disarm), orange is "on conditions", blues and green are "yes". Greys are for what is
not known: mid grey for "not stated", light grey for countries with no statement at all.
Charts show labels, not codes, so the scales are keyed by the labels of `schema`.
"""

from __future__ import annotations

import altair as alt

from isf_tracker.schema import STANCE_LABELS, STATUS_LABELS, Stance, Status

#: Okabe–Ito colours by name.
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
YELLOW = "#F0E442"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUE = "#0072B2"
BLUISH_GREEN = "#009E73"

#: A stated position that leaves this field blank (status not stated, stance not stated).
NOT_STATED_COLOR = "#8C8C8C"
#: A country with no statement at all (drawn on maps only).
NO_DATA_COLOR = "#E3E3E3"
#: A total or reference quantity drawn behind the figure it frames (e.g. all troops offered).
REFERENCE_COLOR = "#BDBDBD"

NOT_STATED_LABEL = "Not stated"
NO_DATA_LABEL = "No data"

#: Status codes, least to most engaged.
STATUS_COLORS: dict[str, str] = {
    Status.DECLINED.value: VERMILLION,
    Status.ON_HOLD.value: REDDISH_PURPLE,
    Status.CONSIDERING.value: YELLOW,
    Status.CONDITIONAL.value: ORANGE,
    Status.OFFERED.value: SKY_BLUE,
    Status.COMMITTED.value: BLUE,
    Status.DEPLOYED.value: BLUISH_GREEN,
}

#: Stance on taking part in disarming Hamas.
STANCE_COLORS: dict[str, str] = {
    Stance.WILL_DISARM.value: BLUISH_GREEN,
    Stance.CONDITIONAL.value: ORANGE,
    Stance.REFUSES.value: VERMILLION,
    Stance.UNSTATED.value: NOT_STATED_COLOR,
}


def status_colors(not_stated: bool = False, no_data: bool = False) -> dict[str, str]:
    """Status label -> colour, in order; optionally with "Not stated" and "No data" at the end."""
    colors = {STATUS_LABELS[Status(code)]: color for code, color in STATUS_COLORS.items()}
    if not_stated:
        colors[NOT_STATED_LABEL] = NOT_STATED_COLOR
    if no_data:
        colors[NO_DATA_LABEL] = NO_DATA_COLOR
    return colors


def stance_colors(no_data: bool = False) -> dict[str, str]:
    """Stance label -> colour, in order ("Not stated" is a stance); optionally with "No data"."""
    colors = {STANCE_LABELS[Stance(code)]: color for code, color in STANCE_COLORS.items()}
    if no_data:
        colors[NO_DATA_LABEL] = NO_DATA_COLOR
    return colors


def _scale(colors: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def status_scale(not_stated: bool = False, no_data: bool = False) -> alt.Scale:
    """Colour scale over the status labels; the full domain always, so legends stay stable."""
    return _scale(status_colors(not_stated, no_data))


def stance_scale(no_data: bool = False) -> alt.Scale:
    """Colour scale over the disarmament-stance labels."""
    return _scale(stance_colors(no_data))


#: Entries per row of a legend below a chart: on a wide chart, and on a phone-wide one (Vega's
#: `width` signal decides, so the legend re-lays itself and never runs past the chart's edge).
LEGEND_COLUMNS = 4
LEGEND_COLUMNS_NARROW = 1
#: A chart narrower than this is on a phone: charts re-lay themselves by this test.
NARROW = "width < 560"


def legend(title: str | None, orient: str = "bottom", columns: int | None = None) -> alt.Legend:
    """The legend every chart uses: below the chart, so charts keep the full container width,
    wrapped into rows so it never runs past the chart's right edge."""
    extra: dict = {}
    if columns is not None:
        extra["columns"] = columns
    elif orient in ("top", "bottom"):
        extra["columns"] = {"expr": f"{NARROW} ? {LEGEND_COLUMNS_NARROW} : {LEGEND_COLUMNS}"}
    return alt.Legend(
        title=title,
        orient=orient,
        direction="horizontal" if orient in ("top", "bottom") else "vertical",
        labelLimit={"expr": "width - 40"},
        titleLimit={"expr": "width"},
        symbolStrokeColor="#555555",
        symbolStrokeWidth=0.5,
        symbolOpacity=1,
        **extra,
    )
