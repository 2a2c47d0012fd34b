"""The open data API (web/api.py): the same rows as the dashboard's view for the same query,
strict 400s that name the parameter, never a 500, caching validators, CORS and safe CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
from urllib.parse import quote

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import clock, derived, filters, share
from isf_tracker.paths import DATA_ENV_VAR
from isf_tracker.schema import POSITION_COLUMNS, POSITION_OPTIONAL_COLUMNS
from isf_tracker.web import api, http, limits, params, routes
from tests.asgi import raw_get
from tests.ledger_rows import ROOT, csv_text, row
from tests.test_registry import OUTLET

FRESH_FOR_A_MINUTE = "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"
STATEMENTS = "/api/v1/statements.json"
POSITIONS = "/api/v1/positions.json"
#: The columns of positions.csv, then the id of the row that corrects the statement.
LEDGER_COLUMNS = [*POSITION_COLUMNS, *POSITION_OPTIONAL_COLUMNS, "superseded_by"]
ENDPOINTS = [STATEMENTS, "/api/v1/statements.csv", POSITIONS, "/api/v1/positions.csv", "/feed.atom"]

#: Queries the dashboard could be showing, from everything to nothing.
QUERIES: list[dict[str, list[str]]] = [
    {},
    {"country": ["PAK", "IDN"]},
    {"as_of": ["2025-12-31"]},
    {"region": ["south-eastern-asia"]},
    {"status": ["conditional", "offered"]},
    {"stance": ["refuses"]},
    {"condition": ["no_disarmament"]},
    {"min_troops": ["1000"]},
    {"reliability": ["on_record"]},
    {"country": ["IDN"], "reliability": ["on_record"], "as_of": ["2026-01-31"]},
    {"country": ["PAK"], "status": ["deployed"]},  # no country matches
]


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


def url(path: str, query: dict[str, list[str]]) -> str:
    pairs = [f"{key}={quote(value)}" for key, values in query.items() for value in values]
    return path + ("?" + "&".join(pairs) if pairs else "")


def dashboard_view(query: dict[str, list[str]]) -> filters.View:
    """The view a page shows for `query`, looked up the way the dashboard's shell does."""
    version, today = derived.current_version(), clock.today()
    state = filters.state_from_query(query, derived.choices(version, today))
    return derived.view(derived.ViewKey.of(version, filters.to_query(state), today))


def refused(client: TestClient, query_string: str, path: str = STATEMENTS) -> dict:
    response = client.get(f"{path}?{query_string}")
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    return response.json()


# --- parity with the dashboard -----------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: url("", q) or "everything")
def test_statements_are_exactly_the_rows_of_the_dashboards_view(client, query):
    body = client.get(url(STATEMENTS, query)).json()
    view = dashboard_view(query)
    ids = [r["statement_id"] for r in body["rows"]]
    assert body["count"] == len(ids) == len(view.statements)
    assert set(ids) == set(view.statements["statement_id"])
    assert body["as_of"] == view.dated.isoformat() and body["description"] == view.description
    assert view.dated == (view.as_of if "as_of" in query else view.record_date)  # never today
    assert (len(ids) == 0) == (query == QUERIES[-1])  # only the last query matches nothing


def test_the_api_and_the_pages_share_one_cached_view(client):
    client.get(STATEMENTS + "?as_of=2025-12-31&country=PAK")
    hits = derived.view.cache_info().hits
    dashboard_view({"country": ["PAK"], "as_of": ["2025-12-31"]})
    assert derived.view.cache_info().hits == hits + 1


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: url("", q) or "everything")
def test_positions_are_exactly_the_dashboards_positions(client, query):
    body = client.get(url(POSITIONS, query)).json()
    expected = dashboard_view(query).positions

    def plain(value):
        return None if pd.isna(value) else value

    shown = [(p["iso3"], p["status"], p["troops_low"], p["troops_high"], p["disarmament"],
              tuple(c["code"] for c in p["conditions"])) for p in body["positions"]]  # fmt: skip
    assert shown == [
        (p.iso3, plain(p.status), plain(p.troops_low), plain(p.troops_high), p.disarmament, p.conditions)
        for p in expected.itertuples()
    ]  # fmt: skip
    assert body["count"] == len(expected)


