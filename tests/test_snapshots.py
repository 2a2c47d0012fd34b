"""Static snapshots (/s/{page}) and embeds (/embed/{page}), web/snapshots.py and web/render.py:
plain HTML that needs no script, the page's words, charts as inline SVG, its table, the citation
and the live link; link-preview tags whose image answers; strict 400s naming the parameter;
text from the data escaped and inert; validators and 304."""

from __future__ import annotations

import datetime as dt
import html
import re
import struct
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import markupsafe
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import clock, derived, filters, links, page_content, share, summary
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.web import render, routes, views
from tests.asgi import raw_get
from tests.ledger_rows import csv_text, row

SITE = "http://testserver"
#: Each page's snapshot, opened from a link a reader could have.
LINKS = {
    "overview": "/s/overview",
    "map": "/s/map?country=PAK&country=IDN",
    "charts": "/s/charts",
    "conditions": "/s/conditions?sort=conditions",
    "country": "/s/country",
    "country-PAK": "/s/country?country=PAK",
    "statements": "/s/statements?reliability=on_record",
    "sources": "/s/sources",
    "changes": "/s/changes?from=2025-10-01",
}
#: Inline SVG charts each snapshot draws: a wide and a narrow one per chart, the map once.
SVGS = {
    "overview": 2,
    "map": 1,
    "charts": 4,
    "conditions": 2,
    "country": 0,
    "country-PAK": 2,
    "statements": 0,
    "sources": 0,
    "changes": 0,
}
HOSTILE_QUOTE = "<script>alert(1)</script>"
HOSTILE_SPEAKER = "**bold** [x](javascript:alert(1))"
HOSTILE_URL = "https://example.org/a\"><script>alert(2)</script>'x"
HOSTILE_OUTLET = "<img src=x onerror=alert(3)>"
HOSTILE_ENGLISH = "<svg onload=alert(4)>"


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def meta(self, key: str) -> str | None:
        for attrs in self.all("meta"):
            if key in (attrs.get("property"), attrs.get("name")):
                return attrs.get("content")
        return None


def page_view(page: str, query: dict[str, list[str]] | None = None) -> views.PageView:
    return views.read_view(page, query or {}, derived.current_version(), clock.today())[0]


def get_page(client: TestClient, link: str) -> tuple[str, Tags]:
    response = client.get(link)
    assert response.status_code == 200, response.text[:500]
    return response.text, Tags(response.text)


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert body[12:16] == b"IHDR"
    return struct.unpack(">II", body[16:24])


def refused(client: TestClient, link: str) -> str:
    response = client.get(link)
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    assert "Traceback" not in response.text
    return html.unescape(response.text)


# --- every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LINKS))
def test_every_page_is_plain_html_marked_as_a_snapshot(client, name):
    link = LINKS[name]
    page = name.split("-")[0]
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    parsed = Tags(response.text)
    assert parsed.all("body") == [{"data-isf-snapshot": page}]
    assert parsed.all("script") == []
    assert parsed.all("h1")
    spec = page_content.spec(page)
    assert re.search(r"<h1>" + re.escape(html.escape(spec.title)) + "</h1>", response.text)
    view = page_view(page, parse_qs(urlsplit(link).query))
    text = " ".join(parsed.text)
    assert derived.currency(view.key.version, view.key.today) in text
    assert view.view.description in text
    if spec.intro:
        assert spec.intro in text


@pytest.mark.parametrize("link", ["/s", "/s/", "/s/overview"])
def test_the_bare_prefix_is_the_overview(client, link):
    _, parsed = get_page(client, link)
    assert parsed.all("body") == [{"data-isf-snapshot": "overview"}]


@pytest.mark.parametrize("name", list(LINKS))
def test_charts_are_inline_svg_drawn_on_the_server(client, name):
    body, parsed = get_page(client, LINKS[name])
    assert len([svg for svg in parsed.all("svg") if svg.get("class") == "marks"]) == SVGS[name]
    for svg in re.findall(r'<svg[^>]*class="marks".*?</svg>', body, flags=re.S):
        assert re.search(r'<path [^>]*d="M[-0-9.]+', svg), "a chart with nothing drawn"
    assert parsed.all("img") == []  # nothing to fetch


def test_the_wide_and_narrow_charts_are_laid_out_for_their_width(client):
    body, _ = get_page(client, "/s/overview")
    wide, narrow = re.findall(r'<div class="(wide|narrow)"><svg[^>]* width="(\d+)"', body)
    assert wide == ("wide", "900") and narrow == ("narrow", "360")
    css = client.get(render.STYLESHEET).text
    assert "@media (max-width:640px){.wide{display:none}.narrow{display:block}" in css


