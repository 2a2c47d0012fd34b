"""Static snapshots (`/s/{page}`) and embeds (`/embed/{page}`): a dashboard page as plain HTML
that needs no JavaScript, for reading on any device, printing, citing, sharing and framing.

What they show is the page model (`page_content`) drawn by `render`: a snapshot is the whole page
with its head for link previews; an embed one chart of it (the main one, or `?chart=`) with its
title, caveat, the record's date and the citation. Both take the dashboard's query, parsed
strictly (`views`), carry a Content-Security-Policy under which no script and no inline style can
run, and are cached on the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from isf_tracker import chart_registry, filters, page_content
from isf_tracker.web import render, rendering, views
from isf_tracker.web.api import Asked
from isf_tracker.web.params import BadQuery, Problem
from isf_tracker.web.views import EMBED_PREFIX, PAGES, SNAPSHOT_PREFIX

#: The snapshots' and embeds' stylesheet, served from its file (their policy allows no inline style).
STYLESHEET_FILE = Path(__file__).parent / "static" / "snapshot.css"
#: The embed's own parameter: which of the page's charts it shows (its main one by default).
CHART = "chart"


# --- requests ----------------------------------------------------------------------------------


ERROR_PAGE = render.ENVIRONMENT.from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><p>{{ message }}</p></body></html>"
)


def html_error(status: int, message: str) -> Response:
    """A short page saying what was wrong (the parameter and why), under the same policy."""
    title = {400: "Bad request", 404: "Not found", 500: "Server error"}.get(status, "Error")
    headers = {**views.SAFETY_HEADERS, "Cache-Control": "no-store"}
    page = ERROR_PAGE.render(title=title, message=message).encode("utf-8")
    return Response(page, status_code=status, media_type=views.HTML_TYPE, headers=headers)


def _check_span(view: views.PageView) -> None:
    """What changed is refused (naming `from`) when From is not before To."""
    start, end = page_content.change_span(render.asked(view))
    if start >= end:
        raise BadQuery([Problem("from", start.isoformat(), f"not before to ({end.isoformat()})")])


def _unknown_page(page: str) -> str:
    return f"No page {page[:40]!r}; the pages are: {', '.join(PAGES)}."


def snapshot_answer(asked: Asked, path: Mapping[str, str]) -> Response:
    page = path.get("page") or "overview"
    if page not in PAGES:
        return html_error(404, _unknown_page(page))
    check = _check_span if page == "changes" else None
    return views.serve(
        asked,
        lambda view, urls: urls.snapshot(view),
        views.reader(page, check=check),
        lambda view, _extras, urls: views.Made(render.snapshot(view, urls.site), views.HTML_TYPE),
        html_error,
    )


def embed_answer(asked: Asked, path: Mapping[str, str]) -> Response:
    page = path.get("page") or "overview"
    if page not in PAGES:
        return html_error(404, _unknown_page(page))
    charts = chart_registry.of_page(page)
    if not charts:
        charted = ", ".join(dict.fromkeys(p for chart in chart_registry.registry() for p in chart.pages))
        return html_error(404, f"The page {page!r} has no chart to embed; these have: {charted}.")
    titles = {chart.name: chart.title for chart in charts}
    choice = filters.OneChoice(CHART, "Chart", charts[0].name, options=lambda _choices: titles)
    return views.serve(
        asked,
        lambda view, urls: urls.embed(view),
        views.reader(page, (choice,), check=rendering.check),
        lambda view, extras, urls: views.Made(render.embed(view, urls.site, extras[CHART]), views.HTML_TYPE),
        html_error,
    )


def stylesheet(_request: Any) -> Response:
    """The snapshots' stylesheet (one file, cached for a day)."""
    return Response(STYLESHEET_FILE.read_bytes(), media_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip


def routes() -> list[BaseRoute]:
    snapshot_endpoint = views.endpoint(snapshot_answer)
    return [
        Route(render.STYLESHEET, stylesheet, methods=["GET"]),
        Route(SNAPSHOT_PREFIX, snapshot_endpoint, methods=["GET"]),
        Route(f"{SNAPSHOT_PREFIX}/", snapshot_endpoint, methods=["GET"]),
        Route(f"{SNAPSHOT_PREFIX}/{{page}}", snapshot_endpoint, methods=["GET"]),
        Route(f"{EMBED_PREFIX}/{{page}}", views.endpoint(embed_answer), methods=["GET"]),
    ]
