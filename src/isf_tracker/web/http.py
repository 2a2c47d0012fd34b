"""The one path every route's answer takes: the request read on the event loop, then in a worker
thread its parameters and view (`prepare`), its validators, and only then its body.

A route gives `prepare` (Asked -> Prepared: it reads and checks the parameters, finds the view
and says what else the body depends on) and a `Kind` (headers, Cache-Control, how its errors
read). Here, once for every route: ETag and Last-Modified, a 304 before the body is built, a 400
naming each refused parameter (`BadQuery`), a 404 saying what there is (`NotFound`), and a short
500, logged, with no traceback for the reader. A kind that `renders` (snapshots, embeds, images)
has its body drawn under the render limits (`rendered`: the cache, the budget, the pool), in a
drawing process (`convert.draw`); while the pool is full, an address never prepared before is
answered 503 before any work (a crawler walking every view costs the readers next to nothing).
Every body is kept, bounded in bytes, and what a 200 is known by is kept per address (`Known`),
so a repeat at the same moment is answered on the event loop (`repeat`): a worker thread costs
a repeat nothing when idle, but tens of milliseconds in a process whose every core is busy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from isf_tracker import clock, derived, proxies, share
from isf_tracker.web import convert, limits
from isf_tracker.web.limits import Limits
from isf_tracker.web.params import BadQuery, Query, read_query

#: Where links point when the request's own address cannot be read (and none is configured).
FALLBACK_SITE = "http://localhost:8501"
SERVER_FAULT = "The server failed; it has been logged."
#: On every answer, errors included: browsers read the body as the type it is declared.
SAFETY_HEADERS = {"X-Content-Type-Options": "nosniff"}
JSON_TYPE = "application/json"
#: How long any cache may keep a good answer (a new statement shows within a minute), and then
#: serve it while it asks again in the background (a 304 mostly: the ETag holds the data version)
#: or while the app cannot answer (down, or busy drawing: a 503).
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"
#: Files that change only with a release (the assets, the snapshots' stylesheet): a day, then a week.
ASSET_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800, stale-if-error=604800"
TEXT_TYPE = "text/plain; charset=utf-8"
TOO_MANY = (
    "This address has asked for many pages and images that had to be drawn; try again in {seconds} s."
    " Pages already drawn are served at once."
)
BUSY = "The server is drawing other pages and images; try again in {seconds} s."
#: The render pool, each client's budget and the bytes kept (`rendered`).
LIMITS = limits.from_env()

log = logging.getLogger(__name__)
#: What a request asked, as sent (site, path, query), never parsed: the key of what is known of it.
Address = tuple[str, str, bytes]
#: What an answer depends on besides its address: the data's files, the day and the public site.
Moment = tuple[derived.Version, dt.date, str]


@dataclass(frozen=True)
class Asked:
    """What a request asks, read on the event loop so the work can run in a worker thread."""

    path: str
    raw_query: bytes = b""
    request_site: str = FALLBACK_SITE  # scheme://host:port the request came to
    path_params: Mapping[str, str] = field(default_factory=dict)
    if_none_match: str | None = None
    if_modified_since: str | None = None

    @property
    def site(self) -> str:
        """The base of the answer's absolute links: the configured public address, else the
        request's (read here, in the worker, so a misconfiguration is a logged 500)."""
        return share.public_site(self.request_site)

    @property
    def address(self) -> Address:
        return self.request_site, self.path, self.raw_query

    def moment(self) -> Moment:
        return _one_copy((derived.current_version(), clock.today(), self.site))

    def query(self) -> Query:
        return read_query(self.raw_query)


@functools.lru_cache(maxsize=64)
def _one_copy(value: Moment) -> Moment:
    """The first of equal moments: each address's `Known` holds one, and the same files'
    signatures copied for each would take three times the memory."""
    return value


@dataclass(frozen=True)
class Body:
    content: bytes
    media_type: str
    filename: str | None = None  # sent as an attachment of this name


@dataclass(frozen=True)
class Prepared:
    """An answer before its body: the data it is drawn from, what else it depends on (the URL,
    the day, ...; with the data version, its ETag), and how to build it (for a kind that
    renders, a picklable callable: it runs in a drawing process, `convert.draw`)."""

    version: derived.Version
    depends_on: tuple[str, ...]
    build: Callable[[], Body]


class NotFound(LookupError):
    """No such page, chart or format: the message says what there is."""


