"""Every address a view can be taken out at, and how to cite it: pure functions, no Streamlit.

One view (a page and its query) has a live link, a static snapshot (/s/...), an embed for an
iframe (/embed/...), images of its charts with the source drawn in (/img/...), the open data
API's CSV and JSON of its rows (/api/v1/...) and a feed (/feed.atom). The dashboard's "Share
and export" panel, the snapshots and the API all build these addresses and the citation here,
so they always agree.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

TITLE = "ISF Tracker: troop offers to the International Stabilization Force for Gaza"
LICENCE_WORDS = "Licence: CC BY 4.0."
SNAPSHOT_PREFIX = "/s"
EMBED_PREFIX = "/embed"
IMAGE_PREFIX = "/img"
API_PREFIX = "/api/v1"
FEED_PATH = "/feed.atom"
IMAGE_FORMATS = ("png", "svg")
EMBED_HEIGHT_PX = 520


@dataclass(frozen=True)
class Chart:
    """A chart of a page that can be taken out as an image: its name in the address, its title."""

    name: str
    title: str


#: The charts of each page (by its URL path, "" for the landing page), in the order shown.
PAGE_CHARTS: dict[str, tuple[Chart, ...]] = {
    "": (Chart("coverage", "Troops available for each task of the mandate"),),
    "map": (Chart("map", "Where the offers come from"),),
    "charts": (Chart("ranges", "Troops offered, by country"), Chart("timeline", "Statements over time")),
    "conditions": (Chart("matrix", "Conditions by country"),),
    "country": (Chart("timeline", "Statements over time"),),
}
#: Pages with a static snapshot and an embed: every page that shows the record (not the form).
SNAPSHOT_PAGES: tuple[str, ...] = ("", "map", "charts", "conditions", "country", "statements",
                                   "sources", "changes")  # fmt: skip


def citation(data_version: str, as_of: dt.date, url: str, accessed: dt.date) -> str:
    """How to cite a view: what, which data, which day's record, where, when it was read."""
    return (
        f"{TITLE}, data version {data_version}, as of {as_of.isoformat()}, {url} "
        f"(accessed {accessed.isoformat()}). {LICENCE_WORDS}"
    )


def address(site: str, path: str, query: Mapping[str, Sequence[str]] | None = None) -> str:
    """`site` + `path` + the query, values repeated as the filters repeat them."""
    encoded = urlencode({k: list(v) for k, v in (query or {}).items() if v}, doseq=True)
    return f"{site.rstrip('/')}{path}" + (f"?{encoded}" if encoded else "")


def page_path(url_path: str) -> str:
    return f"/{url_path}" if url_path else "/"


def _sub(prefix: str, url_path: str) -> str:
    """/s/map, and /s/ for the landing page."""
    return f"{prefix}/{url_path}"


@dataclass(frozen=True)
class Image:
    chart: Chart
    png: str
    svg: str


@dataclass(frozen=True)
class ShareLinks:
    """Everything the "Share and export" panel offers for one view."""

    view: str
    snapshot: str | None
    embed: str | None
    images: tuple[Image, ...]
    statements_csv: str
    statements_json: str
    positions_csv: str
    positions_json: str
    feed: str
    citation: str

    def embed_code(self, title: str) -> str | None:
        """An iframe to paste in an article; the address and title escaped for an HTML attribute."""
        if self.embed is None:
            return None
        return (
            f'<iframe src="{html.escape(self.embed, quote=True)}" '
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
) -> ShareLinks:
    """The addresses of one view. `page_query` is the whole view (shared filters and the page's
    own options); `filter_query` only the shared filters, all the API and the feed accept."""
    view = address(site, page_path(url_path), page_query)
    snapshots = url_path in SNAPSHOT_PAGES
    images = tuple(
        Image(
            chart,
            *(address(site, f"{IMAGE_PREFIX}/{url_path or 'overview'}/{chart.name}.{kind}", page_query)
              for kind in IMAGE_FORMATS),
        )
        for chart in PAGE_CHARTS.get(url_path, ())
    )  # fmt: skip
    return ShareLinks(
        view=view,
        snapshot=address(site, _sub(SNAPSHOT_PREFIX, url_path), page_query) if snapshots else None,
        embed=address(site, _sub(EMBED_PREFIX, url_path), page_query) if snapshots else None,
        images=images,
        statements_csv=address(site, f"{API_PREFIX}/statements.csv", filter_query),
        statements_json=address(site, f"{API_PREFIX}/statements.json", filter_query),
        positions_csv=address(site, f"{API_PREFIX}/positions.csv", filter_query),
        positions_json=address(site, f"{API_PREFIX}/positions.json", filter_query),
        feed=address(site, FEED_PATH, filter_query),
        citation=citation(data_version, as_of, view, accessed),
    )
