"""The servers the benchmark, the screenshots and the browser tests start: the app, the empty
Streamlit page it is measured against, and Datasette. Each on a free loopback port, waited for
until it answers, stopped by its process id."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from isf_tracker import paths
from isf_tracker.paths import DATA_ENV_VAR

ROOT = paths.checkout()
SHIPPED_DATA = paths.shipped_data_dir()
EMPTY_PAGE = "import streamlit as st\n"  # the baseline: Streamlit with nothing on it
STREAMLIT_FLAGS = ("--server.headless", "true", "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                   "--global.developmentMode", "false")  # fmt: skip


@dataclass
class Server:
    """A process we started, the address it answers on and its data (folder or database)."""

    process: subprocess.Popen
    url: str
    data_dir: Path

    @property
    def positions(self) -> Path:
        return self.data_dir / "positions.csv"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_shipped_data(folder: Path, source: Path = SHIPPED_DATA) -> Path:
    """Every *.csv of `source` copied into `folder`; the positions.csv there."""
    folder.mkdir(parents=True, exist_ok=True)
    for csv_file in source.glob("*.csv"):
        shutil.copy2(csv_file, folder / csv_file.name)
    return folder / "positions.csv"


def healthy(url: str, path: str = "/_stcore/health") -> bool:
    try:
        with urllib.request.urlopen(url + path, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start(command: list[str], cwd: Path, data_dir: Path, port: int, health: str,
          env: Mapping[str, str]) -> Server:  # fmt: skip
    """Start `python -m command…` (which listens on `port`); return once `health` answers 200, or
    raise with the end of its log if it exits or stays silent for a minute (then it is stopped)."""
    name = command[0]
    command = [sys.executable, "-m", *command]
    log = data_dir.parent / f"{name}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=out)
    server = Server(process, f"http://127.0.0.1:{port}", data_dir)
    deadline = time.monotonic() + 60
    while not healthy(server.url, health):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError(f"{name} did not answer:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.25)  # polls for a state: the server answering
    return server


def start_streamlit(script: Path, data_dir: Path, env: Mapping[str, str] | None = None) -> Server:
    port = free_port()
    command = ["streamlit", "run", script.name, "--server.port", str(port), *STREAMLIT_FLAGS]
    return start(command, script.parent, data_dir, port, "/_stcore/health", env or {})


def start_server(data_dir: Path, env: Mapping[str, str] | None = None) -> Server:
    """The app, reading the ledger in `data_dir`."""
    return start_streamlit(
        ROOT / "app.py", data_dir, {**(env or {}), DATA_ENV_VAR: str(data_dir / "positions.csv")}
    )


def start_empty_page(folder: Path) -> Server:
    """The baseline: a script holding only `import streamlit as st`, started as the app is, with
    the app's .streamlit/config.toml, so only the page differs."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    (folder / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
    shutil.copy2(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return start_streamlit(folder / "empty_page.py", folder)


def start_datasette(database: Path) -> Server:
    port = free_port()
    command = ["datasette", "serve", str(database), "--host", "127.0.0.1", "--port", str(port)]
    return start(command, database.parent, database, port, "/-/versions.json", {})


def stop_server(server: Server) -> None:
    stop_process(server.process)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process we started (by its id), wait, and kill it if it must."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