@dataclass(frozen=True)
class Kind:
    """How a family of routes answers: the headers on every answer, how long a cache may keep a
    good one, how an error reads (`json_error`, `text_error`, ...), and for CORS the headers of
    a preflight's 204."""

    headers: Mapping[str, str]
    cache_control: str
    error: Callable[[int, str, BadQuery | None], Body]
    preflight: Mapping[str, str] | None = None
    renders: bool = False  # its bodies are drawn in the render pool (`rendered`)


def json_error(status: int, message: str, bad: BadQuery | None) -> Body:
    names = {404: "not_found", 429: "too_many_requests", 500: "server_error", 503: "busy"}
    body = bad.as_json() if bad else {"error": names.get(status, "error"), "message": message}
    return Body(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), JSON_TYPE)


def text_error(status: int, message: str, bad: BadQuery | None) -> Body:
    return Body(f"{message}\n".encode(), TEXT_TYPE)


def etag(data_version: str, *parts: str) -> str:
    """A weak validator for the representation `parts` describe at `data_version`, which it
    shows (so a cache's log says which data it holds): weak, because Streamlit's gzip middleware
    may re-encode the bytes on the way out."""
    shown = re.sub(r"[^0-9A-Za-z.+_-]", "", data_version)[:40]
    digest = hashlib.sha256("\x1f".join((data_version, *parts)).encode("utf-8")).hexdigest()[:24]
    return f'W/"{shown}-{digest}"'


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, tag: str, modified: float | None
) -> bool:
    """Whether a conditional GET may be answered 304. If-None-Match decides when it is sent (weak
    comparison, any listed tag or `*`); If-Modified-Since only when it is not (RFC 9110 §13.2.2)."""
    if if_none_match is not None:
        listed = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
        return "*" in listed or tag.removeprefix("W/") in listed
    if if_modified_since is None or modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    return since.tzinfo is not None and int(modified) <= since.timestamp()


@dataclass(frozen=True)
class Known:
    """What a 200 is known by (its validators and headers) and the moment they hold for, kept
    per address (`Limits.addresses`): until the data, the day or the site changes, a repeat is
    answered from it and the kept body on the event loop (`repeat`), with no worker thread."""

    moment: Moment
    tag: str
    modified: float | None
    headers: Mapping[str, str]

    def unchanged(self, asked: Asked) -> Response | None:
        """The 304 when the client holds this answer."""
        if not_modified(asked.if_none_match, asked.if_modified_since, self.tag, self.modified):
            return Response(status_code=304, headers=self.headers)
        return None

    def respond(self, body: Body) -> Response:
        headers = dict(self.headers)
        if body.filename:
            headers["Content-Disposition"] = f'attachment; filename="{body.filename}"'
        return Response(body.content, media_type=body.media_type, headers=headers)


@dataclass(frozen=True)
class Ready:
    """A 200 whose validators are known, and how to build its body."""

    known: Known
    build: Callable[[], Body]


def answer(asked: Asked, prepare: Callable[[Asked], Prepared], kind: Kind) -> Response | Ready:
    """The whole answer to a GET, in a worker thread: parameters and view (`prepare`), then the
    validators (kept for a repeat) and a 304 if they match, then the body; every failure answered
    here. A render's body is left to `rendered` (returned Ready)."""
    try:
        moment = asked.moment()  # before `prepare`: were the data to change meanwhile, a repeat misses
        prepared = prepare(asked)
        data_version = derived.data_version(prepared.version)
        tag = etag(data_version, *prepared.depends_on)
        modified = derived.last_modified(prepared.version)
        headers = {
            **kind.headers,
            "Cache-Control": kind.cache_control,
            "ETag": tag,
            "X-Data-Version": data_version,
        }
        if modified is not None:
            headers["Last-Modified"] = email.utils.formatdate(modified, usegmt=True)
        known = Known(moment, tag, modified, headers)
        LIMITS.addresses.put(asked.address, known, 1)
        if (unchanged := known.unchanged(asked)) is not None:
            return unchanged
        ready = Ready(known, prepared.build)
        return ready if kind.renders else known.respond(kept(ready))
    except Exception as failure:
        return failed(kind, failure, asked.path)


def repeat(asked: Asked) -> Response | None:
    """On the event loop: the answer to an address answered before at this same moment, when the
    client holds it (304) or its body is kept; else None, and `answer` runs in a worker thread.
    A reader's repeat thus waits for no thread, however busy the process is."""
    known = LIMITS.addresses.get(asked.address)
    try:
        if known is None or known.moment != asked.moment():
            return None
    except Exception:  # a misconfigured site: `answer` says so, logged
        return None
    if (unchanged := known.unchanged(asked)) is not None:
        return unchanged
    body = LIMITS.cache.get(known.tag)
    return None if body is None else known.respond(body)


