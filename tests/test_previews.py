"""A dashboard link previews like its snapshot (web/previews.py): the HTML a real `streamlit run
app.py` serves at each page's address, for a filtered view, carries in its <head> the view's
title, its answer sentence, its main chart as og:image (the snapshot's own words and image),
canonical, Open Graph and Twitter tags. It tests Streamlit's served page itself, so it fails if a
Streamlit upgrade changes that page so the tags are lost."""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.server import Server, copy_shipped_data, start_server, stop_server
from isf_tracker import page_content
from tests.ledger_rows import FIXTURE_DIR
from tests.test_snapshots import Tags

#: Each page's dashboard address with a filtered view.
LINKS = {
    "overview": "/?status=committed",
    "map": "/map?country=PAK&country=IDN&color=status",
    "charts": "/charts?reliability=on_record",
    "conditions": "/conditions?region=south-eastern-asia&sort=conditions",
    "country": "/country?country=PAK",
    "statements": "/statements?as_of=2025-12-31",
    "sources": "/sources?country=IDN",
    "changes": "/changes?from=2025-10-01",
}
PREVIEW_KEYS = ("description", "og:title", "og:description", "og:url", "og:type", "og:site_name", "og:image",
                "og:image:alt", "og:image:width", "twitter:card", "twitter:title", "twitter:description",
                "twitter:image")  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("previews") / "data"
    copy_shipped_data(data, FIXTURE_DIR)
    running = start_server(data)
    yield running
    stop_server(running)


def fetch(server: Server, link: str, method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(server.url + link, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def head_of(server: Server, link: str) -> Tags:
    status, headers, body = fetch(server, link)
    assert status == 200 and headers["content-type"].startswith("text/html")
    return Tags(body.decode("utf-8"))


def previews(tags: Tags) -> dict[str, str | None]:
    return {key: tags.meta(key) for key in PREVIEW_KEYS}


@pytest.mark.parametrize("name", list(LINKS))
def test_each_page_previews_its_view_as_its_snapshot_does(server, name):
    link = LINKS[name]
    served = head_of(server, link)
    assert served.all("script"), "the dashboard's own page, not the snapshot"
    snapshot = head_of(server, f"/s/{name}?{urlsplit(link).query}")
    assert len(served.all("title")) == 1
    assert previews(served) == {**previews(snapshot), "og:url": server.url + link}
    assert all(previews(served).values())
    [canonical] = [tag["href"] for tag in served.all("link") if tag.get("rel") == "canonical"]
    assert canonical == server.url + link
    chart = "/".join(page_content.image_chart(name, 1 if name == "country" else 0))
    assert served.meta("og:image").startswith(f"{server.url}/img/{chart}.png?")
    assert served.meta("og:image").endswith("width=1200")


def test_the_preview_says_the_filtered_view(server):
    tags = head_of(server, "/map?country=PAK&country=IDN")
    assert tags.meta("og:title") == "Map of positions · ISF Tracker"
    assert "".join(tags.text).count("Map of positions · ISF Tracker") == 1  # the <title>
    assert tags.meta("description") == (
        "As of the latest statements in the record, 18 June 2026, none of the 2 countries taking part in the "
        "force or considering it has said it would take part in disarming Hamas. Indonesia and Pakistan have "
        "ruled it out explicitly."
    )
    assert tags.meta("og:image") == f"{server.url}/img/map/map.png?country=PAK&country=IDN&width=1200"
    assert tags.meta("twitter:image") == tags.meta("og:image")
    status, headers, _ = fetch(server, urlsplit(tags.meta("og:image")).path + "?country=PAK&width=1200")
    assert status == 200 and headers["content-type"] == "image/png"


def test_a_bad_or_unknown_value_previews_the_valid_view(server):
    tags = head_of(server, "/map?country=PAK&country=ZZZ&as_of=not-a-day&colour=red&color=nope")
    assert tags.meta("og:url") == f"{server.url}/map?country=PAK"
    assert tags.meta("og:image") == f"{server.url}/img/map/map.png?country=PAK&width=1200"
    assert head_of(server, "/?" + "country=PAK&" * 5_000).meta("og:url") == server.url + "/"


def test_compressed_conditional_and_head_requests_get_the_preview_whole(server):
    link = LINKS["map"]
    _, plain_headers, plain = fetch(server, link)
    status, headers, body = fetch(server, link, **{"Accept-Encoding": "gzip", "If-None-Match": "*"})
    assert status == 200
    assert (gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body) == plain
    assert int(plain_headers["content-length"]) == len(plain)
    assert "etag" not in plain_headers  # the file's validator does not describe the view
    status, headers, body = fetch(server, link, method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", str(len(plain)))


def test_other_paths_pass_untouched(server):
    add = head_of(server, "/add")  # the form: no view to preview
    assert add.meta("og:image") is None
    index = (Path(__import__("streamlit").__file__).parent / "static" / "index.html").read_bytes()
    assert fetch(server, "/add")[2] == index
    status, _, body = fetch(server, "/_stcore/health")
    assert (status, body) == (200, b"ok")
