"""The benchmark's own parts without a browser: synthetic ledgers, the reruns it measures, its
targets, its report and its bounds. Behaviour only; how fast anything ran is never asserted."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import io
import json
import statistics
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench import __main__ as bench
from bench import browser, crawl, load, reruns, server
from bench.report import table, targets, text
from bench.synthetic import COUNTRY_COUNT, synthetic_rows, write_ledger
from isf_tracker.ledger import load_dataset
from isf_tracker.ui.shell import PAGES

PAGE_NAMES = [Path(spec.script).stem for spec in PAGES]


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


def test_the_country_page_is_measured_with_its_busiest_country_chosen_and_with_none():
    found = {name: (spec.script, query) for name, spec, query in reruns.cases("PAK")}
    assert list(found) == [
        *PAGE_NAMES[: PAGE_NAMES.index("country") + 1],
        reruns.NONE_CHOSEN,
        *PAGE_NAMES[PAGE_NAMES.index("country") + 1 :],
    ]
    assert found["country"] == (found[reruns.NONE_CHOSEN][0], {"country": "PAK"})
    assert found[reruns.NONE_CHOSEN][1] == {}
    assert all(query == {} for name, (_, query) in found.items() if name != "country")


@pytest.fixture(scope="module")
def measured() -> dict:
    """One short run without a browser, as `python -m bench --json` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert bench.main(["--no-browser", "--runs", "1", "--sizes", "300", "--json"]) == 0
    return json.loads(out.getvalue())


def test_every_page_is_measured_against_the_empty_page_and_the_shipped_ledger(measured):
    rerun = measured["reruns"]
    assert list(rerun["rows"]) == [name for name, _, _ in reruns.cases("PAK")]
    for row in rerun["rows"].values():
        assert row["shipped ms"] > 0 and row["300 ms"] > 0
        assert row["× empty"] == row["shipped ms"] / rerun["empty page ms"]
        assert row["300 × shipped"] == row["300 ms"] / row["shipped ms"]
    assert rerun["countries"] == {
        "shipped": load_dataset().statements["iso3"].nunique(),
        "300": COUNTRY_COUNT,
    }
    none_chosen = rerun["rows"][reruns.NONE_CHOSEN]
    assert rerun["none chosen × empty"] == {
        label: none_chosen[f"{label} ms"] / rerun["empty page ms"] for label in ("shipped", "300")
    }
    assert set(rerun["first load s"]) == {"shipped", "300"} and rerun["errors"] == []
    assert [t["target"] for t in measured["targets"]] == [
        "page rerun / empty page (shipped), worst page",
        f"{reruns.NONE_CHOSEN}: rerun / empty page at 300 ({COUNTRY_COUNT} countries)",
        "page rerun at 300 / shipped, worst page",
        "first load of 300 statements",
        "pages that raised under AppTest",
    ]
    assert "cold opens" not in measured  # no browser asked for


def test_the_report_prints_every_page_its_ratios_and_every_target(measured):
    report = text(measured).splitlines()
    for name, row in measured["reruns"]["rows"].items():
        line = next(line for line in report if line.startswith(f"{name}  "))
        assert f"{row['× empty']:.2f}" in line and f"{row['300 × shipped']:.2f}" in line
    targets_at = report.index("Targets")
    for found in measured["targets"]:
        assert any(line.startswith(found["target"]) for line in report[targets_at:])
    assert any(line.startswith("Country page, none chosen, rerun × empty page: ") for line in report)


