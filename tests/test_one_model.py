"""Each page is said once: the page model (`page_content`) drawn by the dashboard's renderer and
by the snapshots' says the same words in both."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from isf_tracker import blocks, clock, derived, page_content, paths
from isf_tracker.web import render, routes, views

VIEWS = [
    ("overview", ""),
    ("map", ""),
    ("charts", ""),
    ("conditions", "sort=troops"),
    ("country", ""),
    ("country", "country=PAK"),
    ("country", "country=PAK&country=IDN"),
    ("statements", "reliability=on_record"),
    ("sources", "country=PAK"),
    ("changes", "from=2025-10-01"),
]


def said(block: object) -> list[str]:
    """Every piece of text a block says, as the model holds it (tables are data, not words)."""
    match block:
        case str() if block.strip():
            return [block.strip(" ·—")]
        case blocks.Strong() | blocks.Link():
            return [block.words]
        case blocks.Heading() | blocks.Text() | blocks.Notice():
            return [block.text]
        case blocks.Bullets():
            return [block.heading, *(piece for item in block.items for part in item for piece in said(part))]
        case blocks.Cards():
            return [
                block.heading,
                *(w for c in block.cards for w in (c.title, *c.lines, c.quote, c.english, c.note)),
            ]
        case blocks.Countries():
            return [words for _, name, line in block.items for words in (name, line)]
        case blocks.Tabs():
            return [
                w
                for section in block.sections
                for inner in section.blocks
                for w in [section.label, *said(inner)]
            ]
    return []


def plain(text: str) -> str:
    """Text as a reader sees it: no Markdown escapes or emphasis, one space between words."""
    return re.sub(r"\s+", " ", re.sub(r"\\(.)", r"\1", text).replace("**", "").replace("*", "")).strip()


class Text(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(page)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def dashboard_words(page: str, query: str) -> str:
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    for key, values in parse_qs(query).items():
        app.query_params[key] = values
    app.run()
    app.switch_page(str(paths.pages_dir() / f"{page}.py")).run()
    assert not app.exception, [e.value for e in app.exception]
    kinds = ("markdown", "caption", "header", "subheader", "title", "info", "warning", "tab", "selectbox")
    texts = [getattr(element, "label", None) or element.value for kind in kinds for element in app.get(kind)]
    texts += [option for box in app.get("selectbox") for option in box.options]
    texts += [link.proto.label for link in app.get("page_link")]
    return plain(" ".join(str(text) for text in texts))


@pytest.mark.parametrize(("page", "query"), VIEWS)
def test_both_renderers_say_every_word_of_the_model(page, query):
    view = views.read_view(page, parse_qs(query), derived.current_version(), clock.today())[0]
    assert not derived.view(view.key).statements.empty, "a view with nothing to say proves nothing"
    model = page_content.build(render.asked(view))
    expected = [plain(w) for block in model.blocks for w in said(block) if w and plain(w)]
    assert expected, "a page that says nothing"

    snapshot = TestClient(Starlette(routes=routes.routes())).get(f"/s/{page}?{query}")
    assert snapshot.status_code == 200
    in_snapshot = plain(html.unescape(" ".join(Text(snapshot.text).parts)))
    in_dashboard = dashboard_words(page, query)
    for words in expected:
        assert words in in_snapshot, f"the snapshot lacks {words!r}"
        assert words in in_dashboard, f"the dashboard lacks {words!r}"
