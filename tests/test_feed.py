"""The Atom feed (web/feed.py): valid Atom 1.0, one entry per dated statement, newest first,
narrowed by the shared filters, and every text from the ledger escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import derived, links
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.schema import POSITION_COLUMNS, POSITION_OPTIONAL_COLUMNS
from isf_tracker.web import feed, routes
from tests.ledger_rows import csv_text, row

NS = {"atom": feed.ATOM_NS}
A = f"{{{feed.ATOM_NS}}}"


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


def fetch(client: TestClient, query: str = "") -> ET.Element:
    response = client.get("/feed.atom" + query)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall("atom:entry", NS)


def link(element: ET.Element, rel: str) -> str | None:
    found = element.find(f"atom:link[@rel='{rel}']", NS)
    return None if found is None else found.get("href")


def statement_ids(root: ET.Element) -> list[str]:
    return [e.findtext("atom:id", namespaces=NS).rsplit(":", 1)[1] for e in entries(root)]


def ledger_statements():
    return derived.dataset(derived.current_version()).statements


def use_ledger(monkeypatch, write_ledger, rows) -> None:
    columns = (*POSITION_COLUMNS, *POSITION_OPTIONAL_COLUMNS)
    monkeypatch.setenv(DATA_ENV_VAR, str(write_ledger(csv_text(rows, columns=columns))))


def test_the_feed_is_atom_with_one_entry_per_dated_statement(client):
    root = fetch(client)
    assert root.tag == f"{A}feed"
    for required in ("id", "title", "updated", "author/atom:name"):
        assert root.findtext(f"atom:{required}", namespaces=NS), required
    assert link(root, "self") == "http://testserver/feed.atom"
    statements = ledger_statements()
    dated = statements[statements["date"].notna()]
    ids = statement_ids(root)
    assert len(ids) == len(set(ids)) == len(dated)
    assert set(ids) == set(dated["statement_id"])  # undated statements are left out
    for entry in entries(root):
        assert entry.findtext("atom:id", namespaces=NS).startswith(feed.TAG_PREFIX + "statement:")
        assert entry.findtext("atom:title", namespaces=NS)
        assert entry.findtext("atom:summary", namespaces=NS)
        dt.datetime.strptime(entry.findtext("atom:updated", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ")


def test_each_entry_links_to_its_source_and_to_its_view_in_the_dashboard(client):
    root = fetch(client)
    source_of = dict(zip(ledger_statements()["statement_id"], ledger_statements()["source_url"], strict=True))
    for entry, statement_id in zip(entries(root), statement_ids(root), strict=True):
        assert link(entry, "related") == source_of[statement_id]
        page = urlsplit(link(entry, "alternate"))
        assert (page.scheme, page.netloc, page.path) == ("http", "testserver", "/country")
        query = parse_qs(page.query)
        assert set(query) == {"country", "as_of"}
        assert query["as_of"][0] == entry.findtext("atom:published", namespaces=NS)[:10]


def test_newest_first_then_later_in_the_file_first(client):
    root = fetch(client)
    updated = [e.findtext("atom:updated", namespaces=NS) for e in entries(root)]
    published = [e.findtext("atom:published", namespaces=NS) for e in entries(root)]
    assert all(u >= p for u, p in zip(updated, published, strict=True))  # a review adds a row later
    assert updated == sorted(updated, reverse=True)
    line_of = dict(zip(ledger_statements()["statement_id"], ledger_statements()["line"], strict=True))
    ids = statement_ids(root)
    for i in range(len(ids) - 1):
        if (updated[i], published[i]) == (updated[i + 1], published[i + 1]):  # same change, same day
            assert line_of[ids[i]] > line_of[ids[i + 1]]
        elif updated[i] == updated[i + 1]:
            assert published[i] > published[i + 1]  # then the newer statement first


def test_the_shared_filters_narrow_the_feed(client):
    root = fetch(client, "?country=IDN")
    ids = statement_ids(root)
    statements = ledger_statements()
    indonesia = statements[(statements["iso3"] == "IDN") & statements["date"].notna()]
    assert sorted(ids) == sorted(indonesia["statement_id"])
    assert all("country=IDN" in link(e, "alternate") for e in entries(root))
    assert root.findtext("atom:id", namespaces=NS).endswith("feed?country=IDN")
    assert link(root, "self") == "http://testserver/feed.atom?country=IDN"

    up_to = statement_ids(fetch(client, "?country=IDN&as_of=2025-11-30"))
    assert 0 < len(up_to) < len(ids) and set(up_to) <= set(ids)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("country=XXX", "country"),
        ("as_of=tomorrow", "as_of"),
        ("page=2", "page"),
        ("as_of=2025-01-02&as_of=2025-01-03", "as_of"),
    ],
)
def test_a_bad_parameter_is_refused_as_by_the_api(client, query, parameter):
    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == 400
    assert response.json()["problems"][0]["parameter"] == parameter


def test_hostile_text_is_escaped_text_never_markup(client, write_ledger, monkeypatch):
    hostile = "<script>alert(1)</script>"
    use_ledger(monkeypatch, write_ledger, [
        row(statement_id="A", quote=hostile, speaker='Mr "&" <b>', source_outlet="<script>x</script>",
            troops_as_stated="<img src=x onerror=alert(1)>", notes="<script>"),
    ])  # fmt: skip
    response = client.get("/feed.atom")
    assert (
        b"<script>" not in response.content and b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    )
    root = ET.fromstring(response.content)
    for element in root.iter():
        assert element.tag.rsplit("}", 1)[-1] not in ("script", "img", "b")
        assert not {name for name in element.attrib if name in ("script", "onerror", "src")}
    (entry,) = entries(root)
    assert hostile in entry.findtext("atom:summary", namespaces=NS)
    assert "<img src=x onerror=alert(1)>" in entry.findtext("atom:title", namespaces=NS)
    assert entry.find("atom:link[@rel='related']", NS).get("title") == "<script>x</script>"


def test_characters_xml_cannot_hold_are_removed_not_fatal(client, write_ledger, monkeypatch):
    use_ledger(monkeypatch, write_ledger, [row(statement_id="A", quote="bell\x07 and\x0b tab")])
    (entry,) = entries(fetch(client))
    assert "bell and tab" in entry.findtext("atom:summary", namespaces=NS)


def test_corrections_are_entries_marked_as_such(client, write_ledger, monkeypatch):
    use_ledger(monkeypatch, write_ledger, [
        row(statement_id="A", date="2025-11-29", troops_as_stated="around 3,500"),
        row(statement_id="B", date="2025-11-29", troops_as_stated="around 5,000", supersedes="A"),
        row(statement_id="C", date="", date_precision="unknown"),
    ])  # fmt: skip
    root = fetch(client)
    assert statement_ids(root) == ["B", "A"]  # same day: the later row first; undated left out
    correction, corrected = entries(root)
    assert correction.findtext("atom:title", namespaces=NS).startswith("Correction of A")
    assert "correction" in [c.get("term") for c in correction.findall("atom:category", NS)]
    assert "(corrected by B)" in corrected.findtext("atom:title", namespaces=NS)
    assert "Corrected by statement B" in corrected.findtext("atom:summary", namespaces=NS)


def test_at_most_the_newest_entries(client, write_ledger, monkeypatch):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(feed.MAX_ENTRIES + 50)]
    use_ledger(monkeypatch, write_ledger, [row(statement_id=f"T{i:03d}", date=day.isoformat())
                                           for i, day in enumerate(days)])  # fmt: skip
    ids = statement_ids(fetch(client))
    assert len(ids) == feed.MAX_ENTRIES
    assert ids[0] == f"T{feed.MAX_ENTRIES + 49:03d}" and ids[-1] == "T050"


def test_a_source_link_passes_the_one_link_rule(client, write_ledger, monkeypatch):
    hostile = "https://example.org/a\"><script>alert(2)</script>'x"
    use_ledger(monkeypatch, write_ledger, [row(statement_id="A", source_url=hostile)])
    (entry,) = entries(fetch(client))
    assert link(entry, "related") == links.safe_href(hostile) != hostile


def test_the_feed_is_cached_like_the_api(client):
    first = client.get("/feed.atom?country=PAK")
    assert first.headers["access-control-allow-origin"] == "*"
    assert first.headers["cache-control"].startswith("public, max-age=60, stale-while-revalidate=")
    again = client.get("/feed.atom?country=PAK", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_an_entry_is_updated_on_the_day_a_review_added_or_corrected_it(client, write_ledger, monkeypatch):
    use_ledger(monkeypatch, write_ledger, [
        row(statement_id="A", date="2025-11-29", troops_as_stated="around 3,500"),
        row(statement_id="B", date="2025-11-29", troops_as_stated="around 5,000", supersedes="A"),
        row(statement_id="C", date="2025-12-01"),
    ])  # fmt: skip
    log = write_ledger(
        "reviewed_on,statement_id,outcome,corrected_by,source_checked,note\n"
        "2026-12-02,A,corrected,B,,\n2026-12-02,B,added,,,\n2026-12-02,C,checked,,,\n"
        "2026-12-02,S999,added,,,\n",  # a statement of another ledger changes nothing here
        name="review_log.csv",
    )
    assert log.parent == derived.dataset(derived.current_version()).path.parent
    root = fetch(client)
    times = {
        statement_id: (e.findtext("atom:published", namespaces=NS), e.findtext("atom:updated", namespaces=NS))
        for statement_id, e in zip(statement_ids(root), entries(root), strict=True)
    }
    assert list(times) == ["B", "A", "C"]  # the newest change first
    assert times == {
        "B": ("2025-11-29T00:00:00Z", "2026-12-02T00:00:00Z"),  # added by the review
        "A": ("2025-11-29T00:00:00Z", "2026-12-02T00:00:00Z"),  # its correction was added then
        "C": ("2025-12-01T00:00:00Z", "2025-12-01T00:00:00Z"),  # checked: nothing changed
    }
