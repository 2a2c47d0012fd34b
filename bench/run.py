"""`python -m bench`: every performance figure of the dashboard, measured in one run.

Ratios are taken against a baseline measured in the same run (an empty Streamlit page,
under AppTest and in the browser; the shipped ledger; Datasette for static views), so they
compare across machines better than absolute times. The targets are printed beside the
figures; nothing here fails a build, and no test asserts a figure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import reruns, static_views
from bench.synthetic import write_ledger
from bench.targets import (
    COLD_OPEN_RATIO_TARGET,
    FIRST_LOAD_TARGET_S,
    GROWTH_TARGET,
    KILOBYTES_TARGET,
    REDRAW_TARGET_MS,
    RERUN_RATIO_TARGET,
    SNAPSHOT_RATIO_TARGET,
)
from isf_tracker import paths
from isf_tracker.ledger import load_dataset

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SIZES = (10_000, 100_000)


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
        "load_average": _load_average(),
        "memory_gib": memory_gib,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "streamlit": importlib.metadata.version("streamlit"),
    }


def _load_average() -> float | None:
    """The 1-minute load average: other work on the same cores moves every figure."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


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
    pages: dict[str, dict[str, Any]] = {}
    first_load: dict[str, float] = {}
    errors: list[dict[str, str]] = []
    for label, path in ledgers.items():
        first_load[label] = _median_seconds(lambda path=path: load_dataset(path), 3)
        log(f"{label}: first load {first_load[label]:.2f} s; page reruns…")
        queries = {"country": {"country": _busiest_country(path)}}
        with reruns.ledger(path):
            for rerun in reruns.page_reruns(runs, page_queries=queries):
                row = pages.setdefault(rerun.page, {})
                row[f"{label}_ms"] = _ms(rerun.median_s)
                row[f"{label}_first_run_ms"] = _ms(rerun.first_s)
                if rerun.error:
                    log(f"{label}: the {rerun.page} page raised {rerun.error}")
                    errors.append({"page": rerun.page, "ledger": label, "error": rerun.error})
    for row in pages.values():
        row["ratio_to_empty"] = _ratio(row["shipped_ms"], empty.median_s * 1000)
        for size in sizes:
            row[f"growth_{size}"] = _ratio(row[f"{size}_ms"], row["shipped_ms"])
    return {"runs": runs, "empty_page_ms": empty.median_s * 1000, "pages": pages, "first_load_s": first_load,
            "errors": errors}  # fmt: skip


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _ratio(value: float | None, base: float | None) -> float | None:
    """value / base; None when either is missing (a page that raised)."""
    return None if value is None or not base else value / base


def measure_browser(repeats: int, opens: int, workdir: Path, log: Callable[[str], None]) -> dict:
    """In Chromium, against the app on a copy of the shipped data and an empty Streamlit page
    served the same way: cold opens from shared links, filter changes, and static views beside
    Datasette's."""
    from bench import browser
    from bench.server import copy_shipped_data, start_empty_page, start_server, stop_server

    data_dir = workdir / "browser-data"
    copy_shipped_data(data_dir)
    with contextlib.ExitStack() as running:
        server = start_server(data_dir)
        running.callback(stop_server, server)
        empty = start_empty_page(workdir / "empty-page")
        running.callback(stop_server, empty)
        chromium = running.enter_context(browser.chromium())
        version = chromium.version
        log(f"browser: app at {server.url}, empty page at {empty.url}; one unmeasured open of each…")
        browser.cold_open(chromium, empty.url, "empty page", "/", app=False)
        for name, link in browser.shared_links().items():
            browser.cold_open(chromium, server.url, name, link)
        log(f"browser: {opens} cold opens of the empty page and of each link, in rounds…")
        cold = measure_cold_opens(chromium, server.url, empty.url, opens)
        log(f"browser: {repeats} filter changes per page…")
        changes = [browser.filter_changes(chromium, server.url, name, path, repeats)
                   for name, path in browser.first_opens().items()]  # fmt: skip
        static = measure_static(
            chromium, server.url, empty.url, data_dir / "positions.csv", workdir, opens, log
        )
    return {
        "chromium": version,
        "repeats": repeats,
        "cold_open": cold,
        "filter_change": {
            change.page: {
                "charts": change.charts,
                "main_median_ms": change.main_median_ms,
                "main_max_ms": max(change.main_ms) if change.main_ms else None,
                "redraw_median_ms": change.redraw_median_ms,
                "redraw_max_ms": max(change.redraw_ms) if change.redraw_ms else None,
                "settled_median_ms": change.settled_median_ms,
                "kilobytes_median": statistics.median(change.kilobytes),
                "kilobytes_max": change.kilobytes_max,
                "geometry_requests": change.geometry_requests,
            }
            for change in changes
        },
        "static": static,
    }


