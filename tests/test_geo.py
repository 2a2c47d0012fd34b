"""The map: the geometry shipped in static/ (made by mapshaper, docs/performance.md), and the
choropleth specs."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import charts, geo, palette
from isf_tracker import positions as views
from isf_tracker.ledger import load_dataset
from isf_tracker.web import routes
from tests.ledger_rows import FIXTURE, ROOT

STATIC = ROOT / "static"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(FIXTURE)


@pytest.fixture(scope="module")
def topology() -> dict:
    return geo.topology()


def positions(shipped, day: str) -> pd.DataFrame:
    return views.positions_as_of(shipped.statements, dt.date.fromisoformat(day))


def rows(spec: dict, data: dict) -> list[dict]:
    return spec["datasets"][data["name"]]


def rings(topology: dict) -> list[tuple[str | None, int, list[tuple[float, float]]]]:
    """(id, ring's place in its polygon, its (lon, lat) points) of every ring of every country."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded, quantized
        x = y = 0
        arcs.append([((x := x + dx) * sx + tx, (y := y + dy) * sy + ty) for dx, dy in arc])
    found = []
    for geometry in topology["objects"][geo.FEATURE]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for place, ring in enumerate(polygon):
                points = [p for i in ring for p in (arcs[i] if i >= 0 else arcs[~i][::-1])]
                found.append((geometry.get("id"), place, points))
    return found


def doubled_area(points: list[tuple[float, float]]) -> float:
    """Twice the ring's signed area in longitude and latitude, negative if it runs clockwise;
    a ring that jumps across the antimeridian is unwrapped first, as the globe sees it."""
    unwrapped = points[:1]
    for lon, lat in points[1:]:
        unwrapped.append((lon + 360 * round((unwrapped[-1][0] - lon) / 360), lat))
    pairs = zip(unwrapped, unwrapped[1:] + unwrapped[:1], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)


# --- the shipped geometry -------------------------------------------------------------------------


def test_geometry_is_shipped_simplified_and_licensed(topology):
    path = STATIC / geo.TOPOLOGY_FILE
    assert path.stat().st_size < 250_000  # world-atlas's 1:50m countries: 756 KB
    assert 8_000 < sum(len(arc) for arc in topology["arcs"]) < 20_000  # of its 80,600 points
    licence = (STATIC / "world-atlas-LICENSE.txt").read_text(encoding="utf-8")
    assert "world-atlas 2.0.2" in licence and "Permission to use, copy, modify" in licence


def test_country_features_are_keyed_by_alpha3(topology):
    geometries = topology["objects"][geo.FEATURE]["geometries"]
    ids = [g["id"] for g in geometries if g.get("id")]
    assert {"PAK", "IDN", "XKX", "QAT", "BHR", "LBN", "ISR", "PSE", "EGY", "TUR"} <= set(ids)
    shipped = load_dataset(ROOT / "data" / "positions.csv").countries  # what the geometry is built from
    assert set(ids) <= set(shipped["iso3"])  # no numeric id left, none unknown
    assert len(ids) == len(set(ids)) + 1  # only Australia has two features (with Ashmore and Cartier)
    named = {g["properties"]["name"]: g.get("id") for g in geometries}
    assert named["Kosovo"] == "XKX" and named["Qatar"] == "QAT" and named["Bahrain"] == "BHR"
    assert named["Somaliland"] is None and named["N. Cyprus"] is None  # no code: no id
    assert "Antarctica" not in named  # drawn in neither view
    assert set(topology["objects"]) == {geo.FEATURE} and topology["type"] == "Topology"


def test_every_ring_winds_as_the_map_draws_it(topology):
    """Vega draws a ring wound the wrong way as the whole globe but that ring: a grey sea.
    Outer rings run clockwise (in longitude and latitude), holes the other way."""
    for code, place, points in rings(topology):
        doubled = doubled_area(points)
        assert doubled != 0 and (doubled < 0) == (place == 0), (code, place)
    assert max(x for _, _, points in rings(topology) for x, _ in points) > 180  # Fiji, unwrapped


def test_every_country_in_the_ledger_is_on_the_map(topology, shipped):
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert set(shipped.statements["iso3"]) <= ids
    assert set(geo.centroids()["iso3"]) == ids - {None}


def test_centroids_sit_in_their_country():
    table = geo.centroids().set_index("iso3")
    boxes = {  # (west, south, east, north)
        "QAT": (50.7, 24.4, 51.7, 26.2),
        "BHR": (50.3, 25.7, 50.9, 26.4),
        "XKX": (20.0, 41.8, 21.8, 43.3),
        "LBN": (35.1, 33.0, 36.7, 34.7),
        "PAK": (60.8, 23.6, 77.9, 37.1),
        "FJI": (177.0, -19.0, 179.0, -17.0),  # one of its rings crosses the antimeridian
        "RUS": (30.0, 45.0, 180.0, 78.0),  # its largest ring crosses the antimeridian
    }
    for code, (west, south, east, north) in boxes.items():
        lon, lat = table.loc[code, ["lon", "lat"]]
        assert west <= lon <= east and south <= lat <= north, code
    assert table.loc["BHR", "area_km2"] < 1_000 < table.loc["QAT", "area_km2"] < 15_000
    assert table.loc["FJI", "area_km2"] < 20_000  # small: it gets a point


def test_extents_hold_the_country_but_not_its_specks():
    extents = geo.centroids().set_index("iso3")[["west", "south", "east", "north"]]
    assert tuple(extents.loc["AUS"]) == pytest.approx((113.2, -39.1, 153.6, -10.7), abs=0.1)
    west, south, east, north = extents.loc["IDN"]
    assert west < 96 and east > 140.9 and south < -10 and north > 5.5  # Sumatra to Papua
    assert extents.loc["RUS", "west"] > 20  # its mainland unwrapped: not the whole width


# --- the choropleth -------------------------------------------------------------------------------


def test_the_app_serves_the_geometry_at_the_url_the_chart_asks_for(topology):
    client = TestClient(Starlette(routes=routes.routes()))
    response = client.get("/" + geo.TOPOLOGY_URL)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == topology
    assert response.headers["cache-control"].startswith("public, max-age=86400, stale-while-revalidate=")


@pytest.mark.parametrize("area", ["world", "region"])
@pytest.mark.parametrize("color_by", ["status", "stance"])
def test_geometry_is_loaded_from_static_not_inlined(shipped, area, color_by):
    spec = geo.choropleth(positions(shipped, "2025-12-31"), color_by, area).to_dict()
    shapes = spec["layer"][0]
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["data"] == {
        "url": "assets/world-countries-50m.json",
        "format": {"type": "topojson", "feature": "countries"},
    }
    served = STATIC / shapes["data"]["url"].removeprefix("assets/")
    assert served.exists()
    text = json.dumps(spec)
    assert '"arcs"' not in text and "Topology" not in text  # no geometry travels with the chart
    assert len(text) < 30_000


def test_lookup_joins_positions_by_alpha3(shipped):
    spec = geo.choropleth(positions(shipped, "2025-12-31"), "status", "world").to_dict()
    transforms = spec["layer"][0]["transform"]
    lookup = next(t for t in transforms if "lookup" in t)
    assert lookup["lookup"] == "id" and lookup["from"]["key"] == "iso3"
    assert {"status_label", "stance_label", "troops", "last_date"} <= set(lookup["from"]["fields"])
    joined = {r["iso3"]: r for r in rows(spec, lookup["from"]["data"])}
    assert len(joined) == 5
    assert joined["PAK"]["status_label"] == "Conditional offer"
    assert joined["PAK"]["troops"] == '"around 3,500 troops" · unconfirmed · offered'  # how it is known
    assert joined["PAK"]["stance_words"] == "Ruled out explicitly"
    assert joined["PAK"]["last_date"] == "27 Dec 2025"
    assert joined["EGY"]["troops"] == "no troop figure stated"
    # Countries the lookup misses are labelled "No data", and the legend lists "No data" in grey.
    calculate = {t["as"]: t["calculate"] for t in transforms if "calculate" in t}
    assert "'No data'" in calculate["status_label"]
    assert "properties.name" in calculate["name"]
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][-1] == "No data" and scale["range"][-1] == palette.NO_DATA_COLOR
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"] == "Status"


