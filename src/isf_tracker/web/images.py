"""The dashboard's charts drawn on the server with vl-convert: as SVG to put in a page, and as
images (`/img/{page}/{chart}.png` and `.svg`) with the chart's title, the as-of date and the
filters above it, and the data version, the sources and the view's address under it, so a chart
pasted anywhere still says where it comes from. An image's query is the page's, plus `width` and
`download` (`OPTIONS`).

The specs are the dashboard's own (`derived`), laid out at a fixed width so that their
`width < 560` expressions choose the phone or the desktop layout; tooltips are left out (nothing
hovers on paper). Every SVG goes through `svg.clean` (no script, http(s) links only).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from starlette.routing import BaseRoute

from isf_tracker import chart_registry, derived, geo, share, summary
from isf_tracker.filters import OneChoice
from isf_tracker.vegaspec import Spec, json_spec
from isf_tracker.web import convert, http, svg, views
from isf_tracker.web.params import BadQuery, Problem
from isf_tracker.web.views import PageView, Urls

#: Layout widths (CSS pixels): a page shows the wide chart on a desktop, the narrow one on a
#: phone (the charts' own expressions re-lay them below 560); images are drawn at WIDE.
WIDE, NARROW = 900, 360
#: PNGs are drawn at twice their layout width.
PNG_SCALE = 2
SOURCE_LINE = "ISF Tracker, data version {version}; sources: every statement's own, linked at {site}"
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
#: The image's width in pixels when none is asked for: SVG at the layout width, PNG at twice it.
DEFAULT_WIDTHS = {"svg": WIDE, "png": WIDE * PNG_SCALE}
WIDTHS = ("900", "1200", "1800")
WIDTH = OneChoice(
    "width",
    "Width",
    None,
    options=lambda _c: {w: f"{w} pixels" for w in WIDTHS},
    help="The image's width in pixels (a PNG is drawn at twice its layout width).",
)
DOWNLOAD = OneChoice(
    "download",
    "Download",
    None,
    options=lambda _c: {"1": "as a file"},
    help="1: sent as a file to save (Content-Disposition: attachment).",
)
OPTIONS = (WIDTH, DOWNLOAD)


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


def _for_paper(node: Any, legend: bool) -> Any:
    """A copy of a spec without tooltips, and without legends unless `legend` (datasets as they are)."""
    if isinstance(node, list):
        return [_for_paper(item, legend) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k == "datasets" else _for_paper(v, legend)) for k, v in node.items() if k != "tooltip"}
    if not legend and isinstance(out.get("color"), dict) and "field" in out["color"]:
        out["color"] = {**out["color"], "legend": None}
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


def server_spec(view: PageView, chart: str, width: int, legend: bool = True) -> str:
    """The chart's spec as JSON for vl-convert: at a fixed width (the whole chart, padding
    included), no tooltips, no ARIA labels (a page gives the chart's words in its table),
    optionally no legend."""
    spec = _for_paper(json_spec(chart_spec(view, chart)), legend)
    spec["width"] = width
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec["config"] = {**spec.get("config", {}), "aria": False}
    if chart == "map":
        spec = _with_geometry(spec)
    return json.dumps(spec, allow_nan=False)  # the datasets are JSON records (vegaspec.json_spec)


@functools.lru_cache(maxsize=64)
def chart_svg(view: PageView, chart: str, width: int, legend: bool = True) -> str:
    """The chart as clean SVG text, `width` pixels wide (ids prefixed so that several charts
    can share a page)."""
    drawn = convert.svg(server_spec(view, chart, width, legend))
    return svg.clean(drawn, prefix=f"{chart}-{width}-", label=title(view, chart))


def image_svg(view: PageView, chart: str, width: int, live_url: str, site: str) -> str:
    """The chart with its title and date above it, and the data version, the sources and the
    view's address under it: an image that says where it comes from wherever it goes."""
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
    return svg.framed(chart_svg(view, chart, width), title(view, chart), header, footer)


def image_png(view: PageView, chart: str, width: int, live_url: str, site: str) -> bytes:
    """The same image as a PNG, drawn at PNG_SCALE× (`width` is the layout width)."""
    return convert.png(image_svg(view, chart, width, live_url, site), PNG_SCALE)


def image(view: PageView, chart: str, suffix: str, extras: Mapping[str, Any], urls: Urls) -> http.Body:
    pixels = int(extras["width"]) if extras["width"] else DEFAULT_WIDTHS[suffix]
    width = pixels // PNG_SCALE if suffix == "png" else pixels  # the chart's layout width
    live = urls.live(view)
    if suffix == "png":
        content = image_png(view, chart, width, live, urls.site)
    else:
        content = image_svg(view, chart, width, live, urls.site).encode("utf-8")
    name = f"isf-tracker-{view.page}-{chart}-{view.view.as_of.isoformat()}.{suffix}"
    return http.Body(content, MEDIA_TYPES[suffix], name if extras["download"] else None)


def prepare(asked: http.Asked) -> http.Prepared:
    page, chart, suffix = (asked.path_params.get(name, "") for name in ("page", "chart", "suffix"))
    if suffix not in MEDIA_TYPES:
        raise http.NotFound(f"No image format {suffix[:20]!r}; the formats are: png, svg.")
    if chart not in [c.name for c in chart_registry.of_page(page)]:
        pages = dict.fromkeys(p for c in chart_registry.CHARTS for p in c.pages)
        listed = "; ".join(f"{p}: {', '.join(c.name for c in chart_registry.of_page(p))}" for p in pages)
        raise http.NotFound(f"No chart {chart[:40]!r} on the page {page[:40]!r}. Charts: {listed}.")
    view, extras = views.read(asked, page, OPTIONS)
    check(view)
    urls = Urls(asked.site)
    url = urls.image(view, chart, suffix, extras["width"], bool(extras["download"]))
    return views.prepared(view, url, functools.partial(image, view, chart, suffix, extras, urls))


IMAGES = http.Kind(views.SAFETY_HEADERS, views.CACHE_CONTROL, http.text_error, renders=True)


def routes() -> list[BaseRoute]:
    return [http.route(f"{share.IMAGE_PREFIX}/{{page}}/{{chart}}.{{suffix}}", prepare, IMAGES)]
