"""Routes served beside the dashboard (st.App, see app.py), and what Streamlit's own may answer.

The browser fetches the map geometry and the page icon from /assets/ (the checkout's static/
folder), once: they change only with a release, so they are cached for a day.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from isf_tracker import paths

ASSETS_PATH = "/assets"
ASSET_MAX_AGE_S = 86_400


class CachedStaticFiles(StaticFiles):
    """Static files with a Cache-Control header, so a browser does not even revalidate them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_cache(message: dict) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = list(message.get("headers", []))
                headers.append((b"cache-control", f"public, max-age={ASSET_MAX_AGE_S}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await super().__call__(scope, receive, send_with_cache)


def routes() -> list[BaseRoute]:
    return [Mount(ASSETS_PATH, app=CachedStaticFiles(directory=paths.static_dir()), name="assets")]


def middleware() -> list[Middleware]:
    return []
