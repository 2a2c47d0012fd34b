"""The live map's geometry cut for its view (web/mapdata.py, geometry.browser_topology)."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker import clock, derived, geo
from isf_tracker.web import geometry, routes


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


def points(topology: dict) -> int:
    return sum(len(arc) for arc in topology["arcs"])


def ids(topology: dict) -> set[str]:
    return {g.get("id") for g in topology["objects"][geo.FEATURE]["geometries"]}


@pytest.mark.parametrize("area", ["region", "world"])
def test_the_geometry_is_a_topology_with_far_fewer_points_than_the_shipped_file(client, area):
    response = client.get(f"/geo/{area}.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "public, max-age=86400"
    cut, shipped = response.json(), geometry.topology()
    assert cut["type"] == "Topology" and cut["transform"] == shipped["transform"]
    assert points(cut) * 4 < points(shipped)
    ledger = set(derived.ledger_countries(derived.current_version()))
    assert ledger <= ids(cut)  # every country the map colours is drawn
    assert not set(geo.HIDDEN_IDS) & ids(cut)


def test_the_regional_view_leaves_out_what_neither_a_phone_nor_a_wide_screen_shows(client):
    region, world = ids(client.get("/geo/region.json").json()), ids(client.get("/geo/world.json").json())
    assert region < world
    assert "NZL" in world and "NZL" not in region  # far from every country of the ledger


def test_a_conditional_get_is_answered_304_and_an_unknown_area_404(client):
    first = client.get("/geo/region.json")
    again = client.get("/geo/region.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/geo/mars.json").status_code == 404


def test_the_address_changes_with_the_countries_the_view_is_fitted_to():
    one = geo.geometry_url("region", ["PAK", "IDN"])
    assert one == geo.geometry_url("region", ["IDN", "PAK"])  # the order does not matter
    assert one != geo.geometry_url("region", ["PAK", "IDN", "EGY"])
    assert geo.geometry_url("world", ["PAK"]) == geo.geometry_url("world", ["EGY"])
    assert one.startswith("geo/region.json?v=")


def test_the_map_spec_points_at_the_cut_geometry():
    key = derived.ViewKey.of(derived.current_version(), {}, clock.today())
    spec = derived.map_chart(key, "stance", "region")
    url = spec["layer"][0]["data"]["url"]
    assert url == geo.geometry_url("region", derived.ledger_countries(key.version))
    assert '"arcs"' not in json.dumps(spec, default=str)
