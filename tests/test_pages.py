"""Every page under AppTest: the link's parameters land in the widgets and the content follows them."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from isf_tracker import paths
from isf_tracker.schema import POSITION_COLUMNS, POSITION_OPTIONAL_COLUMNS
from tests.ledger_rows import csv_text, row

APP = str(paths.NAVIGATION_SCRIPT)


def open_page(page: str | None = None, before: dict | None = None, after: dict | None = None) -> AppTest:
    """Open the app with `before` in the URL, then (optionally) switch to `page` with `after` added."""
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (before or {}).items():
        app.query_params[key] = value
    app.run()
    if page:
        for key, value in (after or {}).items():
            app.query_params[key] = value
        app.switch_page(str(paths.checkout() / page)).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_tables(app: AppTest, *charts: str) -> AppTest:
    """Open the Table tab of each chart (tabs are lazy: only the open one is built and sent)."""
    for key in charts:
        app.session_state[f"tabs-{key}"] = "Table"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_on_demand(app: AppTest, *keys: str) -> AppTest:
    """Open expanders whose content is built only while open (render._table)."""
    for key in keys:
        app.session_state[key] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def url(app: AppTest) -> dict[str, list[str]]:
    """The app's query string, every value as a list (AppTest collapses single values)."""
    return {k: v if isinstance(v, list) else [v] for k, v in app.query_params.items()}


def sidebar_values(app: AppTest) -> dict[str, object]:
    widgets = {w.label: w.value for w in app.sidebar.multiselect}
    widgets["Minimum troops"] = app.sidebar.number_input[0].value
    widgets["Sources"] = app.sidebar.radio[0].value
    days = app.sidebar.date_input  # drawn only while its expander is open (always, when a day is set)
    widgets["As of"] = days[0].value if len(days) else app.session_state["as_of"]
    return widgets


def warnings(app: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in app.warning]


SHARED = {"country": ["PAK", "IDN"], "as_of": "2025-12-31", "reliability": "on_record", "min_troops": "100"}


def answer(app: AppTest) -> str:
    """The landing page's answer: its bold first paragraph, as plain text."""
    bold = next(m.value for m in app.main.markdown if m.value.startswith("**"))
    return bold.replace("\\", "").replace("**", "")


def test_overview_widgets_hold_the_link_values_and_the_answer_follows():
    app = open_page(before=SHARED)
    values = sidebar_values(app)
    assert values["Countries"] == ["PAK", "IDN"]
    assert str(values["As of"]) == "2025-12-31"
    assert values["Sources"] == "on_record"
    assert values["Minimum troops"] == 100
    # On record only: Pakistan's unconfirmed 3,500 (S007) drops out, Indonesia's 20,000 (S002) stays,
    # and Indonesia's stance of 2025 was only reported (S005).
    assert answer(app) == (
        "As of 31 December 2025, Indonesia has not addressed whether it would take part in disarming Hamas."
    )
    assert url(app) == {k: v if isinstance(v, list) else [v] for k, v in SHARED.items()}
    description = [c.value.replace("\\", "") for c in app.caption]
    assert any(text.startswith("1 of 5 countries · countries: Pakistan or Indonesia") for text in description)


def test_overview_with_all_sources_counts_the_seed_offers():
    app = open_page(before={"country": ["PAK", "IDN"], "as_of": "2025-12-31"})
    assert answer(app) == (
        "As of 31 December 2025, none of the 2 countries taking part in the force or considering it has said "
        "it would take part in disarming Hamas. Pakistan has ruled it out explicitly. Indonesia (reportedly) "
        "has ruled out combat or peace enforcement, which disarming would need."
    )
    assert not app.main.dataframe  # the table is built only when its expander is opened
    positions = open_on_demand(app, "table-positions").main.dataframe[0].value
    assert list(positions["Country"]) == ["Pakistan", "Indonesia"]  # most troops first: 3,500, 1,200


def test_bad_link_values_are_dropped_with_a_notice_and_the_page_renders():
    app = open_page(before={"country": ["ZZZ", "PAK"], "min_troops": "abc", "as_of": "2025-13-45",
                            "stance": "maybe", "colour": "red"})  # fmt: skip
    assert [w for w in warnings(app) if w.startswith("Ignored")] == [
        "Ignored in the link, not valid here: country=ZZZ, stance=maybe, "
        "min_troops=abc (not a whole number from 0 to 1,000,000 in digits), as_of=2025-13-45 (no such date), "
        "colour=red (not a setting of this page)."
    ]
    assert sidebar_values(app)["Countries"] == ["PAK"]
    assert url(app) == {"country": ["PAK"], "colour": ["red"]}
    assert app.title[0].value == "Troops for the Gaza force"