def test_the_map_is_drawn_once_and_small(client):
    body, parsed = get_page(client, LINKS["map"])
    svg = re.search(r"<svg.*?</svg>", body, flags=re.S).group()
    assert len(svg.encode()) < 400_000
    text = " ".join(parsed.text)
    assert "Ruled it out explicitly" in text and "No data" in text  # the legend, in words: what is drawn
    assert "Ruled out combat (refusal inferred)" not in text  # Pakistan and Indonesia: not drawn
    swatches = [attrs for attrs in parsed.all("svg") if attrs.get("aria-hidden") == "true"]
    assert len(swatches) == 2


@pytest.mark.parametrize("name", list(LINKS))
def test_the_citation_names_the_data_version_and_links_the_live_view(client, name):
    link = LINKS[name]
    _, parsed = get_page(client, link)
    page = name.split("-")[0]
    view = page_view(page, parse_qs(urlsplit(link).query))
    live_path = "/" if page == "overview" else f"/{page}"
    query = urlsplit(link).query
    live = SITE + live_path + (f"?{query}" if query else "")
    version = derived.data_version(view.key.version)
    citation = share.citation(version, view.view.dated, live, view.key.today, view.view.as_of_set)
    dated = "as of" if view.view.as_of_set else "record as of"
    assert citation == (
        "ISF Tracker: troop offers to the International Stabilization Force for Gaza, "
        f"data version {version}, {dated} {view.view.dated.isoformat()}, {live} "
        f"(accessed {view.key.today.isoformat()}). Licence: CC BY 4.0."
    )
    assert citation in " ".join(" ".join(parsed.text).split())
    assert live in [attrs.get("href") for attrs in parsed.all("a")]


def test_the_live_link_keeps_the_page_options_in_canonical_form(client):
    _, parsed = get_page(client, "/s/map?view=world&color=status&country=IDN&country=PAK")
    hrefs = [attrs["href"] for attrs in parsed.all("a")]
    assert f"{SITE}/map?country=IDN&country=PAK&color=status&view=world" in hrefs


# --- the head: what link previews read ------------------------------------------------------


@pytest.mark.parametrize("name", list(LINKS))
def test_link_previews_have_a_title_a_description_and_an_image_that_answers(client, name):
    link = LINKS[name]
    _, parsed = get_page(client, link)
    canonical = [attrs["href"] for attrs in parsed.all("link") if attrs.get("rel") == "canonical"]
    assert canonical == [parsed.meta("og:url")]
    assert urlsplit(canonical[0]).path == urlsplit(link).path
    assert parsed.meta("og:title") and parsed.meta("og:description") and parsed.meta("og:type")
    assert parsed.meta("description") == parsed.meta("og:description")
    assert parsed.meta("twitter:card") == "summary_large_image"
    assert parsed.meta("viewport") == "width=device-width, initial-scale=1"
    image = parsed.meta("og:image")
    assert image.startswith(f"{SITE}/img/") and urlsplit(image).path.endswith(".png")
    assert parsed.meta("twitter:image") == image
    assert parsed.meta("og:image:width") == "1200"
    answer = client.get(image.removeprefix(SITE))
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert png_size(answer.content)[0] == 1200


def test_the_page_prints_cleanly(client):
    _, parsed = get_page(client, "/s/overview")
    sheets = [attrs["href"] for attrs in parsed.all("link") if attrs.get("rel") == "stylesheet"]
    assert sheets and urlsplit(sheets[0]).path == render.STYLESHEET
    style = re.search(r"@media print\{(.*?)\n\}", client.get(render.STYLESHEET).text, flags=re.S).group(1)
    assert "text-decoration:none" in style
    assert 'a[href]::after{content:" <" attr(href) ">"' in style
    assert "break-inside:avoid" in style


# --- what each page says ----------------------------------------------------------------------


def test_the_overview_says_the_answer_first_in_summarys_words(client):
    body, parsed = get_page(client, "/s/overview")
    said = summary.answer(derived.answer(page_view("overview").key))
    headline = " ".join(said.headline)
    first = re.search(r'<p class="headline"><strong>(.*?)</strong></p>', body).group(1)
    assert html.unescape(first) == headline
    assert parsed.meta("description") == headline
    assert body.index(first) < body.index(str(markupsafe.escape(said.scope[0])))
    text = " ".join(parsed.text)
    for detail in said.details:
        assert detail in text
    for label, names in summary.stance_lists(derived.answer(page_view("overview").key)):
        assert f"{label} ({len(names)})" in text