def test_every_value_of_a_position_names_its_statement_and_that_statements_source(client):
    body = client.get(url(POSITIONS, {"country": ["PAK"], "as_of": ["2025-12-31"]})).json()
    (pakistan,) = body["positions"]
    view = dashboard_view({"country": ["PAK"], "as_of": ["2025-12-31"]}).positions.iloc[0]
    assert (pakistan["status_from"], pakistan["troops_from"], pakistan["disarmament_from"]) == (
        view.status_from, view.troops_from, view.disarmament_from)  # fmt: skip
    assert [(c["code"], c["statement_id"]) for c in pakistan["conditions"]] == list(view.conditions_sources)
    assert all(c["label"] and c["label"] != c["code"] for c in pakistan["conditions"])
    referenced = {pakistan[f"{name}_from"] for name in ("status", "troops", "disarmament")}
    referenced |= {c["statement_id"] for c in pakistan["conditions"]}
    assert referenced <= set(body["statements"])
    for statement in body["statements"].values():
        assert statement["source_url"].startswith(("http://", "https://"))
        assert {"source_outlet", "date", "reliability", "quote"} <= set(statement)


def test_statements_come_newest_first_in_the_ledgers_columns_with_their_correction(client):
    rows = client.get(STATEMENTS).json()["rows"]
    assert list(rows[0]) == LEDGER_COLUMNS
    dates = [r["date"] for r in rows if r["date"] is not None]
    assert dates == sorted(dates, reverse=True)
    undated = [i for i, r in enumerate(rows) if r["date"] is None]
    assert undated == list(range(len(rows) - len(undated), len(rows)))  # undated last
    assert isinstance(rows[0]["conditions"], list) and "superseded_by" in rows[0]


def test_the_envelope_says_which_data_which_view_and_how_to_cite_it(client):
    response = client.get(url(STATEMENTS, {"reliability": ["all"], "country": ["IDN"]}))
    body = response.json()
    assert body["query"] == {"country": ["IDN"]}  # canonical: the default is left out
    assert body["license"] == "CC-BY-4.0"
    assert body["data_version"] == response.headers["x-data-version"]
    assert re.match(r"^\d+\.\d+\.\d+\+[0-9a-f]{8}$", body["data_version"])  # release + the files' hash
    assert body["data_version"] in body["citation"] and "country=IDN" in body["citation"]


def test_csv_answers_are_named_files_in_the_ledgers_columns(client):
    response = client.get("/api/v1/statements.csv?country=IDN&as_of=2025-12-31")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="isf-tracker-statements-2025-12-31.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(dashboard_view({"country": ["IDN"], "as_of": ["2025-12-31"]}).statements)
    assert list(rows[0]) == LEDGER_COLUMNS

    positions = list(csv.DictReader(io.StringIO(client.get("/api/v1/positions.csv?country=PAK").text)))
    (pakistan,) = positions
    codes, ids = pakistan["conditions"].split(";"), pakistan["conditions_statements"].split(";")
    assert len(codes) == len(ids) > 1
    assert pakistan["status_source_url"].startswith("http")


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query_string", "parameter", "why"),
    [
        ("country=XXX", "country", "not one of the values"),
        ("as_of=2025-02-30", "as_of", "no such date"),
        ("as_of=31/12/2025", "as_of", "YYYY-MM-DD"),
        ("as_of=2000-01-01", "as_of", "before 2025-01-01"),
        ("min_troops=abc", "min_troops", "whole number"),
        ("reliability=sure", "reliability", "not one of the values"),
        ("colour=red", "colour", "not a parameter"),
        ("as_of=2025-12-01&as_of=2025-12-02", "as_of", "more than once; this parameter takes one value"),
    ],
)
def test_a_value_the_registry_drops_is_refused_naming_the_parameter(client, query_string, parameter, why):
    body = refused(client, query_string)
    (problem,) = body["problems"]
    assert problem["parameter"] == parameter
    assert why in problem["why"]
    assert problem["value"] in query_string
    assert parameter in body["message"]


