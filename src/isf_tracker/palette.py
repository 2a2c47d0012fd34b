"""The dashboard's one palette: a status or stance has the same colour on every page and chart.

The colours live with each code's words in `vocabulary`; charts show labels, not codes, so the
scales here are keyed by the labels. Also the look every chart shares: legend, tooltip, phone width.
"""

from __future__ import annotations

from collections.abc import Collection

import altair as alt

from isf_tracker import vocabulary as words
from isf_tracker.vocabulary import NO_DATA_COLOR, NO_DATA_LABEL, NOT_STATED_COLOR, NOT_STATED_LABEL

#: Text and outlines.
INK = "#333333"


def status_colors(not_stated: bool = False, no_data: bool = False) -> dict[str, str]:
    """Status label -> colour, in order; optionally with "Not stated" and "No data" at the end."""
    colors = {term.label: term.color for term in words.STATUSES.values()}
    if not_stated:
        colors[NOT_STATED_LABEL] = NOT_STATED_COLOR
    return colors | ({NO_DATA_LABEL: NO_DATA_COLOR} if no_data else {})


def stance_colors(no_data: bool = False) -> dict[str, str]:
    """Stance label -> colour, in order ("Not addressed" is a stance); optionally with "No data"."""
    colors = {words.STANCES[code].label: words.STANCES[code].color for code in words.CURRENT_STANCES}
    return colors | ({NO_DATA_LABEL: NO_DATA_COLOR} if no_data else {})


def drawn(colors: dict[str, str], labels: Collection[str]) -> dict[str, str]:
    """Only the colours of the labels a chart draws: a legend names no colour the chart lacks."""
    shown = set(labels)
    return {label: color for label, color in colors.items() if label in shown}


def scale(colors: dict[str, str]) -> alt.Scale:
    """A colour scale over labels (status and stance scales list every label, so legends stay stable)."""
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def figure_scale(states: Collection[str]) -> alt.Scale:
    """Colour scale over the troop-figure states drawn (labels), in vocabulary.FIGURE_STATES order."""
    return scale({term.label: term.color for term in words.FIGURE_STATES.values() if term.label in states})


#: A chart narrower than this is on a phone: charts re-lay themselves by this test.
NARROW = "width < 560"


def by_width(narrow: object, wide: object) -> dict:
    """A Vega expression: `narrow` on a phone-wide chart, `wide` otherwise."""
    return {"expr": f"{NARROW} ? {narrow!r} : {wide!r}".replace("'", '"')}


def legend(title: str, label_limit: object = None, fill: str | None = None) -> alt.Legend:
    """The legend every chart uses: below the chart, so charts keep the full container width,
    wrapped into rows (of 1 on a phone, 2 on a narrow screen, else 3: Vega's `width` signal
    decides) so it never runs past the chart's right edge. `fill` colours the swatches of a legend
    that is not of colour (shapes), in a colour the chart draws."""
    return alt.Legend(
        title=title,
        orient="bottom",
        direction="horizontal",
        columns={"expr": f"{NARROW} ? 1 : width < 1000 ? 2 : 3"},
        labelLimit=label_limit or {"expr": "width - 40"},
        titleLimit={"expr": "width"},
        symbolStrokeColor="#555555",
        symbolStrokeWidth=0.5,
        symbolOpacity=1,
        **({"symbolFillColor": fill} if fill else {}),
    )


#: The titles tooltips give the fields every chart shows alike, said once.
TOOLTIP_TITLES = {
    "country": "Country",
    "date": "Date",
    "date_text": "Date",
    "status_label": "Status",
    "stance_label": "Disarming Hamas",
    "speaker": "Speaker",
    "quote": "Quote",
    "english": "In English",
    "outlet": "Outlet",
    "source_outlet": "Outlet",
    "reliability": "Reliability",
    "reliability_label": "Reliability",
    "statement_id": "Statement",
    "source_url": "Source",
}


def tooltips(*fields: str, **titles: str) -> list[alt.Tooltip]:
    """A tooltip's lines in order: `fields` by their shared titles, then `field="Title"` for the
    chart's own (every field a tooltip shows is text)."""
    named = {field: TOOLTIP_TITLES[field] for field in fields} | titles
    return [alt.Tooltip(f"{field}:N", title=title) for field, title in named.items()]
