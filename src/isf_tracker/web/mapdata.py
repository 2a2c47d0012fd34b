"""The live map's geometry, cut for its view: GET /geo/region.json and /geo/world.json.

The shipped TopoJSON (static/, 756 KB, 80,000 points) holds the whole world at 1:50m. A
browser drawing the regional view needs only the countries it shows, and at screen size far
fewer points (`geometry.browser_topology`): it then fetches, parses and projects a fraction,
and the map draws sooner. The address carries a version (`geo.geometry_url`), so the answer
is cached for a day and fetched again only when the regional view's countries change.
"""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from isf_tracker import derived, geo
from isf_tracker.web import api, geometry

AREAS = ("region", "world")
CACHE_CONTROL = "public, max-age=86400"


def body(area: str) -> bytes:
    """The geometry for `area`, the regional view fitted to every country of the ledger (as
    the map page fits it)."""
    return geometry.browser_topology(area, derived.ledger_countries(derived.current_version()))


async def serve(request: Request) -> Response:
    area = request.path_params["area"]
    if area not in AREAS:
        return PlainTextResponse(f"No map area {area[:20]!r}; the areas are: {', '.join(AREAS)}.", 404)
    content = await run_in_threadpool(body, area)
    tag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
    headers = {**api.SAFETY_HEADERS, "Cache-Control": CACHE_CONTROL, "ETag": tag}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type="application/json", headers=headers)


def routes() -> list[BaseRoute]:
    return [Route(f"/{geo.GEOMETRY_PATH}/{{area}}.json", serve, methods=["GET"])]
