"""`isf-tracker bench`: every performance figure of the dashboard, measured in one run.

Ratios are taken against a baseline measured in the same run (an empty Streamlit
page; the shipped ledger), so they compare across machines better than absolute
times. The targets are printed beside the figures; nothing here fails a build.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import reruns
from bench.synthetic import write_ledger
from isf_tracker import paths
from isf_tracker.ledger import load_dataset

SIZES = (10_000, 100_000)
RERUN_RATIO_TARGET = 10.0  # page rerun / empty page rerun, shipped data
GROWTH_TARGET = 3.0  # page rerun at 100,000 statements / at the shipped size
FIRST_LOAD_TARGET_S = 1.0  # loading a realistic ledger (the smallest size, 10,000 statements), cold
REDRAW_TARGET_MS = 300.0
KILOBYTES_TARGET = 50.0


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory_gib = round(pages * page_size / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _median_seconds(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _busiest_country(path: Path | None) -> str:
    statements = load_dataset(path).statements
    return str(statements["iso3"].value_counts().idxmax())


def measure_reruns(runs: int, sizes: tuple[int, ...], workdir: Path, log: Callable[[str], None]) -> dict:
    """Page reruns on the shipped ledger and on synthetic ones, and cold loads of each."""
    empty = reruns.empty_page(runs * 2)
    log(f"empty page: {empty.median_s * 1000:.1f} ms")
    ledgers: dict[str, Path | None] = {"shipped": None}
    for size in sizes:
        log(f"writing a synthetic ledger of {size:,} statements")
        ledgers[str(size)] = write_ledger(workdir / str(size), size)
    pages: dict[str, dict[str, float]] = {}
    first_load: dict[str, float] = {}
    for label, path in ledgers.items():
        first_load[label] = _median_seconds(lambda path=path: load_dataset(path), 3)
        log(f"{label}: first load {first_load[label]:.2f} s; page reruns…")
        queries = {"country": {"country": _busiest_country(path)}}
        with reruns.ledger(path):
            for rerun in reruns.page_reruns(runs, page_queries=queries):
                row = pages.setdefault(rerun.page, {})
                row[f"{label}_ms"] = rerun.median_s * 1000
                row[f"{label}_first_run_ms"] = rerun.first_s * 1000
    for row in pages.values():
        row["ratio_to_empty"] = row["shipped_ms"] / (empty.median_s * 1000)
        for size in sizes:
            row[f"growth_{size}"] = row[f"{size}_ms"] / row["shipped_ms"]
    return {"runs": runs, "empty_page_ms": empty.median_s * 1000, "pages": pages, "first_load_s": first_load}


def measure_browser(repeats: int, workdir: Path, log: Callable[[str], None]) -> dict:
    """Cold loads and filter changes in Chromium against a server on a copy of the shipped data."""
    from bench import browser
    from bench.server import copy_shipped_data, start_server, stop_server

    data_dir = workdir / "browser-data"
    copy_shipped_data(data_dir)
    server = start_server(data_dir)
    try:
        log(f"browser: server at {server.url}; cold loads and {repeats} filter changes per page…")
        loads, changes = browser.measure(server.url, repeats)
    finally:
        stop_server(server)
    return {
        "cold_load_ms": {load.page: load.cold_load_ms for load in loads},
        "charts_drawn": {load.page: load.charts for load in loads},
        "filter_change": {
            change.page: {
                "redraw_median_ms": change.redraw_median_ms,
                "redraw_max_ms": max(change.redraw_ms) if change.redraw_ms else None,
                "settled_median_ms": change.settled_median_ms,
                "kilobytes_median": statistics.median(change.kilobytes),
                "kilobytes_max": change.kilobytes_max,
                "geometry_requests": change.geometry_requests,
            }
            for change in changes
        },
        "repeats": repeats,
    }


def targets(figures: dict) -> list[dict[str, Any]]:
    """Each target with the figure it is judged on and whether it is met."""
    found = []
    rerun = figures.get("reruns")
    if rerun:
        worst = max(rerun["pages"].items(), key=lambda item: item[1]["ratio_to_empty"])
        found.append(_target("page rerun / empty page (shipped), worst page", worst[0],
                             worst[1]["ratio_to_empty"], RERUN_RATIO_TARGET, "×"))  # fmt: skip
        sizes = [int(key) for key in rerun["first_load_s"] if key != "shipped"]
        if sizes:
            largest = max(sizes)
            growth = max(rerun["pages"].items(), key=lambda item: item[1][f"growth_{largest}"])
            found.append(_target(f"page rerun at {largest:,} / shipped, worst page", growth[0],
                                 growth[1][f"growth_{largest}"], GROWTH_TARGET, "×"))  # fmt: skip
            realistic = min(sizes)
            load_s = rerun["first_load_s"][str(realistic)]
            found.append(_target(f"first load of {realistic:,} statements", "load_dataset", load_s,
                                 FIRST_LOAD_TARGET_S, "s"))  # fmt: skip
    shown = figures.get("browser")
    if shown:
        redraws = {
            p: c["redraw_median_ms"] for p, c in shown["filter_change"].items() if c["redraw_median_ms"]
        }
        if redraws:
            page = max(redraws, key=redraws.__getitem__)
            found.append(_target("filter change → chart redrawn (median), worst page", page,
                                 redraws[page], REDRAW_TARGET_MS, "ms"))  # fmt: skip
        kilobytes = {p: c["kilobytes_max"] for p, c in shown["filter_change"].items()}
        page = max(kilobytes, key=kilobytes.__getitem__)
        found.append(_target("websocket KB per filter change (max), worst page", page,
                             kilobytes[page], KILOBYTES_TARGET, "KB"))  # fmt: skip
        geometry = sum(c["geometry_requests"] for c in shown["filter_change"].values())
        found.append(_target("map geometry requests after filter changes", "all pages", geometry, 0, ""))
    return found


def _target(what: str, where: str, value: float, limit: float, unit: str) -> dict[str, Any]:
    met = value <= limit if limit else value == 0
    return {"target": what, "where": where, "value": value, "limit": limit, "unit": unit, "met": met}


def run(runs: int = 15, sizes: tuple[int, ...] = SIZES, browser: bool = True, repeats: int = 6,
        log: Callable[[str], None] = lambda _: None) -> dict:  # fmt: skip
    """Every figure, as one dict (what `--json` prints)."""
    figures: dict[str, Any] = {
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "shipped_statements": len(load_dataset(paths.shipped_data_dir() / "positions.csv").statements),
    }
    with tempfile.TemporaryDirectory(prefix="isf-bench-") as folder:
        figures["reruns"] = measure_reruns(runs, sizes, Path(folder), log)
        if browser:
            figures["browser"] = measure_browser(repeats, Path(folder), log)
    figures["targets"] = targets(figures)
    return figures
