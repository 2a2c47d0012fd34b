"""The open data API and the Atom feed: read-only, no key, served beside the dashboard.

Each endpoint is a thin wrapper: read the request on the event loop, then in a worker thread
parse the filters with the registry (`params`), look the view up in the dashboard's own cache
(`derived.view`, keyed like a page), and build the body with a pure function (`payloads`,
`feed`). Every answer carries the data version, an ETag and Last-Modified, and answers a
conditional GET with 304; CORS is open for GET. A query the registry cannot use is a 400 that
names the parameter; no query string can cause a 500 (a real server fault answers a short one).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from isf_tracker import clock, derived, summary
from isf_tracker.derived import ViewKey
from isf_tracker.filters import View
from isf_tracker.ledger import Dataset
from isf_tracker.web import caching, feed, params, payloads

API_PREFIX = "/api/v1"
FEED_PATH = "/feed.atom"
CACHE_CONTROL = "public, max-age=60"
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv; charset=utf-8"
#: Where links point when the request's own address cannot be read.
FALLBACK_SITE = "http://localhost:8501"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, X-Data-Version, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Cache-Control",
    "Access-Control-Max-Age": "86400",
}
#: On every answer, errors included: browsers read the body as the type it is declared.
SAFETY_HEADERS = {"X-Content-Type-Options": "nosniff"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """What a request asks for, read on the event loop so the work can run in a thread."""

    path: str
    raw_query: bytes
    site: str  # scheme://host of the request, for absolute links
    if_none_match: str | None
    if_modified_since: str | None


@dataclass(frozen=True)
class Served:
    """What a body is built from: the view, its data, and what the answer says about itself."""

    key: ViewKey
    view: View
    data: Dataset
    about: payloads.About
    site: str
    modified: float | None


@dataclass(frozen=True)
class Body:
    content: bytes
    media_type: str
    filename: str | None = None


Render = Callable[[Served], Body]


def _site(request: Request) -> str:
    try:
        return f"{request.url.scheme}://{request.url.netloc}"
    except ValueError:  # a Host header that is not a host
        return FALLBACK_SITE


def read_request(request: Request) -> Asked:
    return Asked(
        path=request.url.path,
        raw_query=request.scope.get("query_string", b""),
        site=_site(request),
        if_none_match=request.headers.get("if-none-match"),
        if_modified_since=request.headers.get("if-modified-since"),
    )


def _json_error(status: int, body: dict[str, Any]) -> Response:
    headers = {**CORS_HEADERS, **SAFETY_HEADERS, "Cache-Control": "no-store"}
    return Response(payloads.json_bytes(body), status_code=status, media_type=JSON_TYPE, headers=headers)


def answer(asked: Asked, render: Render, today: dt.date | None = None) -> Response:
    """The whole answer to a GET, in a worker thread: 400 for a query the registry refuses,
    304 when the client's copy is current, else the body `render` builds."""
    try:
        query = params.read_query(asked.raw_query)
        version, today = derived.current_version(), today or clock.today()
        state = params.state_for(query, derived.choices(version, today))
        canonical = params.canonical(state)
        key = ViewKey.of(version, canonical, today)
        url = asked.site + asked.path + (f"?{urlencode(canonical, doseq=True)}" if canonical else "")
        data_version = derived.data_version(version)
        tag = caching.etag(data_version, today.isoformat(), url)
        modified = derived.last_modified(version)
        headers = {**CORS_HEADERS, **SAFETY_HEADERS, "Cache-Control": CACHE_CONTROL, "ETag": tag,
                   "X-Data-Version": data_version}  # fmt: skip
        if modified is not None:
            headers["Last-Modified"] = caching.http_date(modified)
        if caching.not_modified(asked.if_none_match, asked.if_modified_since, tag, modified):
            return Response(status_code=304, headers=headers)
        view = derived.view(key)
        about = payloads.About(data_version, view.dated, canonical, view.description, url, today)
        body = render(Served(key, view, derived.dataset(version), about, asked.site, modified))
        if body.filename:
            headers["Content-Disposition"] = f'attachment; filename="{body.filename}"'
        return Response(body.content, media_type=body.media_type, headers=headers)
    except params.BadQuery as bad:
        return _json_error(400, bad.as_json())
    except Exception:
        log.exception("The open data API failed on %s", asked.path)
        return _json_error(
            500, {"error": "server_error", "message": "The server failed; it has been logged."}
        )


