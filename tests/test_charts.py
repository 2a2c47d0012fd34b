"""Chart specs built from the fixture ledger: data rows, encodings, tooltips and colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from isf_tracker import charts, derived, geo, matrix, palette
from isf_tracker import positions as views
from isf_tracker import vocabulary as words
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import Status
from isf_tracker.vegaspec import json_spec
from tests.ledger_rows import FIXTURE


@pytest.fixture(scope="module")
def fixture():
    return load_dataset(FIXTURE)


def positions(fixture, day: str) -> pd.DataFrame:
    return views.positions_as_of(fixture.statements, dt.date.fromisoformat(day))


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


def names(fixture) -> dict[str, str]:
    return dict(zip(fixture.countries["iso3"], fixture.countries["name"], strict=True))


def coverage(fixture, day: str = "2025-12-31") -> dict:
    pos = positions(fixture, day)
    table = views.troops_by_task(pos, fixture.tasks)
    return charts.mandate_coverage(table, charts.coverage_segments(pos, table), names(fixture)).to_dict()


# --- palette --------------------------------------------------------------------------------------


def test_palette_covers_every_status_and_current_stance_in_order_and_no_colour_means_two_things():
    statuses, stances = palette.status_colors(), palette.stance_colors()
    assert list(statuses) == [words.STATUSES[s.value].label for s in Status]
    assert list(stances) == [words.STANCES[code].label for code in words.CURRENT_STANCES]
    assert "conditional" not in words.CURRENT_STANCES  # retired in data release 2.0.0
    status, stance = set(statuses.values()), set(stances.values())
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
    scale = palette.scale(palette.status_colors()).to_dict()
    assert scale["domain"] == [words.STATUSES[s.value].label for s in Status]
    assert scale["range"] == [words.STATUSES[s.value].color for s in Status]
    full = palette.scale(palette.status_colors(not_stated=True, no_data=True)).to_dict()
    assert full["domain"][-2:] == ["Not stated", "No data"]
    assert full["range"][-2:] == [palette.NOT_STATED_COLOR, palette.NO_DATA_COLOR]
    stance = palette.scale(palette.stance_colors()).to_dict()
    assert stance["domain"] == [words.STANCES[code].label for code in words.CURRENT_STANCES]
    assert dict(zip(stance["domain"], stance["range"], strict=True))["Ruled it out explicitly"] == "#542788"


def test_a_status_has_the_same_colour_on_every_chart(fixture):
    pos = positions(fixture, "2025-12-31")
    specs = [
        charts.timeline(fixture.statements).to_dict(),
        geo.choropleth(pos, "status", "world").to_dict(),
        geo.choropleth(pos, "status", "region").to_dict(),
    ]
    expected = palette.status_colors(not_stated=True, no_data=True)
    seen = 0
    for spec in specs:
        for scale in color_scales(spec):
            mapping = dict(zip(scale["domain"], scale["range"], strict=True))
            assert mapping == {label: expected[label] for label in mapping}
            assert mapping["Declined"] == words.STATUSES["declined"].color
            seen += 1
    assert seen >= 4


def test_a_stance_has_the_same_colour_on_the_map_and_the_matrix(fixture):
    pos = positions(fixture, "2025-12-31")
    expected = palette.stance_colors(no_data=True)
    for scale in color_scales(geo.choropleth(pos, "stance", "region").to_dict()):
        mapping = dict(zip(scale["domain"], scale["range"], strict=True))
        assert mapping == {label: expected[label] for label in mapping}
    assert {label: color for label, color, *_ in matrix.MEANINGS.values() if label in expected} == {
        label: color for label, color in expected.items() if label != "No data"
    }


def test_the_matrix_rows_say_each_stance_in_full_on_the_desktop(fixture):
    """A cell holds a symbol; the row's label gives the stance in the legend's words."""
    key = derived.ViewKey.of(derived.version_of(FIXTURE), {}, dt.date(2026, 12, 1))
    y = derived.matrix_chart(key, "troops")["layer"][0]["encoding"]["y"]
    assert '"Indonesia": "Indonesia \\u2014 Ruled it out explicitly"' in y["axis"]["labelExpr"]


# --- troop_ranges ---------------------------------------------------------------------------------


def test_troop_ranges_end_of_2025_say_how_each_figure_is_known(fixture):
    spec = charts.troop_ranges(positions(fixture, "2025-12-31")).to_dict()
    by_country = {r["country"]: r for r in rows(spec)}
    assert list(by_country) == ["Pakistan", "Indonesia"]  # most first; Egypt, Turkey… have no figure
    pak = by_country["Pakistan"]
    assert (pak["troops_low"], pak["troops_high"], pak["troops_from"]) == (3500, 3500, "S007")
    assert pak["figure"] == '"around 3,500 troops"'
    assert (pak["basis"], pak["state"]) == ("Unconfirmed", "Offered")  # Pakistan offered on conditions then
    idn = by_country["Indonesia"]  # a reported 1,200 (S005), the latest figure
    assert (idn["troops_high"], idn["basis"], idn["state"]) == (1200, "Reported", "Under consideration")


def layer_of(spec: dict, mark: str) -> dict:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == mark)


def test_troop_ranges_draw_a_sorted_bar_with_an_axis_and_a_whisker_to_the_highest_figure(fixture):
    spec = charts.troop_ranges(positions(fixture, "2026-02-17")).to_dict()
    data = {r["country"]: (r["troops_low"], r["troops_high"], r["state"], r["basis"]) for r in rows(spec)}
    assert data == {
        "Indonesia": (1000, 8000, "Committed", "On record"),
        # Pakistan's own Foreign Office said on record on 8 Jan 2026 that nothing was decided (S009).
        "Pakistan": (3500, 3500, "Called undecided by its government", "Unconfirmed"),
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
    assert [r["country"] for r in sorted(rows(spec), key=lambda r: r["rank"])] == ["Indonesia", "Pakistan"]
    assert bar["encoding"]["color"]["field"] == "state"
    assert {bar["encoding"]["opacity"]["field"], bar["encoding"]["strokeDash"]["field"]} == {"basis"}


def test_every_legend_entry_of_the_troops_chart_is_drawn(fixture):
    spec = charts.troop_ranges(positions(fixture, "2026-02-17")).to_dict()
    bar = layer_of(spec, "bar")["encoding"]
    drawn = rows(spec)
    assert set(bar["color"]["scale"]["domain"]) == {r["state"] for r in drawn}
    assert set(bar["opacity"]["scale"]["domain"]) == {r["basis"] for r in drawn}


def test_troop_ranges_encodings_and_tooltip(fixture):
    spec = charts.troop_ranges(positions(fixture, "2025-12-31")).to_dict()
    wanted = {"country", "figure", "basis", "state", "status_label", "stance_label", "troops_from"}
    assert wanted <= tooltip_fields(spec)
    assert spec["width"] == "container"


# --- mandate_coverage -----------------------------------------------------------------------------


def test_mandate_coverage_counts_countries_and_sums_figures_only_within_a_basis(fixture):
    spec = coverage(fixture, "2026-06-30")
    words_layer = spec["layer"][0]
    data = {r["task"]: r for r in rows(spec, words_layer["data"])}
    assert len(data) == len(fixture.tasks)
    demilitarisation = "1 country allows it, troops stated by 1 of them: on record 150"
    assert data["demilitarisation"]["figures"] == demilitarisation
    assert data["demilitarisation"]["names"] == "Kazakhstan"  # it would take part on conditions
    border = data["border_security"]
    said = "6 countries allow it, troops stated by 3 of them: on record 154 · unconfirmed 3,500"
    assert border["figures"] == said
    assert "Pakistan" in border["names"] and "PAK" not in border["names"] and "Jordan" not in border["names"]
    police = data["police_training"]
    assert police["figures"] == "1 country allows it, none of them with a troop figure"
    earlier = coverage(fixture, "2025-12-31")  # before Kazakhstan's statement
    first = rows(earlier, earlier["layer"][0]["data"])[0]
    assert (first["task"], first["figures"], first["names"]) == (
        "demilitarisation",
        "no country allows it",
        "None",
    )


def test_mandate_coverage_draws_one_segment_per_country_on_record_first(fixture):
    spec = coverage(fixture, "2026-06-30")
    bars = layer_of(spec, "bar")
    segments = [r for r in rows(spec, bars["data"]) if r["order"] == 1]  # securing border areas
    assert [(r["country"], r["basis"], r["start"], r["end"]) for r in segments] == [
        ("Kazakhstan", "On record", 0.0, 150.0),
        ("Morocco", "On record", 150.0, 154.0),
        ("Pakistan", "Unconfirmed", 154.0, 3654.0),
    ]
    assert bars["encoding"]["color"]["field"] == "state" and bars["encoding"]["opacity"]["field"] == "basis"
    text = layer_of(spec, "text")["mark"]
    lines = f"width < {charts.COVERAGE_ONE_LINE}"  # three lines wherever one could be cut short
    assert text["text"] == {"expr": f"{lines} ? [datum.label, datum.counts, datum.sums] : datum.text"}
    assert spec["width"] == "container"


def test_mandate_coverage_names_the_countries_it_counts():
    table = pd.DataFrame(
        [{"task": "t", "label": "Task", "countries": 2, "with_figure": 0, "iso3": ("PAK", "IDN"),
          **{f"{b}_{e}": 0 for b in views.BASES for e in ("low", "high")}}]
    )  # fmt: skip
    segments = charts.coverage_segments(pd.DataFrame(), table)
    spec = charts.mandate_coverage(table, segments, {"PAK": "Pakistan"}).to_dict()
    data = rows(spec, spec["layer"][0]["data"])
    assert data[0]["names"] == "Pakistan, IDN"  # a code without a name stays a code
    assert data[0]["text"] == "Task: 2 countries allow it, none of them with a troop figure"


# --- timeline -------------------------------------------------------------------------------------


def test_timeline_has_every_dated_statement(fixture):
    spec = charts.timeline(fixture.statements).to_dict()
    data = {r["statement_id"]: r for r in rows(spec)}
    dated = fixture.statements[fixture.statements["date"].notna()]
    assert set(data) == set(dated["statement_id"])
    assert "S011" not in data  # undated
    assert data["S014"]["status_label"] == "Not stated"  # Indonesia, no status in that statement
    assert data["S007"]["reliability_label"] == "Unconfirmed"
    assert data["S007"]["date"] == "2025-12-22"
    assert data["S003"]["date_text"] == "Oct 2025"  # known to the month only
    assert data["S001"]["source_url"].startswith("http")
    # Two Indonesian statements on 16 Mar 2026 sit apart, not on top of each other.
    assert data["S013"]["offset"] != data["S014"]["offset"]


def test_timeline_encodings(fixture):
    spec = charts.timeline(fixture.statements).to_dict()
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


def test_timeline_of_one_country(fixture):
    key = derived.ViewKey.of(derived.version_of(FIXTURE), {}, dt.date(2026, 12, 1))
    spec = json_spec(derived.timeline_chart(key, "IDN"))
    data = rows(spec)
    assert {r["country"] for r in data} == {"Indonesia"}
    idn = fixture.statements[(fixture.statements["iso3"] == "IDN") & fixture.statements["date"].notna()]
    assert sorted(r["statement_id"] for r in data) == sorted(idn["statement_id"])


# --- empty input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["no columns", "no rows"])
def test_every_builder_accepts_an_empty_frame(fixture, empty):
    pos = positions(fixture, "2025-12-31")
    frames = {"positions": pos.iloc[0:0], "statements": fixture.statements.iloc[0:0]}
    if empty == "no columns":
        frames = {key: pd.DataFrame() for key in frames}
    built = [
        charts.troop_ranges(frames["positions"]),
        charts.timeline(frames["statements"]),
        charts.mandate_coverage(
            table := views.troops_by_task(pos.iloc[0:0], fixture.tasks)
            if empty == "no rows"
            else pd.DataFrame(),
            charts.coverage_segments(frames["positions"], table),
        ),
    ]
    for chart in built:
        spec = chart.to_dict()
        assert spec["width"] == "container"
    for chart in built[:2]:
        assert rows(chart.to_dict()) == []
    if empty == "no rows":  # the tasks are still listed, each with no country
        spec = built[2].to_dict()
        texts = [r["figures"] for r in rows(spec, spec["layer"][0]["data"])]
        assert len(texts) == len(fixture.tasks) and set(texts) == {"no country allows it"}


def test_the_troops_chart_outlines_on_hold_figures_thick_and_says_so_in_its_legend():
    frame = pd.DataFrame(
        {"iso3": ["IDN", "KAZ"], "country": ["Indonesia", "Kazakhstan"], "troops_low": [8000, 150],
         "troops_high": [8000, 150], "troops_reliability": ["on_record", "on_record"],
         "troops_state": ["on_hold", "committed"], "status": ["on_hold", "committed"]}
    )  # fmt: skip
    bar = charts.troop_ranges(frame).to_dict()["layer"][0]["encoding"]
    widths = dict(
        zip(bar["strokeWidth"]["scale"]["domain"], bar["strokeWidth"]["scale"]["range"], strict=True)
    )
    assert widths == {"Committed": 1, "On hold": 3}
    assert bar["color"]["legend"]["title"] == bar["strokeWidth"]["legend"]["title"]  # one legend
    assert "thick outline: on hold" in bar["color"]["legend"]["title"]
