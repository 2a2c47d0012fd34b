"""The addresses a view is taken out at, the embed code and the citation; and the panel that
offers them under every page."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from isf_tracker import chart_registry, paths, share
from isf_tracker.ui import share_panel, shell
from tests.test_pages import open_page

SITE = "https://isf.example.org"
PAGE_QUERY = {"country": ["PAK", "IDN"], "as_of": ["2025-12-31"], "view": ["world"]}
FILTER_QUERY = {"country": ["PAK", "IDN"], "as_of": ["2025-12-31"]}


def made(url_path: str = "map") -> share.ShareLinks:
    return share.links(SITE, url_path, PAGE_QUERY, FILTER_QUERY, "1.1.0+abc", dt.date(2025, 12, 31),
                       dt.date(2026, 12, 2), chosen=True)  # fmt: skip


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_view_snapshot_and_embed_carry_the_whole_view():
    links = made("map")
    assert links.view == f"{SITE}/map?country=PAK&country=IDN&as_of=2025-12-31&view=world"
    assert urlsplit(links.snapshot).path == "/s/map" and query_of(links.snapshot) == PAGE_QUERY
    assert urlsplit(links.embed).path == "/embed/map"
    assert query_of(links.embed) == {**PAGE_QUERY, "chart": ["map"]}  # the chart named, so the link keeps it


def test_the_api_and_the_feed_get_only_the_shared_filters():
    """They answer 400 to a parameter that is not a filter, so a page's own option stays out."""
    links = made("map")
    for url in (links.statements_csv, links.statements_json, links.positions_csv, links.positions_json,
                links.feed):  # fmt: skip
        assert query_of(url) == FILTER_QUERY
    assert urlsplit(links.statements_csv).path == "/api/v1/statements.csv"
    assert urlsplit(links.positions_json).path == "/api/v1/positions.json"
    assert urlsplit(links.feed).path == "/feed.atom"


def test_each_chart_of_a_page_has_a_png_and_an_svg():
    charts = made("charts").images
    assert [image.chart.name for image in charts] == ["ranges", "timeline"]
    assert urlsplit(charts[0].png).path == "/img/charts/ranges.png"
    assert urlsplit(charts[1].svg).path == "/img/charts/timeline.svg"
    assert query_of(charts[0].png) == PAGE_QUERY
    assert urlsplit(made("").images[0].png).path == "/img/overview/coverage.png"
    assert made("sources").images == () and made("sources").embed is None  # no chart to embed
    assert made("sources").snapshot == f"{SITE}/s/sources?country=PAK&country=IDN&as_of=2025-12-31&view=world"


def test_a_one_country_page_has_an_embed_and_images_only_for_one_country():
    def country_links(countries: int) -> share.ShareLinks:
        return share.links(SITE, "country", {}, {}, "v", dt.date(2026, 1, 1), dt.date(2026, 1, 1), countries)

    assert [image.chart.name for image in country_links(1).images] == ["timeline"]
    assert country_links(1).embed == f"{SITE}/embed/country?chart=timeline"
    for countries in (0, 2):
        assert country_links(countries).images == () and country_links(countries).embed is None
        assert country_links(countries).snapshot == f"{SITE}/s/country"  # the list of countries


def test_each_chart_of_a_page_can_be_embedded():
    links = made("charts")
    embeds = [urlsplit(image.embed) for image in links.images]
    assert [(url.path, parse_qs(url.query)["chart"]) for url in embeds] == [
        ("/embed/charts", ["ranges"]),
        ("/embed/charts", ["timeline"]),
    ]
    assert links.embed == links.images[0].embed  # the main chart by default
    assert html.escape(links.images[1].embed) in links.embed_code("Timeline", links.images[1])


def test_the_form_has_no_snapshot_but_its_data_links():
    links = made("add")
    assert links.snapshot is None and links.embed is None and links.embed_code("x") is None
    assert links.statements_csv.startswith(f"{SITE}/api/v1/statements.csv")


def test_the_landing_page_lives_at_the_root():
    links = share.links(SITE, "", {}, {}, "1.1.0+abc", dt.date(2026, 12, 2), dt.date(2026, 12, 2))
    assert links.view == f"{SITE}/"
    assert links.snapshot == f"{SITE}/s/overview" and links.embed == f"{SITE}/embed/overview?chart=coverage"
    assert links.feed == f"{SITE}/feed.atom"


def test_a_view_of_the_latest_record_is_cited_by_the_record_s_date():
    links = share.links(SITE, "", {}, {}, "2.0.0+abc", dt.date(2026, 6, 18), dt.date(2026, 12, 3))
    assert ", record as of 2026-06-18, " in links.citation


