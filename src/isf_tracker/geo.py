"""The choropleth: each country coloured by its status or disarmament stance, as of a date.

The geometry (static/world-countries-50m.json, built by `geo_build`) is fetched by the
browser from Streamlit's static serving, once, and joined to the positions in the browser
with a lookup on the ISO alpha-3 id; only the few rows of positions travel with the chart.
Countries with no statement stay drawn, in the "No data" grey, and the legend says so.
Points at country centroids keep small states (Bahrain, Qatar, Lebanon, Kosovo) visible
and give them a tooltip target.
"""

from __future__ import annotations

import functools
from typing import Literal

import altair as alt
import pandas as pd

from isf_tracker import palette, paths
from isf_tracker.charts import labelled_positions
from isf_tracker.geo_build import CENTROIDS_FILE, FEATURE, TOPOLOGY_FILE

ColorBy = Literal["status", "stance"]
Area = Literal["world", "middle_east"]

#: Where the browser finds the geometry: the app serves static/ at /assets/ (web/routes.py).
#: Relative, so it also resolves under a base path such as /tracker/map.
TOPOLOGY_URL = f"assets/{TOPOLOGY_FILE}"
#: The regional view: the Eastern Mediterranean, the Gulf, Turkey, Egypt and the contributors
#: around them (lon 10–65 E, lat 10–47 N), fitted to the chart's size.
MIDDLE_EAST_BOUNDS = ((10.0, 10.0), (65.0, 47.0))
#: In the world view only countries smaller than this get a point (they are hard to see).
WORLD_POINT_MAX_KM2 = 60_000
#: Drawn neither in the world view (it takes a fifth of the map) nor in the regional one.
HIDDEN_IDS = ("ATA",)

#: Whole chart heights (title and legend included: Streamlit sizes charts with autosize "fit").
HEIGHTS: dict[str, int] = {"world": 540, "middle_east": 640}

_LOOKUP_FIELDS = ["country", "status_label", "stance_label", "troops", "troops_as_stated", "last_date"]
_BORDER = "#FFFFFF"


@functools.cache
def centroids() -> pd.DataFrame:
    """iso3, name, lon, lat, area_km2 of every country in the map (static/…-centroids.csv)."""
    return pd.read_csv(
        paths.static_dir() / CENTROIDS_FILE, dtype={"iso3": str, "name": str}, keep_default_na=False
    )


def _fit_region() -> dict:
    """The regional view's corners as GeoJSON (a MultiPoint has no winding to get wrong)."""
    (west, south), (east, north) = MIDDLE_EAST_BOUNDS
    corners = [[west, south], [east, south], [east, north], [west, north], [(west + east) / 2, north]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}


def _projection(area: Area) -> alt.Projection:
    if area == "middle_east":
        return alt.Projection(type="mercator", fit=_fit_region())
    return alt.Projection(type="equalEarth")


def _color(color_by: ColorBy) -> tuple[str, alt.Scale, str]:
    if color_by == "stance":
        return "stance_label", palette.stance_scale(no_data=True), "Stance on disarming Hamas"
    return "status_label", palette.status_scale(not_stated=True, no_data=True), "Status"


def _tooltip(field: str, title: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip(f"{field}:N", title=title),
        alt.Tooltip("troops:N", title="Troops"),
        alt.Tooltip("troops_as_stated:N", title="Troops as stated"),
        alt.Tooltip("last_date:N", title="Latest statement"),
    ]


def point_frame(positions: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The countries with data that get a point: all in the regional view, small ones in the world."""
    frame = labelled_positions(positions).merge(centroids()[["iso3", "lon", "lat", "area_km2"]], on="iso3")
    if area == "world":
        frame = frame[frame["area_km2"] < WORLD_POINT_MAX_KM2]
    return frame.rename(columns={"country": "name"}).reset_index(drop=True)


def choropleth(positions: pd.DataFrame, color_by: ColorBy = "status", area: Area = "world") -> alt.LayerChart:
    """Countries coloured by status (or stance), "No data" in grey; `positions` from positions_as_of."""
    if color_by not in ("status", "stance"):
        raise ValueError(f"color_by must be 'status' or 'stance', not {color_by!r}")
    if area not in ("world", "middle_east"):
        raise ValueError(f"area must be 'world' or 'middle_east', not {area!r}")
    field, scale, title = _color(color_by)
    data = labelled_positions(positions)[["iso3", *_LOOKUP_FIELDS]]
    hidden = " && ".join(f"datum.id !== '{code}'" for code in HIDDEN_IDS)
    color = alt.Color(f"{field}:N", scale=scale, legend=palette.legend(title))
    shapes = (
        alt.Chart(alt.topo_feature(TOPOLOGY_URL, FEATURE))
        .mark_geoshape(stroke=_BORDER, strokeWidth=0.5, clip=True)
        .transform_filter(hidden)
        .transform_lookup(lookup="id", from_=alt.LookupData(data, "iso3", _LOOKUP_FIELDS))
        .transform_calculate(
            **{
                field: f"isValid(datum.{field}) ? datum.{field} : '{palette.NO_DATA_LABEL}'",
                "name": "isValid(datum.country) ? datum.country : datum.properties.name",
            }
        )
        .encode(color=color, tooltip=_tooltip(field, title))
    )
    points = (
        alt.Chart(point_frame(positions, area))
        .mark_circle(
            size=70 if area == "middle_east" else 45, opacity=1, stroke="#333333", strokeWidth=0.8, clip=True
        )
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(f"{field}:N", scale=scale, legend=None),
            tooltip=_tooltip(field, title),
        )
    )
    where = "the Middle East and around" if area == "middle_east" else "the world"
    what = "stance on disarming Hamas" if color_by == "stance" else "status"
    return (
        alt.layer(shapes, points)
        .project(**_projection(area).to_dict())
        .properties(
            title=alt.TitleParams(f"Countries by {what}: {where}", anchor="start", fontSize=15),
            width="container",
            height=HEIGHTS[area],
        )
    )
