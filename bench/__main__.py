"""`python -m bench`: every performance figure of the dashboard, measured in one run, each against
a baseline measured in the same run (an empty Streamlit page, under AppTest and in Chromium; the
shipped ledger; Datasette for the static views; a single viewer for many at once), so the ratios
compare across machines better than times do. Targets are printed beside the figures; no test
asserts one. docs/performance.md says how each figure is measured."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import load, nginx, reruns, server
from bench.report import targets, text
from bench.synthetic import write_ledger
from isf_tracker.ledger import load_dataset
from isf_tracker.paths import DATA_ENV_VAR

Log = Callable[[str], None]


def machine() -> dict[str, Any]:
    """What the figures were measured on; the load average, since other work moves them."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = [line.split(":")[1].strip() for line in cpuinfo if line.startswith("model name")]
    memory = round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1)
    streamlit, load_average = importlib.metadata.version("streamlit"), round(os.getloadavg()[0], 2)
    return {"cpu": cpu[0], "cores": os.cpu_count(), "memory GiB": memory, "load average": load_average,
            "system": platform.platform(), "python": platform.python_version(),
            "streamlit": streamlit}  # fmt: skip


def measure_reruns(runs: int, sizes: list[int], folder: Path, log: Log) -> dict[str, Any]:
    """Each page's rerun on the shipped ledger and on synthetic ones, and the first load of each."""
    empty = reruns.empty_page(runs * 2)
    ledgers = {"shipped": None} | {f"{size:,}": write_ledger(folder / str(size), size) for size in sizes}
    rows: dict[str, dict[str, Any]] = {}
    found: dict[str, Any] = {"empty page ms": empty, "first load s": {}, "countries": {}, "errors": []}
    for label, path in ledgers.items():
        statements = load_dataset(path).statements
        found["countries"][label] = statements["iso3"].nunique()
        found["first load s"][label] = statistics.median(
            timeit.repeat(lambda p=path: load_dataset(p), number=1, repeat=3)
        )
        log(f"{label}: first load {found['first load s'][label]:.2f} s; page reruns…")
        with reruns.ledger(path):
            for name, rerun in reruns.page_reruns(runs, statements["iso3"].value_counts().idxmax()).items():
                rows.setdefault(name, {})[f"{label} ms"] = rerun["ms"]
                if "error" in rerun:
                    found["errors"].append({"page": name, "ledger": label, "error": rerun["error"]})
    for name, row in rows.items():  # a page that raised has no time, and no ratio
        shipped = row["shipped ms"]
        rows[name] = {"shipped ms": shipped, "× empty": shipped and shipped / empty}
        for label in list(ledgers)[1:]:
            ms = row[f"{label} ms"]
            rows[name] |= {f"{label} ms": ms, f"{label} × shipped": ms and shipped and ms / shipped}
    none_chosen = {label: rows[reruns.NONE_CHOSEN][f"{label} ms"] for label in ledgers}
    found["none chosen × empty"] = {label: ms and ms / empty for label, ms in none_chosen.items()}
    notes = [
        f"The {e['page']} page raised on the {e['ledger']} ledger: {e['error']}" for e in found["errors"]
    ]
    notes.append("Country page, none chosen, rerun × empty page: " + ", ".join(
        f"{ratio:.1f} on {label} ({found['countries'][label]} countries)"
        for label, ratio in found["none chosen × empty"].items() if ratio))  # fmt: skip
    notes.append("First load (load_dataset), median of 3: " + ", ".join(
        f"{label} {seconds:.2f} s" for label, seconds in found["first load s"].items()))  # fmt: skip
    title = f"Page reruns under AppTest, median of {runs}; empty page {empty:.2f} ms"
    return found | {"title": title, "rows": rows, "notes": notes}


