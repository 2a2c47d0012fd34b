"""The load test's arithmetic and bounds, without a browser: percentiles, the report, refusals."""

from __future__ import annotations

import json
import statistics
from collections import Counter

import pytest

from bench import load, load_report
from bench.load_report import LoadResult, Stats, percentile


def result(sessions: int = 1, latencies: dict[str, list[float]] | None = None, **extra) -> LoadResult:
    latencies = {"nav": [100.0, 200.0, 300.0]} if latencies is None else latencies
    actions = sum(len(v) for v in latencies.values())
    return LoadResult(sessions, 10, 10.0, latencies_ms=latencies,
                      actions_per_session=[actions // sessions] * sessions, **extra)  # fmt: skip


# --- percentiles -------------------------------------------------------------------------


def test_percentile_of_one_value_is_that_value():
    assert percentile([42.0], 0) == percentile([42.0], 50) == percentile([42.0], 100) == 42.0


def test_percentile_interpolates_between_ranks():
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 95) == pytest.approx(3.85)


def test_percentile_ignores_input_order_and_matches_the_median():
    values = [9.0, 1.0, 5.0, 7.0, 3.0, 11.0]
    assert percentile(values, 50) == statistics.median(values)
    assert percentile(values, 95) == pytest.approx(statistics.quantiles(values, n=20, method="inclusive")[-1])


def test_p95_of_1_to_100():
    assert percentile([float(v) for v in range(1, 101)], 95) == pytest.approx(95.05)


@pytest.mark.parametrize("q", [-1, 101])
def test_percentile_refuses_a_rank_outside_0_to_100(q):
    with pytest.raises(ValueError):
        percentile([1.0], q)


def test_percentile_of_nothing_is_an_error_but_stats_of_nothing_is_empty():
    with pytest.raises(ValueError):
        percentile([], 50)
    assert Stats.of([]) == Stats(0, None, None, None)


def test_stats_median_never_exceeds_p95_or_max():
    stats = Stats.of([5.0, 1.0, 300.0, 20.0, 7.0])
    assert stats.count == 5
    assert stats.median == 7.0
    assert stats.median <= stats.p95 <= stats.max == 300.0


def test_ratio_is_none_without_a_baseline():
    assert load_report.ratio(200.0, 100.0) == 2.0
    assert load_report.ratio(200.0, None) is None
    assert load_report.ratio(None, 100.0) is None
    assert load_report.ratio(200.0, 0.0) is None


# --- the report ----------------------------------------------------------------------------


def test_report_rows_compare_the_runs():
    baseline = result(1, {"nav": [100.0, 100.0, 100.0]})
    loaded = result(3, {"nav": [200.0, 300.0, 400.0], "pick": [300.0, 300.0, 300.0]})
    rows = {row[0]: row[1:] for row in load_report.report_rows(baseline, loaded)}
    assert rows["sessions"] == ("1", "3", "")
    assert rows["actions"] == ("3", "6", "")
    assert rows["median ms"] == ("100", "300", "3.0x")
    assert rows["max ms"] == ("100", "400", "4.0x")
    assert rows["errors"] == ("0", "0", "")
    assert rows["lost inputs (not errors)"] == ("0", "0", "")
    assert not any(name.strip() in load_report.ERROR_KINDS for name in rows)


def test_report_rows_hold_the_wire_time():
    baseline = result(1, {"nav": [100.0]}, wire_ms=[50.0, 70.0])
    loaded = result(2, {"nav": [400.0, 400.0]}, wire_ms=[300.0, 300.0])
    rows = {row[0]: row[1:] for row in load_report.report_rows(baseline, loaded)}
    assert rows["wire median ms"] == ("60", "300", "5.0x")


def test_report_notes_reruns_timed_by_the_websocket_and_the_server_figures():
    server = {"rss_start_mb": 200, "rss_peak_mb": 230, "rss_end_mb": 220, "cpu_s": 12.0, "cpu_share": 0.2,
              "cpus": 2, "machine_busy": 0.99}  # fmt: skip
    loaded = result(2, unobserved=3, server=server)
    text = load_report.report(None, loaded)
    assert "3 reruns never showed 'running'" in text
    assert "peak 230" in text and "99% busy" in text


def test_report_lists_each_kind_of_error_that_occurred():
    loaded = result(2, errors=Counter({"timeout": 2, "console": 1}))
    rows = {row[0].strip(): row[1:] for row in load_report.report_rows(result(), loaded)}
    assert rows["errors"] == ("0", "3", "")
    assert rows["timeout"] == ("0", "2", "")
    assert rows["console"] == ("0", "1", "")
    assert "exception" not in rows


def test_report_without_a_baseline_shows_dashes():
    rows = {row[0]: row[1:] for row in load_report.report_rows(None, result(2))}
    assert rows["median ms"] == ("-", "200", "-")
    assert rows["sessions"] == ("-", "2", "")


def test_kind_rows_name_every_action_of_either_run():
    rows = load_report.kind_rows(
        result(1, {"nav": [100.0]}), result(2, {"nav": [200.0, 200.0], "link": [900.0]})
    )
    assert [row[0] for row in rows] == ["link", "nav"]
    assert rows[1] == ("nav", "1 × 100 / 100", "2 × 200 / 200", "2.0x")


def test_format_table_aligns_columns():
    text = load_report.format_table(("", "a", "bb"), [("one", "1", "22"), ("three", "333", "4")])
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[1].startswith("one  ") and lines[1].endswith("22")


def test_the_printed_report_and_the_json_agree():
    baseline = result(1, {"nav": [100.0, 120.0]})
    loaded = result(2, {"nav": [150.0, 250.0], "pick": [300.0, 500.0]}, errors=Counter({"exception": 1}),
                    error_samples={"exception": ["pick at /map: KeyError"]})  # fmt: skip
    text = load_report.report(baseline, loaded)
    assert "single viewer" in text and "2 sessions" in text
    assert "exception: pick at /map: KeyError" in text
    data = json.loads(json.dumps(load_report.as_json(baseline, loaded)))
    assert data["baseline"]["latency"]["median_ms"] == 110.0
    assert data["load"]["latency"]["median_ms"] == 275.0
    assert data["ratio"]["median"] == 2.5
    assert data["load"]["errors"]["exception"] == 1
    assert data["load"]["error_total"] == 1
    assert data["load"]["latency_by_action"]["pick"]["count"] == 2


# --- bounds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8501", "http://localhost:8501/", "http://[::1]:8501", "http://127.0.0.2:9000"],
)
def test_loopback_urls_are_accepted(url):
    assert not load_report.check_url(url).endswith("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com:8501",
        "http://10.0.0.5:8501",
        "http://192.168.1.2",
        "http://localhost.example.com:8501",
        "http://127.0.0.1.nip.io:8501",
        "http://0.0.0.0:8501",
        "ftp://127.0.0.1/",
        "127.0.0.1:8501",
    ],
)
def test_other_hosts_are_refused(url):
    with pytest.raises(ValueError):
        load_report.check_url(url)


