"""Every chart, one entry each: its name in addresses, its title, the pages that show it, how it is
built from a view, the one-line caveat that travels with it and its rows as a table.

The dashboard's pages, the snapshots, the embeds, the images, the link previews (og:image) and
the share panel all read this list, so a new chart is one entry here plus its builder (`charts`).
The first chart of a page is its main one (embeds and link previews show it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from isf_tracker import derived, filters
from isf_tracker.derived import ViewKey
from isf_tracker.vegaspec import Spec

#: A chart's options: the page's own (colour, area, sort) and, on one country's page, "country".
Options = Mapping[str, Any]


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    pages: tuple[str, ...]
    spec: Callable[[ViewKey, Options], Spec]
    rows: Callable[[ViewKey, Options], pd.DataFrame]
    #: What a reader of the image alone must know (it is drawn into images and embeds).
    caveat: str = ""


CHARTS: tuple[Chart, ...] = (
    Chart(
        "coverage",
        "Countries and troop figures for each task of the mandate",
        ("overview",),
        lambda key, _o: derived.coverage_chart(key),
        lambda key, _o: derived.coverage_table(key),
        "Figures are summed only within one basis (on record, reported, unconfirmed); on-hold and "
        "declined figures count for no task.",
    ),
    Chart(
        "map",
        "Map of positions, coloured by {color}",
        ("map",),
        lambda key, o: derived.map_chart(key, o["color"], o["view"]),
        lambda key, _o: derived.positions_table(key),
        "A lighter shade is a stance inferred from what a country said, not said in so many words.",
    ),
    Chart(
        "ranges",
        "Troop figures reported, by how they are known",
        ("charts",),
        lambda key, _o: derived.troop_ranges_chart(key),
        lambda key, _o: derived.positions_table(key, with_figure_only=True),
        "A pale or dashed bar is a reported or unconfirmed figure, a thick outline one on hold or declined; "
        "countries with no figure are not drawn.",
    ),
    Chart(
        "timeline",
        "Every statement over time",
        ("charts", "country"),
        lambda key, o: derived.timeline_chart(key, o.get("country")),
        lambda key, o: derived.timeline_table(key, o.get("country")),
        "Colour: the status the statement states; shape: how reliable its source is.",
    ),
    Chart(
        "matrix",
        "Condition matrix: stance, conditions and roles",
        ("conditions",),
        lambda key, o: derived.matrix_chart(key, o["sort"]),
        lambda key, o: derived.matrix_table(key, o["sort"]),
        "A stance in brackets, in a lighter shade, is inferred; a condition does not set a stance.",
    ),
)
#: Pages whose charts are one country's: they are drawn only for a view of exactly one country.
ONE_COUNTRY_PAGES = frozenset({"country"})


def of_page(page: str, countries: int | None = None) -> tuple[Chart, ...]:
    """The page's charts; none on a one-country page unless the view names exactly one (when
    `countries` says how many it names)."""
    if page in ONE_COUNTRY_PAGES and countries not in (None, 1):
        return ()
    return tuple(chart for chart in CHARTS if page in chart.pages)


def by_name(name: str) -> Chart:
    return next(chart for chart in CHARTS if chart.name == name)


def title(chart: Chart, country_name: str | None = None, options: Options | None = None) -> str:
    """The chart's title; on one country's page, the country's ("Pakistan: statements over time");
    the map's says what its colours mean ("coloured by stance on disarming Hamas")."""
    if country_name and chart.name == "timeline":
        return f"{country_name}: statements over time"
    color = (options or {}).get("color") or filters.MAP_COLOR.default
    said = filters.MAP_COLOR.options(None)[color]
    return chart.title.format(color=said[:1].lower() + said[1:])
