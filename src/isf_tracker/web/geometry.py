"""The map's geometry for drawing on the server: the shipped topology (which the browser fetches
from /assets/) cut down to what a drawing at a given size can show.

- In the regional view, only the countries whose extents (geo.extents) meet the area the map
  shows; Mercator fitting keeps the aspect, so that area is wider or taller than the bounds
  asked for (`visible_box`).
- Arcs simplified (Douglas–Peucker) to a tolerance under a pixel of the drawing. Topology shares
  each border between its two countries, so neighbours are simplified alike and still meet.

Pure functions on the TopoJSON dict, and one cached entry point, `map_topology`.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from isf_tracker import geo, paths
from isf_tracker.geo_build import FEATURE, TOPOLOGY_FILE

Box = tuple[float, float, float, float]  # west, south, east, north (degrees)
Point = tuple[int, int]  # quantized topology coordinates
#: Extra room around the visible area when choosing countries (a share of its size).
MARGIN = 0.08
#: How far (pixels of the drawing) a simplified outline may stray from the original.
TOLERANCE_PX = 0.5
#: Latitudes beyond these are not drawn by a Mercator map.
MAX_LATITUDE = 85.0


@functools.cache
def topology() -> dict[str, Any]:
    return json.loads((paths.static_dir() / TOPOLOGY_FILE).read_text(encoding="utf-8"))


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))) / 2))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def mercator_scale(
    bounds: tuple[tuple[float, float], tuple[float, float]], width: float, height: float
) -> float:
    """Pixels per radian of a Mercator map fitted to `bounds` in width × height pixels."""
    (west, south), (east, north) = bounds
    span_x = max(math.radians(east - west), 1e-9)
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    return min(width / span_x, height / span_y)


def visible_box(
    bounds: tuple[tuple[float, float], tuple[float, float]],
    width: float,
    height: float,
    margin: float = MARGIN,
) -> Box:
    """What a Mercator map fitted to `bounds` in width × height pixels shows, widened by `margin`."""
    (west, south), (east, north) = bounds
    scale = mercator_scale(bounds, width, height)
    cx = math.radians(west + east) / 2
    cy = (_mercator_y(south) + _mercator_y(north)) / 2
    half_x, half_y = width / scale / 2 * (1 + margin), height / scale / 2 * (1 + margin)
    return (
        math.degrees(cx - half_x),
        _latitude(cy - half_y),
        math.degrees(cx + half_x),
        _latitude(cy + half_y),
    )


def intersects(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def subset(topo: dict[str, Any], keep: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A topology of the geometries `keep` only, with only the arcs they use (renumbered)."""
    used: dict[int, int] = {}

    def renumber(node: Any) -> Any:
        if isinstance(node, list):
            return [renumber(item) for item in node]
        index = node if node >= 0 else ~node
        new = used.setdefault(index, len(used))
        return new if node >= 0 else ~new

    kept = [{**g, "arcs": renumber(g["arcs"])} for g in keep if "arcs" in g]
    rest = {key: value for key, value in topo.items() if key not in ("objects", "arcs")}
    objects = {FEATURE: {"type": "GeometryCollection", "geometries": kept}}
    return {**rest, "objects": objects, "arcs": [topo["arcs"][index] for index in used]}


def _decoded(arc: Sequence[Sequence[int]]) -> list[Point]:
    x = y = 0
    points = []
    for dx, dy, *_ in arc:
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def _encoded(points: Sequence[Point]) -> list[list[int]]:
    out, previous = [], (0, 0)
    for x, y in points:
        out.append([x - previous[0], y - previous[1]])
        previous = (x, y)
    return out


def simplified(
    points: Sequence[Point], project: Callable[[Point], tuple[float, float]], tolerance: float
) -> list[Point]:
    """Douglas–Peucker in projected units: the arc's ends are always kept (they join other arcs)."""
    if len(points) < 3:
        return list(points)
    projected = [project(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = projected[first], projected[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = projected[i]
            if length == 0:
                distance = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = (px - ax) * dy - (py - ay) * dx
                distance = cross * cross / length
            if distance > farthest:
                farthest, index = distance, i
        if farthest > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify(
    topo: dict[str, Any], project: Callable[[float, float], tuple[float, float]], tolerance: float
) -> dict[str, Any]:
    """Every arc simplified, `project` mapping (lon, lat) in degrees to the units of `tolerance`."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def in_units(point: Point) -> tuple[float, float]:
        return project(point[0] * sx + tx, point[1] * sy + ty)

    arcs = [_encoded(simplified(_decoded(arc), in_units, tolerance)) for arc in topo["arcs"]]
    return {**topo, "arcs": arcs}


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), _mercator_y(lat)


def _plate(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.radians(lat)


@functools.lru_cache(maxsize=8)
def map_topology(area: str, region: tuple[str, ...], width: int, height: int) -> dict[str, Any]:
    """The countries a map of `area` drawn width × height pixels shows, simplified for that size:
    all but the hidden ones in the world view; in the regional view (fitted to the countries
    `region`) those whose extents meet what it shows, and the few shapes with no country code."""
    topo = topology()
    geometries = [g for g in topo["objects"][FEATURE]["geometries"] if g.get("id") not in geo.HIDDEN_IDS]
    if area == "region":
        bounds = geo.region_bounds(region)
        box, extents = visible_box(bounds, width, height), geo.extents()
        geometries = [
            g for g in geometries if g.get("id") not in extents or intersects(extents[g["id"]], box)
        ]
        scale, project = mercator_scale(bounds, width, height), _mercator
    else:  # Equal Earth, the whole world across the width: about width / 2π pixels per radian
        scale, project = width / (2 * math.pi) * 1.2, _plate
    if "transform" not in topo:
        return subset(topo, geometries)
    return simplify(subset(topo, geometries), project, TOLERANCE_PX / scale)


#: The widths (CSS pixels) the live map is drawn at, a phone's and a wide screen's: the
#: browser's geometry holds what either shows, simplified for the wider.
BROWSER_WIDTHS = (340, 1600)
#: How far (pixels at the widest) the browser's outlines may stray: under a pixel on most screens.
BROWSER_TOLERANCE_PX = 1.0


@functools.lru_cache(maxsize=8)
def browser_topology(area: str, region: tuple[str, ...]) -> bytes:
    """The live map's geometry (GET /geo/<area>.json) as JSON: in the regional view only the
    countries a phone or a wide screen shows, and every outline simplified to a pixel at
    the wide screen's scale. A sixth of the shipped file's points or fewer, so the browser
    fetches, parses and projects far less before the map draws."""
    topo = topology()
    geometries = [g for g in topo["objects"][FEATURE]["geometries"] if g.get("id") not in geo.HIDDEN_IDS]
    height, widest = geo.HEIGHTS[area], max(BROWSER_WIDTHS)
    if area == "region":
        bounds, extents = geo.region_bounds(region), geo.extents()
        boxes = [visible_box(bounds, width, height) for width in BROWSER_WIDTHS]
        geometries = [
            g for g in geometries
            if g.get("id") not in extents or any(intersects(extents[g["id"]], box) for box in boxes)
        ]  # fmt: skip
        scale, project = mercator_scale(bounds, widest, height), _mercator
    else:
        scale, project = widest / (2 * math.pi) * 1.2, _plate
    light = simplify(subset(topo, geometries), project, BROWSER_TOLERANCE_PX / scale)
    return json.dumps(light, separators=(",", ":")).encode("utf-8")
