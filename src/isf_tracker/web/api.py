"""The open data API and the Atom feed: read-only, no key, served beside the dashboard.

Each endpoint is a body built by a pure function (`payloads`, `feed`) from the view the query
asks for, looked up in the dashboard's own cache (`derived.view`, keyed like a page). `http`
answers for all of them: a query the registry cannot use is a 400 naming the parameter, a
current copy a 304, a real fault a short logged 500. CORS is open for GET.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute

from isf_tracker import clock, derived, filters, share, summary
from isf_tracker.derived import ViewKey
from isf_tracker.web import feed, http, params, payloads

CSV_TYPE = "text/csv; charset=utf-8"
LICENSE = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
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
API = http.Kind(
    {**CORS_HEADERS, **http.SAFETY_HEADERS}, http.CACHE_CONTROL, http.json_error, PREFLIGHT_HEADERS
)


@dataclass(frozen=True)
class Served(derived.OfView):
    """What a body is built from: the view's key, its canonical query and address, the site."""

    key: ViewKey
    query: dict[str, list[str]]
    url: str
    site: str

    def envelope(self, name: str, items: Sequence[Any], **extra: Any) -> http.Body:
        """The JSON body: which data and view (`as_of`: the chosen day, else the record's latest
        statement), then `count` and the items under `name`, then licence and citation."""
        version, chosen = derived.data_version(self.key.version), "as_of" in self.query
        body = {
            "data_version": version,
            "as_of": self.view.dated.isoformat(),
            "as_of_is": "the chosen day" if chosen else "the record's latest statement",
            "query": self.query,
            "description": self.view.description,
            "count": len(items),
            name: list(items),
            **extra,
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "citation": share.citation(version, self.view.dated, self.url, self.key.today, chosen),
        }
        text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return http.Body(text.encode("utf-8"), http.JSON_TYPE)


Render = Callable[[Served], http.Body]


def prepare(render: Render) -> Callable[[http.Asked], http.Prepared]:
    """How an endpoint reads its request: the shared filters, strictly, into a view's key and
    the answer's canonical address (the same view, however asked, has one ETag)."""

    def read(asked: http.Asked) -> http.Prepared:
        version, today = derived.current_version(), clock.today()
        state, _ = params.read(asked.query(), derived.choices(version, today))
        query = filters.to_query(state)
        url = share.address(asked.site, asked.path, query)
        served = Served(ViewKey.of(version, query, today), query, url, asked.site)
        return http.Prepared(version, (today.isoformat(), url), lambda: render(served))

    return read


def statements_json(served: Served) -> http.Body:
    return served.envelope("rows", payloads.statement_rows(served.view.statements))


def statements_csv(served: Served) -> http.Body:
    name = f"isf-tracker-statements-{served.view.dated.isoformat()}.csv"
    return http.Body(payloads.statements_csv(served.view.statements), CSV_TYPE, name)


def _positions(served: Served) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    rows = payloads.position_rows(served.view.positions, served.data.vocabularies)
    return rows, payloads.provenance(payloads.referenced(rows), served.data.statements)


def _answer(served: Served) -> dict[str, Any]:
    """The view's answer in words, as the dashboard, the snapshots and the images say it."""
    said = summary.answer(derived.answer(served.key))
    return {"lead": said.lead, "headline": said.headline, "scope": said.scope, "details": said.details}


def positions_json(served: Served) -> http.Body:
    rows, sources = _positions(served)
    return served.envelope("positions", rows, answer=_answer(served), statements=sources)


def answer_json(served: Served) -> http.Body:
    """The answer alone, with the countries it speaks of: GET /api/v1/answer.json?<filters>."""
    names = list(served.view.positions["country"])
    return served.envelope("countries", names, answer=_answer(served))


def positions_csv(served: Served) -> http.Body:
    name = f"isf-tracker-positions-{served.view.dated.isoformat()}.csv"
    return http.Body(payloads.positions_csv(*_positions(served)), CSV_TYPE, name)


def atom(served: Served) -> http.Body:
    return http.Body(feed.atom_feed(served), feed.MEDIA_TYPE)


ENDPOINTS: dict[str, Render] = {
    f"{share.API_PREFIX}/statements.json": statements_json,
    f"{share.API_PREFIX}/statements.csv": statements_csv,
    f"{share.API_PREFIX}/positions.json": positions_json,
    f"{share.API_PREFIX}/positions.csv": positions_csv,
    f"{share.API_PREFIX}/answer.json": answer_json,
    share.FEED_PATH: atom,
}


def routes() -> list[BaseRoute]:
    return [http.route(path, prepare(render), API) for path, render in ENDPOINTS.items()]
