"""One hot snapshot through nginx with its cache (`isf-tracker nginx-config`), against a static
file of the same size served by the same nginx in the same run: `wrk -t1 -c32 -d10s` (Debian's
wrk; a Python client is far too slow to load nginx) on each, requests/s and p99 latency."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from bench import server
from bench.report import target
from isf_tracker import nginx

SNAPSHOT = "/s/overview"
WRK_ARGS = ("-t1", "-c32", "-d10s", "--latency")
STATIC_RATIO = 2.0  # static file requests/s / hot snapshot requests/s, at most (issue 19)
P99_MS = 20.0
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str) -> dict[str, Any]:
    return read_wrk(subprocess.run([shutil.which("wrk") or "wrk", *WRK_ARGS, url], capture_output=True,
                                   text=True, timeout=120, check=True).stdout)  # fmt: skip


def read_wrk(out: str) -> dict[str, Any]:
    """Requests/s, p99 (ms) and answers that were not 2xx/3xx, as wrk --latency prints them."""
    p99, unit = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests/s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99 ms": float(p99) * UNITS_MS[unit],
        "not 2xx": int(failed.group(1)) if failed else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def get(url: str) -> tuple[bytes, str | None]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read(), response.headers["X-Cache-Status"]


def measure(folder: Path, log: Any) -> dict[str, Any]:
    """The figures, or, without nginx or wrk, a section that says what to install."""
    found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin") for name in ("nginx", "wrk")}
    missing = [name for name, path in found.items() if not path]
    if missing:
        note = (
            f"Not measured: {' and '.join(missing)} not installed (apt-get install -y {' '.join(missing)})."
        )
        return {"title": "One hot snapshot through nginx's cache", "rows": {}, "notes": [note], "targets": [
            target("static file / hot snapshot through nginx, requests/s", "nginx", None, STATIC_RATIO, "×"),
            target("hot snapshot through nginx, p99", "nginx", None, P99_MS, "ms")]}  # fmt: skip
    folder.chmod(0o755)  # nginx's workers (nobody, when run as root) read the file and the cache
    data = server.copy_shipped_data(folder / "data")
    app = server.start_server(data.parent)
    prefix = folder / "nginx"
    (prefix / "static").mkdir(parents=True)
    process = None
    try:
        body, _ = get(app.url + SNAPSHOT)
        (prefix / "static" / "snapshot.html").write_bytes(body)  # the same bytes, as a file
        port, static_port = server.free_port(), server.free_port()
        chosen = nginx.Site(f"127.0.0.1:{port}", replicas=[app.url.removeprefix("http://")],
                            cache_dir=f"{prefix}/cache", access_log=f"{prefix}/access.log")  # fmt: skip
        site = nginx.config(chosen)
        static = (f"server {{\n    listen 127.0.0.1:{static_port};\n    root {prefix}/static;\n"
                  f"    access_log {prefix}/access.log isf_tracker;\n}}\n")  # fmt: skip
        conf = prefix / "nginx.conf"
        conf.write_text(nginx.standalone(str(prefix), site, static), encoding="utf-8")
        command = [
            found["nginx"],
            "-p",
            str(prefix),
            "-c",
            str(conf),
            "-e",
            str(prefix / "error.log"),
            "-g",
            "daemon off;",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        hot, deadline = f"http://127.0.0.1:{port}{SNAPSHOT}", time.monotonic() + 60
        while not server.healthy(f"http://127.0.0.1:{port}") or get(hot)[1] != "HIT":
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"nginx did not serve {SNAPSHOT} from its cache:\n{(prefix / 'error.log').read_text()}"
                )
            time.sleep(0.1)  # polls for a state: the snapshot in the cache
        log(f"nginx: wrk {' '.join(WRK_ARGS)} on a static file, then on {SNAPSHOT} from the cache…")
        rows = {"static file": wrk(f"http://127.0.0.1:{static_port}/snapshot.html")}
        before = (prefix / "access.log").read_text().count("cache=")
        rows["hot snapshot"] = wrk(hot)
        statuses = re.findall(r" cache=(\S+)$", (prefix / "access.log").read_text(), re.M)[before:]
    finally:
        if process is not None:
            server.stop_process(process)
        server.stop_server(app)
    for row in rows.values():
        row["KB"] = len(body) / 1000
    ratio = rows["static file"]["requests/s"] / rows["hot snapshot"]["requests/s"]
    rows["hot snapshot"]["× static"] = 1 / ratio
    counted = ", ".join(f"{n:,} {status}" for status, n in Counter(statuses).most_common())
    return {
        "title": f"One hot snapshot ({SNAPSHOT}) through nginx's cache and a static file of the same size, "
        f"wrk {' '.join(WRK_ARGS)}",
        "rows": rows,
        "notes": [
            f"nginx logged the snapshot's {len(statuses):,} requests as cache={counted} (HIT: no replica)."
        ],
        "targets": [
            target("static file / hot snapshot through nginx, requests/s", "nginx", ratio, STATIC_RATIO, "×"),
            target("hot snapshot through nginx, p99", "nginx", rows["hot snapshot"]["p99 ms"], P99_MS, "ms"),
        ],
    }
