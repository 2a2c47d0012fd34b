"""Charts as images that carry their source: `/img/{page}/{chart}.png` and `.svg`, with the
chart's title, the as-of date and the filters above it, and the data version, the sources and
the view's address drawn under it, so a chart pasted anywhere still says where it comes from.

The query is the page's (parsed strictly, `views`), plus `width` (the image's width in pixels)
and `download=1` (sent as a file). Images are cached on the view, the chart, the width and the
address (`rendering`); they are answered by `http`, like the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.routing import BaseRoute

from isf_tracker import chart_registry
from isf_tracker.filters import OneChoice
from isf_tracker.web import http, rendering, views
from isf_tracker.web.views import IMAGE_PREFIX, PageView, Urls

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
#: The image's width in pixels when none is asked for: SVG at the layout width, PNG at twice it.
DEFAULT_WIDTHS = {"svg": rendering.WIDE, "png": rendering.WIDE * rendering.PNG_SCALE}
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


def layout_width(suffix: str, width: str | None) -> int:
    """The width the chart is laid out at for an image `width` pixels wide."""
    pixels = int(width) if width else DEFAULT_WIDTHS[suffix]
    return pixels // rendering.PNG_SCALE if suffix == "png" else pixels


def filename(view: PageView, chart: str, suffix: str) -> str:
    return f"isf-tracker-{view.page}-{chart}-{view.view.as_of.isoformat()}.{suffix}"


def image(view: PageView, chart: str, suffix: str, extras: Mapping[str, Any], urls: Urls) -> http.Body:
    width = layout_width(suffix, extras["width"])
    live = urls.live(view)
    if suffix == "png":
        content = rendering.image_png(view, chart, width, live, urls.site)
    else:
        content = rendering.image_svg(view, chart, width, live, urls.site).encode("utf-8")
    name = filename(view, chart, suffix) if extras["download"] else None
    return http.Body(content, MEDIA_TYPES[suffix], name)


def prepare(asked: http.Asked) -> http.Prepared:
    page, chart, suffix = (asked.path_params.get(name, "") for name in ("page", "chart", "suffix"))
    if suffix not in MEDIA_TYPES:
        raise http.NotFound(f"No image format {suffix[:20]!r}; the formats are: png, svg.")
    if chart not in [c.name for c in chart_registry.of_page(page)]:
        pages = dict.fromkeys(p for c in chart_registry.registry() for p in c.pages)
        listed = "; ".join(f"{p}: {', '.join(c.name for c in chart_registry.of_page(p))}" for p in pages)
        raise http.NotFound(f"No chart {chart[:40]!r} on the page {page[:40]!r}. Charts: {listed}.")
    view, extras = views.read(asked, page, OPTIONS)
    rendering.check(view)
    urls = Urls(asked.site)
    url = urls.image(view, chart, suffix, extras["width"], bool(extras["download"]))
    return views.prepared(view, url, lambda: image(view, chart, suffix, extras, urls))


IMAGES = http.Kind(views.SAFETY_HEADERS, views.CACHE_CONTROL, http.text_error)


def routes() -> list[BaseRoute]:
    return [http.route(f"{IMAGE_PREFIX}/{{page}}/{{chart}}.{{suffix}}", prepare, IMAGES)]
