"""A dashboard page's view read from a request, for the views that leave the app (snapshots,
embeds, images): the shared filters and the page's own options, parsed strictly like the API;
every URL of the view (one place builds them all: `Urls`); and the answer to a GET with its
validators (ETag, Last-Modified, 304), a 400 that names the parameter, and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from isf_tracker import clock, derived, filters, share
from isf_tracker.derived import ViewKey
from isf_tracker.filters import Choices, Filter, FilterState, View
from isf_tracker.web import api, caching, params
from isf_tracker.web.api import Asked
from isf_tracker.web.params import BadQuery, Problem

#: The dashboard's pages a snapshot can show, in the navigation's order (share.py defines them).
PAGES: tuple[str, ...] = share.SNAPSHOT_PAGES
SNAPSHOT_PREFIX, EMBED_PREFIX, IMAGE_PREFIX = share.SNAPSHOT_PREFIX, share.EMBED_PREFIX, share.IMAGE_PREFIX
CACHE_CONTROL = "public, max-age=60"
#: Nothing a snapshot, an embed or an image brings may run, load from elsewhere or style itself
#: inline: its only stylesheet is the site's own file.
CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'"
SAFETY_HEADERS = {**api.SAFETY_HEADERS, "Content-Security-Policy": CSP}
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
CSV_PATHS = {kind: f"{api.API_PREFIX}/{kind}.csv" for kind in ("statements", "positions")}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageView:
    """One page of the dashboard for one view: the view's key (data version, shared filters,
    today) and the page's own options, parsed. Hashable: rendered pages and images are cached on it."""

    page: str
    key: ViewKey
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, key: str) -> Any:
        return dict(self.options)[key]

    @property
    def view(self) -> View:
        return derived.view(self.key)

    @property
    def state(self) -> FilterState:
        return derived.state(self.key)

    @property
    def choices(self) -> Choices:
        return derived.choices(self.key.version, self.key.today)

    @property
    def shared_query(self) -> dict[str, list[str]]:
        """The shared filters in URL form (what the API takes)."""
        return {key: list(values) for key, values in self.key.query}

    def query(self) -> dict[str, list[str]]:
        """The page's URL parameters, canonical: the shared filters in registry order, then the
        page's options that are not at their default."""
        query = filters.to_query(self.state)
        for option in filters.PAGE_OPTIONS.get(self.page, ()):
            if option.key in dict(self.options) and (encoded := option.to_url(self.option(option.key))):
                query[option.key] = encoded
        return query

    def countries(self) -> list[str]:
        """The countries the `country` filter names (in the order given)."""
        return [iso3 for iso3 in self.state["country"] if iso3 in self.choices.countries]


#: Why a parameter the page does not know is refused.
UNKNOWN = "not a parameter of this page"


def _problem_for_unknown(name: str, values: Sequence[str], known: Sequence[str]) -> Problem:
    return Problem(name, values[0] if values else "", UNKNOWN, tuple(known))


def read_view(
    page: str,
    query: Mapping[str, Sequence[str]],
    version: derived.Version,
    today: dt.date,
    extra: Sequence[Filter] = (),
) -> tuple[PageView, dict[str, Any]]:
    """The page's view for `query`, and the values of `extra` (parameters of the route itself).
    Any parameter neither the registry nor the page knows, and any value one of them drops,
    refuses the whole query (BadQuery names each)."""
    choices = derived.choices(version, today)
    own = (*filters.PAGE_OPTIONS.get(page, ()), *extra)
    known = [option.key for option in (*filters.registry(), *own)]
    problems = [
        _problem_for_unknown(name, values, known) for name, values in query.items() if name not in known
    ]
    shared_keys = {option.key for option in filters.registry()}
    shared = {name: values for name, values in query.items() if name in shared_keys}
    try:
        state = params.state_for(shared, choices)
    except BadQuery as bad:
        problems += bad.problems
        state = None
    values, dropped = filters.parse(query, own, choices)
    for option in own:
        for item in dropped.get(option.key, ()):
            allowed = () if item.why else tuple(getattr(option, "options", lambda _c: {})(choices))
            problems.append(
                Problem(option.key, item.value, item.why or "not a value this parameter takes", allowed)
            )
    if problems or state is None:
        raise BadQuery(problems)
    key = ViewKey.of(version, params.canonical(state), today)
    page_options = tuple((option.key, values[option.key]) for option in filters.PAGE_OPTIONS.get(page, ()))
    extras = {option.key: values[option.key] for option in extra}
    return PageView(page, key, page_options), extras


