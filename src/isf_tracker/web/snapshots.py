"""Static snapshots (`/s/{page}`) and embeds (`/embed/{page}`): a dashboard page as plain HTML
that needs no JavaScript, for reading on any device, printing, citing, sharing and framing.

A snapshot has the page's words, its charts as inline SVG drawn on the server, its table, the
record's currency, the filters in words, a citation and a link to the live view; its head has
what link previews read (Open Graph, Twitter card: a PNG of the main chart). An embed is the
main chart and the citation only. Both take the dashboard's query, parsed strictly (`views`),
carry a Content-Security-Policy under which no script can run, and are cached on the view.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from isf_tracker import derived, share, summary
from isf_tracker.web import rendering, sections, views
from isf_tracker.web.api import Asked
from isf_tracker.web.html import Html, document, el
from isf_tracker.web.views import EMBED_PREFIX, PAGES, SNAPSHOT_PREFIX, PageView, Urls

SITE_NAME = "ISF Tracker"
#: Og:image width in pixels (the size link previews ask for).
PREVIEW_WIDTH = 1200
STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:#1a1a1a;background:#fff}
header,main{max-width:62rem;margin:0 auto;padding:0 1rem}
header{padding-top:.75rem;font-size:.9rem;color:#555}
nav ul{list-style:none;padding:0;margin:.25rem 0 0;display:flex;flex-wrap:wrap;gap:.2rem .9rem}
a{color:#0b5cad}
h1{font-size:1.8rem;line-height:1.2;margin:.75rem 0 .25rem}
h2{font-size:1.3rem;line-height:1.25;margin:2rem 0 .5rem}
p,li{overflow-wrap:anywhere}
.meta,.caption,.note,.downloads,.legend-title{color:#555;font-size:.9rem;margin:.25rem 0}
.headline{font-size:1.1rem}
.notice{background:#f4f6f8;border-left:3px solid #8c8c8c;padding:.5rem .75rem}
figure{margin:1rem 0}
svg{max-width:100%;height:auto;display:block}
.narrow{display:none}
@media (max-width:640px){.wide{display:none}.narrow{display:block}h1{font-size:1.5rem}}
.table{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem;min-width:100%}
caption{text-align:left}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;min-width:6rem}
td{max-width:24rem}
th{background:#f5f5f5}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.85rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:50%;margin-right:.35em;vertical-align:-.1em;
border:1px solid #555}
.citation{border-left:3px solid #ddd;padding-left:.75rem;font-size:.9rem}
@media print{
header nav,.downloads,.live{display:none}
body{font-size:11pt}
a{color:inherit;text-decoration:none}
main a[href]::after{content:" <" attr(href) ">";font-size:.8em;color:#555;overflow-wrap:anywhere}
figure,table,tr,.headline,.citation{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
h2{break-after:avoid;page-break-after:avoid}
.wide{display:block!important}.narrow{display:none!important}
.table{overflow:visible}
table{font-size:7.5pt;width:100%}
th,td{min-width:0;max-width:none;padding:.15rem .25rem}
table:has(th:nth-child(9)) :is(th,td){overflow-wrap:anywhere;font-size:6.5pt}
}
"""
EMBED_STYLE = """
body{margin:0;padding:.5rem;color:#1a1a1a;background:#fff;
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
figure{margin:0}
svg{max-width:100%;height:auto;display:block}
.narrow{display:none}
@media (max-width:640px){.wide{display:none}.narrow{display:block}}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.8rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:50%;margin-right:.35em;vertical-align:-.1em;
border:1px solid #555}
.downloads,.legend-title{display:none}
.citation{color:#555;font-size:.8rem;margin:.25rem 0;overflow-wrap:anywhere}
a{color:#0b5cad}
"""


def citation(view: PageView, urls: Urls, **link: Any) -> Html:
    """ "ISF Tracker: …, data version 1.1.0+…, as of 2026-12-01, <link to the live view>
    (accessed …). Licence: CC BY 4.0." as the dashboard's "Share and export" panel cites it."""
    before, live, after = share.citation_parts(
        derived.data_version(view.key.version),
        view.view.dated,
        urls.live(view),
        view.key.today,
        view.view.as_of_set,
    )
    return el("p", before, el("a", live, href=live, **link), after, class_="citation")


def headline(view: PageView) -> str:
    """The answer's headline for the view: the page's description for link previews."""
    return summary.answer(derived.answer(view.key)).lead


def _navigation(view: PageView, urls: Urls) -> Html:
    items = [
        el(
            "li",
            el("strong", sections.TITLES[page])
            if page == view.page
            else el("a", sections.TITLES[page], href=urls.snapshot(view, page)),
        )
        for page in PAGES
    ]
    return el("nav", el("ul", items), aria_label="Pages")


