"""Routes served beside the dashboard (st.App, see app.py), and what Streamlit's own may answer.

The browser fetches the map geometry and the page icon from /assets/ (the checkout's static/
folder), once: they change only with a release, so they are cached for a day. The open data
API (/api/v1/...) and the Atom feed (/feed.atom) are in `api`; static snapshots (/s/<page>)
and embeds (/embed/<page>) in `snapshots`; chart images (/img/<page>/<chart>.png|svg) in
`images` (docs/api.md). Each of these answers through `http.route`, the one HTTP path.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from isf_tracker import paths
from isf_tracker.web import api, http, images, previews, snapshots

ASSETS_PATH = "/assets"


class CachedStaticFiles(StaticFiles):
    """Static files with a Cache-Control header, so a browser does not even revalidate them."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = http.ASSET_CACHE_CONTROL
        return response


def routes() -> list[BaseRoute]:
    return [
        Mount(ASSETS_PATH, app=CachedStaticFiles(directory=paths.static_dir()), name="assets"),
        *api.routes(),
        *snapshots.routes(),
        *images.routes(),
    ]


#: Streamlit paths a reader's browser never needs (prefixes, after any base URL path).
CLOSED_PREFIXES = (
    "/_stcore/metrics",
    "/_stcore/agent",
    "/_stcore/upload_file",
    "/_stcore/script-health-check",
    "/_stcore/bidi-components",
    "/component/",
    "/auth/",
    "/oauth2callback",
)


def is_closed(path: str) -> bool:
    """True for a Streamlit endpoint readers do not need (matched however the URL is spelled)."""
    normal = "/" + "/".join(part for part in path.split("/") if part not in ("", "."))
    return any(normal.startswith(prefix.rstrip("/")) for prefix in CLOSED_PREFIXES)


class ReadersOnly:
    """ASGI middleware: 404 for the closed Streamlit endpoints, everything else passes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and is_closed(scope.get("path", "")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            closed = PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
            await closed(scope, receive, send)
            return
        await self.app(scope, receive, send)


def middleware() -> list[Middleware]:
    """In front of Streamlit's: the closed endpoints, then the preview tags of a page's HTML."""
    return [Middleware(ReadersOnly), Middleware(previews.Previews)]
