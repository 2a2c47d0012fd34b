"""Static snapshots (`/s/{page}`) and embeds (`/embed/{page}`): a dashboard page as plain HTML
that needs no JavaScript, for reading on any device, printing, citing, sharing and framing.

What they show is the page model (`page_content`) drawn by `render`: a snapshot is the whole page
with its head for link previews; an embed one chart of it (the main one, or `?chart=`) with its
title, caveat, the record's date and the citation. Both are served under a Content-Security-Policy
that lets no script and no inline style run (`views.CSP`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from isf_tracker import chart_registry, filters, page_content, share
from isf_tracker.web import http, images, render, views
from isf_tracker.web.params import BadQuery, Problem
from isf_tracker.web.views import Urls

#: The snapshots' and embeds' stylesheet, served from its file (their policy allows no inline style).
STYLESHEET_FILE = Path(__file__).parent / "static" / "snapshot.css"
HTML_TYPE = "text/html; charset=utf-8"
ERROR_TITLES = {400: "Bad request", 404: "Not found", 429: "Too many requests", 503: "Busy"}


def html_error(status: int, message: str, _bad: BadQuery | None) -> http.Body:
    """A short page saying what was wrong (the parameter and why), under the same policy."""
    title = ERROR_TITLES.get(status, "Server error")
    page = render.ENVIRONMENT.get_template("error.html").render(title=title, message=message)
    return http.Body(page.encode("utf-8"), HTML_TYPE)


PAGE = http.Kind(views.SAFETY_HEADERS, views.CACHE_CONTROL, html_error, renders=True)


def _page(asked: http.Asked) -> str:
    page = asked.path_params.get("page") or "overview"
    if page not in share.SNAPSHOT_PAGES:
        raise http.NotFound(f"No page {page[:40]!r}; the pages are: {', '.join(share.SNAPSHOT_PAGES)}.")
    return page


def snapshot(asked: http.Asked) -> http.Prepared:
    view, _ = views.read(asked, _page(asked))
    if view.page == "changes":  # refused, naming `from`, when From is after To
        start, end = page_content.change_span(render.asked(view))
        if start > end:
            raise BadQuery([Problem("from", start.isoformat(), f"after to ({end.isoformat()})")])
    site = asked.site
    return views.prepared(view, Urls(site).snapshot(view), functools.partial(snapshot_body, view, site))


def snapshot_body(view: views.PageView, site: str) -> http.Body:
    return http.Body(render.snapshot(view, site), HTML_TYPE)


def embed_body(view: views.PageView, site: str, chart: str) -> http.Body:
    return http.Body(render.embed(view, site, chart), HTML_TYPE)


def embed(asked: http.Asked) -> http.Prepared:
    page = _page(asked)
    charts = chart_registry.of_page(page)
    if not charts:
        charted = ", ".join(dict.fromkeys(p for chart in chart_registry.CHARTS for p in chart.pages))
        raise http.NotFound(f"The page {page!r} has no chart to embed; these have: {charted}.")
    titles = {chart.name: chart.title for chart in charts}
    choice = filters.OneChoice(share.EMBED_CHART, "Chart", charts[0].name, options=lambda _choices: titles)
    view, extras = views.read(asked, page, (choice,))
    images.check(view)
    site, chart = asked.site, extras[share.EMBED_CHART]
    build = functools.partial(embed_body, view, site, chart)
    return views.prepared(view, Urls(site).embed(view), build, chart)


def stylesheet(_request: Any) -> Response:
    """The snapshots' stylesheet (one file, cached for a day)."""
    return Response(STYLESHEET_FILE.read_bytes(), media_type="text/css; charset=utf-8",
                    headers={"Cache-Control": http.ASSET_CACHE_CONTROL})  # fmt: skip


def routes() -> list[BaseRoute]:
    prefix = share.SNAPSHOT_PREFIX
    return [
        Route(render.STYLESHEET, stylesheet, methods=["GET"]),
        *(http.route(path, snapshot, PAGE) for path in (prefix, f"{prefix}/", f"{prefix}/{{page}}")),
        http.route(f"{share.EMBED_PREFIX}/{{page}}", embed, PAGE),
    ]
