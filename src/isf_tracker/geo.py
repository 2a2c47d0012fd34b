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
import hashlib
import json
from collections.abc import Iterable
from typing import Literal

import altair as alt
import pandas as pd

from isf_tracker import geo_build, palette, paths
from isf_tracker.charts import labelled_positions
from isf_tracker.geo_build import CENTROIDS_FILE, FEATURE, TOPOLOGY_FILE

ColorBy = Literal["status", "stance"]
Area = Literal["world", "region"]

#: Where the browser finds the geometry: the app serves static/ at /assets/ (web/routes.py).
#: Relative, so it also resolves under a base path such as /tracker/map.
TOPOLOGY_URL = f"assets/{TOPOLOGY_FILE}"
#: The live map's geometry, cut for its view (relative, like the assets, for a base URL path).
GEOMETRY_PATH = "geo"
#: Bump when what browser_topology makes changes, so browsers fetch it again.
GEOMETRY_REVISION = 2
#: The regional view is fitted to the countries with a statement, whole, with this margin
#: (degrees of longitude, latitude) around them.
REGION_MARGIN = (3.0, 3.0)
#: Gaza, always inside the regional view: it is what the force is for.
GAZA = (34.4, 31.4)
#: Countries smaller than this get a point over them, so they stay visible and can be hovered.
POINT_MAX_KM2: dict[str, int] = {"world": 60_000, "region": 100_000}
#: Drawn neither in the world view (it takes a fifth of the map) nor in the regional one.
HIDDEN_IDS = ("ATA",)

#: Whole chart heights (title and legend included: Streamlit sizes charts with autosize "fit").
HEIGHTS: dict[str, int] = {"world": 540, "region": 540}

_LOOKUP_FIELDS = ["country", "status_label", "stance_label", "stance_words", "troops", "last_date"]
_BORDER = "#FFFFFF"


@functools.cache
def centroids() -> pd.DataFrame:
    """iso3, name, lon, lat, area_km2 of every country in the map (static/…-centroids.csv)."""
    return pd.read_csv(
        paths.static_dir() / CENTROIDS_FILE, dtype={"iso3": str, "name": str}, keep_default_na=False
    )


@functools.cache
def extents() -> dict[str, tuple[float, float, float, float]]:
    """Each country's (west, south, east, north) in the shipped geometry (read once)."""
    topology = json.loads((paths.static_dir() / TOPOLOGY_FILE).read_text(encoding="utf-8"))
    return geo_build.extents(topology)


def region_bounds(iso3s: Iterable[str]) -> tuple[tuple[float, float], tuple[float, float]]:
    """((west, south), (east, north)) around the countries `iso3s`, whole, and Gaza, with REGION_MARGIN."""
    boxes = [extents()[code] for code in iso3s if code in extents()]
    lons = [GAZA[0], *(b[0] for b in boxes), *(b[2] for b in boxes)]
    lats = [GAZA[1], *(b[1] for b in boxes), *(b[3] for b in boxes)]
    (dx, dy) = REGION_MARGIN
    west, east = max(min(lons) - dx, -180.0), min(max(lons) + dx, 180.0)
    south, north = max(min(lats) - dy, -80.0), min(max(lats) + dy, 80.0)
    return (round(west, 1), round(south, 1)), (round(east, 1), round(north, 1))


def _fit(bounds: tuple[tuple[float, float], tuple[float, float]]) -> dict:
    """The view's corners as GeoJSON (a MultiPoint has no winding to get wrong)."""
    (west, south), (east, north) = bounds
    corners = [[west, south], [east, south], [east, north], [west, north], [(west + east) / 2, north]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}


def _projection(area: Area, region: Iterable[str]) -> alt.Projection:
    if area == "region":
        return alt.Projection(type="mercator", fit=_fit(region_bounds(region)))
    return alt.Projection(type="equalEarth")


def _color(color_by: ColorBy) -> tuple[str, alt.Scale, str]:
    if color_by == "stance":
        return "stance_label", palette.stance_scale(no_data=True), "Stance on disarming Hamas"
    return "status_label", palette.status_scale(not_stated=True, no_data=True), "Status"


def _tooltip(field: str, title: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip(f"{field}:N", title=title),
        alt.Tooltip("stance_words:N", title="Disarming Hamas (how known)"),
        alt.Tooltip("troops:N", title="Troops (how known)"),
        alt.Tooltip("last_date:N", title="Latest statement"),
    ]


def point_frame(positions: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The countries with data that get a point: the small ones, hard to see or hover otherwise."""
    frame = labelled_positions(positions).merge(centroids()[["iso3", "lon", "lat", "area_km2"]], on="iso3")
    frame = frame[frame["area_km2"] < POINT_MAX_KM2[area]]
    return frame.rename(columns={"country": "name"}).reset_index(drop=True)


def geometry_url(area: Area, region: Iterable[str]) -> str:
    """Where the live map's browser gets its geometry, cut for the view (web/mapdata.py): the
    address changes with the countries the regional view is fitted to, so a browser caches it
    until they change."""
    key = f"{GEOMETRY_REVISION}|{TOPOLOGY_FILE}|{area}|{','.join(sorted(region)) if area == 'region' else ''}"
    return f"{GEOMETRY_PATH}/{area}.json?v={hashlib.sha256(key.encode()).hexdigest()[:12]}"


def choropleth(
    positions: pd.DataFrame,
    color_by: ColorBy = "stance",
    area: Area = "region",
    region: Iterable[str] | None = None,
    geometry: str = TOPOLOGY_URL,
) -> alt.LayerChart:
    """Countries coloured by stance (or status), "No data" in grey; `positions` from positions_as_of.

    The regional view is fitted to the countries in `region` (default: those in `positions`);
    pages pass every country of the ledger, so the view does not jump as filters change.
    `geometry` is the TopoJSON's address: the whole shipped file, or the dashboard's cut of it
    for the view (`geometry_url`).
    """
    if color_by not in ("status", "stance"):
        raise ValueError(f"color_by must be 'status' or 'stance', not {color_by!r}")
    if area not in ("world", "region"):
        raise ValueError(f"area must be 'world' or 'region', not {area!r}")
    region = list(positions.get("iso3", ())) if region is None else list(region)
    field, scale, title = _color(color_by)
    data = labelled_positions(positions)[["iso3", *_LOOKUP_FIELDS]]
    hidden = " && ".join(f"datum.id !== '{code}'" for code in HIDDEN_IDS)
    color = alt.Color(f"{field}:N", scale=scale, legend=palette.legend(title))
    shapes = (
        alt.Chart(alt.topo_feature(geometry, FEATURE))
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
            size=60 if area == "region" else 45, opacity=1, stroke="#333333", strokeWidth=0.8, clip=True
        )
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(f"{field}:N", scale=scale, legend=None),
            tooltip=_tooltip(field, title),
        )
    )
    return (
        alt.layer(shapes, points)
        .project(**_projection(area, region).to_dict())
        .properties(width="container", height=HEIGHTS[area])
    )