def test_a_day_after_today_is_refused(client):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    (problem,) = refused(client, f"as_of={tomorrow}")["problems"]
    assert (problem["parameter"], problem["value"]) == ("as_of", tomorrow)
    assert "after today" in problem["why"]


def test_a_refusal_says_what_would_work(client):
    unknown, country = refused(client, "outlet=x&country=XXX")["problems"]
    assert "as_of" in unknown["allowed"] and "PAK" in country["allowed"]


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_a_huge_value_is_refused_and_named_cut_short(size):
    status, headers, content = raw_get(STATEMENTS, b"as_of=2025-12-01&country=" + b"A" * size)
    assert status == 400 and headers["access-control-allow-origin"] == "*"
    body = json.loads(content)
    (problem,) = body["problems"]
    assert problem["parameter"] == "country"
    assert len(problem["value"]) <= filters.NOTICE_VALUE_CHARS
    assert len(body["message"]) < 300


@pytest.mark.parametrize("count", [2000, params.MAX_QUERY_VALUES + 1])
def test_too_many_values_are_refused_naming_the_parameter(client, count):
    query_string = "&".join(["country=X"] * count)
    (problem,) = refused(client, query_string)["problems"]
    assert problem["parameter"] == "country"


def test_every_endpoint_refuses_the_same_way(client):
    for path in ENDPOINTS:
        assert refused(client, "country=XXX", path)["problems"][0]["parameter"] == "country"


HOSTILE = [
    "%", "%%", "%ff", "=", "&&&", "country", "country=", "country=%00", "as_of=%F0%9F%92%A9", "a[]=1",
    "country=IDN;region=x", ";", "as_of=9999-99-99", "min_troops=99999999", "min_troops=-1",
    "min_troops=%EF%BC%91%EF%BC%92", "=x", "%3D=%3D", "country=IDN&country=IDN", "as_of=&as_of=",
]  # fmt: skip


@pytest.mark.parametrize("query_string", HOSTILE)
def test_no_query_string_is_a_server_error(client, query_string):
    for path in ENDPOINTS:
        assert client.get(f"{path}?{query_string}").status_code in (200, 400)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=120).map(lambda s: s.encode("utf-8")))
def test_any_bytes_as_a_query_string_are_answered_200_or_400(raw):
    assert http.answer(
        http.Asked(STATEMENTS, raw), api.prepare(api.statements_json), api.API
    ).status_code in (
        200,
        400,
    )


def test_a_real_fault_is_a_short_json_500_and_logged(caplog):
    def broken(_served):
        raise RuntimeError("disk on fire")

    response = http.answer(http.Asked("/api/v1/broken.json"), api.prepare(broken), api.API)
    assert response.status_code == 500 and b"disk on fire" not in response.body
    assert "disk on fire" in caplog.text


# --- caching -------------------------------------------------------------------------------


def test_a_repeat_is_answered_from_the_body_built_once_and_a_new_view_is_built():
    built = []

    def counted(served):
        built.append(served.url)
        return api.answer_json(served)

    prepare, path = api.prepare(counted), "/api/v1/counted.json"
    first, again = (http.answer(http.Asked(path, b"country=PAK"), prepare, api.API) for _ in range(2))
    other = http.answer(http.Asked(path, b"country=IDN"), prepare, api.API)
    assert first.body == again.body != other.body and len(built) == 2


