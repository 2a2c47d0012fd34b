"""Adding a chart is adding one entry to the registry plus its builder: the dashboard's page, the
snapshot, the embed, the images and the share panel all pick it up, with no other change."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from isf_tracker import chart_registry, derived, paths, share
from isf_tracker.web import convert, render, routes

TITLE = "Statements by how reliable their source is"


def by_reliability(key: derived.ViewKey) -> object:
    """The chart's rows: how many statements of the view each reliability has."""
    counts = derived.view(key).statements["reliability"].value_counts()
    return counts.rename_axis("Reliability").reset_index(name="Statements")


#: A chart the app does not have, on the conditions page, after its main chart.
RELIABILITY = chart_registry.Chart(
    "reliability",
    TITLE,
    ("conditions",),
    lambda key, _o: (
        alt.Chart(by_reliability(key)).mark_bar().encode(x="Statements:Q", y="Reliability:N").to_dict()
    ),
    lambda key, _o: by_reliability(key),
    "Counts statements, not countries.",
)


@pytest.fixture(autouse=True)
def with_reliability_chart(monkeypatch):
    monkeypatch.setattr(chart_registry, "CHARTS", (*chart_registry.CHARTS, RELIABILITY))
    monkeypatch.setattr(convert, "draw", lambda build: build())  # where the chart is registered
    render.clear()  # pages drawn before (by other tests) were drawn without it
    yield
    render.clear()


def test_the_dashboard_draws_it_with_its_table():
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60)
    app.run()
    app.switch_page(str(paths.pages_dir() / "conditions.py")).run()
    assert not app.exception, [e.value for e in app.exception]
    drawn = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    assert len(drawn) == 2 and drawn[1]["encoding"]["y"]["field"] == "Reliability"  # after the matrix
    app.session_state["tabs-reliability"] = "Table"  # tabs are lazy: the table is built when open
    app.run()
    table = app.main.dataframe[-1].value
    assert list(table.columns) == ["Reliability", "Statements"] and table["Statements"].sum() > 0


def test_the_snapshot_embed_images_and_share_links_carry_it():
    client = TestClient(Starlette(routes=routes.routes()))
    snapshot = client.get("/s/conditions").text
    assert snapshot.count(f'aria-label="{TITLE}"') >= 1
    assert "The chart&#39;s rows as a table" in snapshot or "The chart's rows as a table" in snapshot
    embed = client.get("/embed/conditions?chart=reliability")
    assert (
        embed.status_code == 200 and TITLE in embed.text and "Counts statements, not countries." in embed.text
    )
    image = client.get("/img/conditions/reliability.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert client.get("/img/overview/reliability.png").status_code == 404  # only on its own page
    today = dt.date(2026, 12, 3)
    links = share.links("http://testserver", "/conditions", {}, {}, "v", today, today)
    assert [image.chart.name for image in links.images] == ["matrix", "reliability"]