def test_a_country_profile_has_its_sentences_and_its_values_one_by_one(client):
    body, parsed = get_page(client, "/s/country?country=PAK")
    view = page_view("country", {"country": ["PAK"]})
    text = " ".join(parsed.text)
    assert " ".join(derived.country_sentences(view.key, "PAK")) in text
    provenance = derived.provenance_table(view.key, "PAK")
    for value in provenance["Value"]:
        assert str(markupsafe.escape(str(value))) in body
    assert parsed.meta("og:image").startswith(f"{SITE}/img/country/timeline.png?country=PAK")


def test_the_country_page_without_a_country_lists_them_with_links_to_their_profiles(client):
    _, parsed = get_page(client, "/s/country?reliability=on_record")
    view = page_view("country", {"reliability": ["on_record"]})
    hrefs = [attrs["href"] for attrs in parsed.all("a")]
    profiles = [href for href in hrefs if href.startswith(f"{SITE}/s/country?country=")]
    assert profiles == [f"{SITE}/s/country?country={iso3}&reliability=on_record"
                        for iso3 in view.view.positions.sort_values("country")["iso3"]]  # fmt: skip


def test_a_long_table_is_cut_with_a_note_and_a_link_to_the_csv(client, write_ledger, monkeypatch):
    rows = [
        row(statement_id=f"T{i:03}", date=(dt.date(2025, 1, 1) + dt.timedelta(days=i)).isoformat())
        for i in range(230)
    ]
    monkeypatch.setenv(DATA_ENV_VAR, str(write_ledger(csv_text(rows))))
    _, parsed = get_page(client, "/s/statements?country=PAK")
    assert len(parsed.all("tr")) == render.TABLE_ROWS + 1
    assert "The first 200 of 230 statements" in " ".join(parsed.text)
    assert f"{SITE}/api/v1/statements.csv?country=PAK" in [attrs["href"] for attrs in parsed.all("a")]


def test_no_country_matching_says_so_and_draws_nothing(client):
    _, parsed = get_page(client, "/s/charts?country=PAK&status=deployed")
    assert any(text.startswith("No country matches these filters on this date.") for text in parsed.text)
    assert parsed.all("svg") == []


# --- refused queries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "parameter"),
    [
        ("/s/map?zzz=1", "zzz"),
        ("/s/overview?color=stance", "color"),  # another page's option
        ("/s/map?color=rainbow", "color"),
        ("/s/conditions?sort=alphabet", "sort"),
        ("/s/charts?country=XXX", "country"),
        ("/s/statements?as_of=2025-13-01", "as_of"),
        ("/s/changes?from=2026-01-01&to=2025-12-01", "from"),
        ("/s/changes?to=tomorrow", "to"),
        ("/embed/country", "country"),
    ],
)
def test_a_bad_or_unknown_parameter_is_a_400_naming_it(client, link, parameter):
    message = refused(client, link)
    assert f"{parameter}=" in message


def test_a_400_says_what_the_parameter_takes(client):
    message = refused(client, "/s/map?color=rainbow")
    assert "color takes: stance, status." in message
    assert "The parameters of this page: country," in refused(client, "/s/map?zzz=1")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        (b"country=PAK&huge=" + b"x" * 100_000, "huge"),  # 100 KB
        (b"&".join([b"c=1"] * 2000), "c"),  # 2,000 values
    ],
)
def test_a_huge_query_is_refused_before_it_is_read(query, parameter):
    status, _headers, body = raw_get("/s/map", query)
    assert status == 400
    assert f"{parameter}=".encode() in body
    assert len(body) < 2000


def test_an_unknown_page_is_a_404(client):
    response = client.get("/s/admin")
    assert response.status_code == 404
    assert "the pages are: overview, map" in html.unescape(response.text)
    assert client.get("/embed/statements").status_code == 404  # a page with no chart


# --- text from the data -------------------------------------------------------------------------


