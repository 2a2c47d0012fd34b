"""The load test's figures: bounds, statistics, the report table and JSON.

Pure functions of the measured latencies, so they are tested without a browser
(tests/test_load_stats.py); `load.py` drives the browsers and calls them.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_SESSIONS = 50
MAX_SECONDS = 300
ACTION_TIMEOUT_MS = 30_000
SETTLE_MS = 300  # the script must stay idle this long before an action counts as over
GRACE_MS = 1_000  # a rerun never seen as "running": done after this long without websocket traffic
LOOPBACK_NAMES = {"localhost"}
ERROR_KINDS = ("exception", "timeout", "pageerror", "console", "disconnect", "http5xx", "action")


# --- bounds --------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The base URL without a trailing slash; ValueError unless http(s) on a loopback host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower()
    if not is_loopback(host):
        raise ValueError(
            f"refusing a non-loopback host {host!r}: the load test only runs against this machine"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bounds(sessions: int, seconds: float, baseline_seconds: float = 0) -> None:
    """ValueError outside 1..MAX_SESSIONS sessions and 0..MAX_SECONDS per run: the test is bounded."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1..{MAX_SESSIONS}, not {sessions}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS}], not {seconds}")
    if not 0 <= baseline_seconds <= MAX_SECONDS:
        raise ValueError(f"baseline seconds must be in [0, {MAX_SECONDS}], not {baseline_seconds}")