def figures(
    ratio: float,
    growth: float,
    load_s: float,
    cold: float,
    redraw: float,
    kilobytes: float,
    geometry: int,
    snapshot: float | None,
    errors: int = 0,
    raised: int = 0,
) -> dict:
    """Figures shaped as `python -m bench` makes them, every page alike."""
    pages = ("overview", "map", reruns.NONE_CHOSEN, "sources")
    rows = {
        page: {"shipped ms": ratio, "× empty": ratio, "100,000 ms": growth, "100,000 × shipped": growth}
        for page in pages
    }
    shot = {"path": "/s/map?country=PAK", "median ms": None}
    if snapshot is not None:
        shot |= {"median ms": snapshot * 200, "× Datasette": snapshot}
    change = {
        "charts": 1,
        "main panel ms": redraw,
        "chart ms": redraw,
        "KB max": kilobytes,
        "geometry requests": geometry,
        "errors": errors,
    }
    return {
        "reruns": {
            "rows": rows,
            "first load s": {"shipped": 0.01, "100,000": load_s},
            "countries": {"shipped": 17, "100,000": 190},
            "none chosen × empty": {"100,000": ratio},
            "errors": [{"page": "map", "ledger": "100,000", "error": "MaxRowsError"}] * raised,
        },
        "cold opens": {"rows": {page: {"× empty": cold, "errors": errors} for page in pages}},
        "filter changes": {"rows": {page: change for page in pages}},
        "static views": {"rows": {"Datasette": {"× Datasette": 1.0}, "snapshot: map": shot}},
        "many viewers": {"rows": {"errors": {"single viewer": 0, "20 sessions": errors}}},
    }


def test_targets_are_met_up_to_their_limits_and_missed_beyond():
    met = targets(figures(10, 3, 1.0, 2.0, 300, 50, 0, 1.0))
    assert len(met) == 13 and [t["met"] for t in met] == [True] * 13
    missed = targets(figures(10.5, 3.1, 1.1, 2.01, 301, 51, 1, 1.01, errors=1, raised=1))
    assert [t["met"] for t in missed] == [False] * 13
    assert {t["target"]: t["where"] for t in missed}["pages that raised under AppTest"] == "map (100,000)"


def test_a_figure_not_measured_leaves_its_target_unmeasured_not_missed():
    found = {t["target"]: t for t in targets(figures(10, 3, 0.9, 2.0, 300, 50, 0, None))}
    snapshot = found["static snapshot / Datasette cold open (median), worst page"]
    assert (snapshot["value"], snapshot["met"]) == (None, None)
    assert all(t["met"] for name, t in found.items() if t is not snapshot)


def test_a_page_that_raised_has_no_time_and_the_others_still_stand():
    shown = figures(4.5, 1.2, 0.4, 1.5, 250, 40, 0, 0.4, raised=1)
    shown["reruns"]["rows"]["map"] |= {"100,000 ms": None, "100,000 × shipped": None}
    shown["reruns"]["rows"]["overview"]["100,000 × shipped"] = 1.3
    found = {t["target"]: t for t in targets(shown)}
    assert found["page rerun at 100,000 / shipped, worst page"]["where"] == "overview"
    assert found["pages that raised under AppTest"]["met"] is False


def test_what_a_page_raised_is_named_not_redacted():
    app = AppTest.from_string("raise ValueError('the matrix has too many cells')")
    with pytest.raises(reruns.PageRaised, match="ValueError: the matrix has too many"):
        reruns._runs(app, 1)


def test_tables_align_words_left_and_figures_right():
    lines = table({"one": {"a": 1.25, "× b": 2.0}, "three": {"a": None, "× b": 10.5}}).splitlines()
    assert len({len(line.rstrip()) for line in lines}) == 1
    assert lines[2].startswith("one  ") and lines[2].endswith(" 2.00")
    assert lines[3].split() == ["three", "–", "10.50"]


def test_stats_take_the_inclusive_95th_percentile_as_numpy_does():
    assert load.stats([1.0, 2.0, 3.0, 4.0]) == {"median": 2.5, "p95": pytest.approx(3.85), "max": 4.0}
    assert load.stats([float(v) for v in range(1, 101)])["p95"] == pytest.approx(95.05)
    assert load.stats([42.0]) == {"median": 42.0, "p95": 42.0, "max": 42.0}
    assert load.stats([]) == {"median": None, "p95": None, "max": None}
    values = [9.0, 1.0, 5.0, 7.0, 3.0, 11.0]
    assert load.stats(values)["median"] == statistics.median(values)


