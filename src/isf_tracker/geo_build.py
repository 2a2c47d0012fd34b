"""Build the map's geometry in static/ from world-atlas, keyed by ISO 3166-1 alpha-3 codes.

Source: the npm package world-atlas 2.0.2 (https://github.com/topojson/world-atlas, ISC
licence, by Mike Bostock), file countries-50m.json: Natural Earth 1:50m admin-0 countries
as TopoJSON, with ISO 3166-1 numeric ids. 50m rather than 110m so that Bahrain, Kosovo
and other small states exist; the file stays under 1 MB.

What this changes: each country's `id` becomes its alpha-3 code (numeric -> alpha-3 from
data/countries.csv; Kosovo, which has no numeric code, gets XKX by its name); features
with no code (Somaliland, N. Cyprus, ...) lose nothing but have no id. Arcs, transform
and every other object are copied untouched. It also writes each country's centroid
(of its largest polygon) and approximate area, for the map's point marks.

Regenerate with:
    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m isf_tracker.geo_build /tmp/package/countries-50m.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

from isf_tracker import paths
from isf_tracker.ledger import COUNTRIES_FILE

TOPOLOGY_FILE = "world-countries-50m.json"
CENTROIDS_FILE = "world-countries-50m-centroids.csv"
LICENSE_FILE = "world-atlas-LICENSE.txt"
#: The TopoJSON object holding the countries (the feature name given to alt.topo_feature).
FEATURE = "countries"
#: Countries without an ISO numeric code, matched by their world-atlas name.
CODES_BY_NAME: dict[str, str] = {"Kosovo": "XKX"}
CENTROID_COLUMNS = ("iso3", "name", "lon", "lat", "area_km2")
_KM_PER_DEGREE = 111.32


def numeric_to_iso3(countries_csv: Path | None = None) -> dict[str, str]:
    """ISO numeric code ("586") -> alpha-3 code ("PAK"), from data/countries.csv."""
    countries_csv = countries_csv or paths.shipped_data_dir() / COUNTRIES_FILE
    with countries_csv.open(encoding="utf-8", newline="") as handle:
        return {row["iso_numeric"]: row["iso3"] for row in csv.DictReader(handle) if row["iso_numeric"]}


def recode(topology: dict, codes: Mapping[str, str], by_name: Mapping[str, str] = CODES_BY_NAME) -> dict:
    """A copy of `topology` whose country ids are alpha-3 codes; ids without a code are removed."""
    out = json.loads(json.dumps(topology))
    for geometry in out["objects"][FEATURE]["geometries"]:
        old = geometry.pop("id", None)
        code = codes.get(old) if old is not None else None
        code = code or by_name.get(geometry.get("properties", {}).get("name", ""))
        if code:
            geometry["id"] = code
    return out


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (lon, lat) positions (quantized topologies are delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: Iterable[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring's positions, its longitudes unwrapped so that a ring across the antimeridian
    (Russia, Fiji) stays one planar shape."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    unwrapped: list[tuple[float, float]] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(points):
        if i:
            step = lon + shift - unwrapped[-1][0]
            shift -= 360 * round(step / 360)
        unwrapped.append((lon + shift, lat))
    return unwrapped


def _ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Planar (lon/lat) area and centroid of a ring, the area scaled to km² at its latitude."""
    twice_area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if twice_area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    lon, lat = cx / (3 * twice_area), cy / (3 * twice_area)
    lon = (lon + 180) % 360 - 180
    km2 = abs(twice_area) / 2 * _KM_PER_DEGREE**2 * math.cos(math.radians(lat))
    return km2, lon, lat


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def centroids(topology: dict) -> list[dict[str, object]]:
    """Per alpha-3 id: the centroid of its largest polygon (where a point reads as "this country")
    and its total area in km² (approximate), sorted by id."""
    arcs = _decoded_arcs(topology)
    found: dict[str, dict[str, object]] = {}
    for geometry in topology["objects"][FEATURE]["geometries"]:
        code = geometry.get("id")
        if not code:
            continue
        entry = found.setdefault(
            code,
            {
                "iso3": code,
                "name": geometry.get("properties", {}).get("name", code),
                "largest": -1.0,
                "area_km2": 0.0,
            },
        )
        for polygon in _polygons(geometry):
            area, lon, lat = _ring_area_centroid(_ring(polygon[0], arcs))  # outer ring
            entry["area_km2"] = float(entry["area_km2"]) + area
            if area > float(entry["largest"]):
                entry.update(largest=area, lon=round(lon, 3), lat=round(lat, 3))
    return [
        {column: (round(e[column]) if column == "area_km2" else e[column]) for column in CENTROID_COLUMNS}
        for _, e in sorted(found.items())
    ]


def extents(topology: dict, share: float = 0.02) -> dict[str, tuple[float, float, float, float]]:
    """Per alpha-3 id: (west, south, east, north) around its polygons, leaving out islands smaller
    than `share` of its largest polygon (so a far-off speck does not stretch the box)."""
    arcs = _decoded_arcs(topology)
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for geometry in topology["objects"][FEATURE]["geometries"]:
        code = geometry.get("id")
        rings = [_ring(polygon[0], arcs) for polygon in _polygons(geometry)]
        if not code or not rings:
            continue
        areas = [_ring_area_centroid(ring)[0] for ring in rings]
        kept = [ring for ring, area in zip(rings, areas, strict=True) if area >= share * max(areas)]
        lons = [(lon + 180) % 360 - 180 for ring in kept for lon, _ in ring]
        lats = [lat for ring in kept for _, lat in ring]
        boxes[code] = (min(lons), min(lats), max(lons), max(lats))
    return boxes


def build(source: Path, static_dir: Path | None = None) -> tuple[Path, Path]:
    """Write the recoded topology and the centroids table into `static_dir`."""
    topology = recode(json.loads(source.read_text(encoding="utf-8")), numeric_to_iso3())
    static_dir = static_dir or paths.static_dir()
    static_dir.mkdir(parents=True, exist_ok=True)
    topo_path = static_dir / TOPOLOGY_FILE
    topo_path.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    centroid_path = static_dir / CENTROIDS_FILE
    with centroid_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CENTROID_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(centroids(topology))
    licence = source.parent / "LICENSE"
    if licence.exists():
        (static_dir / LICENSE_FILE).write_text(
            "The map geometry in this folder (world-countries-50m*) is derived from world-atlas 2.0.2\n"
            "(https://github.com/topojson/world-atlas), itself made from Natural Earth (public domain).\n"
            "Country ids were changed to ISO 3166-1 alpha-3 codes by src/isf_tracker/geo_build.py.\n\n"
            + licence.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    return topo_path, centroid_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "source", type=Path, help="world-atlas countries-50m.json (its LICENSE beside it is copied too)"
    )
    parser.add_argument("--static-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    for path in build(args.source, args.static_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