def measure_cold_opens(
    chromium: Browser, app_url: str, empty_url: str, opens: int, links: Mapping[str, str] | None = None
) -> dict:
    """`opens` rounds of cold opens: the empty page, then each page from its shared link (`links`,
    by default every page's, browser.shared_links), a round at a time so a busy moment of the
    machine falls on every page alike. Each median, and its ratio to the empty page's."""
    from bench import browser

    links = browser.shared_links() if links is None else links
    runs: dict[str, list[browser.ColdOpen]] = {name: [] for name in ("empty page", *links)}
    for _ in range(opens):
        runs["empty page"].append(browser.cold_open(chromium, empty_url, "empty page", "/", app=False))
        for name, link in links.items():
            runs[name].append(browser.cold_open(chromium, app_url, name, link))
    empty_ms = statistics.median(run.ms for run in runs.pop("empty page"))
    pages = {}
    for name, measured in runs.items():
        median = statistics.median(run.ms for run in measured)
        pages[name] = {
            "link": links[name],
            "median_ms": median,
            "ratio_to_empty": median / empty_ms,
            "runs_ms": [run.ms for run in measured],
            "charts": measured[-1].charts_sent,
            "charts_drawn": measured[-1].charts_drawn,
        }
    return {"opens": opens, "empty_page_ms": empty_ms, "pages": pages}


def measure_static(
    chromium: Browser,
    app_url: str,
    empty_url: str,
    ledger_csv: Path,
    workdir: Path,
    opens: int,
    log: Callable[[str], None],
) -> dict:
    """Datasette on a SQLite copy of the ledger the app serves, against our static snapshots."""
    if not static_views.datasette_installed():
        log("static views: Datasette is not installed (pip install -e '.[bench]'); skipped")
        return {"available": False, "why": "Datasette not installed"}
    database = workdir / f"{static_views.DATABASE}.db"
    rows = static_views.build_database(ledger_csv, database)
    datasette = static_views.start_datasette(database)
    try:
        log(f"static views: Datasette at {datasette.url} ({rows} rows); {opens} cold opens of each view…")
        figures = static_views.compare(chromium, app_url, empty_url, datasette.url, opens, log=log)
    finally:
        static_views.stop_datasette(datasette)
    version = importlib.metadata.version("datasette")
    return {"available": True, "datasette_version": version, "database_rows": rows, **figures}


def targets(figures: dict) -> list[dict[str, Any]]:
    """Each target with the figure it is judged on and whether it is met."""
    found = []
    rerun = figures.get("reruns")
    if rerun:
        pages = rerun["pages"]
        page, ratio = _worst({name: row["ratio_to_empty"] for name, row in pages.items()})
        found.append(
            _target("page rerun / empty page (shipped), worst page", page, ratio, RERUN_RATIO_TARGET, "×")
        )
        sizes = [int(key) for key in rerun["first_load_s"] if key != "shipped"]
        if sizes:
            largest = max(sizes)
            page, growth = _worst({name: row[f"growth_{largest}"] for name, row in pages.items()})
            found.append(_target(f"page rerun at {largest:,} / shipped, worst page", page, growth,
                                 GROWTH_TARGET, "×"))  # fmt: skip
            realistic = min(sizes)
            load_s = rerun["first_load_s"][str(realistic)]
            found.append(_target(f"first load of {realistic:,} statements", "load_dataset", load_s,
                                 FIRST_LOAD_TARGET_S, "s"))  # fmt: skip
        errors = rerun.get("errors", [])
        where = ", ".join(f"{e['page']} ({_size(e['ledger'])})" for e in errors) or "every page, every ledger"
        found.append(_target("pages that raised an error under AppTest", where, len(errors), 0, ""))
    shown = figures.get("browser")
    if shown:
        found += _browser_targets(shown)
    return found


