"""The choropleth: each country coloured by its status or disarmament stance, as of a date.

The geometry is data (docs/performance.md, "The map's geometry"): world-atlas's countries,
keyed by ISO alpha-3 codes and simplified once for screen sizes by mapshaper. The browser
fetches it once from /assets/ and joins it to the positions with a lookup on the id; only
the few rows of positions travel with the chart. Maps drawn on the server put the same
geometry in the spec (web/rendering.py). Countries with no statement stay drawn, in the
"No data" grey, and the legend says so. Points at country centroids keep small states
(Bahrain, Qatar, Lebanon, Kosovo) visible and give them a tooltip target.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any, Literal

import altair as alt
import pandas as pd

from isf_tracker import palette, paths
from isf_tracker.charts import labelled_positions

ColorBy = Literal["status", "stance"]
Area = Literal["world", "region"]

TOPOLOGY_FILE = "world-countries-50m.json"
#: Each country's centroid (of its largest polygon), area, and extent (west, south, east,
#: north: its polygons but islands under 2% of the largest), made with the geometry.
CENTROIDS_FILE = "world-countries-50m-centroids.csv"
#: The TopoJSON object holding the countries (the feature name given to alt.topo_feature).
FEATURE = "countries"
#: Where the browser finds the geometry: the app serves static/ at /assets/ (web/routes.py).
#: Relative, so it also resolves under a base path such as /tracker/map.
TOPOLOGY_URL = f"assets/{TOPOLOGY_FILE}"
#: The regional view is fitted to the countries with a statement, whole, with this margin
#: (degrees of longitude, latitude) around them.
REGION_MARGIN = (3.0, 3.0)
#: Gaza, always inside the regional view: it is what the force is for.
GAZA = (34.4, 31.4)
#: Countries smaller than this get a point over them (POINT_SIZE), so they stay visible and hoverable.
POINT_MAX_KM2: dict[str, int] = {"world": 60_000, "region": 100_000}
POINT_SIZE: dict[str, int] = {"world": 45, "region": 60}

#: The whole chart's height (title and legend included: Streamlit sizes charts with autosize "fit").
HEIGHT = 540

_LOOKUP_FIELDS = ["country", "status_label", "stance_label", "stance_words", "troops", "last_date"]
_BORDER = "#FFFFFF"


@functools.cache
def centroids() -> pd.DataFrame:
    """iso3, name, lon, lat, area_km2, west, south, east, north of every country in the map."""
    path = paths.static_dir() / CENTROIDS_FILE
    return pd.read_csv(path, dtype={"iso3": str, "name": str}, keep_default_na=False)


@functools.cache
def topology() -> dict[str, Any]:
    """The shipped geometry, for maps drawn on the server (read once)."""
    return json.loads((paths.static_dir() / TOPOLOGY_FILE).read_text(encoding="utf-8"))


def region_bounds(iso3s: Iterable[str]) -> tuple[tuple[float, float], tuple[float, float]]:
    """((west, south), (east, north)) around the countries `iso3s`, whole, and Gaza, with REGION_MARGIN."""
    boxes = centroids()[centroids()["iso3"].isin(list(iso3s))]
    lons = [GAZA[0], *boxes["west"], *boxes["east"]]
    lats = [GAZA[1], *boxes["south"], *boxes["north"]]
    (dx, dy) = REGION_MARGIN
    west, east = max(min(lons) - dx, -180.0), min(max(lons) + dx, 180.0)
    south, north = max(min(lats) - dy, -80.0), min(max(lats) + dy, 80.0)
    return (round(west, 1), round(south, 1)), (round(east, 1), round(north, 1))


def _fit(bounds: tuple[tuple[float, float], tuple[float, float]]) -> dict:
    """The view's corners as GeoJSON (a MultiPoint has no winding to get wrong)."""
    (west, south), (east, north) = bounds
    corners = [[west, south], [east, south], [east, north], [west, north], [(west + east) / 2, north]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}


#: Two dots nearer than this (degrees, both ways) put their names one above and one below.
NEIGHBOURS = 4.0
#: Where a dot's name goes, in pixels down from the dot: above, beside, below.
LABEL_DY = {"above": -8, "beside": 0, "below": 8}