def test_map_tooltips(shipped):
    spec = geo.choropleth(positions(shipped, "2025-12-31"), "stance", "region").to_dict()
    for layer in spec["layer"][:2]:  # the countries and the dots of the small ones
        fields = [t["field"] for t in layer["encoding"]["tooltip"]]
        assert fields == ["name", "stance_label", "stance_words", "troops", "last_date"]
    assert spec["layer"][0]["encoding"]["color"]["field"] == "stance_label"


def test_the_small_countries_are_named_gaza_is_marked_and_the_legend_names_only_what_is_drawn(shipped):
    pos = positions(shipped, "2025-12-31")
    spec = geo.choropleth(pos, "stance", "region").to_dict()
    dots, *names, gaza, gaza_name = spec["layer"][1:]
    for name in names:  # three places (above, beside, below), each a halo and the words
        assert name["mark"]["type"] == "text" and name["data"] == dots["data"]
        assert name["encoding"]["text"]["field"] == "name" and name["mark"]["fontSize"] >= 11
    assert len(names) == 6
    assert rows(spec, gaza["data"]) == [{"lon": geo.GAZA[0], "lat": geo.GAZA[1], "name": "Gaza"}]
    assert gaza_name["encoding"]["text"]["field"] == "name"
    domain = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    drawn = {*charts.labelled_positions(pos)["stance_label"], palette.NO_DATA_LABEL}
    assert set(domain) == drawn and len(domain) < len(palette.stance_colors(no_data=True))


