"""A GET sent straight to the routes' ASGI app, for requests HTTP clients refuse to make
(query strings of 100 KB and more)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette

from isf_tracker.web import routes


def raw_get(path: str, query_string: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body. The app runs on an event loop of its own thread: the browser
    tests' Playwright keeps a loop running on the main thread for the whole session."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query_string,
             "root_path": "", "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1),
             "server": ("testserver", 80)}  # fmt: skip
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, Starlette(routes=routes.routes())(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body
