"""A crawler and live readers at once: a crawler asks for 2,000 distinct snapshots and images as
fast as it can while 5 browser sessions change filters on the dashboard (`load.run`), against the
same sessions with no crawler; and the cheap API request during the crawl against its idle time.

The crawler runs in a process of its own (`python -m bench.crawl URL`, JSON on stdout), so its
threads take nothing from the browser's driver: THREADS connections at once, each from its own
loopback address (127.0.0.2, …), as a crawler spread over several machines would; each spends
its own address's render budget. The cheap API request is asked every PROBE_S by a process of
its own too (`python -m bench.crawl probe URL`), idle, during the crawl and with the sessions
alone: in the crawler's process, or in the benchmark's (which drives the browsers and samples
memory), its time would include waiting for that process's GIL."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import itertools
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser

from bench import load

REQUESTS, THREADS, SESSIONS = 2_000, 8, 5
WARM_S = 90  # the unmeasured run that first computes the views the seeded sessions ask for
TIMEOUT_S = 60  # a request is given this long before it counts as hung (status "timeout")
PROBE_S = 0.25
CHEAP = "/api/v1/positions.json?country=PAK"  # the cheap API request
#: The dashboard actions that change a filter (load.MIX); a redraw is one of them, timed.
FILTER_ACTIONS = ("troops", "sources", "pick", "unpick", "clear")


def targets(data: Path, count: int = REQUESTS, seed: int = 1) -> list[str]:
    """`count` distinct snapshot and image paths: each page and chart for one country on one day."""
    from isf_tracker import chart_registry, share
    from isf_tracker.ledger import load_dataset

    statements = load_dataset(data).statements
    countries = sorted(statements["iso3"].unique())
    days = sorted(statements["date"].dropna().astype(str).str[:10].unique())
    pages = [f"/s/{page}" for page in share.SNAPSHOT_PAGES if page != "changes"]
    pages += [f"/img/{page}/{c.name}.{suffix}" for c in chart_registry.CHARTS for page in c.pages
              for suffix in ("png", "svg")]  # fmt: skip
    paths = [
        f"{page}?country={iso3}&as_of={day}" for page, iso3, day in itertools.product(pages, countries, days)
    ]
    if len(paths) < count:
        raise ValueError(f"only {len(paths)} distinct paths on this ledger")
    return random.Random(seed).sample(paths, count)


def get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def crawl(url: str, paths: list[str], threads: int = THREADS) -> dict[str, Any]:
    """Every path asked once, `threads` at a time, each thread from its own loopback address:
    the status counts and each request's time."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    todo, lock, statuses, seconds = iter(paths), threading.Lock(), Counter(), []

    def worker(index: int) -> None:
        connect = lambda: http.client.HTTPConnection(host, port, timeout=TIMEOUT_S,  # noqa: E731
                                                     source_address=(f"127.0.0.{2 + index}", 0))  # fmt: skip
        connection = connect()
        while True:
            with lock:
                path = next(todo, None)
            if path is None:
                return
            start = time.monotonic()
            try:
                status: int | str = get(connection, path)
            except TimeoutError:
                status = "timeout"
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
            with lock:
                statuses[status] += 1
                seconds.append(time.monotonic() - start)
            if not isinstance(status, int):
                connection.close()
                connection = connect()

    started, cpu = time.monotonic(), time.process_time()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": len(paths), "seconds": elapsed, "statuses": {str(k): v for k, v in statuses.items()},
            "longest s": max(seconds), "median s": statistics.median(seconds),
            "cpu s": time.process_time() - cpu}  # fmt: skip