def test_the_names_of_two_neighbouring_dots_go_one_above_and_one_below():
    pos = pd.DataFrame(
        {"iso3": ["XKX", "ALB", "JOR"], "country": ["Kosovo", "Albania", "Jordan"], "status": "offered"}
    )
    placed = dict(zip(*geo.point_frame(pos, "region")[["name", "place"]].T.values, strict=True))
    assert placed == {"Kosovo": "above", "Albania": "below", "Jordan": "beside"}


def test_projections(shipped):
    pos = positions(shipped, "2025-12-31")
    world = geo.choropleth(pos, "status", "world").to_dict()
    assert world["projection"] == {"type": "equalEarth"}
    region = geo.choropleth(pos, "status", "region", ["PAK", "MAR"]).to_dict()
    assert region["projection"]["type"] == "mercator"
    corners = region["projection"]["fit"]["geometry"]["coordinates"]
    # Morocco's west coast to Pakistan's east, whole, and Gaza, with a margin of 3 degrees.
    west, east = min(c[0] for c in corners), max(c[0] for c in corners)
    south, north = min(c[1] for c in corners), max(c[1] for c in corners)
    assert -21 < west < -12 and 77 < east < 81
    assert 15 < south < 27 and 39 < north < 41
    assert world["width"] == region["width"] == "container"


def test_the_region_spans_every_country_whole():
    (west, south), (east, north) = geo.region_bounds(["IDN", "KAZ", "MAR"])
    assert east >= 141 and west <= -13  # Indonesia's Papua, Morocco's coast
    assert north >= 55 and south <= -10  # Kazakhstan's north, Indonesia's south
    assert geo.region_bounds([]) == ((31.4, 28.4), (37.4, 34.4))  # Gaza alone


def test_points_keep_small_states_visible(shipped):
    latest = positions(shipped, "2026-06-30")
    region = geo.choropleth(latest, "status", "region").to_dict()
    points = region["layer"][1]
    assert points["mark"]["type"] == "circle"
    assert (points["encoding"]["longitude"]["field"], points["encoding"]["latitude"]["field"]) == (
        "lon",
        "lat",
    )
    placed = {r["iso3"]: r for r in rows(region, points["data"])}
    assert {"XKX", "JOR"} <= set(placed)  # small states get a point
    assert not {"IDN", "PAK", "EGY", "TUR", "KAZ"} & set(placed)  # large ones need none
    assert (placed["XKX"]["lon"], placed["XKX"]["lat"]) == (20.873, 42.571)
    assert placed["XKX"]["status_label"] == "Committed"
    world = geo.choropleth(latest, "status", "world").to_dict()
    small = {r["iso3"] for r in rows(world, world["layer"][1]["data"])}
    assert "XKX" in small and not {"IDN", "PAK", "EGY", "TUR", "JOR"} & small  # only the smallest states


def test_choropleth_of_no_positions_draws_every_country_as_no_data():
    spec = geo.choropleth(pd.DataFrame()).to_dict()
    lookup = next(t for t in spec["layer"][0]["transform"] if "lookup" in t)
    assert rows(spec, lookup["from"]["data"]) == []
    assert rows(spec, spec["layer"][1]["data"]) == []
    assert spec["layer"][0]["data"]["url"] == geo.TOPOLOGY_URL


def test_choropleth_rejects_unknown_options(shipped):
    with pytest.raises(ValueError, match="color_by"):
        geo.choropleth(pd.DataFrame(), "troops")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="area"):
        geo.choropleth(pd.DataFrame(), "status", "europe")  # type: ignore[arg-type]
