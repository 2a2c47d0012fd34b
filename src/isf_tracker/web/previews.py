"""A dashboard link previews like its snapshot: Streamlit's page shell, served at a page's address
(`/`, `/map?country=PAK`, ...), gets the view's title and link-preview tags in its <head>
(`render.preview`, the snapshot's own), so chat apps and crawlers, which run no script, see them.

ASGI middleware in front of Streamlit's (st.App's `middleware`, its public API). Only a GET or
HEAD of a page's address is touched, and only a 200 HTML answer is rewritten; the websocket, the
assets and every other path pass as they are. Streamlit's answer is asked for uncompressed and
unconditional (its ETag is the file's, not the view's); the rewritten one is sent whole with its
own length. Values the dashboard would drop are dropped (`views.lenient_view`); if anything still
fails, Streamlit's page goes out unchanged, and the failure is logged.
"""

from __future__ import annotations

import functools
import logging
import re

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isf_tracker import clock, derived, share
from isf_tracker.web import params, render
from isf_tracker.web.views import PageView, Urls, lenient_view

#: Each page's dashboard address, and its name.
PAGE_PATHS = {share.live_path(page): page for page in share.SNAPSHOT_PAGES} | {
    f"/{share.HOME_ALIAS}": "overview"
}
#: Request headers Streamlit must not see here: the page is rewritten, so it is sent uncompressed,
#: and whole (a 304 would keep a head that no longer matches the view).
DROPPED_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"if-range"}
TITLE = re.compile(rb"<title>[^<]*</title>")

log = logging.getLogger(__name__)


class Previews:
    """ASGI middleware: the view's preview tags in Streamlit's HTML at a page's address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = PAGE_PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if page is None or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = [(name, value) for name, value in scope["headers"] if name.lower() not in DROPPED_HEADERS]
        extensions = {k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"}
        inner = {**scope, "method": "GET", "headers": headers, "extensions": extensions}
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(inner, receive, keep)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        out = MutableHeaders(raw=list(start["headers"]))
        if start["status"] == 200 and out.get("content-type", "").startswith("text/html"):
            request = Request(scope)
            site = f"{request.url.scheme}://{request.url.netloc}"
            body = await run_in_threadpool(with_preview, body, page, scope.get("query_string", b""), site)
            for name in ("etag", "last-modified"):
                if name in out:
                    del out[name]
            out["content-length"] = str(len(body))
        await send({**start, "headers": out.raw})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def with_preview(html: bytes, page: str, raw_query: bytes, site: str) -> bytes:
    """Streamlit's `html` with its <title> replaced by the view's title and preview tags;
    unchanged if the view cannot be read or the page has no <title>."""
    try:
        version, today = derived.current_version(), clock.today()
        try:
            query = params.read_query(raw_query)
        except params.BadQuery:  # too long to read: the page's default view
            query = {}
        tags = head(lenient_view(page, query, version, today), site)
    except Exception:  # the reader still gets the dashboard, without the preview
        log.exception("no preview for %s", page)
        return html
    return TITLE.sub(lambda _match: tags, html, count=1)


@functools.lru_cache(maxsize=256)
def head(view: PageView, site: str) -> bytes:
    """The view's preview tags, canonical at its live address (cached on the view and the site)."""
    urls = Urls(site)
    markup: Markup = render.preview(view, urls, urls.live(view))
    return str(markup).encode("utf-8")