def test_empty_filters_say_so_in_the_answer():
    app = open_page(before={"stance": "will_disarm"})
    assert answer(app).startswith("No country matches these filters on ")
    assert not app.get("vega_lite_chart") and not app.main.dataframe


def test_filters_survive_a_page_switch():
    app = open_page("pages/sources.py", before=SHARED)
    assert sidebar_values(app)["Countries"] == ["PAK", "IDN"]
    assert url(app)["country"] == ["PAK", "IDN"]


def test_country_profile_shows_each_value_with_its_statement():
    app = open_page("pages/country.py", before={"country": "PAK"})
    assert app.header[0].value == "Pakistan"
    listed = next(m.value for m in app.main.markdown if m.value.replace("\\", "").startswith("- **Status:**"))
    lines = [line.replace("\\", "") for line in listed.splitlines()]
    assert lines[0].startswith("- **Status:** Considering — S009 · ")
    troops = '- **Troops:** "around 3,500 troops" · unconfirmed · since called undecided by its government'
    assert lines[1].startswith(f"{troops} — S007 · ")
    assert lines[2].startswith("- **Disarming Hamas:** Ruled it out explicitly — S008 · ")  # not S019
    assert any(line.startswith("- **Condition:** No role in disarming Hamas — S019 · 18 Feb 2026 · reported")
               for line in lines)  # fmt: skip
    # S004's parliament condition was over-coded: its correction (S018) drops it.
    assert not [line for line in lines if line.startswith("- **Condition:** Parliament")]
    assert "](https://" in listed  # each value links to its source
    # Each card says how reliable its statement is, as a badge, and names the original outlet of a copy.
    cards = [m.value.replace("\\", "") for m in app.main.markdown if "-badge[" in m.value]
    # In force, newest first: not the corrected S004, nor the undated S011.
    assert [card.rsplit(" · ", 1)[1] for card in cards] == ["S019", "S009", "S008", "S007", "S018"]
    badges = [card.rsplit("\n\n", 1)[-1].split("] ", 1)[0] for card in cards]
    assert badges == [":orange-badge[Reported", ":green-badge[On record", ":green-badge[On record",
                      ":red-badge[Unconfirmed", ":green-badge[On record"]  # fmt: skip
    assert "[Example Times, via Example Gazette](" in cards[1]
    assert not app.dataframe  # the table of every statement is built when opened
    history = open_on_demand(app, "table-statements-PAK").dataframe[0].value
    statements = ["S019", "S009", "S008", "S007", "S018", "S004", "S011"]
    assert list(history["ID"]) == statements  # corrected and undated rows too


def test_country_profile_without_a_country_lists_every_country_and_opens_one():
    app = open_page("pages/country.py", before={"as_of": "2025-12-31"})
    picker = app.main.selectbox(key="open-country")
    names = list(picker.options)  # as the reader sees them
    listed = [item.split("**")[1] for item in app.main.markdown[-1].value.splitlines()]
    # Every country with a position by then, by name.
    assert names == listed == ["Azerbaijan", "Egypt", "Indonesia", "Pakistan", "Turkey"]
    picker.set_value("IDN").run()
    assert app.header[0].value == "Indonesia"
    assert url(app)["country"] == ["IDN"]


def test_sources_page_lists_each_source_once_with_its_statements():
    app = open_on_demand(open_page("pages/sources.py", before={"country": "PAK"}), "table-sources")
    table = app.dataframe[0].value
    assert list(table.columns[:3]) == ["Outlet", "Date", "Reliability"]
    assert table["Source"].is_unique
    sources = ["S004, S018", "S007", "S008", "S009", "S011", "S019"]  # a correction shares its row's source
    assert sorted(table["Statements"]) == sources
    assert table.set_index("Statements").loc["S008", "Outlet"] == "Example Herald"


def test_condition_matrix_says_what_each_cell_means_and_sorts():
    app = open_page("pages/conditions.py", before={"country": ["PAK", "IDN"], "as_of": "2026-02-17"},
                    after={"sort": "conditions"})  # fmt: skip
    assert app.segmented_control[0].value == "conditions"
    assert url(app)["sort"] == ["conditions"]
    open_tables(app, "matrix")
    open_on_demand(app, "table-red-lines", "table-tasks")
    matrix = app.dataframe[0].value.set_index("Country")
    assert list(matrix.index) == ["Pakistan", "Indonesia"]  # 4 conditions before 2 (by troops: the other way)
    assert list(matrix.columns[:2]) == ["Disarming Hamas?", "UN Security Council mandate"]
    assert matrix.loc["Pakistan", "Disarming Hamas?"] == "Ruled out explicitly"
    assert matrix.loc["Indonesia", "Disarming Hamas?"] == "Ruled out combat (inferred)"
    assert matrix.loc["Pakistan", "No role in disarming Hamas"] == "✓"
    assert matrix.loc["Indonesia", "No role in disarming Hamas"] == ""
    assert matrix.loc["Indonesia", "Role: Medical"] == "✓" and matrix.loc["Pakistan", "Role: Medical"] == ""
    red_lines = app.dataframe[1].value
    assert {"Israel", "Hamas"} <= set(red_lines["Actor"])