# --- statistics (pure) ---------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks (as numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be in [0, 100], not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    """Latency summary in milliseconds; None when there were no values."""

    count: int
    median: float | None
    p95: float | None
    max: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            return cls(0, None, None, None)
        return cls(len(values), percentile(values, 50), percentile(values, 95), max(values))


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass
class LoadResult:
    """One run: what was done, how long it took, what went wrong."""

    sessions: int
    seconds: float
    elapsed_s: float
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)  # action kind -> latencies
    opens_ms: list[float] = field(default_factory=list)  # each session's first page, not in the stats
    actions_per_session: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: dict[str, list[str]] = field(default_factory=dict)
    wire_ms: list[float] = field(default_factory=list)  # the server-and-network part of each action
    unobserved: int = 0  # reruns never seen as "running" in the DOM, timed by the websocket
    lost_inputs: int = 0  # clicks/Enters the page turned into no request (see LOST_MS)
    ignored: Counter[str] = field(default_factory=Counter)  # e.g. blocked requests to other hosts
    server: dict[str, float] = field(default_factory=dict)  # rss_start_mb, rss_peak_mb, cpu_s, ...

    @property
    def actions(self) -> int:
        return sum(self.actions_per_session)

    @property
    def rate(self) -> float:
        return self.actions / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies_ms.values() for value in values]

    @property
    def stats(self) -> Stats:
        return Stats.of(self.all_latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        def stats(values: Sequence[float]) -> dict[str, Any]:
            summary = Stats.of(values)
            return {"count": summary.count, "median_ms": _round(summary.median),
                    "p95_ms": _round(summary.p95), "max_ms": _round(summary.max)}  # fmt: skip

        return {
            "sessions": self.sessions,
            "seconds": self.seconds,
            "elapsed_s": round(self.elapsed_s, 2),
            "actions": self.actions,
            "actions_per_s": round(self.rate, 2),
            "actions_per_session": self.actions_per_session,
            "latency": stats(self.all_latencies),
            "latency_by_action": {kind: stats(values) for kind, values in sorted(self.latencies_ms.items())},
            "wire": stats(self.wire_ms),
            "first_page_open": stats(self.opens_ms),
            "errors": {kind: self.errors.get(kind, 0) for kind in ERROR_KINDS},
            "error_total": self.error_count,
            "error_samples": self.error_samples,
            "unobserved_reruns": self.unobserved,
            "lost_inputs": self.lost_inputs,
            "ignored": dict(self.ignored),
            "server": self.server,
        }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def report_rows(baseline: LoadResult | None, load: LoadResult) -> list[tuple[str, str, str, str]]:
    """The comparison table: (what, single viewer, N sessions, ratio N/single)."""
    base = baseline.stats if baseline else Stats(0, None, None, None)
    now = load.stats
    base_wire = Stats.of(baseline.wire_ms) if baseline else Stats(0, None, None, None)
    now_wire = Stats.of(load.wire_ms)

    def cell(result: LoadResult | None, text: Callable[[LoadResult], str]) -> str:
        return text(result) if result else "-"

    rows = [
        ("sessions", cell(baseline, lambda r: str(r.sessions)), str(load.sessions), ""),
        ("seconds", cell(baseline, lambda r: f"{r.elapsed_s:.1f}"), f"{load.elapsed_s:.1f}", ""),
        ("actions", cell(baseline, lambda r: str(r.actions)), str(load.actions), ""),
        ("actions/s", cell(baseline, lambda r: f"{r.rate:.2f}"), f"{load.rate:.2f}",
         _times(ratio(load.rate, baseline.rate if baseline else None))),
        ("median ms", _ms(base.median), _ms(now.median), _times(ratio(now.median, base.median))),
        ("p95 ms", _ms(base.p95), _ms(now.p95), _times(ratio(now.p95, base.p95))),
        ("max ms", _ms(base.max), _ms(now.max), _times(ratio(now.max, base.max))),
        ("wire median ms", _ms(base_wire.median), _ms(now_wire.median),
         _times(ratio(now_wire.median, base_wire.median))),
        ("wire p95 ms", _ms(base_wire.p95), _ms(now_wire.p95), _times(ratio(now_wire.p95, base_wire.p95))),
        ("first open median ms", cell(baseline, lambda r: _ms(Stats.of(r.opens_ms).median)),
         _ms(Stats.of(load.opens_ms).median), ""),
        ("errors", cell(baseline, lambda r: str(r.error_count)), str(load.error_count), ""),
        ("lost inputs (not errors)", cell(baseline, lambda r: str(r.lost_inputs)), str(load.lost_inputs), ""),
    ]  # fmt: skip
    for kind in ERROR_KINDS:
        if (baseline and baseline.errors.get(kind)) or load.errors.get(kind):
            rows.append((f"  {kind}", cell(baseline, lambda r, k=kind: str(r.errors.get(k, 0))),
                         str(load.errors.get(kind, 0)), ""))  # fmt: skip
    return rows


def kind_rows(baseline: LoadResult | None, load: LoadResult) -> list[tuple[str, str, str, str]]:
    """Median and p95 per action kind: which actions get slower under load."""
    rows = []
    kinds = sorted(set(load.latencies_ms) | set(baseline.latencies_ms if baseline else {}))
    for kind in kinds:
        base = Stats.of(baseline.latencies_ms.get(kind, [])) if baseline else Stats(0, None, None, None)
        now = Stats.of(load.latencies_ms.get(kind, []))
        rows.append((kind, f"{base.count} × {_ms(base.median)} / {_ms(base.p95)}",
                     f"{now.count} × {_ms(now.median)} / {_ms(now.p95)}",
                     _times(ratio(now.median, base.median))))  # fmt: skip
    return rows


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned columns: the first left-aligned, the others right-aligned."""
    table = [tuple(header), *(tuple(row) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for row in table:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def report(baseline: LoadResult | None, load: LoadResult) -> str:
    """The printed report: the comparison, per-action figures, notes."""
    label = f"{load.sessions} sessions"
    parts = [
        format_table(("", "single viewer", label, "ratio"), report_rows(baseline, load)),
        "",
        "per action: count × median / p95 ms",
        format_table(("action", "single viewer", label, "median ratio"), kind_rows(baseline, load)),
    ]
    notes = []
    for name, result in (("single viewer", baseline), (label, load)):
        if result is None:
            continue
        if result.unobserved:
            notes.append(
                f"{name}: {result.unobserved} reruns never showed 'running' in the DOM "
                "(React batched it away); timed by the websocket"
            )
        if result.server:
            server = result.server
            notes.append(
                f"{name}: server RSS {server.get('rss_start_mb', 0):.0f} → peak "
                f"{server.get('rss_peak_mb', 0):.0f} → end {server.get('rss_end_mb', 0):.0f} MB; "
                f"while acting, server CPU {server.get('cpu_s', 0):.1f} s "
                f"({server.get('cpu_share', 0):.0%} of one core), "
                f"all {server.get('cpus', 0):.0f} cores {server.get('machine_busy', 0):.0%} busy"
            )
        for kind, samples in result.error_samples.items():
            for sample in samples:
                notes.append(f"{name}: {kind}: {sample}")
        if result.ignored:
            notes.append(f"{name}: not counted as errors: {dict(result.ignored)}")
    if notes:
        parts += ["", *notes]
    return "\n".join(parts)


def as_json(baseline: LoadResult | None, load: LoadResult) -> dict[str, Any]:
    base, now = (baseline.stats if baseline else None), load.stats
    return {
        "baseline": baseline.to_dict() if baseline else None,
        "load": load.to_dict(),
        "ratio": {
            "median": _round(ratio(now.median, base.median if base else None), 2),
            "p95": _round(ratio(now.p95, base.p95 if base else None), 2),
        },
        "settings": {"settle_ms": SETTLE_MS, "grace_ms": GRACE_MS, "timeout_ms": ACTION_TIMEOUT_MS,
                     "cpus": os.cpu_count(), "loadavg_1min_at_end": round(os.getloadavg()[0], 2)},
    }  # fmt: skip
