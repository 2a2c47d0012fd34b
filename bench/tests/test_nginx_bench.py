"""`python -m bench --nginx`'s own parts: wrk's report read, and a clear word when nginx or wrk is
missing. The measurement itself is run by hand (docs/performance.md); no speed is asserted."""

from __future__ import annotations

import shutil

from bench import nginx
from bench.report import targets, text

#: wrk 4.1.0's report (Debian), as printed for a short run against a server answering 404.
WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:18799/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.66ms    6.27ms  50.21ms   92.45%
    Req/Sec     0.87k   285.82     1.34k    80.00%
  Latency Distribution
     50%    1.61ms
     75%    3.26ms
     90%    7.56ms
     99%  380.00us
  883 requests in 1.02s, 448.40KB read
  Non-2xx or 3xx responses: 883
Requests/sec:    869.02
Transfer/sec:    441.30KB
"""


def test_wrks_report_is_read_with_its_units():
    assert nginx.read_wrk(WRK_OUTPUT) == {
        "requests/s": 869.02,
        "p99 ms": 0.38,
        "not 2xx": 883,
        "requests": 883,
    }
    seconds = WRK_OUTPUT.replace("380.00us", "1.20s").replace("  Non-2xx or 3xx responses: 883\n", "")
    assert nginx.read_wrk(seconds) == {
        "requests/s": 869.02,
        "p99 ms": 1200.0,
        "not 2xx": 0,
        "requests": 883,
    }


def test_without_wrk_the_bench_says_what_to_install(tmp_path, monkeypatch):
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, path=None: None if name == "wrk" else real(name, path=path)
    )
    section = nginx.measure(tmp_path, print)
    assert section["rows"] == {}
    assert "wrk not installed (apt-get install -y wrk)" in section["notes"][0]
    figures = {"measured": "now", "machine": {}, "nginx cache": section, "load average at the end": 0.0}
    figures["targets"] = targets(figures)
    assert [t["met"] for t in figures["targets"]] == [None, None]  # not measured: neither met nor missed
    assert "wrk not installed" in text(figures)