def head(view: PageView, urls: Urls, content: sections.Content) -> list[Html]:
    page_title = f"{content.title} · {SITE_NAME}"
    description = headline(view)
    canonical = urls.snapshot(view)
    image_page, image_chart = content.image_chart
    image_view = view if image_page == view.page else PageView(image_page, view.key, ())
    image = urls.image(image_view, image_chart, "png", width=PREVIEW_WIDTH)
    meta = [
        ("og:title", page_title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:type", "article"),
        ("og:site_name", SITE_NAME),
        ("og:image", image),
        ("og:image:type", "image/png"),
        ("og:image:width", str(PREVIEW_WIDTH)),
        ("og:image:alt", rendering.TITLES[image_chart]),
    ]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", page_title),
        ("twitter:description", description),
        ("twitter:image", image),
    ]
    return [
        el("meta", charset="utf-8"),
        el("meta", name="viewport", content="width=device-width, initial-scale=1"),
        el("title", page_title),
        el("meta", name="description", content=description),
        el("link", rel="canonical", href=canonical),
        *(el("meta", property=name, content=value) for name, value in meta),
        *(el("meta", name=name, content=value) for name, value in twitter),
        el("style", Html(STYLE)),
    ]


@functools.lru_cache(maxsize=64)
def snapshot(view: PageView, site: str) -> bytes:
    """The page as a whole HTML document (cached on the view, which holds the data version)."""
    urls = Urls(site)
    content = sections.PAGES[view.page](view, urls)
    live = urls.live(view)
    body = [
        el(
            "header",
            el(
                "p",
                el("a", SITE_NAME, href=urls.snapshot(view, "overview")),
                " · a static snapshot of the dashboard · ",
                el("a", "open the interactive view", href=live),
                class_="live",
            ),
            _navigation(view, urls),
        ),
        el(
            "main",
            el("h1", content.title),
            el("p", derived.currency(view.key.version, view.key.today), class_="meta currency"),
            el("p", "Showing: ", view.view.description, class_="meta filters"),
            *content.blocks,
            el("h2", "Cite this view"),
            citation(view, urls),
            el(
                "p",
                el("a", "Open the interactive view", href=live),
                " · data: ",
                el("a", "statements (CSV)", href=urls.csv(view, "statements")),
                ", ",
                el("a", "positions (CSV)", href=urls.csv(view, "positions")),
                " · licence CC BY 4.0; each statement links to its source.",
                class_="live",
            ),
        ),
    ]
    return document(head(view, urls, content), body, data_isf_snapshot=view.page)


@functools.lru_cache(maxsize=64)
def embed(view: PageView, site: str) -> bytes:
    """The page's main chart and the citation only, for an <iframe>."""
    urls = Urls(site)
    chart = rendering.main_chart(view.page)
    title = rendering.title(view, chart)
    head_ = [
        el("meta", charset="utf-8"),
        el("meta", name="viewport", content="width=device-width, initial-scale=1"),
        el("title", f"{title} · {SITE_NAME}"),
        el("link", rel="canonical", href=urls.live(view)),
        el("style", Html(EMBED_STYLE)),
    ]
    body = [sections.figure(view, chart, urls), citation(view, urls, target="_blank", rel="noopener")]
    return document(head_, body, data_isf_embed=view.page)


def clear() -> None:
    snapshot.cache_clear()
    embed.cache_clear()


# --- requests ----------------------------------------------------------------------------------


def html_error(status: int, message: str) -> Response:
    """A short page saying what was wrong (the parameter and why), under the same policy."""
    titles = {400: "Bad request", 404: "Not found", 500: "Server error"}
    page = document(
        [el("meta", charset="utf-8"), el("title", titles.get(status, "Error"))],
        [el("h1", titles.get(status, "Error")), el("p", message)],
    )
    headers = {**views.SAFETY_HEADERS, "Cache-Control": "no-store"}
    return Response(page, status_code=status, media_type=views.HTML_TYPE, headers=headers)


def _unknown_page(page: str) -> str:
    return f"No page {page[:40]!r}; the pages are: {', '.join(PAGES)}."


def snapshot_answer(asked: Asked, path: Mapping[str, str]) -> Response:
    page = path.get("page") or "overview"
    if page not in PAGES:
        return html_error(404, _unknown_page(page))
    check = sections.change_span if page == "changes" else None
    return views.serve(
        asked,
        lambda view, urls: urls.snapshot(view),
        views.reader(page, check=check),
        lambda view, _extras, urls: views.Made(snapshot(view, urls.site), views.HTML_TYPE),
        html_error,
    )


def embed_answer(asked: Asked, path: Mapping[str, str]) -> Response:
    page = path.get("page") or "overview"
    if page not in PAGES:
        return html_error(404, _unknown_page(page))
    if rendering.main_chart(page) is None:
        charted = ", ".join(rendering.CHARTS)
        return html_error(404, f"The page {page!r} has no chart to embed; these have: {charted}.")
    return views.serve(
        asked,
        lambda view, urls: urls.embed(view),
        views.reader(page, check=rendering.check),
        lambda view, _extras, urls: views.Made(embed(view, urls.site), views.HTML_TYPE),
        html_error,
    )


def routes() -> list[BaseRoute]:
    snapshot_endpoint = views.endpoint(snapshot_answer)
    return [
        Route(SNAPSHOT_PREFIX, snapshot_endpoint, methods=["GET"]),
        Route(f"{SNAPSHOT_PREFIX}/", snapshot_endpoint, methods=["GET"]),
        Route(f"{SNAPSHOT_PREFIX}/{{page}}", snapshot_endpoint, methods=["GET"]),
        Route(f"{EMBED_PREFIX}/{{page}}", views.endpoint(embed_answer), methods=["GET"]),
    ]