def run_of(sessions: int, latencies: dict[str, list[float]], **extra) -> dict:
    every = [v for values in latencies.values() for v in values]
    return {
        "sessions": sessions,
        "seconds": 10.0,
        "actions": len(every),
        "errors": 0,
        "median ms": statistics.median(every),
        "latencies": latencies,
        "samples": [],
        **extra,
    }


def test_many_viewers_are_set_beside_a_single_one():
    alone = run_of(1, {"nav": [100.0, 100.0]})
    many = run_of(3, {"nav": [200.0, 400.0], "pick": [300.0]}, errors=1, samples=["console: boom"])
    shown = load.summary(alone, many)
    rows = shown["many viewers"]["rows"]
    assert rows["median ms"] == {"single viewer": 100.0, "3 sessions": 300.0, "× single": 3.0}
    assert rows["errors"] == {"single viewer": 0, "3 sessions": 1}  # a count, no ratio
    by_action = shown["many viewers, by action"]["rows"]
    assert list(by_action) == ["nav", "pick"]
    assert by_action["nav"]["× single (median)"] == 3.0 and by_action["pick"]["single viewer: count"] == 0
    assert shown["many viewers, by action"]["notes"] == ["3 sessions: console: boom"]


@pytest.mark.parametrize("argv", [["--sessions", "51"], ["--seconds", "301"], ["--alone", "0"]])
def test_the_load_is_bounded_before_anything_starts(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.parse(argv)
    assert exit_info.value.code == 2 and "at most 50 sessions" in capsys.readouterr().err


def test_every_view_of_the_app_is_opened_from_a_shared_link_and_changed_by_a_filter():
    views = browser.app_pages()
    assert list(views) == [name for name in PAGE_NAMES if name != "add"]
    assert "add" not in views and "map" in views
    assert set(browser.LINKS) <= set(views)  # a link for a page that is gone would be measured nowhere
    assert all("?" in browser.LINKS[name] for name in browser.LINKS)  # filters in it, as a reader shares it


def test_the_crawler_asks_for_distinct_snapshots_and_images_of_real_views():
    paths = crawl.targets(server.SHIPPED_DATA / "positions.csv")
    assert len(paths) == len(set(paths)) == crawl.REQUESTS
    assert {path.split("/")[1] for path in paths} == {"s", "img"}
    assert all("country=" in path and "&as_of=" in path for path in paths)


def test_the_cheap_request_is_timed_by_a_process_of_its_own_counted_or_until_stopped():
    asked, twice = [], threading.Event()

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            if len(asked) >= 5:
                twice.set()  # the counted probe's 3, and 2 of the open-ended one's
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_args) -> None:
            pass

    async def probe(url: str) -> tuple[list[float], list[float]]:
        async with crawl.probing(url, 3) as counted:
            pass
        async with crawl.probing(url) as until_stopped:
            assert await asyncio.to_thread(twice.wait, 60)
        return counted, until_stopped

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer) as answering:
        threading.Thread(target=answering.serve_forever, daemon=True).start()
        try:
            counted, until_stopped = asyncio.run(probe(f"http://127.0.0.1:{answering.server_port}"))
        finally:
            answering.shutdown()
    assert len(counted) == 3 and len(until_stopped) >= 2 and all(ms > 0 for ms in counted + until_stopped)
    assert set(asked) == {crawl.CHEAP}


def crawl_figures(redraw: float, cheap: float, longest: float, statuses: dict[str, int]) -> dict:
    rows = {"sessions' median redraw ms": {"ratio": redraw}, "cheap API request, median ms": {"ratio": cheap}}
    return {"crawl": {"rows": rows, "crawler": {"longest s": longest, "statuses": statuses}}}


def test_the_crawl_is_judged_on_its_own_four_targets():
    met = targets(crawl_figures(1.5, 10, 10, {"200": 5, "429": 1, "503": 9}))
    assert len(met) == 4 and all(t["met"] for t in met)
    missed = targets(crawl_figures(1.51, 10.1, 10.1, {"200": 5, "500": 1, "timeout": 1}))
    assert [t["met"] for t in missed] == [False] * 4 and missed[-1]["value"] == 2