def test_the_citation_names_the_data_version_the_day_and_the_link():
    text = made("map").citation
    assert text == (
        "ISF Tracker: troop offers to the International Stabilization Force for Gaza, data version "
        f"1.1.0+abc, as of 2025-12-31, {SITE}/map?country=PAK&country=IDN&as_of=2025-12-31&view=world "
        "(accessed 2026-12-02). Licence: CC BY 4.0."
    )


def test_the_embed_code_cannot_be_broken_out_of():
    hostile = share.links('https://x.org/"><script>', "map", {"country": ['"><script>alert(1)</script>']},
                          {}, "v", dt.date(2026, 1, 1), dt.date(2026, 1, 1))  # fmt: skip
    code = hostile.embed_code('Map"><img src=x onerror=alert(1)>')
    assert "<script" not in code and "<img" not in code
    assert code.count("<iframe") == 1 and code.endswith("></iframe>")
    src = code.split('src="', 1)[1].split('"', 1)[0]
    assert html.unescape(src) == hostile.embed


def open_panel(app: AppTest) -> AppTest:
    """Open "Share and export" as a reader would (its content is built only while open)."""
    app.session_state[share_panel.PANEL_KEY] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_closed_panel_builds_nothing():
    app = open_page()
    (panel,) = [e for e in app.main.expander if e.label == "Share and export"]
    assert not panel.code and not panel.markdown
    assert not app.code  # no code block anywhere on a page as it opens: it loads a highlighter


def test_the_editors_page_has_no_share_panel_but_every_page_links_to_it():
    app = open_page("pages/add.py")
    assert not [e for e in app.main.expander if e.label == "Share and export"]
    reader = open_page("pages/sources.py")
    assert [link.label for link in reader.main.get("page_link")][-1] == "For editors: add a statement"


@pytest.mark.parametrize("spec", shell.NAV_PAGES, ids=lambda spec: spec.url_path or "overview")
def test_every_page_has_one_share_panel_for_its_own_view_at_the_top(spec: shell.PageSpec):
    script = f"pages/{spec.script}" if spec.url_path else None
    app = open_panel(open_page(script, before={"country": "PAK", "as_of": "2025-12-31"}))
    panels = [e for e in app.main.expander if e.label == "Share and export"]
    assert len(panels) == 1
    title, chips, slot = list(app.main.children.values())[:3]  # the title, the chips, the panel
    assert (title.type, chips.children[0].key) == ("title", "chip-country")
    assert list(slot.children.values()) == panels
    blocks = [block.value for block in panels[0].code]
    view = next(b for b in blocks if urlsplit(b).path == f"/{spec.url_path}")
    assert query_of(view) == {"country": ["PAK"], "as_of": ["2025-12-31"]}
    assert blocks[-1].startswith(share.TITLE) and "as of 2025-12-31" in blocks[-1]
    words = " ".join(m.value for m in panels[0].markdown)
    csv = next(url for url in re.findall(r"\((http[^)]+)\)", words) if "/statements.csv" in url)
    assert query_of(csv) == {"country": ["PAK"], "as_of": ["2025-12-31"]}
    page = share.page_name(spec.url_path)
    assert ("/s/" in " ".join(blocks)) == (page in share.SNAPSHOT_PAGES)
    assert ("/embed/" in " ".join(blocks)) == bool(chart_registry.of_page(page))
    for chart in chart_registry.of_page(page):
        assert f"/img/{page}/{chart.name}.png?country=PAK&as_of=2025-12-31" in words


def test_the_panel_follows_a_page_option():
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    app.query_params["view"] = "world"
    open_panel(app.switch_page(str(paths.checkout() / "pages/map.py")))
    panel = next(e for e in app.main.expander if e.label == "Share and export")
    assert query_of(panel.code[0].value) == {"view": ["world"]}
    assert "statements.csv?" not in " ".join(m.value for m in panel.markdown)


def test_a_reader_chooses_which_chart_to_embed():
    app = open_panel(open_page("pages/charts.py", before={"country": "PAK"}))
    (choice,) = [box for box in app.main.selectbox if box.label == "Chart to embed"]
    assert choice.options == [chart.title for chart in chart_registry.of_page("charts")]
    choice.select_index(1).run()
    (embed,) = [block.value for block in app.main.code if "<iframe" in block.value]
    assert "/embed/charts?country=PAK&amp;chart=timeline" in embed
    assert 'title="ISF Tracker: Every statement over time"' in embed  # the frame named by its chart