@dataclass(frozen=True)
class Urls:
    """Every address of a view, absolute on the site the request came to."""

    site: str

    def _with(self, path: str, query: Mapping[str, Sequence[str]]) -> str:
        """`path` with `query`, the shared filters first in registry order (as the dashboard writes them)."""
        return share.address(self.site, path, query)

    def live(self, view: PageView) -> str:
        """The interactive page in the dashboard."""
        return self._with(share.live_path(view.page), view.query())

    def snapshot(self, view: PageView, page: str | None = None) -> str:
        """The view's snapshot, or another page's with the same shared filters."""
        page = page or view.page
        query = view.query() if page == view.page else view.shared_query
        return self._with(f"{SNAPSHOT_PREFIX}/{page}", query)

    def snapshot_of(self, page: str, query: Mapping[str, Sequence[str]]) -> str:
        """The snapshot of `page` for another query (a country's profile from the list)."""
        return self._with(f"{SNAPSHOT_PREFIX}/{page}", query)

    def embed(self, view: PageView) -> str:
        return self._with(f"{EMBED_PREFIX}/{view.page}", view.query())

    def image(
        self, view: PageView, chart: str, suffix: str, width: int | None = None, download: bool = False
    ) -> str:
        """The chart as an image (`suffix` png or svg) with its source drawn in."""
        query = view.query()
        if width is not None:
            query["width"] = [str(width)]
        if download:
            query["download"] = ["1"]
        return self._with(f"{IMAGE_PREFIX}/{view.page}/{chart}.{suffix}", query)

    def csv(self, view: PageView, kind: str) -> str:
        """The open data API's CSV of the view's statements or positions (every row)."""
        return self._with(CSV_PATHS[kind], view.shared_query)


@dataclass(frozen=True)
class Made:
    """A body and how it goes out."""

    content: bytes
    media_type: str
    filename: str | None = None


Read = Callable[[Mapping[str, Sequence[str]], derived.Version, dt.date], tuple[PageView, dict[str, Any]]]
Build = Callable[[PageView, dict[str, Any], Urls], Made]


def reader(
    page: str, extra: Sequence[Filter] = (), check: Callable[[PageView], object] | None = None
) -> Read:
    """How a route reads its query: `read_view` for `page` with the route's own parameters, then
    `check`, which may refuse a view the page cannot show (raising BadQuery)."""

    def read(query: Mapping[str, Sequence[str]], version: derived.Version, today: dt.date) -> tuple:
        view, extras = read_view(page, query, version, today, extra)
        if check is not None:
            check(view)
        return view, extras

    return read


def serve(
    asked: Asked,
    self_path: Callable[[PageView, Urls], str],
    read: Read,
    build: Build,
    error: Callable[[int, str], Response],
    today: dt.date | None = None,
) -> Response:
    """The whole answer to a GET, in a worker thread: 400 naming the parameter for a query that
    cannot be used, 304 when the client's copy is current, else what `build` makes."""
    try:
        query = params.read_query(asked.raw_query)
        version, today = derived.current_version(), today or clock.today()
        view, extras = read(query, version, today)
        urls = Urls(asked.site)
        data_version = derived.data_version(version)
        tag = caching.etag(
            data_version, today.isoformat(), self_path(view, urls), repr(sorted(extras.items()))
        )
        modified = derived.last_modified(version)
        headers = {
            **SAFETY_HEADERS,
            "Cache-Control": CACHE_CONTROL,
            "ETag": tag,
            "X-Data-Version": data_version,
        }
        if modified is not None:
            headers["Last-Modified"] = caching.http_date(modified)
        if caching.not_modified(asked.if_none_match, asked.if_modified_since, tag, modified):
            return Response(status_code=304, headers=headers)
        made = build(view, extras, urls)
        if made.filename:
            headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        return Response(made.content, media_type=made.media_type, headers=headers)
    except BadQuery as bad:
        return error(400, explain(bad))
    except Exception:
        log.exception("A snapshot, embed or image failed on %s", asked.path)
        return error(500, "The server failed; it has been logged.")


def explain(bad: BadQuery) -> str:
    """What was refused and why, then what each refused parameter would take."""
    told: dict[str, str] = {}
    for problem in bad.problems[: params.MAX_PROBLEMS]:
        if problem.why == UNKNOWN:
            told[UNKNOWN] = f"The parameters of this page: {', '.join(problem.allowed)}."
        elif problem.allowed:
            told[problem.parameter] = (
                f"{filters.shorten(problem.parameter, 30)} takes: {', '.join(problem.allowed)}."
            )
    return " ".join([bad.message(), *told.values()])


def endpoint(answer: Callable[[Asked, Mapping[str, str]], Response]) -> Callable[[Request], Any]:
    """A Starlette endpoint: the request read on the event loop, the answer made in a thread
    from what was asked and the path's parameters."""

    async def serve_request(request: Request) -> Response:
        return await run_in_threadpool(answer, api.read_request(request), dict(request.path_params))

    serve_request.__name__ = getattr(answer, "__name__", "serve")
    return serve_request


def plain_error(status: int, message: str) -> Response:
    headers = {**SAFETY_HEADERS, "Cache-Control": "no-store"}
    return Response(message + "\n", status_code=status, media_type=TEXT_TYPE, headers=headers)
