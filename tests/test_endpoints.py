"""Streamlit's own endpoints: only what readers need answers; the rest is 404 before Streamlit."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from isf_tracker.web import routes


def behind_the_guard() -> TestClient:
    """The guard in front of an app that answers every path (as Streamlit would)."""

    async def anything(request):
        return PlainTextResponse(f"served {request.url.path}")

    app = Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "OPTIONS"])],
                    middleware=routes.middleware())  # fmt: skip
    return TestClient(app)


@pytest.mark.parametrize(
    "path",
    ["/_stcore/metrics", "/_stcore//metrics", "/./_stcore/metrics", "/_stcore/agent/interact",
     "/_stcore/upload_file/abc/def", "/component/x/index.html", "/auth/login", "/oauth2callback"],
)  # fmt: skip
def test_closed_endpoints_answer_404(path):
    client = behind_the_guard()
    for method in ("GET", "POST", "OPTIONS"):
        assert client.request(method, path).status_code == 404, (method, path)


@pytest.mark.parametrize(
    "path",
    ["/", "/map", "/_stcore/health", "/_stcore/host-config", "/static/js/main.js", "/media/abc.csv",
     "/assets/world-countries-50m.json", "/api/v1/statements.json"],
)  # fmt: skip
def test_what_readers_need_passes(path):
    assert behind_the_guard().get(path).text == f"served {path}"