# --- the bodies -----------------------------------------------------------------------------


def _vocabularies(data: Dataset) -> dict[str, Any]:
    return {"conditions": data.conditions, "roles": data.roles}


def statements_json(served: Served) -> Body:
    rows = payloads.statement_rows(served.view.statements)
    return Body(payloads.json_bytes(payloads.envelope(served.about, "rows", rows)), JSON_TYPE)


def statements_csv(served: Served) -> Body:
    name = f"isf-tracker-statements-{served.view.dated.isoformat()}.csv"
    return Body(payloads.statements_csv(served.view.statements), CSV_TYPE, name)


def _positions(served: Served) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    rows = payloads.position_rows(served.view.positions, _vocabularies(served.data))
    return rows, payloads.provenance(payloads.referenced(rows), served.data.statements)


def _answer(served: Served) -> dict[str, Any]:
    """The view's answer in words, as the dashboard, the snapshots and the images say it."""
    said = summary.answer(derived.answer(served.key))
    return {"lead": said.lead, "headline": said.headline, "scope": said.scope, "details": said.details}


def positions_json(served: Served) -> Body:
    rows, sources = _positions(served)
    body = payloads.envelope(served.about, "positions", rows, answer=_answer(served), statements=sources)
    return Body(payloads.json_bytes(body), JSON_TYPE)


def answer_json(served: Served) -> Body:
    """The answer alone, with the countries it speaks of: GET /api/v1/answer.json?<filters>."""
    answer = _answer(served)
    names = list(served.view.positions["country"])
    return Body(
        payloads.json_bytes(payloads.envelope(served.about, "countries", names, answer=answer)), JSON_TYPE
    )


def positions_csv(served: Served) -> Body:
    name = f"isf-tracker-positions-{served.view.dated.isoformat()}.csv"
    return Body(payloads.positions_csv(*_positions(served)), CSV_TYPE, name)


def atom(served: Served) -> Body:
    query = urlencode(served.about.query, doseq=True)
    info = feed.FeedInfo(
        site=served.site,
        self_url=served.about.url,
        page_url=f"{served.site}/" + (f"?{query}" if query else ""),
        feed_id=f"{feed.TAG_PREFIX}feed" + (f"?{query}" if query else ""),
        subtitle=summary.answer(derived.answer(served.key)).lead,
        updated=_feed_updated(served),
        data_version=served.about.data_version,
    )
    body = feed.atom_feed(served.view.statements, info, _vocabularies(served.data), served.data.added_on())
    return Body(body, feed.MEDIA_TYPE)


def _feed_updated(served: Served) -> dt.datetime:
    """When the record last changed: the data files' time, else the newest statement's day."""
    if served.modified is not None:
        return dt.datetime.fromtimestamp(served.modified, dt.UTC)
    newest = served.view.statements["date"].max()
    day = newest.date() if pd.notna(newest) else served.view.as_of
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# --- the routes -----------------------------------------------------------------------------


def endpoint(render: Render) -> Callable[[Request], Any]:
    """A Starlette endpoint for GET (and HEAD) that builds its body with `render`, and answers
    a CORS preflight."""

    async def serve(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT_HEADERS)
        return await run_in_threadpool(answer, read_request(request), render)

    serve.__name__ = render.__name__
    return serve


ENDPOINTS: dict[str, Render] = {
    f"{API_PREFIX}/statements.json": statements_json,
    f"{API_PREFIX}/statements.csv": statements_csv,
    f"{API_PREFIX}/positions.json": positions_json,
    f"{API_PREFIX}/positions.csv": positions_csv,
    f"{API_PREFIX}/answer.json": answer_json,
    FEED_PATH: atom,
}


def routes() -> list[BaseRoute]:
    return [Route(path, endpoint(render), methods=["GET", "OPTIONS"]) for path, render in ENDPOINTS.items()]
