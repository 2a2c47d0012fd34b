"""Every address a view can be taken out at, and how to cite it: pure functions, no Streamlit.

One view (a page and its query) has a live link, a static snapshot (/s/<page>), an embed for
an iframe (/embed/<page>), images of its charts with the source drawn in (/img/<page>/<chart>),
the open data API's CSV and JSON of its rows (/api/v1/...) and a feed (/feed.atom). Every address
and the citation are built here once, for the "Share and export" panel, the routes and the API.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from isf_tracker import chart_registry, filters, page_content

TITLE = "ISF Tracker: troop offers to the International Stabilization Force for Gaza"
LICENCE_WORDS = "Licence: CC BY 4.0."
SNAPSHOT_PREFIX = "/s"
EMBED_PREFIX = "/embed"
IMAGE_PREFIX = "/img"
API_PREFIX = "/api/v1"
FEED_PATH = "/feed.atom"
IMAGE_FORMATS = ("png", "svg")
EMBED_HEIGHT_PX = 520
#: The embed's own parameter: which of the page's charts it shows (its main one by default).
EMBED_CHART = "chart"
#: The site's public address (https://host, and a path if it is served under one), set by the
#: operator; unset, links use the address each request came to (right for local use).
PUBLIC_URL_ENV_VAR = "ISF_TRACKER_PUBLIC_URL"


#: The pages that have a snapshot (every page that shows the record, not the form), by name:
#: "overview" is the landing page, whose dashboard address is "/".
SNAPSHOT_PAGES: tuple[str, ...] = tuple(page.name for page in page_content.PAGES)


#: The landing page's second address (/home), which sends the reader on to "/": the target of its
#: navigation link, whose address would otherwise be relative ("?country=PAK", `ui.shell._nav`).
HOME_ALIAS = "home"


def page_name(url_path: str) -> str:
    """The page's name in the addresses of its views: its dashboard path, "overview" for "/"."""
    path = url_path.strip("/")
    return "overview" if path in ("", HOME_ALIAS) else path


def live_path(page: str) -> str:
    return "/" if page == "overview" else f"/{page}"


def citation_parts(
    data_version: str, as_of: dt.date, url: str, accessed: dt.date, chosen: bool = False
) -> tuple[str, str, str]:
    """The citation around its link (a snapshot makes the link an anchor): before, link, after.
    `as_of` is the view's one date: a chosen day, else the record's own (its latest statement)."""
    dated = "as of" if chosen else "record as of"
    return (
        f"{TITLE}, data version {data_version}, {dated} {as_of.isoformat()}, ",
        url,
        f" (accessed {accessed.isoformat()}). {LICENCE_WORDS}",
    )


def citation(data_version: str, as_of: dt.date, url: str, accessed: dt.date, chosen: bool = False) -> str:
    """How to cite a view: what, which data, which day's record, where, when it was read."""
    return "".join(citation_parts(data_version, as_of, url, accessed, chosen))


def public_site(request_site: str) -> str:
    """The base of every absolute link: the configured public address, else the request's own."""
    configured = os.environ.get(PUBLIC_URL_ENV_VAR, "").strip().rstrip("/")
    if not configured:
        return request_site.rstrip("/")
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"{PUBLIC_URL_ENV_VAR}={configured!r}: give an address such as https://isf.example.org"
        )
    return configured


def address(site: str, path: str, query: Mapping[str, Sequence[str]] | None = None) -> str:
    """The public site (`public_site`: configured, else `site`, the request's) + `path` + the query:
    the shared filters first in the registry's order (as the dashboard writes them), then the
    page's own options; values repeated as filters repeat. Every absolute link is built here."""
    order = {option.key: number for number, option in enumerate(filters.FILTERS)}
    given = {key: list(values) for key, values in (query or {}).items() if values}
    keys = sorted(given, key=lambda key: (order.get(key, len(order)), key))
    encoded = urlencode({key: given[key] for key in keys}, doseq=True)
    return f"{public_site(site)}{path}" + (f"?{encoded}" if encoded else "")


@dataclass(frozen=True)
class Image:
    """One chart of the view: as images, and in a frame to embed. The embed names its chart, so a
    link keeps showing it even if the page's main chart changes."""

    chart: chart_registry.Chart
    png: str
    svg: str
    embed: str


@dataclass(frozen=True)
class ShareLinks:
    """Everything the "Share and export" panel offers for one view."""

    view: str
    snapshot: str | None
    images: tuple[Image, ...]
    statements_csv: str
    statements_json: str
    positions_csv: str
    positions_json: str
    feed: str
    citation: str

    @property
    def embed(self) -> str | None:
        """The embed of the page's main chart, if it has a chart."""
        return self.images[0].embed if self.images else None

    def embed_code(self, title: str, image: Image | None = None) -> str | None:
        """An iframe of one chart (the main one by default) to paste in an article; the address and
        title escaped for an HTML attribute."""
        if (embed := image.embed if image else self.embed) is None:
            return None
        return (
            f'<iframe src="{html.escape(embed, quote=True)}" '
            f'title="{html.escape(title, quote=True)}" width="100%" height="{EMBED_HEIGHT_PX}" '
            'style="border:0" loading="lazy"></iframe>'
        )


def links(
    site: str,
    url_path: str,
    page_query: Mapping[str, Sequence[str]],
    filter_query: Mapping[str, Sequence[str]],
    data_version: str,
    as_of: dt.date,
    accessed: dt.date,
    countries: int | None = None,
    chosen: bool = False,
) -> ShareLinks:
    """The addresses of one view. `page_query` is the whole view (shared filters and the page's
    own options); `filter_query` only the shared filters, all the API and the feed accept;
    `countries` how many the view names (a one-country page's chart needs exactly one)."""
    page = page_name(url_path)
    view = address(site, live_path(page), page_query)
    snapshots = page in SNAPSHOT_PAGES
    charts = chart_registry.of_page(page, countries)
    images = tuple(
        Image(chart, *(address(site, f"{IMAGE_PREFIX}/{page}/{chart.name}.{kind}", page_query)
                       for kind in IMAGE_FORMATS),
              address(site, f"{EMBED_PREFIX}/{page}", {**page_query, EMBED_CHART: [chart.name]}))
        for chart in charts
    )  # fmt: skip
    return ShareLinks(
        view=view,
        snapshot=address(site, f"{SNAPSHOT_PREFIX}/{page}", page_query) if snapshots else None,
        images=images,
        statements_csv=address(site, f"{API_PREFIX}/statements.csv", filter_query),
        statements_json=address(site, f"{API_PREFIX}/statements.json", filter_query),
        positions_csv=address(site, f"{API_PREFIX}/positions.csv", filter_query),
        positions_json=address(site, f"{API_PREFIX}/positions.json", filter_query),
        feed=address(site, FEED_PATH, filter_query),
        citation=citation(data_version, as_of, view, accessed, chosen),
    )
