"""The dashboard's charts drawn on the server with vl-convert, as SVG to put in a page and as
images (SVG, PNG) with their title, date, source and address drawn in.

The specs are the dashboard's own (`derived`, the same cached Vega-Lite), laid out at a fixed
width so that their `width < 560` expressions choose the phone or the desktop layout; tooltips
are left out (nothing hovers on paper). The map's geometry, which the browser fetches, is put in
the spec. Every SVG goes through `svg.clean` (no script, http(s) links only, rounded
coordinates). Renders are cached on the page's view (which holds the data version), the chart
and the width.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import vl_convert as vlc

from isf_tracker import chart_registry, derived, geo, summary
from isf_tracker.vegaspec import Spec, json_spec
from isf_tracker.web import svg
from isf_tracker.web.params import BadQuery, Problem
from isf_tracker.web.views import PageView

#: Layout widths (CSS pixels): a page shows the wide chart on a desktop, the narrow one on a
#: phone (the charts' own expressions re-lay them below 560); images are drawn at WIDE.
WIDE, NARROW = 900, 360
#: PNGs are drawn at twice their layout width.
PNG_SCALE = 2
SOURCE_LINE = "ISF Tracker, data version {version}; sources: every statement's own, linked at {site}"


def title(view: PageView, chart: str) -> str:
    """The chart's title; on one country's page, the country's."""
    country = _country(view)[1] if view.page in chart_registry.ONE_COUNTRY_PAGES else None
    return chart_registry.title(chart_registry.by_name(chart), country, dict(view.options))


def check(view: PageView) -> None:
    """The country page's chart is one country's: refused (naming `country`) unless the view
    names exactly one."""
    chosen = view.countries()
    if view.page == "country" and len(chosen) != 1:
        why = "the country page's chart is one country's: give exactly one country"
        raise BadQuery([Problem("country", ",".join(chosen), why)])


def _country(view: PageView) -> tuple[str, str]:
    check(view)
    iso3 = view.countries()[0]
    return iso3, view.choices.countries[iso3]


def chart_spec(view: PageView, chart: str) -> Spec:
    """The dashboard's spec of `chart` for the view (the page's options applied)."""
    country = _country(view)[0] if view.page in chart_registry.ONE_COUNTRY_PAGES else None
    return chart_registry.by_name(chart).spec(view.key, {**dict(view.options), "country": country})


# --- specs laid out for the server ------------------------------------------------------------


def _without(node: Any, keys: frozenset[str]) -> Any:
    """A copy of a spec without the `keys` (datasets left as they are)."""
    if isinstance(node, list):
        return [_without(item, keys) for item in node]
    if not isinstance(node, dict):
        return node
    return {k: (v if k == "datasets" else _without(v, keys)) for k, v in node.items() if k not in keys}


def _no_legends(node: Any) -> Any:
    if isinstance(node, list):
        return [_no_legends(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k == "datasets" else _no_legends(v)) for k, v in node.items()}
    if isinstance(out.get("color"), dict) and "field" in out["color"]:
        out["color"] = {**out["color"], "legend": None}
    return out


def laid_out(spec: Spec, width: int, legend: bool = True) -> dict[str, Any]:
    """`spec` as plain JSON at a fixed width (the whole chart, padding included), no tooltips,
    no ARIA labels (a page gives the chart's words in its table), optionally no legend."""
    out = _without(json_spec(spec), frozenset({"tooltip"}))
    if not legend:
        out = _no_legends(out)
    out["width"] = width
    out["autosize"] = {"type": "fit-x", "contains": "padding"}
    out["config"] = {**out.get("config", {}), "aria": False}
    return out


def _with_geometry(spec: dict[str, Any]) -> dict[str, Any]:
    """The map's layers read the topology from the spec instead of from the address the browser
    fetches it at (/assets/…): any layer that loads TopoJSON by URL."""
    topology = geo.topology()
    layers = []
    for layer in spec.get("layer", []):
        data = layer.get("data")
        if isinstance(data, dict) and "url" in data and data.get("format", {}).get("type") == "topojson":
            layer = {**layer, "data": {"values": topology, "format": data.get("format", {})}}
        layers.append(layer)
    return {**spec, "layer": layers}


def _json(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def server_spec(view: PageView, chart: str, width: int, legend: bool = True) -> str:
    """The chart's spec as JSON, laid out at `width`, ready for vl-convert."""
    spec = laid_out(chart_spec(view, chart), width, legend)
    if chart == "map":
        spec = _with_geometry(spec)
    return json.dumps(spec, default=_json, allow_nan=False)


# --- rendered, cached ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def chart_svg(view: PageView, chart: str, width: int, legend: bool = True) -> str:
    """The chart as clean SVG text, `width` pixels wide (ids prefixed so that several charts
    can share a page)."""
    drawn = vlc.vegalite_to_svg(server_spec(view, chart, width, legend), allowed_base_urls=[])
    return svg.clean(drawn, prefix=f"{chart}-{width}-", label=title(view, chart))


@functools.lru_cache(maxsize=64)
def image_svg(view: PageView, chart: str, width: int, live_url: str, site: str) -> str:
    """The chart with its title and date above it, and the data version, the sources and the
    view's address under it: an image that says where it comes from wherever it goes."""
    drawn = svg.parse(chart_svg(view, chart, width))
    current = view.view
    dated = summary.sentence_case(summary.dated_phrase(current.dated, current.as_of_set))
    header = [
        (title(view, chart), 15, True),
        (f"{dated} · {current.description}", 12, False),
        (chart_registry.by_name(chart).caveat, 11, False),
    ]
    footer = [
        (summary.answer(derived.answer(view.key)).lead, 11, False),
        (SOURCE_LINE.format(version=derived.data_version(view.key.version), site=site), 11, False),
        (live_url, 11, False),
    ]
    framed = svg.framed(drawn, header, footer)
    framed.set("role", "img")
    framed.set("aria-label", title(view, chart))  # attributes hold no text from the data
    return svg.serialise(framed)


@functools.lru_cache(maxsize=32)
def image_png(view: PageView, chart: str, width: int, live_url: str, site: str) -> bytes:
    """The same image as a PNG, drawn at PNG_SCALE× (`width` is the layout width)."""
    return vlc.svg_to_png(image_svg(view, chart, width, live_url, site), scale=PNG_SCALE)


def clear() -> None:
    for cached in (chart_svg, image_svg, image_png):
        cached.cache_clear()