def test_condition_matrix_cells_name_their_statement_in_the_chart():
    app = open_page("pages/conditions.py", before={"country": ["PAK"], "as_of": "2025-12-31"})
    cells = chart_rows(app, 0).set_index("column")
    assert cells.loc["No role in disarming Hamas", "statement_id"] == "S008"
    assert cells.loc["No role in disarming Hamas", "meaning"] == "Condition held"  # a condition, not a stance
    assert cells.loc["No role in disarming Hamas", "excludes"].startswith(
        "Keeps it out of demilitarising Gaza"
    )
    assert (cells.loc["Disarming Hamas?", "word"], cells.loc["Disarming Hamas?", "symbol"]) == (
        "Ruled out explicitly",
        "✕",
    )
    assert cells["source_url"].str.startswith("http").all()


def test_condition_matrix_sorted_by_troops_by_default():
    app = open_page("pages/conditions.py", before={"country": ["PAK", "IDN"], "as_of": "2026-02-17"})
    assert "sort" not in url(app)
    open_tables(app, "matrix")
    assert list(app.dataframe[0].value["Country"]) == ["Indonesia", "Pakistan"]  # 8,000, then 3,500


def test_bad_page_option_is_dropped_with_a_notice():
    app = open_page("pages/conditions.py", after={"sort": "alphabet"})
    assert "Ignored in the link, not valid here: sort=alphabet." in warnings(app)
    assert app.segmented_control[0].value == "troops"
    assert "sort" not in url(app)


def chart_specs(app: AppTest) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def chart_rows(app: AppTest, index: int):
    """The DataFrame rows a chart was sent with (Streamlit ships them as Arrow datasets)."""
    import pyarrow as pa

    chart = app.get("vega_lite_chart")[index]
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.proto.datasets]
    return max(frames, key=len)


def test_the_map_colours_by_stance_on_the_countries_region_by_default():
    app = open_page("pages/map.py", before={"as_of": "2025-12-31"})
    assert [c.value for c in app.segmented_control] == ["stance", "region"]
    assert "color" not in url(app) and "view" not in url(app)
    spec = chart_specs(app)[0]
    assert spec["projection"]["type"] == "mercator" and "fit" in spec["projection"]
    assert "Stance on disarming Hamas" in str(spec)


def test_map_page_options_come_from_the_link_and_the_geometry_is_fetched_not_sent():
    app = open_page(
        "pages/map.py", before={"as_of": "2025-12-31"}, after={"color": "status", "view": "world"}
    )
    assert [c.value for c in app.segmented_control] == ["status", "world"]
    assert url(app)["color"] == ["status"] and url(app)["view"] == ["world"]
    spec = chart_specs(app)[0]
    assert spec["layer"][0]["data"]["url"] == "assets/world-countries-50m.json"  # fetched once
    assert '"arcs"' not in json.dumps(spec, default=str)
    assert spec["projection"]["type"] == "equalEarth"
    rows = chart_rows(app, 0)
    assert rows.set_index("iso3").loc["PAK", "stance_label"] == "Ruled it out explicitly"
    assert not app.dataframe  # the table alternative is built only when its tab is opened
    open_tables(app, "map")
    assert len(app.dataframe[0].value) == 5  # the table alternative: countries as of the date
    assert not app.get("vega_lite_chart")


def test_map_bad_option_is_named_and_the_default_used():
    app = open_page("pages/map.py", after={"color": "purple"})
    assert "Ignored in the link, not valid here: color=purple." in warnings(app)
    assert app.segmented_control[0].value == "stance"


def test_charts_page_draws_the_filtered_countries_only():
    app = open_page("pages/charts.py", before={"country": ["PAK", "IDN"], "as_of": "2025-12-31"})
    assert len(chart_specs(app)) == 2
    ranges = chart_rows(app, 0).set_index("country")
    assert set(ranges.index) == {"Pakistan", "Indonesia"}
    assert ranges.loc["Pakistan", "troops_high"] == 3500
    assert (ranges.loc["Pakistan", "basis"], ranges.loc["Pakistan", "state"]) == ("Unconfirmed", "Offered")
    assert (ranges.loc["Indonesia", "basis"], ranges.loc["Indonesia", "troops_high"]) == ("Reported", 1200)
    open_tables(app, "timeline")
    timeline = app.dataframe[0].value
    assert set(timeline["Country"]) == {"Pakistan", "Indonesia"}
    assert timeline["Date"].max().isoformat() == "2025-12-27"


