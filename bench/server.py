"""A real `streamlit run app.py` on a free loopback port: for the benchmark, the load test
and the browser tests. Started with its own data folder, stopped by its process id.

Also the baseline the benchmark compares the app with: an empty Streamlit page, started the
same way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from isf_tracker import paths
from isf_tracker.paths import DATA_ENV_VAR

ROOT = paths.checkout()
SHIPPED_DATA = paths.shipped_data_dir()
HEALTH_TIMEOUT_S = 60
#: The baseline page: Streamlit with nothing on it (the same text as bench/reruns.py measures).
EMPTY_PAGE = "import streamlit as st\n"


@dataclass
class Server:
    """A running `streamlit run app.py`: its address, its data folder and its log."""

    process: subprocess.Popen
    url: str
    data_dir: Path
    log: Path

    @property
    def positions(self) -> Path:
        return self.data_dir / "positions.csv"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_shipped_data(folder: Path, source: Path = SHIPPED_DATA) -> Path:
    """Copy every *.csv of `source` (the shipped data/) into `folder`; return the positions.csv there."""
    folder.mkdir(parents=True, exist_ok=True)
    for csv_file in source.glob("*.csv"):
        shutil.copy2(csv_file, folder / csv_file.name)
    return folder / "positions.csv"


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Server:
    """Start the app on a loopback port (a free one by default); wait until /_stcore/health says ok."""
    env = {**(env or {}), DATA_ENV_VAR: str(data_dir / "positions.csv")}
    return start_streamlit(ROOT / "app.py", data_dir, env, port, extra_args)


def start_empty_page(folder: Path) -> Server:
    """The baseline: `streamlit run` of a script holding only `import streamlit as st`, started
    exactly as the app is, from `folder` (which also gets its log)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "empty_page.py"
    script.write_text(EMPTY_PAGE, encoding="utf-8")
    config = ROOT / ".streamlit" / "config.toml"
    if config.exists():  # the app's server settings too, so only the page differs
        (folder / ".streamlit").mkdir(exist_ok=True)
        shutil.copy2(config, folder / ".streamlit" / "config.toml")
    return start_streamlit(script, folder)


def start_streamlit(
    script: Path,
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Server:
    """`streamlit run script` on a loopback port, its working folder the script's; the log goes
    beside `data_dir`. Waits until /_stcore/health says ok."""
    port = port or free_port()
    log = data_dir.parent / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", script.name,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--global.developmentMode", "false",
        *extra_args,
    ]  # fmt: skip
    environment = {**os.environ, **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=script.parent, env=environment, stdout=out, stderr=out)
    server = Server(process, f"http://127.0.0.1:{port}", data_dir, log)
    wait_until_answering(process, lambda: healthy(server.url), "streamlit", server.log_tail)
    return server


def wait_until_answering(
    process: subprocess.Popen,
    answers: Callable[[], bool],
    name: str,
    log_tail: Callable[[], str],
    timeout_s: float = HEALTH_TIMEOUT_S,
) -> None:
    """Return once `answers()` is true; raise with the log's end if the process exits first or
    does not answer within `timeout_s` (then it is stopped)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log_tail()}")
        if answers():
            return
        time.sleep(0.25)
    stop_process(process)
    raise RuntimeError(f"{name} did not answer after {timeout_s} s:\n{log_tail()}")


def stop_server(server: Server) -> None:
    """Stop the server by its process id: terminate, wait, kill if it must."""
    stop_process(server.process)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process we started (by its id), wait, and kill it if it must."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
