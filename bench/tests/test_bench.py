"""The benchmark's own parts: synthetic ledgers, the figures it gathers, and its report."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from bench import load, reruns
from bench import run as bench
from bench.__main__ import main
from bench.report import text_report
from bench.reruns import page_name
from bench.synthetic import COUNTRY_COUNT, synthetic_rows, write_ledger
from isf_tracker.ledger import load_dataset
from isf_tracker.ui.shell import PAGES as APP_PAGES


def test_a_synthetic_ledger_is_valid_spread_over_190_countries_and_years(tmp_path):
    data = load_dataset(write_ledger(tmp_path, 5000))
    assert data.problems == ()
    statements = data.statements
    assert len(statements) == 5000
    assert statements["iso3"].nunique() == COUNTRY_COUNT
    assert statements["date"].dt.year.nunique() >= 3
    assert statements["supersedes"].notna().sum() > 10  # corrections too, each valid
    assert set(statements["status"].dropna()) >= {"declined", "offered", "committed"}


def test_a_synthetic_ledger_is_the_same_for_the_same_size_and_seed():
    first = list(synthetic_rows(300, seed=3))
    assert first == list(synthetic_rows(300, seed=3))
    assert first != list(synthetic_rows(300, seed=4))
    assert all("synthetic" in row["notes"] for row in first)  # never mistaken for real data


def test_the_benchmark_measures_every_page_against_the_empty_page_and_the_shipped_size():
    figures = bench.run(runs=2, sizes=(400,), browser=False)
    reruns = figures["reruns"]
    assert set(reruns["pages"]) == {page_name(spec.script) for spec in APP_PAGES}  # every page, the form too
    for row in reruns["pages"].values():
        assert row["shipped_ms"] > 0 and row["400_ms"] > 0
        assert row["ratio_to_empty"] == row["shipped_ms"] / reruns["empty_page_ms"]
        assert row["growth_400"] == row["400_ms"] / row["shipped_ms"]
    assert set(reruns["first_load_s"]) == {"shipped", "400"}
    assert [t["target"].split(",")[0] for t in figures["targets"]] == [
        "page rerun / empty page (shipped)",
        "page rerun at 400 / shipped",
        "first load of 400 statements",
        "pages that raised an error under AppTest",
    ]
    assert reruns["errors"] == []
    report = text_report(figures)
    assert "Targets" in report and "overview" in report and "400 ms" in report


PAGES = ("overview", "map", "charts", "conditions", "country", "sources", "changes")


def figures_with(ratio: float, growth: float, load_s: float, cold: float, redraw: float, kilobytes: float,
                 geometry: int, snapshot: float | None, raised: int = 0) -> dict:  # fmt: skip
    """Figures shaped as `run` makes them, every page alike, the static snapshot measured or not."""
    rerun = {"shipped_ms": ratio, "ratio_to_empty": ratio, "100000_ms": growth, "growth_100000": growth}
    opened = {"link": "/x?country=PAK", "median_ms": cold * 1000, "ratio_to_empty": cold,
              "runs_ms": [cold * 1000] * 3, "charts": 1, "charts_drawn": 1}  # fmt: skip
    change = {
        "charts": 1,
        "main_median_ms": redraw,
        "main_max_ms": redraw,
        "redraw_median_ms": redraw,
        "redraw_max_ms": redraw,
        "settled_median_ms": redraw,
        "kilobytes_median": kilobytes,
        "kilobytes_max": kilobytes,
        "geometry_requests": geometry,
    }
    shot = {"path": "/s/map?country=PAK", "available": False}
    if snapshot is not None:
        shot = {**shot, "available": True, "median_ms": snapshot * 200, "runs_ms": [snapshot * 200],
                "ratio_to_datasette": snapshot}  # fmt: skip
    return {
        "measured": "2026-12-01T00:00:00+00:00",
        "machine": {"cpu": "CPU", "cores": 2, "memory_gib": 24, "system": "Linux", "python": "3.11"},
        "reruns": {
            "runs": 15,
            "empty_page_ms": 1.0,
            "pages": {page: rerun for page in PAGES},
            "first_load_s": {"shipped": 0.01, "100000": load_s},
            "errors": [{"page": "conditions", "ledger": "100000", "error": "MaxRowsError: too many rows"}]
            * raised,
        },
        "browser": {
            "chromium": "156",
            "repeats": 6,
            "cold_open": {"opens": 3, "empty_page_ms": 1000.0, "pages": {page: opened for page in PAGES}},
            "filter_change": {page: change for page in PAGES},
            "static": {
                "available": True,
                "database_rows": 109,
                "opens": 3,
                "empty_page_ms": 800.0,
                "datasette": {"path": "/ledger/positions?iso3=PAK", "median_ms": 200.0, "runs_ms": [200.0]},
                "snapshots": {"map": shot},
            },
        },
    }


TARGETS = [
    "page rerun / empty page (shipped), worst page",
    "page rerun at 100,000 / shipped, worst page",
    "first load of 100,000 statements",
    "pages that raised an error under AppTest",
    "cold open from a shared link / empty page (median), worst page",
    "filter change → main panel redrawn (median), worst page",
    "filter change → chart redrawn (median), worst page",
    "websocket KB per filter change (max), worst page",
    "map geometry requests after filter changes",
    "static snapshot / Datasette cold open (median), worst page",
]


def test_targets_are_met_up_to_their_limits_and_missed_beyond():
    met = bench.targets(figures_with(10, 3, 0.9, 2.0, 300, 50, 0, 1.0))
    assert [t["target"] for t in met] == TARGETS
    assert [t["met"] for t in met] == [True] * 10
    missed = bench.targets(figures_with(10.5, 3.1, 1.1, 2.01, 301, 51, 1, 1.01, raised=1))
    assert [t["met"] for t in missed] == [False] * 10


def test_a_snapshot_not_served_yet_leaves_its_target_unmeasured_not_missed():
    found = bench.targets(figures_with(10, 3, 0.9, 2.0, 300, 50, 0, None))
    assert found[-1]["target"] == TARGETS[-1]
    assert (found[-1]["value"], found[-1]["met"]) == (None, None)
    assert [t["met"] for t in found[:-1]] == [True] * 9


def test_a_page_that_raises_is_reported_and_the_other_figures_still_stand():
    figures = figures_with(4.5, 1.2, 0.4, 2.5, 250, 40, 0, None, raised=1)
    figures["reruns"]["pages"]["conditions"] = {**figures["reruns"]["pages"]["conditions"],
                                                "100000_ms": None, "growth_100000": None}  # fmt: skip
    found = {t["target"]: t for t in bench.targets(figures)}
    assert found["page rerun at 100,000 / shipped, worst page"]["value"] == 1.2  # from the pages measured
    raised = found["pages that raised an error under AppTest"]
    assert (raised["value"], raised["where"], raised["met"]) == (1, "conditions (100,000)", False)
    figures["targets"] = list(found.values())
    report = text_report(figures)
    assert (
        "The conditions page raised on the 100,000 statements ledger: MaxRowsError: too many rows" in report
    )
    row = next(line for line in report.splitlines() if line.startswith("conditions ") and "error" in line)
    assert "–" in row  # no time where the page raised


def test_what_a_page_raised_is_named_not_redacted():
    app = AppTest.from_string("raise ValueError('the matrix has too many cells')")
    with (
        reruns.error_details(),
        pytest.raises(reruns.PageRaised, match="ValueError: the matrix has too many"),
    ):
        reruns._timed(app)


def test_the_report_prints_every_page_with_its_ratio_and_every_target():
    figures = figures_with(4.5, 1.2, 0.4, 2.5, 250, 40, 0, None)
    figures["targets"] = bench.targets(figures)
    report = text_report(figures)
    lines = report.splitlines()
    for page in PAGES:  # a cold open row: the link, the median, the ratio to the empty page
        row = next(line for line in lines if line.startswith(f"{page} ") and "/x?country=PAK" in line)
        assert "2,500.0" in row and " 2.50 " in row, row
    assert "Empty Streamlit page, measured the same way: 1,000.0 ms" in report
    assert "at most 2× the empty page" in report and "median at most 300 ms on every page" in report
    assert "Datasette" in report and "/ledger/positions?iso3=PAK" in report
    assert "snapshot: map" in report and "not available yet" in report
    targets_at = lines.index("Targets")
    for target in TARGETS:
        assert any(line.startswith(target) for line in lines[targets_at:]), target


def test_python_m_bench_prints_its_figures_as_json(capsys):
    assert main(["--no-browser", "--runs", "1", "--sizes", "300", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["reruns"]["first_load_s"]) == {"shipped", "300"}
    assert len(figures["targets"]) == 4
    assert "browser" not in figures


def test_the_load_test_refuses_an_address_off_this_machine(capsys):
    try:
        code = load.main(["--url", "http://example.org:8501", "--sessions", "1", "--seconds", "1"])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "loopback" in capsys.readouterr().err


def test_every_view_of_the_app_is_opened_from_a_shared_link_and_changed_by_a_filter():
    from bench.browser import LINKS, NOT_VIEWS, app_pages, first_opens, shared_links

    views = {page_name(spec.script) for spec in APP_PAGES} - NOT_VIEWS
    assert set(shared_links()) == set(first_opens()) == set(app_pages()) == views
    assert "add" not in views and "map" in views
    for name, link in shared_links().items():  # a link of LINKS, or the page's own address
        assert link == LINKS.get(name, app_pages()[name])
    assert all("?" in LINKS[name] for name in views & set(LINKS))  # filters in it, as a reader shares it