def test_the_landing_page_draws_the_task_coverage():
    app = open_page(before={"country": ["PAK", "IDN"], "as_of": "2025-12-31"})
    coverage = chart_rows(app, 0).set_index("label")
    assert coverage.loc["Demilitarising Gaza", "text"] == "Demilitarising Gaza: no country allows it"
    assert coverage.loc["Securing border areas", "sums"] == "reported 1,200 · unconfirmed 3,500"  # no total
    open_tables(app, "coverage")
    table = app.dataframe[0].value.set_index("Task")
    assert table.loc["Demilitarising Gaza", "Countries allowing it"] == 0
    assert table.loc["Securing border areas", "Troops unconfirmed"] == "3,500"


def test_charts_page_empty_state():
    app = open_page("pages/charts.py", before={"stance": "will_disarm"})
    assert "No country matches" in app.info[0].value
    assert not app.get("vega_lite_chart")


def test_statements_page_shows_the_newest_as_cards_and_marks_a_correction(write_ledger, monkeypatch):
    rows = [
        row(statement_id="A", date="2025-11-01", quote="first words"),
        row(statement_id="B", date="2025-11-20", quote="corrected words", supersedes="A"),
        row(statement_id="C", date="2025-12-01", iso3="IDN", country="Indonesia", quote="later words"),
    ]
    columns = (*POSITION_COLUMNS, *POSITION_OPTIONAL_COLUMNS)
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows, columns=columns))))
    app = open_page("pages/statements.py")
    captions = [c.value.replace("\\", "") for c in app.main.caption]
    lines = [m.value.replace("\\", "") for m in app.main.markdown if "-badge[" in m.value]
    ids = [line.rsplit(" · ", 1)[1] for line in lines if line.endswith((" · A", " · B", " · C"))]
    assert ids == ["C", "B", "A"]  # newest first, the corrected row still listed
    assert "Corrected by B: only the correction counts." in " ".join(captions)
    quotes = [part for line in lines for part in line.split("\n\n") if part.startswith("“")]
    assert quotes == ["“later words”", "“corrected words”", "“first words”"]
    table = open_on_demand(app, "table-statements").main.dataframe[0].value
    assert list(table["ID"]) == ["C", "B", "A"]


def test_condition_matrix_on_a_phone_is_a_block_per_country_with_its_stance_in_full():
    app = open_page("pages/conditions.py", before={"country": ["PAK", "KAZ"]})
    chips = next(h.proto.body for h in app.get("html") if 'class="isf-chips"' in h.proto.body)
    assert chips.index("<h4>Pakistan</h4>") < chips.index("<h4>Kazakhstan</h4>")  # by troops, as the chart
    kazakhstan = chips.split("<h4>Kazakhstan</h4>")[1]
    assert "Only on conditions</summary>" in kazakhstan  # the stance in full, as a badge
    assert "UN Security Council mandate</summary>" in kazakhstan and "Observers</summary>" in kazakhstan
    assert re.search(r'<a href="https?://[^"]+" rel="noopener noreferrer">', kazakhstan)  # its source
    # The chart above 700 px, the blocks below: keyed containers a media query shows or hides.
    css = next(h.proto.body for h in app.get("html") if h.proto.body.startswith("<style>"))
    assert "@media (max-width: 700px)" in css and "<" not in css.removeprefix("<style>").removesuffix(
        "</style>"
    )


def test_a_chip_says_the_data_as_text_never_as_markup():
    from isf_tracker.blocks import Card, Chip, ChipRow, Chips, Link
    from isf_tracker.ui.render import chips_html

    card = Card("1 Jan 2026", quote="<b>x</b>", footer=(Link("outlet", "javascript:alert(1)"),))
    made = chips_html(
        Chips((ChipRow("<script>", (("Roles", (Chip("<i>y</i>", "role", statement=card),)),)),))
    )
    assert "<script>" not in made and "<b>" not in made and "<i>" not in made and "javascript:" not in made
    assert "&lt;script&gt;" in made and "&lt;b&gt;x&lt;/b&gt;" in made


def test_the_phone_blocks_of_a_long_matrix_say_how_many_they_show(monkeypatch):
    from isf_tracker import clock, derived, page_content

    monkeypatch.setattr(page_content, "CHIP_COUNTRIES", 3)
    page_content.matrix_chips.cache_clear()
    chips = page_content.matrix_chips(
        derived.ViewKey.of(derived.current_version(), {}, clock.today()), "troops"
    )
    page_content.matrix_chips.cache_clear()
    assert len(chips.rows) == 3 and chips.note.startswith("The first 3 of 9 countries")