async def rendered(ready: Ready, kind: Kind, client: str, path: str) -> Response:
    """A render's answer, on the event loop: the bytes kept, at once; else a render under way for
    the same answer, joined; else, within the client's budget (429) and the pool's room (503),
    drawn in the render pool. Only a new render spends the budget; no request waits for one
    longer than `wait_s` (503)."""
    chosen, known = LIMITS, ready.known
    if (body := chosen.cache.get(known.tag)) is not None:
        return known.respond(body)
    if (future := chosen.pool.running(known.tag)) is None:
        if wait := chosen.budget.wait(client):
            return await refused(
                client, error(kind, 429, TOO_MANY.format(seconds=math.ceil(wait)), retry_after=wait)
            )
        future = chosen.pool.submit(known.tag, lambda: keep(chosen, ready))
        if future is None:
            return await refused(client, busy(kind))
        chosen.budget.spend(client)
    try:  # shielded: a render given up on goes on, and is kept for the next request
        body = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), chosen.wait_s)
    except TimeoutError:  # it waited its turn: no pause
        return busy(kind)
    except Exception as failure:
        return failed(kind, failure, path)
    return known.respond(body)


async def refused(client: str, refusal: Response) -> Response:
    """A 429 or 503, sent after a pause if the client was refused very recently (`Refusals`)."""
    if pause := LIMITS.refusals.pause(client):
        await asyncio.sleep(pause)
    return refusal


def busy(kind: Kind) -> Response:
    return error(kind, 503, BUSY.format(seconds=LIMITS.busy_retry_s), retry_after=LIMITS.busy_retry_s)


def kept(ready: Ready) -> Body:
    """The body of a kind that does not render: built once per validator (the data version, the
    day, the canonical address), then kept with the renders' bytes; the same view asked in other
    words costs its `prepare` alone."""
    if (body := LIMITS.cache.get(ready.known.tag)) is None:
        body = ready.build()
        LIMITS.cache.put(ready.known.tag, body, len(body.content))
    return body


def keep(chosen: Limits, ready: Ready) -> Body:
    body = convert.draw(ready.build)
    return chosen.cache.put(ready.known.tag, body, len(body.content))


def failed(kind: Kind, failure: Exception, path: str) -> Response:
    if isinstance(failure, BadQuery):
        return error(kind, 400, failure.explain(), failure)
    if isinstance(failure, NotFound):
        return error(kind, 404, str(failure))
    log.error("Answering %s failed", path, exc_info=failure)
    return error(kind, 500, SERVER_FAULT)


def error(
    kind: Kind, status: int, message: str, bad: BadQuery | None = None, retry_after: float | None = None
) -> Response:
    """An error in the kind's style, kept by no cache; with Retry-After (whole seconds) if given."""
    body = kind.error(status, message, bad)
    headers = {**kind.headers, "Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return Response(body.content, status_code=status, media_type=body.media_type, headers=headers)


def client_key(request: Request) -> str:
    """Whose render budget a request spends: the client's address, behind trusted proxies too."""
    peer = request.client.host if request.client else "unknown"
    return proxies.client_address(peer, request.headers.get("x-forwarded-for"), proxies.trusted())


def asked(request: Request) -> Asked:
    try:
        site = f"{request.url.scheme}://{request.url.netloc}"
    except ValueError:  # a Host header that is not a host
        site = FALLBACK_SITE
    return Asked(
        path=request.url.path,
        raw_query=request.scope.get("query_string", b""),
        request_site=site,
        path_params=dict(request.path_params),
        if_none_match=request.headers.get("if-none-match"),
        if_modified_since=request.headers.get("if-modified-since"),
    )


def route(path: str, prepare: Callable[[Asked], Prepared], kind: Kind) -> Route:
    """A route for GET (and HEAD) answered by `answer` in a worker thread (a repeat by `repeat`,
    on the event loop), and for OPTIONS when the kind answers a CORS preflight."""

    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=kind.preflight)
        this = asked(request)
        if (again := repeat(this)) is not None:
            return again
        if kind.renders and LIMITS.pool.full() and LIMITS.addresses.get(this.address) is None:
            # no room to draw and nothing drawn or under way for it: said before any work
            return await refused(client_key(request), busy(kind))
        done = await run_in_threadpool(answer, this, prepare, kind)
        if isinstance(done, Ready):
            return await rendered(done, kind, client_key(request), this.path)
        return done

    return Route(path, endpoint, methods=["GET", "OPTIONS"] if kind.preflight else ["GET"])