def _browser_targets(shown: dict) -> list[dict[str, Any]]:
    found = []
    opens = shown["cold_open"]["pages"]
    page = max(opens, key=lambda name: opens[name]["ratio_to_empty"])
    found.append(_target("cold open from a shared link / empty page (median), worst page", page,
                         opens[page]["ratio_to_empty"], COLD_OPEN_RATIO_TARGET, "×"))  # fmt: skip
    changes = shown["filter_change"]
    for what, key in (("main panel", "main_median_ms"), ("chart", "redraw_median_ms")):
        medians = {name: change[key] for name, change in changes.items() if change[key] is not None}
        if medians:
            page = max(medians, key=medians.__getitem__)
            found.append(_target(f"filter change → {what} redrawn (median), worst page", page,
                                 medians[page], REDRAW_TARGET_MS, "ms"))  # fmt: skip
    kilobytes = {name: change["kilobytes_max"] for name, change in changes.items()}
    page = max(kilobytes, key=kilobytes.__getitem__)
    found.append(_target("websocket KB per filter change (max), worst page", page,
                         kilobytes[page], KILOBYTES_TARGET, "KB"))  # fmt: skip
    geometry = sum(change["geometry_requests"] for change in changes.values())
    found.append(_target("map geometry requests after filter changes", "all pages", geometry, 0, ""))
    static = shown.get("static", {})
    what = "static snapshot / Datasette cold open (median), worst page"
    snapshots = {name: shot for name, shot in static.get("snapshots", {}).items() if shot["available"]}
    if snapshots:
        page = max(snapshots, key=lambda name: snapshots[name]["ratio_to_datasette"])
        found.append(_target(what, page, snapshots[page]["ratio_to_datasette"], SNAPSHOT_RATIO_TARGET, "×"))
    else:  # no snapshot route yet (or no Datasette): the target stands, unmeasured
        found.append(_target(what, static.get("why", "no snapshot route"), None, SNAPSHOT_RATIO_TARGET, "×"))
    return found


def _size(label: str) -> str:
    return label if label == "shipped" else f"{int(label):,}"


def _worst(values: dict[str, float | None]) -> tuple[str, float | None]:
    """The page with the highest value (pages that raised have none); ("–", None) if none has one."""
    measured = {name: value for name, value in values.items() if value is not None}
    if not measured:
        return "–", None
    page = max(measured, key=measured.__getitem__)
    return page, measured[page]


def _target(what: str, where: str, value: float | None, limit: float, unit: str) -> dict[str, Any]:
    """A target and whether `value` meets it (None: not measured, so neither met nor missed)."""
    met = None if value is None else value <= limit if limit else value == 0
    return {"target": what, "where": where, "value": value, "limit": limit, "unit": unit, "met": met}


def run(runs: int = 15, sizes: tuple[int, ...] = SIZES, browser: bool = True, repeats: int = 6,
        log: Callable[[str], None] = lambda _: None, opens: int = 3) -> dict:  # fmt: skip
    """Every figure, as one dict (what `--json` prints)."""
    figures: dict[str, Any] = {
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "shipped_statements": len(load_dataset(paths.shipped_data_dir() / "positions.csv").statements),
    }
    with tempfile.TemporaryDirectory(prefix="isf-bench-") as folder:
        figures["reruns"] = measure_reruns(runs, sizes, Path(folder), log)
        if browser:
            figures["browser"] = measure_browser(repeats, opens, Path(folder), log)
    figures["load_average_end"] = _load_average()
    figures["targets"] = targets(figures)
    return figures
