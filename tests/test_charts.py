"""Chart specs built from the shipped ledger: data rows, encodings, tooltips and colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from isf_tracker import charts, geo, palette
from isf_tracker import positions as views
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import STANCE_LABELS, STATUS_LABELS, Stance, Status
from tests.ledger_rows import FIXTURE


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(FIXTURE)


def positions(shipped, day: str) -> pd.DataFrame:
    return views.positions_as_of(shipped.statements, dt.date.fromisoformat(day))


def rows(spec: dict, data: dict | None = None) -> list[dict]:
    """The inline rows a chart (or one of its layers, by its `data`) draws."""
    return spec["datasets"][(data or spec["data"])["name"]]


def encodings(spec: dict) -> Iterator[dict]:
    """Every `encoding` block of a spec and its layers."""
    if "encoding" in spec:
        yield spec["encoding"]
    for layer in spec.get("layer", []):
        yield from encodings(layer)


def color_scales(spec: dict) -> list[dict]:
    return [e["color"]["scale"] for e in encodings(spec) if "scale" in e.get("color", {})]


def tooltip_fields(spec: dict) -> set[str]:
    return {t["field"] for e in encodings(spec) for t in e.get("tooltip", [])}


def names(shipped) -> dict[str, str]:
    return dict(zip(shipped.countries["iso3"], shipped.countries["name"], strict=True))


def coverage(shipped, day: str = "2025-12-31") -> dict:
    pos = positions(shipped, day)
    table = views.troops_by_task(pos, shipped.tasks)
    return charts.mandate_coverage(
        table, views.headline(pos, shipped.tasks).offered, names(shipped)
    ).to_dict()


# --- palette --------------------------------------------------------------------------------------


def test_palette_covers_every_status_and_stance_in_order():
    assert list(palette.STATUS_COLORS) == [s.value for s in Status]
    assert list(palette.STANCE_COLORS) == [s.value for s in Stance]
    assert len(set(palette.STATUS_COLORS.values())) == len(Status)  # no two statuses share a colour
    assert palette.NO_DATA_COLOR not in {*palette.STATUS_COLORS.values(), *palette.STANCE_COLORS.values()}
    assert palette.NOT_STATED_COLOR != palette.NO_DATA_COLOR


def test_scales_are_keyed_by_labels_not_codes():
    scale = palette.status_scale().to_dict()
    assert scale["domain"] == [STATUS_LABELS[s] for s in Status]
    assert scale["range"] == list(palette.STATUS_COLORS.values())
    full = palette.status_scale(not_stated=True, no_data=True).to_dict()
    assert full["domain"][-2:] == ["Not stated", "No data"]
    assert full["range"][-2:] == [palette.NOT_STATED_COLOR, palette.NO_DATA_COLOR]
    stance = palette.stance_scale().to_dict()
    assert stance["domain"] == [STANCE_LABELS[s] for s in Stance]
    assert dict(zip(stance["domain"], stance["range"], strict=True))["Refuses to disarm Hamas"] == "#D55E00"


def test_a_status_has_the_same_colour_on_every_chart(shipped):
    pos = positions(shipped, "2025-12-31")
    specs = [
        charts.timeline(shipped.statements).to_dict(),
        geo.choropleth(pos, "status", "world").to_dict(),
        geo.choropleth(pos, "status", "region").to_dict(),
    ]
    expected = palette.status_colors(not_stated=True, no_data=True)
    seen = 0
    for spec in specs:
        for scale in color_scales(spec):
            mapping = dict(zip(scale["domain"], scale["range"], strict=True))
            assert mapping == {label: expected[label] for label in mapping}
            assert mapping["Declined"] == "#D55E00" and mapping["Committed"] == "#0072B2"
            seen += 1
    assert seen >= 4


def test_a_stance_has_the_same_colour_on_every_chart(shipped):
    pos = positions(shipped, "2025-12-31")
    expected = palette.stance_colors(no_data=True)
    for spec in (charts.troop_ranges(pos).to_dict(), geo.choropleth(pos, "stance", "region").to_dict()):
        scales = color_scales(spec)
        assert scales
        for scale in scales:
            mapping = dict(zip(scale["domain"], scale["range"], strict=True))
            assert mapping == {label: expected[label] for label in mapping}
            assert mapping["Refuses to disarm Hamas"] == palette.STANCE_COLORS["refuses"]


# --- troop_ranges ---------------------------------------------------------------------------------


def test_troop_ranges_end_of_2025_has_only_the_countries_with_a_figure(shipped):
    spec = charts.troop_ranges(positions(shipped, "2025-12-31")).to_dict()
    data = rows(spec)
    by_country = {r["country"]: r for r in data}
    assert list(by_country) == ["Indonesia", "Pakistan"]  # most first; Egypt, Turkey… have no figure
    pak = by_country["Pakistan"]
    assert (pak["troops_low"], pak["troops_high"]) == (3500, 3500)
    assert pak["troops"] == "3,500"
    assert pak["troops_as_stated"] == "around 3,500 troops"
    assert pak["troops_from"] == "S017"
    assert pak["status_label"] == "Conditional offer"
    assert pak["stance_label"] == "Refuses to disarm Hamas"
    assert by_country["Indonesia"]["troops_high"] == 20000


def layer_of(spec: dict, mark: str) -> dict:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == mark)


def test_troop_ranges_draws_a_range_from_low_to_high(shipped):
    spec = charts.troop_ranges(positions(shipped, "2026-02-17")).to_dict()
    data = {r["country"]: (r["troops_low"], r["troops_high"], r["troops_from"]) for r in rows(spec)}
    assert data == {
        "Indonesia": (1000, 8000, "S009"),
        "Pakistan": (3500, 3500, "S017"),
        "Greece": (100, 150, "S057"),
    }
    rule = layer_of(spec, "rule")
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("troops_low", "troops_high")
    points = [
        layer for layer in spec["layer"] if layer["mark"]["type"] == "point" and "color" in layer["encoding"]
    ]
    assert [layer["encoding"]["x"]["field"] for layer in points] == ["troops_low", "troops_high"]
    assert rule["encoding"]["y"]["sort"]["field"] == "rank"  # the order travels with the rows
    assert [r["country"] for r in sorted(rows(spec), key=lambda r: r["rank"])] == [
        "Indonesia",
        "Pakistan",
        "Greece",
    ]
    room = spec["layer"][-1]  # an invisible mark reaching just past the largest figure
    assert room["mark"]["opacity"] == 0 and room["encoding"]["x"]["field"] == "room"
    assert rule["encoding"]["color"]["field"] == "stance_label"


def test_troop_ranges_write_each_country_and_figure_above_its_range(shipped):
    spec = charts.troop_ranges(positions(shipped, "2026-02-17")).to_dict()
    labels = {r["country"]: (r["label"], r["figure"]) for r in rows(spec)}
    assert labels["Indonesia"] == ("Indonesia: 1,000–8,000 (offered)", "1,000–8,000 (offered)")
    text = layer_of(spec, "text")["mark"]
    # One line on a wide chart, two (country, then figure) on a phone-wide one.
    assert text["text"] == {"expr": "width < 560 ? [datum.country, datum.figure] : datum.label"}
    assert text["baseline"] == "top" and text["limit"] == {"expr": "width"}
    assert spec["height"] == {"step": charts.LABELLED_STEP}
    assert layer_of(spec, "rule")["encoding"]["y"]["axis"] is None  # no axis labels to squeeze


def test_troop_ranges_encodings_and_tooltip(shipped):
    spec = charts.troop_ranges(positions(shipped, "2025-12-31")).to_dict()
    wanted = {"country", "status_label", "troops_as_stated", "stance_label", "troops_from"}
    assert wanted <= tooltip_fields(spec)
    assert spec["width"] == "container"


# --- mandate_coverage -----------------------------------------------------------------------------


def test_mandate_coverage_says_each_task_in_words_zero_included(shipped):
    spec = coverage(shipped)
    data = {r["task"]: r for r in rows(spec)}
    assert len(data) == len(shipped.tasks)
    disarm = data["demilitarisation"]
    assert (disarm["troops_low"], disarm["troops_high"], disarm["offered_high"]) == (0, 0, 23500)
    assert disarm["text"] == "Demilitarising Gaza: 0 of 23,500 troops offered (no country)"
    assert disarm["names"] == "None"
    border = data["border_security"]
    # Italy's "outside Gaza only" (S047) still holds in December, so Italy is not counted here.
    assert (border["troops_high"], border["countries"]) == (23500, 7)
    assert border["figures"] == "23,500 of 23,500 troops offered (7 countries)"
    assert "Pakistan" in border["names"] and "Indonesia" in border["names"] and "PAK" not in border["names"]
    assert "Italy" not in border["names"]
    police = data["police_training"]
    assert police["figures"] == "0 of 23,500 troops offered (1 country, no troop figure stated)"
    assert police["names"] == "Italy"


def test_mandate_coverage_draws_available_over_offered(shipped):
    spec = coverage(shipped)
    assert {"label", "text", "names"} <= tooltip_fields(spec)
    bars = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    assert [bar["mark"]["color"] for bar in bars] == [palette.REFERENCE_COLOR, palette.BLUE, palette.BLUE]
    assert bars[0]["encoding"]["x"]["field"] == "offered_high"
    assert (bars[1]["encoding"]["x"]["field"], bars[1]["encoding"]["x2"]["field"]) == (
        "troops_low",
        "troops_high",
    )
    text = layer_of(spec, "text")["mark"]
    assert text["text"] == {"expr": "width < 560 ? [datum.label, datum.figures] : datum.text"}
    assert spec["layer"][0]["encoding"]["y"]["field"] == "order"  # the tasks in their file order
    assert spec["width"] == "container"


def test_mandate_coverage_takes_names_from_the_table():
    table = pd.DataFrame(
        [
            {
                "task": "t",
                "label": "Task",
                "countries": 1,
                "troops_low": 5,
                "troops_high": 9,
                "iso3": ("PAK",),
                "names": "Pakistan (named here)",
            }
        ]
    )
    data = rows(charts.mandate_coverage(table, (5, 9)).to_dict())
    assert data[0]["names"] == "Pakistan (named here)"
    assert data[0]["text"] == "Task: 5–9 of 5–9 troops offered (1 country)"


# --- timeline -------------------------------------------------------------------------------------


def test_timeline_has_every_dated_statement(shipped):
    spec = charts.timeline(shipped.statements).to_dict()
    data = {r["statement_id"]: r for r in rows(spec)}
    dated = shipped.statements[shipped.statements["date"].notna()]
    assert set(data) == set(dated["statement_id"])
    assert "S024" not in data  # undated
    assert data["S030"]["status_label"] == "Not stated"  # Egypt, no status in that statement
    assert data["S017"]["reliability_label"] == "Unconfirmed"
    assert data["S017"]["date"] == "2025-12-22"
    assert data["S023"]["date_text"] == "Dec 2025"  # known to the month only
    assert data["S001"]["source_url"].startswith("http")
    # Two Indonesian statements on 14 Nov 2025 sit apart, not on top of each other.
    assert data["S003"]["offset"] != data["S004"]["offset"]


def test_timeline_encodings(shipped):
    spec = charts.timeline(shipped.statements).to_dict()
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("date", "temporal")
    assert enc["y"]["field"] == "country"
    assert enc["color"]["field"] == "status_label"
    assert enc["color"]["scale"]["domain"][-1] == "Not stated"
    assert enc["shape"]["field"] == "reliability_label"
    assert enc["shape"]["scale"]["domain"] == ["On record", "Reported", "Unconfirmed"]
    assert {
        "date_text",
        "country",
        "status_label",
        "speaker",
        "quote",
        "source_outlet",
        "source_url",
        "statement_id",
    } <= tooltip_fields(spec)
    assert spec["width"] == "container"
    assert enc["x"]["axis"]["tickCount"] == "month" and enc["x"]["axis"]["labelOverlap"] == "greedy"


def test_timeline_of_one_country(shipped):
    spec = charts.timeline(shipped.statements, "IDN").to_dict()
    data = rows(spec)
    assert {r["iso3"] for r in data} == {"IDN"}
    idn = shipped.statements[(shipped.statements["iso3"] == "IDN") & shipped.statements["date"].notna()]
    assert sorted(r["statement_id"] for r in data) == sorted(idn["statement_id"])
    assert len(data) == 12


# --- empty input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["no columns", "no rows"])
def test_every_builder_accepts_an_empty_frame(shipped, empty):
    pos = positions(shipped, "2025-12-31")
    frames = {"positions": pos.iloc[0:0], "statements": shipped.statements.iloc[0:0]}
    if empty == "no columns":
        frames = {key: pd.DataFrame() for key in frames}
    built = [
        charts.troop_ranges(frames["positions"]),
        charts.timeline(frames["statements"]),
        charts.timeline(frames["statements"], "IDN"),
        charts.mandate_coverage(
            views.troops_by_task(pos.iloc[0:0], shipped.tasks) if empty == "no rows" else pd.DataFrame(),
            (0, 0),
        ),
    ]
    for chart in built:
        spec = chart.to_dict()
        assert spec["width"] == "container"
    for chart in built[:3]:
        assert rows(chart.to_dict()) == []
    if empty == "no rows":  # the tasks are still listed, each at 0 of 0
        texts = [r["figures"] for r in rows(built[3].to_dict())]
        assert len(texts) == len(shipped.tasks) and set(texts) == {"0 of 0 troops offered (no country)"}
