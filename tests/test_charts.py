"""Chart specs built from the shipped ledger: data rows, encodings, tooltips and colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from isf_tracker import charts, geo, matrix, palette
from isf_tracker import positions as views
from isf_tracker import vocabulary as words
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import Status
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
    return charts.mandate_coverage(table, charts.coverage_segments(pos, table), names(shipped)).to_dict()


# --- palette --------------------------------------------------------------------------------------


def test_palette_covers_every_status_and_current_stance_in_order_and_no_colour_means_two_things():
    assert list(palette.STATUS_COLORS) == [s.value for s in Status]
    assert list(palette.STANCE_COLORS) == list(words.CURRENT_STANCES)
    assert "conditional" not in palette.STANCE_COLORS  # retired in data release 2.0.0
    status, stance = set(palette.STATUS_COLORS.values()), set(palette.STANCE_COLORS.values())
    assert len(status) == len(Status) and len(stance) == len(words.CURRENT_STANCES)
    assert not status & stance  # a hue is a status or a stance, never both
    assert palette.NO_DATA_COLOR not in status | stance
    assert palette.NOT_STATED_COLOR != palette.NO_DATA_COLOR


def test_an_inferred_stance_is_a_lighter_shade_and_its_label_says_so():
    explicit, inferred = words.STANCES["refuses"], words.STANCES["rules_out_combat"]
    assert explicit.explicit and not inferred.explicit
    assert "inferred" in inferred.label
    lightness = [sum(int(t.color[i : i + 2], 16) for i in (1, 3, 5)) for t in (explicit, inferred)]
    assert lightness[0] < lightness[1]


def test_scales_are_keyed_by_labels_not_codes():
    scale = palette.status_scale().to_dict()
    assert scale["domain"] == [words.STATUSES[s.value].label for s in Status]
    assert scale["range"] == list(palette.STATUS_COLORS.values())
    full = palette.status_scale(not_stated=True, no_data=True).to_dict()
    assert full["domain"][-2:] == ["Not stated", "No data"]
    assert full["range"][-2:] == [palette.NOT_STATED_COLOR, palette.NO_DATA_COLOR]
    stance = palette.stance_scale().to_dict()
    assert stance["domain"] == [words.STANCES[code].label for code in words.CURRENT_STANCES]
    assert dict(zip(stance["domain"], stance["range"], strict=True))["Ruled it out explicitly"] == "#542788"


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
            assert mapping["Declined"] == palette.STATUS_COLORS["declined"]
            seen += 1
    assert seen >= 4


def test_a_stance_has_the_same_colour_on_the_map_and_the_matrix(shipped):
    pos = positions(shipped, "2025-12-31")
    expected = palette.stance_colors(no_data=True)
    for scale in color_scales(geo.choropleth(pos, "stance", "region").to_dict()):
        mapping = dict(zip(scale["domain"], scale["range"], strict=True))
        assert mapping == {label: expected[label] for label in mapping}
    assert {label: color for label, color, *_ in matrix.MEANINGS.values() if label in expected} == {
        label: color for label, color in expected.items() if label != "No data"
    }


# --- troop_ranges ---------------------------------------------------------------------------------


def test_troop_ranges_end_of_2025_say_how_each_figure_is_known(shipped):
    spec = charts.troop_ranges(positions(shipped, "2025-12-31")).to_dict()
    by_country = {r["country"]: r for r in rows(spec)}
    assert list(by_country) == ["Pakistan", "Indonesia"]  # most first; Egypt, Turkey… have no figure
    pak = by_country["Pakistan"]
    assert (pak["troops_low"], pak["troops_high"], pak["troops_from"]) == (3500, 3500, "S017")
    assert pak["figure"] == '"around 3,500 troops"'
    assert (pak["basis"], pak["state"]) == ("Unconfirmed", "Offered")  # Pakistan offered on conditions then
    idn = by_country["Indonesia"]  # the Washington Post's reported 1,200 (S131), the latest figure
    assert (idn["troops_high"], idn["basis"], idn["state"]) == (1200, "Reported", "Under consideration")


def layer_of(spec: dict, mark: str) -> dict:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == mark)


def test_troop_ranges_draw_a_sorted_bar_with_an_axis_and_a_whisker_to_the_highest_figure(shipped):
    spec = charts.troop_ranges(positions(shipped, "2026-02-17")).to_dict()
    data = {r["country"]: (r["troops_low"], r["troops_high"], r["state"], r["basis"]) for r in rows(spec)}
    assert data == {
        "Indonesia": (1000, 8000, "Offered", "On record"),
        # Pakistan's own Foreign Office said on record on 8 Jan 2026 that nothing was decided (S067).
        "Pakistan": (3500, 3500, "Called undecided by its government", "Unconfirmed"),
        "Greece": (100, 150, "Under consideration", "Unconfirmed"),
    }
    bar = layer_of(spec, "bar")
    assert bar["encoding"]["x"]["field"] == "troops_low" and bar["encoding"]["x"]["axis"]["grid"] is True
    assert bar["encoding"]["x"]["title"] == "Troops (stated figure)"
    assert bar["encoding"]["y"]["sort"]["field"] == "rank" and bar["encoding"]["y"]["axis"] is not None
    whisker = layer_of(spec, "rule")
    assert (whisker["encoding"]["x"]["field"], whisker["encoding"]["x2"]["field"]) == (
        "troops_low",
        "troops_high",
    )
    assert [r["country"] for r in sorted(rows(spec), key=lambda r: r["rank"])] == [
        "Indonesia",
        "Pakistan",
        "Greece",
    ]
    assert bar["encoding"]["color"]["field"] == "state"
    assert {bar["encoding"]["opacity"]["field"], bar["encoding"]["strokeDash"]["field"]} == {"basis"}


def test_every_legend_entry_of_the_troops_chart_is_drawn(shipped):
    spec = charts.troop_ranges(positions(shipped, "2026-02-17")).to_dict()
    bar = layer_of(spec, "bar")["encoding"]
    drawn = rows(spec)
    assert set(bar["color"]["scale"]["domain"]) == {r["state"] for r in drawn}
    assert set(bar["opacity"]["scale"]["domain"]) == {r["basis"] for r in drawn}


def test_troop_ranges_encodings_and_tooltip(shipped):
    spec = charts.troop_ranges(positions(shipped, "2025-12-31")).to_dict()
    wanted = {"country", "figure", "basis", "state", "status_label", "stance_label", "troops_from"}
    assert wanted <= tooltip_fields(spec)
    assert spec["width"] == "container"


# --- mandate_coverage -----------------------------------------------------------------------------


def test_mandate_coverage_counts_countries_and_sums_figures_only_within_a_basis(shipped):
    spec = coverage(shipped, "2026-06-30")
    words_layer = spec["layer"][0]
    data = {r["task"]: r for r in rows(spec, words_layer["data"])}
    assert len(data) == len(shipped.tasks)
    assert data["demilitarisation"]["figures"] == "no country allows it"
    assert data["demilitarisation"]["names"] == "None"
    border = data["border_security"]
    assert border["figures"] == "9 countries allow it, 3 with a figure: on record 4 · unconfirmed 3,600–3,650"
    assert "Pakistan" in border["names"] and "PAK" not in border["names"] and "Italy" not in border["names"]
    police = data["police_training"]
    assert police["figures"] == "4 countries allow it, 1 with a figure: on record 4"


def test_mandate_coverage_draws_one_segment_per_country_on_record_first(shipped):
    spec = coverage(shipped, "2026-06-30")
    bars = layer_of(spec, "bar")
    segments = [r for r in rows(spec, bars["data"]) if r["order"] == 1]  # securing border areas
    assert [(r["country"], r["basis"], r["start"], r["end"]) for r in segments] == [
        ("Morocco", "On record", 0.0, 4.0),
        ("Greece", "Unconfirmed", 4.0, 104.0),
        ("Pakistan", "Unconfirmed", 104.0, 3604.0),
    ]
    assert bars["encoding"]["color"]["field"] == "state" and bars["encoding"]["opacity"]["field"] == "basis"
    text = layer_of(spec, "text")["mark"]
    assert text["text"] == {"expr": "width < 560 ? [datum.label, datum.counts, datum.sums] : datum.text"}
    assert spec["width"] == "container"


def test_mandate_coverage_takes_names_from_the_table():
    table = pd.DataFrame(
        [{"task": "t", "label": "Task", "countries": 2, "with_figure": 0, "iso3": ("PAK", "IDN"),
          "names": "Pakistan (named here)", **{f"{b}_{e}": 0 for b in views.BASES for e in ("low", "high")}}]
    )  # fmt: skip
    spec = charts.mandate_coverage(table, charts.coverage_segments(pd.DataFrame(), table)).to_dict()
    data = rows(spec, spec["layer"][0]["data"])
    assert data[0]["names"] == "Pakistan (named here)"
    assert data[0]["text"] == "Task: 2 countries allow it, no troop figure stated"


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
            table := views.troops_by_task(pos.iloc[0:0], shipped.tasks)
            if empty == "no rows"
            else pd.DataFrame(),
            charts.coverage_segments(frames["positions"], table),
        ),
    ]
    for chart in built:
        spec = chart.to_dict()
        assert spec["width"] == "container"
    for chart in built[:3]:
        assert rows(chart.to_dict()) == []
    if empty == "no rows":  # the tasks are still listed, each with no country
        spec = built[3].to_dict()
        texts = [r["figures"] for r in rows(spec, spec["layer"][0]["data"])]
        assert len(texts) == len(shipped.tasks) and set(texts) == {"no country allows it"}