def point_frame(positions: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The countries with data that get a point: the small ones, hard to see or hover otherwise;
    `place` keeps the names of two neighbours apart (the northern one above, the other below)."""
    frame = labelled_positions(positions).merge(centroids()[["iso3", "lon", "lat", "area_km2"]], on="iso3")
    frame = frame[frame["area_km2"] < POINT_MAX_KM2[area]].reset_index(drop=True)
    place = ["beside"] * len(frame)
    for i, one in frame.iterrows():
        for j, other in frame.iterrows():
            near = abs(one["lon"] - other["lon"]) < NEIGHBOURS and abs(one["lat"] - other["lat"]) < NEIGHBOURS
            if i != j and near:
                place[i] = "above" if (one["lat"], one["iso3"]) > (other["lat"], other["iso3"]) else "below"
    return frame.assign(place=place).rename(columns={"country": "name"})


def legend_colors(positions: pd.DataFrame, color_by: ColorBy) -> dict[str, str]:
    """Label -> colour of what the map draws: the values of the countries shown, then "No data"
    (the rest of the world); a legend names no colour the map lacks."""
    if color_by == "stance":
        colors, field = palette.stance_colors(no_data=True), "stance_label"
    elif color_by == "status":
        colors, field = palette.status_colors(not_stated=True, no_data=True), "status_label"
    else:
        raise ValueError(f"color_by must be 'status' or 'stance', not {color_by!r}")
    return palette.drawn(colors, {*labelled_positions(positions)[field], palette.NO_DATA_LABEL})


def choropleth(
    positions: pd.DataFrame,
    color_by: ColorBy = "stance",
    area: Area = "region",
    region: Iterable[str] | None = None,
) -> alt.LayerChart:
    """Countries coloured by stance (or status), "No data" in grey; the small countries with data
    as dots with their names beside them, and Gaza marked. The regional view is fitted to
    `region` (default: the countries in `positions`): pages pass every country of the ledger, so the
    view does not jump as filters change."""
    colors = legend_colors(positions, color_by)
    field, title = (
        ("stance_label", "Stance on disarming Hamas") if color_by == "stance" else ("status_label", "Status")
    )
    if area == "region":
        region = list(positions.get("iso3", ())) if region is None else list(region)
        projection = {"type": "mercator", "fit": _fit(region_bounds(region))}
    elif area == "world":
        projection = {"type": "equalEarth"}
    else:
        raise ValueError(f"area must be 'world' or 'region', not {area!r}")
    data = labelled_positions(positions)
    scale = palette.scale(colors)
    color = alt.Color(f"{field}:N", scale=scale, legend=palette.legend(title))
    tooltip = palette.tooltips(
        name="Country",
        **{field: title},
        stance_words="Disarming Hamas (how known)",
        troops="Troops (how known)",
        last_date="Latest statement",
    )
    # Countries the lookup misses read "No data", and take their name from the geometry.
    no_data = f"isValid(datum.{field}) ? datum.{field} : '{palette.NO_DATA_LABEL}'"
    name = "isValid(datum.country) ? datum.country : datum.properties.name"
    shapes = (
        alt.Chart(alt.topo_feature(TOPOLOGY_URL, FEATURE))
        .mark_geoshape(stroke=_BORDER, strokeWidth=0.5, clip=True)
        .transform_lookup(lookup="id", from_=alt.LookupData(data, "iso3", _LOOKUP_FIELDS))
        .transform_calculate(**{field: no_data}, name=name)
        .encode(color=color, tooltip=tooltip)
    )
    unlabelled = alt.Color(f"{field}:N", scale=scale, legend=None)  # the shapes' legend says it
    small = alt.Chart(point_frame(positions, area)).encode(longitude="lon:Q", latitude="lat:Q")
    points = small.mark_circle(
        size=POINT_SIZE[area], opacity=1, stroke=palette.INK, strokeWidth=0.8, clip=True
    ).encode(color=unlabelled, tooltip=tooltip)
    names = [  # each name over a white halo, so it reads on any colour
        small.transform_filter(alt.datum.place == place)
        .mark_text(align="left", dx=6, dy=dy, fontSize=11, clip=True, **look)
        .encode(text="name:N")
        for place, dy in LABEL_DY.items()
        for look in ({"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.8}, {"color": palette.INK})
    ]
    gaza = alt.Chart(pd.DataFrame([{"lon": GAZA[0], "lat": GAZA[1], "name": "Gaza"}])).encode(
        longitude="lon:Q", latitude="lat:Q"
    )
    gaza_mark = gaza.mark_point(shape="cross", size=90, filled=True, color=palette.INK, clip=True)
    gaza_name = gaza.mark_text(
        align="right", dx=-7, fontSize=11, fontWeight="bold", color=palette.INK
    ).encode(text="name:N")
    return (
        alt.layer(shapes, points, *names, gaza_mark, gaza_name)
        .project(**projection)
        .properties(width="container", height=HEIGHT)
    )
