"""Charts as images with their source drawn in (web/images.py), and what makes
a Vega SVG fit to inline (web/svg.py), and the map drawn as the live one is."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import vl_convert as vlc
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import chart_registry, clock, derived, share, summary, vocabulary
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.web import convert, images, routes, svg, views
from tests.ledger_rows import ROOT, csv_text, row

SITE = "http://testserver"
SVG_NS = "{http://www.w3.org/2000/svg}"
#: Every chart of every page, with a query it can be drawn for.
IMAGES = [
    (page, chart.name, "country=PAK" if page == "country" else "")
    for chart in chart_registry.CHARTS
    for page in chart.pages
]


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert body[12:16] == b"IHDR"
    return struct.unpack(">II", body[16:24])


def texts(document: bytes) -> list[str]:
    return [node.text for node in ET.fromstring(document).iter(f"{SVG_NS}text") if node.text]


def page_view(page: str, query: dict[str, list[str]] | None = None) -> views.PageView:
    return views.read_view(page, query or {}, derived.current_version(), clock.today())[0]


# --- the routes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "chart", "query"), IMAGES)
def test_every_chart_is_a_png_twice_its_layout_width(client, page, chart, query):
    response = client.get(f"/img/{page}/{chart}.png?{query}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "image/png"
    width, height = png_size(response.content)
    assert width == 1800 and height > 200
    assert "Content-Disposition" not in response.headers


def test_the_preview_png_is_1200_pixels_wide(client):
    response = client.get("/img/overview/coverage.png?width=1200")
    assert png_size(response.content)[0] == 1200


@pytest.mark.parametrize(("page", "chart", "query"), IMAGES)
def test_the_svg_says_what_where_when_and_from_which_data(client, page, chart, query):
    response = client.get(f"/img/{page}/{chart}.svg?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.get("width") == "900"
    written = texts(response.content)
    view = page_view(page, {"country": ["PAK"]} if query else {})
    live = f"{SITE}/{'' if page == 'overview' else page}" + (f"?{query}" if query else "")
    version = derived.data_version(view.key.version)
    assert images.title(view, chart) in written
    dated = summary.sentence_case(summary.dated_phrase(view.view.dated, view.view.as_of_set))
    assert dated.startswith("Record as of ")  # the record's own date, never today's
    assert f"{dated} · {view.view.description}" in written
    assert summary.answer(derived.answer(view.key)).lead in " ".join(written)  # the answer, as a caption
    source = f"ISF Tracker, data version {version}; sources: every statement's own, linked at {SITE}"
    assert source in written
    assert live in written


def test_a_render_runs_under_the_settings_of_the_moment(monkeypatch):
    convert.svg(json.dumps({"mark": "point"}))  # the drawing process runs, started without this:
    monkeypatch.setenv("ISF_TRACKER_PROBE", "set after it started")
    assert convert.draw(functools.partial(os.getenv, "ISF_TRACKER_PROBE")) == "set after it started"
    monkeypatch.delenv("ISF_TRACKER_PROBE")
    assert convert.draw(functools.partial(os.getenv, "ISF_TRACKER_PROBE")) is None


@pytest.mark.skipif(len(getattr(os, "sched_getaffinity", lambda _: ())(0)) < 2, reason="Linux, 2+ cores")
def test_a_render_runs_only_on_time_the_readers_leave_and_never_on_the_first_core():
    cores = os.sched_getaffinity(0)
    assert convert.draw(functools.partial(os.sched_getaffinity, 0)) == cores - {min(cores)}
    assert convert.draw(functools.partial(os.sched_getscheduler, 0)) == os.SCHED_IDLE


@pytest.mark.parametrize(
    ("query", "meaning"), [("", "stance on disarming Hamas"), ("color=status", "status")]
)
def test_the_map_says_in_its_title_what_its_colours_mean(client, query, meaning):
    title = f"Map of positions, coloured by {meaning}"
    assert title in texts(client.get(f"/img/map/map.svg?{query}").content)
    assert f"<h2>{title}</h2>" in client.get(f"/s/map?{query}").text


def test_long_lines_are_wrapped_to_the_image(client):
    query = "&".join(f"country={c}" for c in ("PAK", "IDN", "AZE", "EGY", "JOR", "TUR", "XKX", "KAZ", "MAR"))
    written = texts(client.get(f"/img/map/map.svg?view=world&{query}").content)
    assert max(len(line) for line in written) <= 150
    assert "".join(written).count("country=") == 9  # the whole address, over several lines


def test_download_sends_a_file_named_for_the_view(client):
    response = client.get("/img/map/map.png?color=status&download=1")
    as_of = clock.today().isoformat()
    assert (
        response.headers["content-disposition"] == f'attachment; filename="isf-tracker-map-map-{as_of}.png"'
    )
    svg_answer = client.get("/img/charts/timeline.svg?as_of=2025-12-31&download=1")
    expected = 'attachment; filename="isf-tracker-charts-timeline-2025-12-31.svg"'
    assert svg_answer.headers["content-disposition"] == expected


@pytest.mark.parametrize(
    ("link", "parameter"),
    [
        ("/img/country/timeline.png", "country"),
        ("/img/country/timeline.svg?country=PAK&country=IDN", "country"),
        ("/img/map/map.png?width=4000", "width"),
        ("/img/map/map.png?download=yes", "download"),
        ("/img/map/map.png?sort=troops", "sort"),
        ("/img/conditions/matrix.svg?sort=name", "sort"),
        ("/img/charts/ranges.png?min_troops=-1", "min_troops"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(client, link, parameter):
    response = client.get(link)
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert f"{parameter}=" in response.text


@pytest.mark.parametrize(
    "link", ["/img/map/coverage.png", "/img/overview/coverage.gif", "/img/sources/x.png"]
)
def test_an_image_that_does_not_exist_is_a_404(client, link):
    response = client.get(link)
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_images_are_validated_and_cached(client, monkeypatch):
    first = client.get("/img/map/map.png?country=PAK")
    tag = first.headers["etag"]
    assert first.headers["x-data-version"] and first.headers["last-modified"]
    assert "default-src 'none'" in first.headers["content-security-policy"]
    assert client.get("/img/map/map.png?country=PAK", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/img/map/map.png?country=PAK&width=1200").headers["etag"] != tag
    assert client.get("/img/map/map.svg?country=PAK").headers["etag"] != tag
    drawn = []
    monkeypatch.setattr(convert, "draw", lambda build: drawn.append(build) or build())
    assert client.get("/img/map/map.png?country=PAK").content == first.content
    assert drawn == []  # the bytes sent the first time, not drawn again
    client.get("/img/map/map.png?country=IDN")
    assert len(drawn) == 1  # a view not drawn before is


def append(ledger: Path, values: dict[str, str]) -> None:
    """One row at the end of the ledger, in its own columns."""
    with ledger.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with ledger.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n", extrasaction="ignore").writerow(values)


def test_a_new_version_of_the_data_is_a_new_image(client, ledger):
    before = client.get("/img/overview/coverage.svg").headers["etag"]
    append(ledger, row(statement_id="Z999", date="2025-12-30", troops_min="9000", troops_max="9000"))
    after = client.get("/img/overview/coverage.svg")
    assert after.status_code == 200 and after.headers["etag"] != before


# --- the SVG is clean ------------------------------------------------------------------------------


HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10">'
    "<script>alert(1)</script><foreignObject><div>x</div></foreignObject>"
    '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs>'
    '<g clip-path="url(#clip1)" onload="alert(2)">'
    '<a xlink:href="javascript:alert(3)"><text>&lt;b&gt;</text></a>'
    '<a xlink:href="https://example.org/?a=&quot;&gt;"><path d="M0.123456,1L2,3Z"/></a>'
    '<image href="https://example.org/x.png"/></g></svg>'
)


def test_clean_keeps_what_vega_draws_and_nothing_that_runs():
    cleaned = svg.clean(HOSTILE_SVG, prefix="p-", label="A chart")
    root = ET.fromstring(cleaned)
    tags = [node.tag.rsplit("}", 1)[-1] for node in root.iter()]
    assert "script" not in tags and "foreignObject" not in tags and "image" not in tags
    assert "onload" not in cleaned and "javascript" not in cleaned
    links = [node.get("{http://www.w3.org/1999/xlink}href") for node in root.iter(f"{SVG_NS}a")]
    assert links == [None, "https://example.org/?a=%22%3E"]
    assert root.find(f".//{SVG_NS}clipPath").get("id") == "p-clip1"
    assert root.find(f".//{SVG_NS}g").get("clip-path") == "url(#p-clip1)"
    assert root.find(f".//{SVG_NS}text").text == "<b>"  # text stays text, escaped when written
    assert "&lt;b&gt;" in cleaned
    assert root.find(f".//{SVG_NS}path").get("d") == "M0.12,1L2,3Z"
    assert root.get("role") == "img" and root.get("aria-label") == "A chart"


def test_long_outlines_are_rounded_to_the_grid_and_merged():
    outline = "M0.1,0.1L0.2,0.2L0.3,0.2L1.1,0.9L1.2,1.0L2.26,2.24L3,3L3.1,3.1L4,4L5,5L6,6L7,7L8,8L0.1,0.1Z"
    assert svg.compact_path(outline) == "M0,0l0.5,0l0.5,1l1.5,1l0.5,1l1,1l1,1l1,1l1,1l1,1l-8,-8Z"
    tiny = "M1,1" + "L1.1,1.1" * 12 + "Z"
    assert svg.compact_path(tiny) == ""  # a ring under a grid step is left out


# --- the map --------------------------------------------------------------------------------------


def test_the_map_svg_is_small():
    for area in ("region", "world"):
        view = page_view("map", {"view": [area]})
        drawn = images.chart_svg(view, "map", images.WIDE, legend=False)
        assert len(drawn.encode()) < 400_000, area
        assert drawn.count("<path") > 50  # the countries are drawn


@pytest.mark.parametrize("area", ["region", "world"])
def test_the_map_has_a_white_sea_and_grey_land_as_the_live_one_does(area):
    """The live map's sea is the white page, a country with no statement the no-data grey. A
    ring wound the wrong way would paint the whole globe grey, sea and all."""
    drawn = images.chart_svg(page_view("map", {"view": [area]}), "map", images.WIDE, legend=False)
    image = Image.open(io.BytesIO(vlc.svg_to_png(drawn))).convert("RGB")
    share = {colour: count / (image.width * image.height) for count, colour in image.getcolors(1 << 16)}
    grey = tuple(bytes.fromhex(vocabulary.NO_DATA_COLOR.removeprefix("#")))
    assert share[(255, 255, 255)] > 0.3 and share[grey] > 0.1, sorted(share.values())[-3:]


def test_a_hostile_link_in_a_chart_stays_an_http_link(client, write_ledger, monkeypatch):
    hostile = "https://example.org/a\"><script>alert(2)</script>'x"
    rows = [
        row(),
        row(
            statement_id="T002",
            iso3="IDN",
            country="Indonesia",
            source_url=hostile,
            quote="<script>alert(1)</script>",
            speaker="**bold** [x](javascript:alert(1))",
        ),
    ]
    monkeypatch.setenv(DATA_ENV_VAR, str(write_ledger(csv_text(rows))))
    body = client.get("/img/conditions/matrix.svg").content
    root = ET.fromstring(body)
    links = {node.get("{http://www.w3.org/1999/xlink}href") for node in root.iter(f"{SVG_NS}a")}
    assert "https://example.org/a%22%3E%3Cscript%3Ealert(2)%3C/script%3E%27x" in links
    assert b"<script" not in body and not [node for node in root.iter() if node.tag.endswith("script")]


def test_every_route_and_image_parameter_is_documented():
    documented = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for route in ("/s/{page}", "/embed/{page}", "/img/{page}/{chart}.png", "/img/{page}/{chart}.svg"):
        assert f"`GET {route}?{{query}}`" in documented, route
    for option in images.OPTIONS:
        assert f"| `{option.key}` |" in documented, option.key
    for page in share.SNAPSHOT_PAGES:
        assert f"`{page}`" in documented, page
