"""`python -m bench.compare BEFORE AFTER`: cold opens of two checkouts of the app, side by side.

A change meant to make pages open sooner is judged by this, not by two benchmark runs on
different minutes: the two checkouts (e.g. a `git worktree` of the last commit, and the working
tree) serve the same copy of the shipped data from two servers; each page is opened cold from
its shared link on both, in turns whose order alternates, beside the empty Streamlit page, so a
busy moment of the machine falls on both alike. Prints each page's median for both, its ratio
to the empty page, and the difference.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
from pathlib import Path

from bench import browser, server


def _start(checkout: Path, data_dir: Path) -> server.Server:
    environment = {server.DATA_ENV_VAR: str(data_dir / "positions.csv"), "PYTHONPATH": str(checkout / "src")}
    return server.start_streamlit(checkout / "app.py", data_dir, environment)


def compare(before: Path, after: Path, opens: int, pages: list[str]) -> dict:
    links = browser.shared_links()
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as running:
        work = Path(folder)
        server.copy_shipped_data(work / "data")
        servers = {}
        for tag, checkout in (("before", before), ("after", after)):
            servers[tag] = _start(checkout, work / "data")
            running.callback(server.stop_server, servers[tag])
        empty = server.start_empty_page(work / "empty-page")
        running.callback(server.stop_server, empty)
        chromium = running.enter_context(browser.chromium())
        browser.cold_open(chromium, empty.url, "empty page", "/", app=False)
        for name in pages:  # unmeasured: each server loads the ledger and computes each view
            for started in servers.values():
                browser.cold_open(chromium, started.url, name, links[name])
        for round_ in range(opens):
            opened = browser.cold_open(chromium, empty.url, "empty page", "/", app=False)
            times.setdefault(("empty page", ""), []).append(opened.ms)
            order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
            for name in pages:
                for tag in order:
                    opened = browser.cold_open(chromium, servers[tag].url, name, links[name])
                    times.setdefault((name, tag), []).append(opened.ms)
    median = lambda name, tag: statistics.median(times[(name, tag)])  # noqa: E731
    medians = {name: {tag: median(name, tag) for tag in ("before", "after")} for name in pages}
    return {"empty_page_ms": statistics.median(times[("empty page", "")]), "pages": medians}


def text(figures: dict) -> str:
    empty = figures["empty_page_ms"]
    lines = [f"Empty Streamlit page: {empty:,.0f} ms (median). Cold opens, median ms (× the empty page):"]
    for name, page in figures["pages"].items():
        before, after = page["before"], page["after"]
        lines.append(
            f"{name:<12} before {before:7,.0f} ({before / empty:.2f})   after {after:7,.0f} "
            f"({after / empty:.2f})   {after - before:+6,.0f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("before", type=Path, help="a checkout of the app (the folder holding app.py)")
    parser.add_argument("after", type=Path, help="another checkout")
    parser.add_argument("--opens", type=int, default=5, help="cold opens of each page on each (median taken)")
    parser.add_argument("--only", nargs="*", help="page names (default: every page with a shared link)")
    args = parser.parse_args(argv)
    pages = args.only or list(browser.shared_links())
    print(text(compare(args.before.resolve(), args.after.resolve(), args.opens, pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