@pytest.mark.parametrize(
    ("sessions", "seconds", "baseline"),
    [(0, 10, 0), (51, 10, 0), (20, 0, 0), (20, 301, 0), (20, 60, 301), (20, 60, -1)],
)
def test_bounds_are_refused(sessions, seconds, baseline):
    with pytest.raises(ValueError):
        load_report.check_bounds(sessions, seconds, baseline)


def test_the_largest_run_allowed():
    load_report.check_bounds(load_report.MAX_SESSIONS, load_report.MAX_SECONDS, load_report.MAX_SECONDS)


@pytest.mark.parametrize(
    "argv",
    [
        ["--sessions", "51"],
        ["--seconds", "301"],
        ["--baseline-seconds", "400"],
        ["--url", "http://example.com:8501"],
    ],
)
def test_main_refuses_before_starting_anything(argv, monkeypatch, capsys):
    def never(*_args, **_kwargs):
        raise AssertionError("must not start a server or a browser")

    monkeypatch.setattr(load, "own_server", never)
    monkeypatch.setattr(load, "baseline_and_load", never)
    with pytest.raises(SystemExit) as exit_info:
        load.main(argv)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_the_python_entry_points_check_bounds_too():
    with pytest.raises(ValueError):
        load.run_load("http://example.com", 2, 5)
    with pytest.raises(ValueError):
        load.baseline_and_load("http://127.0.0.1:8501", 60, 5)


# --- which console errors count ----------------------------------------------------------------


def test_console_errors_from_other_hosts_and_the_base_path_probe_are_not_the_apps():
    failed = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert load.ignored_console_error("net::ERR_NAME_NOT_RESOLVED", "https://fonts.gstatic.com/x.svg")
    assert load.ignored_console_error(failed, "http://127.0.0.1:8501/map/_stcore/health")
    assert load.ignored_console_error(failed, "http://127.0.0.1:8501/map/_stcore/host-config")
    assert load.ignored_console_error(failed, "http://127.0.0.1:8501/_stcore/health") is None
    assert load.ignored_console_error(failed, "http://127.0.0.1:8501/app/static/world.json") is None
    assert (
        load.ignored_console_error("TypeError: x is undefined", "http://127.0.0.1:8501/static/js/a.js")
        is None
    )
    assert load.ignored_console_error("Uncaught error", "") is None