async def measure_browser(folder: Path, args: argparse.Namespace, log: Log) -> dict[str, dict[str, Any]]:
    """In Chromium, against the app on a copy of the shipped data and the empty Streamlit page:
    cold opens from shared links, filter changes, the static views beside Datasette's, and many
    viewers at once. Every server is ours, stopped by its process id however the run ends."""
    from bench import browser

    data = server.copy_shipped_data(folder / "data")
    rows = browser.build_database(data, folder / "ledger.db")
    starts = {"app": lambda: server.start_server(data.parent),
              "empty": lambda: server.start_empty_page(folder / "empty-page"),
              "datasette": lambda: server.start_datasette(folder / "ledger.db")}  # fmt: skip
    if args.before:  # the same pages served by another checkout, opened cold in the same rounds
        env = {DATA_ENV_VAR: str(data), "PYTHONPATH": str(args.before / "src")}
        starts["before"] = lambda: server.start_streamlit(args.before / "app.py", data.parent, env)
    async with contextlib.AsyncExitStack() as running:
        started: dict[str, server.Server] = {}
        for name, start in starts.items():
            started[name] = start()
            running.callback(server.stop_server, started[name])
        chromium = await running.enter_async_context(browser.chromium())
        app, empty, pages = started["app"], started["empty"].url, browser.app_pages()
        urls = {name: app.url + browser.LINKS.get(name, path) for name, path in pages.items()}
        if args.before:
            urls |= {f"{name} (before)": started["before"].url + url.removeprefix(app.url)
                     for name, url in urls.items()}  # fmt: skip
        log("browser: one unmeasured open of each page, then cold opens in rounds…")
        for url in urls.values():
            await browser.cold_open(chromium, url)
        figures = {"cold opens": await browser.cold_opens(chromium, empty + "/", urls, args.opens)}
        log(f"browser: {args.repeats} filter changes per page…")
        first = {name: app.url + browser.FIRST_OPEN.get(name, path) for name, path in pages.items()}
        changes = {
            name: await browser.filter_changes(chromium, url, args.repeats) for name, url in first.items()
        }
        title = f"Filter changes, {args.repeats} per page: from Enter to the last change (ms), KB received"
        figures["filter changes"] = {"title": title, "rows": changes}
        log(f"static views against Datasette ({rows} rows)…")
        datasette = started["datasette"].url
        figures["static views"] = await browser.static_views(chromium, app.url, empty, datasette, args.opens)
        if args.sessions:
            log(f"many viewers: 1 for {args.alone:g} s, then {args.sessions} for {args.seconds:g} s…")
            alone = await load.run(chromium, app.url, 1, args.alone, app.process.pid)
            many = await load.run(chromium, app.url, args.sessions, args.seconds, app.process.pid)
            figures |= load.summary(alone, many)
    return figures


async def measure_crawl(folder: Path, requests: int, log: Log) -> dict[str, Any]:
    """A crawler and live readers at once, against the app on a copy of the shipped data."""
    from bench import browser, crawl

    data = server.copy_shipped_data(folder / "data")
    app = server.start_server(data.parent)
    try:
        async with browser.chromium() as chromium:
            return await crawl.measure(chromium, app.url, data, app.process.pid, requests, log)
    finally:
        server.stop_server(app)


def run(args: argparse.Namespace, log: Log = lambda _: None) -> dict[str, Any]:
    """Every figure, as one dict (what `--json` prints); with `--crawl`, only the crawl's."""
    figures = {"measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="isf-bench-") as folder:
        if args.nginx:  # only this figure: it needs nginx and wrk, and nothing else loading the machine
            figures["nginx cache"] = nginx.measure(Path(folder), log)
        elif args.crawl:
            figures |= asyncio.run(measure_crawl(Path(folder), args.crawl, log))
        else:
            figures["reruns"] = measure_reruns(args.runs, args.sizes, Path(folder), log)
        if not (args.no_browser or args.nginx or args.crawl):
            figures |= asyncio.run(measure_browser(Path(folder), args, log))
    figures["load average at the end"] = round(os.getloadavg()[0], 2)
    figures["targets"] = targets(figures)
    return figures


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="reruns per page and ledger (median taken)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="synthetic ledgers")
    parser.add_argument("--opens", type=int, default=3, help="cold opens of each page (median taken)")
    parser.add_argument("--repeats", type=int, default=6, help="filter changes per page")
    parser.add_argument("--sessions", type=int, default=20, help=f"viewers at once, ≤ {load.MAX_SESSIONS}")
    parser.add_argument("--seconds", type=float, default=60, help=f"how long they act, ≤ {load.MAX_SECONDS}")
    parser.add_argument("--alone", type=float, default=20, help="how long a single viewer acts first")
    parser.add_argument("--before", type=Path, help="another checkout, its pages opened cold beside these")
    parser.add_argument("--no-browser", action="store_true", help="only the AppTest figures")
    what = "only a hot snapshot through nginx's cache against a static file (needs nginx and wrk)"
    parser.add_argument("--nginx", action="store_true", help=what)
    parser.add_argument("--crawl", type=int, nargs="?", const=2_000, default=0, metavar="REQUESTS",
                        help="only this: a crawler asking for REQUESTS (2,000) snapshots and images "
                        "while 5 sessions change filters, against the same sessions alone")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    lengths = (args.seconds, args.alone)
    if not 0 <= args.sessions <= load.MAX_SESSIONS or min(lengths) <= 0 or max(lengths) > load.MAX_SECONDS:
        parser.error(f"at most {load.MAX_SESSIONS} sessions for at most {load.MAX_SECONDS} s")
    args.before = args.before and args.before.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # Only the figures go to stdout: what a page prints while measured (a traceback) goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        figures = run(args, lambda message: print(f"… {message}", file=sys.stderr, flush=True))
    print(json.dumps(figures, indent=2) if args.json else text(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