def timed(url: str) -> float:
    """One GET on a new connection, in milliseconds."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    start = time.monotonic()
    try:
        get(connection, f"{parts.path}?{parts.query}")
    finally:
        connection.close()
    return (time.monotonic() - start) * 1000


def tree_rss_mb(pid: int) -> float:
    """The resident memory of a process and its descendants (the app's drawing processes)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    family, total = {pid}, 0.0
    while grown := {p for p, parent in parents.items() if parent in family} - family:
        family |= grown
    for member in family:
        try:
            total += load._rss_mb(member)
        except (OSError, IndexError):
            continue
    return total


def probe(url: str, stop: threading.Event, count: int | None = None) -> list[float]:
    """The cheap request's times, every PROBE_S until `stop` is set or `count` are taken."""
    times: list[float] = []
    while not stop.is_set() and (count is None or len(times) < count):
        times.append(timed(url + CHEAP))
        stop.wait(PROBE_S)
    return times


@contextlib.asynccontextmanager
async def probing(url: str, count: int | None = None) -> AsyncIterator[list[float]]:
    """The cheap request timed by a process of its own while the block runs (or `count` times):
    its times are in the list yielded once the block is over."""
    command = [sys.executable, "-m", "bench.crawl", "probe", url, str(count or 0)]
    process = await asyncio.create_subprocess_exec(*command, stdin=asyncio.subprocess.PIPE,
                                                   stdout=asyncio.subprocess.PIPE)  # fmt: skip
    times: list[float] = []
    try:
        yield times
    finally:
        output, _ = await process.communicate(b"stop\n")
        times.extend(json.loads(output))


def redraws(run: dict[str, Any]) -> int:
    return sum(len(run["latencies"].get(kind, [])) for kind in FILTER_ACTIONS)


def redraw_ms(run: dict[str, Any]) -> float | None:
    times = [ms for kind in FILTER_ACTIONS for ms in run["latencies"].get(kind, [])]
    return statistics.median(times) if times else None


async def measure(browser: Browser, url: str, data: Path, pid: int, requests: int, log) -> dict[str, Any]:
    """Idle API times; the sessions with the crawler (they act while it runs); the same sessions
    alone for as long. All three act from the same seed, so they ask for the same views first;
    the unmeasured run of WARM_S before computes those, so that neither measured run pays for
    the app's cold caches on them."""
    async with probing(url, 21) as idle:
        pass
    rss: list[tuple[float, float]] = []

    async def sample() -> None:  # each sample reads every process's stat: once a second is enough
        while True:
            rss.append((load._rss_mb(pid), tree_rss_mb(pid)))
            await asyncio.sleep(1)

    async def crawler() -> dict[str, Any]:
        command = [sys.executable, "-m", "bench.crawl", url, str(data), str(requests)]
        process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        async with probing(url) as cheap:
            output, _ = await process.communicate()
        return json.loads(output) | {"cheap ms": cheap}

    log(f"crawl: {SESSIONS} sessions warm the app's caches for {WARM_S} s (not measured)…")
    await load.run(browser, url, SESSIONS, WARM_S, pid)
    log(f"crawl: {SESSIONS} sessions while a crawler asks for {requests:,} snapshots and images…")
    sampler = asyncio.create_task(sample())
    try:
        crowded = await load.run(browser, url, SESSIONS, load.MAX_SECONDS, pid, during=crawler)
    finally:
        sampler.cancel()
    crawled = crowded["during"]
    log(f"crawl: the same {SESSIONS} sessions alone for {crowded['seconds']:.0f} s…")
    async with probing(url) as alone_cheap:
        alone = await load.run(browser, url, SESSIONS, crowded["seconds"], pid)
    cheap = {"idle": idle, "alone": alone_cheap, "crawl": crawled["cheap ms"]}
    with_, without = redraw_ms(crowded), redraw_ms(alone)
    median = {name: statistics.median(times) for name, times in cheap.items()}
    cpu = "server CPU, % of a core"
    a, c, both = "idle", f"{SESSIONS} sessions", f"{SESSIONS} sessions and the crawler"
    rows = {
        "sessions' median redraw ms": {c: without, both: with_, "target": "≤ 1.5× sessions",
                                       "ratio": with_ and without and with_ / without},
        "cheap API request, median ms": {a: median["idle"], c: median["alone"], both: median["crawl"],
                                         "ratio": median["crawl"] / median["idle"], "target": "≤ 10× idle"},
        "cheap API request, max ms": {a: max(idle), c: max(cheap["alone"]), both: max(cheap["crawl"])},
        "server CPU, % of a core": {c: alone[cpu], both: crowded[cpu]},
        "all cores busy, %": {c: alone["all cores busy, %"], both: crowded["all cores busy, %"]},
        "server RSS peak MB": {c: alone["server RSS peak MB"], both: max(main for main, _ in rss)},
        "server and its drawing processes, RSS peak MB": {both: max(tree for _, tree in rss)},
        "redraws timed": {c: redraws(alone), both: redraws(crowded)},
        "errors in the sessions": {c: alone["errors"], both: crowded["errors"]},
    }  # fmt: skip
    notes = [
        f"Crawler: {crawled['requests']:,} requests in {crawled['seconds']:.1f} s from {THREADS} addresses; "
        f"statuses {crawled['statuses']}; longest {crawled['longest s']:.2f} s (target < 10 s), "
        f"median {crawled['median s'] * 1000:.0f} ms; the crawler's own CPU {crawled['cpu s']:.1f} s",
        f"Cheap request: {CHEAP}, {len(idle)} times idle, {len(crawled['cheap ms'])} times during the crawl",
    ]
    title = f"A crawler and {SESSIONS} live readers at once (redraw: a filter change, Enter to last change)"
    return {"crawl": {"title": title, "rows": rows, "notes": notes, "crawler": crawled}}


if __name__ == "__main__":  # a process of its own: the crawler (URL, ledger, requests) or the probe
    if sys.argv[1] == "probe":  # URL, how many times (0: until a line comes on stdin)
        stop, count = threading.Event(), int(sys.argv[3]) or None
        if count is None:
            threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
        print(json.dumps(probe(sys.argv[2], stop, count)))
    else:
        url, data, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
        print(json.dumps(crawl(url, targets(data, count))))