def test_an_unchanged_answer_is_a_304_for_its_etag(client):
    first = client.get(STATEMENTS + "?country=IDN")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == FRESH_FOR_A_MINUTE and first.headers["last-modified"]
    assert tag.startswith(f'W/"{first.headers["x-data-version"]}-')  # the data version, shown
    again = client.get(STATEMENTS + "?country=IDN", headers={"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    listed = client.get(STATEMENTS + "?country=IDN", headers={"If-None-Match": f'"other", {tag[2:]}'})
    assert listed.status_code == 304
    other = client.get(STATEMENTS + "?country=PAK", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag


def test_a_repeat_needs_no_worker_thread_until_the_data_the_day_or_the_site_changes(client, monkeypatch):
    monkeypatch.setattr(http, "LIMITS", dataclasses.replace(http.LIMITS, addresses=limits.ByteCache(100)))
    threaded, answer = [], http.answer
    monkeypatch.setattr(
        http, "answer", lambda asked, *rest: threaded.append(asked.path) or answer(asked, *rest)
    )
    address = POSITIONS + "?country=PAK"
    first = client.get(address)
    again = client.get(address)
    unchanged = client.get(address, headers={"If-None-Match": first.headers["etag"]})
    assert (again.content, again.headers["etag"], unchanged.status_code) == (
        first.content,
        first.headers["etag"],
        304,
    )
    assert len(threaded) == 1  # the repeat and the 304 were answered on the event loop
    monkeypatch.setenv(clock.TODAY_ENV_VAR, "2026-01-15")
    assert client.get(address).json()["citation"] != first.json()["citation"] and len(threaded) == 2
    monkeypatch.setenv(share.PUBLIC_URL_ENV_VAR, PUBLIC)
    assert PUBLIC in client.get(address).text and len(threaded) == 3
    http.LIMITS.cache.clear()  # its body dropped: answered in a worker thread again
    assert client.get(address).content == client.get(address).content and len(threaded) == 4


def test_the_same_view_asked_differently_has_the_same_etag(client):
    tags = {client.get(STATEMENTS + q).headers["etag"]
            for q in ("?country=IDN&country=PAK", "?country=IDN&country=PAK&reliability=all&min_troops=0",
                      "?country=IDN&country=PAK&as_of=")}  # fmt: skip
    assert len(tags) == 1
    assert client.get("/api/v1/statements.csv?country=IDN&country=PAK").headers["etag"] not in tags


def test_if_modified_since_is_honoured_when_no_etag_is_sent(client):
    modified = client.get(STATEMENTS).headers["last-modified"]
    assert client.get(STATEMENTS, headers={"If-Modified-Since": modified}).status_code == 304
    assert (
        client.get(STATEMENTS, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}).status_code
        == 200
    )
    assert client.get(STATEMENTS, headers={"If-Modified-Since": "yesterday"}).status_code == 200


def test_an_edit_of_the_ledger_is_a_new_version_and_a_new_etag(client, write_ledger, monkeypatch):
    path = write_ledger(csv_text([row(statement_id="A")]))
    monkeypatch.setenv(DATA_ENV_VAR, str(path))
    first = client.get(STATEMENTS)
    path.write_text(csv_text([row(statement_id="A"), row(statement_id="B")]), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = client.get(STATEMENTS, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and second.json()["count"] == 2
    assert second.json()["data_version"] != first.json()["data_version"]
    assert second.json()["data_version"].split("+")[0] == derived.release(derived.current_version())


# --- absolute addresses: the configured public one, else the request's ----------------------

PUBLIC = "https://isf.example.org/tracker"


def absolute_links(text: str) -> set[str]:
    return set(re.findall(r'(?:href|content|src)="(https?://[^"]*)"', text))


def test_links_use_the_host_the_request_came_to_when_no_public_address_is_set(client, monkeypatch):
    monkeypatch.delenv(share.PUBLIC_URL_ENV_VAR, raising=False)
    body = client.get(STATEMENTS + "?country=IDN", headers={"Host": "mirror.example:8080"}).json()
    assert "http://mirror.example:8080/api/v1/statements.json?country=IDN" in body["citation"]


def test_the_configured_public_address_wins_over_the_host_header(client, monkeypatch):
    monkeypatch.setenv(share.PUBLIC_URL_ENV_VAR, PUBLIC + "/")
    asked = {"headers": {"Host": "evil.example"}}
    body = client.get(STATEMENTS + "?country=IDN", **asked).json()
    assert f"{PUBLIC}/api/v1/statements.json?country=IDN (accessed" in body["citation"]
    atom = client.get("/feed.atom?country=IDN", **asked).text
    assert f'href="{PUBLIC}/feed.atom?country=IDN"' in atom and f'href="{PUBLIC}/?country=IDN"' in atom
    assert f'href="{PUBLIC}/country?country=IDN&amp;as_of=' in atom
    snapshot = client.get("/s/map?country=IDN", **asked).text
    ours = {link for link in absolute_links(snapshot) if link.startswith(PUBLIC)}
    assert f"{PUBLIC}/s/map?country=IDN" in ours  # canonical, og:url
    assert f"{PUBLIC}/img/map/map.png?country=IDN&amp;width=1200" in ours  # og:image
    assert f"{PUBLIC}/s/snapshot.css" in ours and f"{PUBLIC}/map?country=IDN" in ours
    image = client.get("/img/charts/ranges.svg?country=IDN", **asked).text
    assert f"{PUBLIC}/charts?country=IDN" in image
    for text in (json.dumps(body), atom, snapshot, image):
        assert "evil.example" not in text and "testserver" not in text


def test_a_public_address_that_is_not_one_is_a_logged_500(client, monkeypatch, caplog):
    monkeypatch.setenv(share.PUBLIC_URL_ENV_VAR, "isf.example.org")
    for path in (STATEMENTS, "/s/map", "/img/map/map.svg"):
        response = client.get(path)
        assert response.status_code == 500 and "isf.example.org" not in response.text, path
    assert f"{share.PUBLIC_URL_ENV_VAR}='isf.example.org'" in caplog.text


# --- CORS ----------------------------------------------------------------------------------


def test_cors_is_open_for_get_and_preflight(client):
    for path in ENDPOINTS:
        assert client.get(path).headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        STATEMENTS,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "if-none-match"},
    )  # fmt: skip
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
    assert "etag" in client.get(STATEMENTS).headers["access-control-expose-headers"].lower()


def test_the_api_only_reads(client):
    assert client.post(STATEMENTS).status_code == 405


# --- CSV safety ----------------------------------------------------------------------------


def test_csv_neutralises_a_cell_a_spreadsheet_would_run(client, write_ledger, monkeypatch):
    formula = '=HYPERLINK("https://evil.example","click")'
    path = write_ledger(csv_text([row(statement_id="A", quote=formula, speaker="+cmd")]))
    monkeypatch.setenv(DATA_ENV_VAR, str(path))

    statements = list(csv.DictReader(io.StringIO(client.get("/api/v1/statements.csv").text)))
    assert (statements[0]["quote"], statements[0]["speaker"]) == ("'" + formula, "'+cmd")
    positions = list(csv.DictReader(io.StringIO(client.get("/api/v1/positions.csv").text)))
    assert positions[0]["status_quote"] == "'" + formula
    assert client.get(STATEMENTS).json()["rows"][0]["quote"] == formula  # JSON carries the data as is


# --- the registry drives the API -----------------------------------------------------------


def test_a_filter_added_to_the_registry_is_a_parameter_of_the_api(client, monkeypatch):
    assert refused(client, "outlet=Example%20Herald")["problems"][0]["why"] == "not a parameter of this API"

    monkeypatch.setattr(filters, "FILTERS", (*filters.FILTERS, OUTLET))
    body = client.get(STATEMENTS + "?outlet=Example%20Herald").json()
    assert body["count"] > 0 and {r["source_outlet"] for r in body["rows"]} == {"Example Herald"}
    assert body["query"] == {"outlet": ["Example Herald"]}
    assert {r["statement_id"] for r in body["rows"]} == set(
        dashboard_view({"outlet": ["Example Herald"]}).statements["statement_id"]
    )
    assert refused(client, "outlet=Nowhere%20Times")["problems"][0]["parameter"] == "outlet"


def test_every_endpoint_and_parameter_is_documented():
    documented = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for path in api.ENDPOINTS:
        assert f"`GET {path}`" in documented, path
    for option in filters.FILTERS:
        assert f"| `{option.key}` |" in documented, option.key