@pytest.fixture
def hostile(write_ledger, monkeypatch) -> None:
    rows = [
        row(),
        row(
            statement_id="T002",
            iso3="IDN",
            country="Indonesia",
            status="offered",
            disarmament="will_disarm",
            conditions="unsc_mandate",
            roles="troops",
            quote=HOSTILE_QUOTE,
            speaker=HOSTILE_SPEAKER,
            source_url=HOSTILE_URL,
            source_outlet=HOSTILE_OUTLET,
            notes="<b>note</b>",
        ),
    ]
    ledger = write_ledger(csv_text(rows))
    # Its English rendering is data too, and just as hostile.
    (ledger.parent / "translations.csv").write_text(
        "statement_id,field,language,english,translated_by,translation_url,note\n"
        f'T002,quote,xx,"{HOSTILE_ENGLISH}",project,,\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(DATA_ENV_VAR, str(ledger))
    assert derived.dataset(derived.current_version()).problems == ()


HOSTILE_LINKS = [
    "/s/overview",
    "/s/statements",
    "/s/country?country=IDN",
    "/s/conditions",
    "/s/sources",
    "/s/charts",
    "/s/changes?from=2025-01-01",
    "/s/map",
    "/embed/conditions",
]


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_text_from_the_data_is_escaped_and_inert(client, hostile, link):
    body, parsed = get_page(client, link)
    assert parsed.all("script") == [] and "<script" not in body.lower()
    assert parsed.all("img") == []
    for _, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")]
        for name, value in attrs.items():  # text from the data is in no attribute but a link's
            if name not in ("href", "xlink:href", "content"):
                assert "alert(" not in (value or "") and "**" not in (value or ""), (name, value)
        for name in ("href", "xlink:href", "src"):
            target = attrs.get(name)
            if target is not None:
                assert re.match(r"https?://|/", target), target
                assert not re.search(r"[\"'<> ]", target)


def test_hostile_text_is_shown_as_written(client, hostile):
    body, parsed = get_page(client, "/s/statements")
    text = " ".join(parsed.text)
    for words in (HOSTILE_QUOTE, HOSTILE_SPEAKER):
        assert words in text
    assert html.escape(HOSTILE_QUOTE) in body
    assert "<strong>bold</strong>" not in body
    hrefs = [attrs["href"] for attrs in parsed.all("a")]
    assert "https://example.org/a%22%3E%3Cscript%3Ealert(2)%3C/script%3E%27x" in hrefs
    assert not [h for h in hrefs if "javascript" in h]


def test_a_link_is_made_only_from_an_http_address():
    assert links.safe_href("javascript:alert(1)") is None
    assert links.safe_href("data:text/html,<b>") is None
    assert links.safe_href("//example.org") is None
    assert links.safe_href('https://example.org/?q="><x>') == "https://example.org/?q=%22%3E%3Cx%3E"
    template = render.ENVIRONMENT.from_string('<p title="{{ t }}">{{ t }}</p>')
    assert template.render(t='"<i>') == '<p title="&#34;&lt;i&gt;">&#34;&lt;i&gt;</p>'  # escaped by default


# --- headers, validators, embeds ---------------------------------------------------------------


@pytest.mark.parametrize("link", ["/s/overview", "/embed/map", "/s/nowhere", "/s/map?zzz=1"])
def test_no_script_may_run_under_the_pages_policy(client, link):
    headers = client.get(link).headers
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "img-src 'self' data:" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy and "script-src" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in headers


def test_a_conditional_get_is_answered_304(client):
    first = client.get("/s/map?country=PAK")
    assert first.headers["etag"] and first.headers["last-modified"]
    again = client.get("/s/map?country=PAK", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/s/map?country=IDN", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200
    assert client.get("/s/map?color=status").headers["etag"] != first.headers["etag"]


def test_the_same_view_asked_differently_is_the_same_page(client):
    one = client.get("/s/map?country=PAK&country=IDN&color=stance")
    other = client.get("/s/map?color=&country=PAK&country=IDN")
    assert one.headers["etag"] == other.headers["etag"]
    assert one.content == other.content


def test_an_embed_is_the_main_chart_and_the_citation_only(client):
    body, parsed = get_page(client, "/embed/charts?country=PAK")
    assert parsed.all("body") == [{"data-isf-embed": "charts"}]
    assert len(parsed.all("svg")) == 2  # the troop ranges, wide and narrow
    assert parsed.all("table") == [] and parsed.all("nav") == [] and parsed.all("h1") == []
    view = page_view("charts", {"country": ["PAK"]})
    version = derived.data_version(view.key.version)
    assert f"for Gaza, data version {version}, record as of {view.view.dated.isoformat()}, " in body
    live = [attrs for attrs in parsed.all("a") if attrs["href"] == f"{SITE}/charts?country=PAK"]
    assert live and live[0]["target"] == "_blank"


def test_every_page_option_of_the_registry_is_a_parameter_of_its_snapshot(client):
    for page, options in filters.PAGE_OPTIONS.items():
        for option in options:
            value = next(iter(getattr(option, "options", lambda _c: {"2025-10-01": ""})(None)))
            query = urlencode({option.key: value})
            assert client.get(f"/s/{page}?{query}").status_code == 200, (page, query)


def test_the_matrix_snapshot_has_the_phones_block_per_country_under_the_chart(client):
    body, _ = get_page(client, "/s/conditions?country=KAZ&country=MAR")
    narrow = body.split('<div class="narrow"><div class="chips">', 1)[1]
    assert narrow.index("<h3>Kazakhstan</h3>") < narrow.index("<h3>Morocco</h3>")
    assert "Only on conditions</summary>" in narrow  # the stance in full, opening its statement
    assert '<span class="plain">' in narrow  # Morocco's "Not addressed" has no statement behind it
    assert ".chip summary" in client.get(render.STYLESHEET).text
