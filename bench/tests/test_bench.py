"""The benchmark's own parts: synthetic ledgers, the figures it gathers, and its report."""

from __future__ import annotations

import json

from bench import load
from bench import run as bench
from bench.__main__ import main
from bench.report import text_report
from bench.synthetic import COUNTRY_COUNT, synthetic_rows, write_ledger
from isf_tracker.ledger import load_dataset


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
    assert set(reruns["pages"]) == {"overview", "map", "charts", "conditions", "country", "sources",
                                    "changes", "add"}  # fmt: skip
    for row in reruns["pages"].values():
        assert row["shipped_ms"] > 0 and row["400_ms"] > 0
        assert row["ratio_to_empty"] == row["shipped_ms"] / reruns["empty_page_ms"]
        assert row["growth_400"] == row["400_ms"] / row["shipped_ms"]
    assert set(reruns["first_load_s"]) == {"shipped", "400"}
    assert [t["target"].split(",")[0] for t in figures["targets"]] == [
        "page rerun / empty page (shipped)",
        "page rerun at 400 / shipped",
        "first load of 400 statements",
    ]
    report = text_report(figures)
    assert "Targets" in report and "overview" in report and "400 ms" in report


def figures_with(ratio: float, growth: float, load_s: float, redraw: float, kilobytes: float, geometry: int):
    page = {"shipped_ms": ratio, "ratio_to_empty": ratio, "100000_ms": growth, "growth_100000": growth}
    change = {
        "redraw_median_ms": redraw,
        "redraw_max_ms": redraw,
        "settled_median_ms": redraw,
        "kilobytes_median": kilobytes,
        "kilobytes_max": kilobytes,
        "geometry_requests": geometry,
    }
    return {
        "reruns": {"pages": {"map": page}, "first_load_s": {"shipped": 0.01, "100000": load_s}},
        "browser": {"filter_change": {"map": change}},
    }


def test_targets_are_met_up_to_their_limits_and_missed_beyond():
    met = bench.targets(figures_with(10, 3, 0.9, 300, 50, 0))
    assert [t["met"] for t in met] == [True] * 6
    missed = bench.targets(figures_with(10.5, 3.1, 1.1, 301, 51, 1))
    assert [t["met"] for t in missed] == [False] * 6
    assert [t["where"] for t in missed][:2] == ["map", "map"]


def test_python_m_bench_prints_its_figures_as_json(capsys):
    assert main(["--no-browser", "--runs", "1", "--sizes", "300", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["reruns"]["first_load_s"]) == {"shipped", "300"}
    assert len(figures["targets"]) == 3
    assert "browser" not in figures


def test_the_load_test_refuses_an_address_off_this_machine(capsys):
    try:
        code = load.main(["--url", "http://example.org:8501", "--sessions", "1", "--seconds", "1"])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "loopback" in capsys.readouterr().err
