"""Behind nginx for real: its cache answers a repeat of a snapshot without reaching the app, and
the edit throttle tells editors apart by the address nginx forwards, from a trusted proxy only.

    browser A ─ tap 127.0.0.2 ─┐
    browser B ─ tap 127.0.0.3 ─┼─> nginx (`isf-tracker nginx-config`) ─ tap 127.0.0.5 ─> replica
    browser S ─ tap 127.0.0.4 ─────────────────────────────────────────────────────────┘

A tap is a small TCP forwarder (asyncio) that connects onwards from a chosen loopback address and
keeps the head of every request it carries: the one in front of the replica counts what reached
the app, and gives nginx the address 127.0.0.5, the replica's only trusted proxy
(ISF_TRACKER_TRUSTED_PROXIES). Editor S skips nginx and claims another address in
X-Forwarded-For. Every tap in front of a browser adds `X-Forwarded-For: 127.0.0.9` to what it
carries, as a client may. The app logs each wrong password with the address it counted it for.

Run: .venv/bin/python -m pytest -q tests/browser/test_proxy.py
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.server import free_port, healthy, stop_process
from isf_tracker.proxies import TRUSTED_ENV
from tests.browser.conftest import (
    VIEWPORT,
    Server,
    copy_data,
    open_view,
    start_server,
    stop_server,
    wait_for_app,
)
from tests.browser.test_replicas import NGINX_START_TIMEOUT_S, require_nginx, start_nginx
from tests.browser.test_updating import (
    EDIT_PASSWORD,
    PASSWORD_KEY,
    alert,
    check_and_preview,
    fill_statement,
    no_exception,
    save_button,
)

pytestmark = pytest.mark.browser

PROXY, SPOOFED = "127.0.0.5", "127.0.0.9"
EDITORS = {"A": "127.0.0.2", "B": "127.0.0.3", "S": "127.0.0.4"}  # S: straight to the replica
REQUEST_LINE = re.compile(rb"^[A-Z]+ \S+ HTTP/1\.[01]\r\n")
WRONG = "Wrong password: nothing was written."


@dataclass
class Tap:
    """Listens on 127.0.0.1:`port`, connects to `target` from `source`; keeps every request head,
    adding `inject` (a header line) to each."""

    source: str
    target: tuple[str, int]
    inject: bytes = b""
    port: int = 0
    heads: list[str] = field(default_factory=list)

    async def start(self) -> asyncio.Server:
        server = await asyncio.start_server(self._carry, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _carry(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target, local_addr=(self.source, 0))
        except OSError:
            writer.close()
            return

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, requests: bool) -> None:
            with contextlib.suppress(OSError):
                while chunk := await src.read(65536):
                    if requests and REQUEST_LINE.match(chunk):  # a head arrives whole, at a chunk's start
                        line_end = chunk.index(b"\r\n") + 2
                        chunk = chunk[:line_end] + self.inject + chunk[line_end:]
                        self.heads.append(chunk.split(b"\r\n\r\n")[0].decode("latin-1"))
                    dst.write(chunk)
                    await dst.drain()
            with contextlib.suppress(OSError):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

    def requests(self, path: str) -> int:
        return sum(head.startswith(f"GET {path} ") for head in self.heads)


@dataclass
class Proxied:
    url: str  # nginx
    replica: Server
    taps: dict[str, Tap]  # "app" (nginx -> replica), and one per editor
    prefix: Path
    replica_log: Path

    def via(self, editor: str) -> str:
        return f"http://127.0.0.1:{self.taps[editor].port}"

    def logged(self, path: str) -> list[str]:
        """nginx's access-log lines of GET `path`."""
        log = self.prefix / "access.log"
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        return [line for line in text.splitlines() if f'"GET {path} HTTP/1.1"' in line]

    def wrong_passwords(self) -> list[tuple[str, int]]:
        """(address, how many in a row) of each wrong password, as the app logged it."""
        text = self.replica_log.read_text(encoding="utf-8", errors="replace")
        return [
            (address, int(n))
            for address, n in re.findall(r"wrong edit password from (\S+) \((\d+) in a row\)", text)
        ]


@pytest.fixture(scope="module")
def proxied(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    require_nginx()
    data_dir = tmp_path_factory.mktemp("isf-proxy") / "data"
    copy_data(data_dir)
    replica = start_server(data_dir, env={PASSWORD_KEY: EDIT_PASSWORD, TRUSTED_ENV: PROXY})
    prefix = Path(tempfile.mkdtemp(prefix="isf-nginx-"))
    prefix.chmod(0o755)  # nginx's workers (nobody, when run as root) read it
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    nginx, servers = None, []
    try:
        replica_at = ("127.0.0.1", int(replica.url.rsplit(":", 1)[1]))
        nginx_port = free_port()
        inject = f"X-Forwarded-For: {SPOOFED}\r\n".encode()
        taps = {"app": Tap(PROXY, replica_at)}
        taps |= {name: Tap(EDITORS[name], ("127.0.0.1", nginx_port), inject) for name in ("A", "B")}
        taps["S"] = Tap(EDITORS["S"], replica_at, inject)
        servers = [asyncio.run_coroutine_threadsafe(tap.start(), loop).result(10) for tap in taps.values()]
        nginx = start_nginx(prefix, nginx_port, [f"127.0.0.1:{taps['app'].port}"])
        replica_log = data_dir.parent / f"streamlit-{replica_at[1]}.log"  # where start_server logs
        running = Proxied(f"http://127.0.0.1:{nginx_port}", replica, taps, prefix, replica_log)
        deadline = time.monotonic() + NGINX_START_TIMEOUT_S
        while not healthy(running.url):
            if nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not come up:\n{(prefix / 'error.log').read_text()}")
            time.sleep(0.1)  # ok-sleep: polls for a state (nginx answering its health check)
        yield running
    finally:
        if nginx is not None:
            stop_process(nginx)
        stop_server(replica)
        for server in servers:
            loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        shutil.rmtree(prefix, ignore_errors=True)


def fetch(url: str) -> tuple[int, Message, bytes]:
    """Status, headers (any case) and body."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.headers, response.read()


# --- the cache ---------------------------------------------------------------------------


def test_the_nginx_cache_serves_a_repeat_without_reaching_the_app(proxied: Proxied):
    path, app = "/s/map?country=IDN", proxied.taps["app"]
    status, first, body = fetch(proxied.url + path)
    assert (status, first["X-Cache-Status"]) == (200, "MISS")
    assert b'data-isf-snapshot="map"' in body
    assert "max-age=" in first["Cache-Control"] and "Set-Cookie" not in first
    assert app.requests(path) == 1

    status, again, repeat = fetch(proxied.url + path)
    assert (status, again["X-Cache-Status"], repeat) == (200, "HIT", body)
    assert again["ETag"] == first["ETag"]
    assert app.requests(path) == 1  # the app saw one request for two answers
    miss, hit = proxied.logged(path)
    assert "replica=127.0.0.1:" in miss and miss.endswith("cache=MISS")
    assert " replica=- " in hit and hit.endswith("cache=HIT")  # nginx contacted no upstream

    other = "/s/map?country=PAK"  # the query is part of the key
    assert fetch(proxied.url + other)[1]["X-Cache-Status"] == "MISS"
    assert app.requests(other) == 1


def test_the_dashboard_is_never_cached(proxied: Proxied):
    app = proxied.taps["app"]
    for count in (1, 2):
        status, headers, _ = fetch(proxied.url + "/?country=IDN")
        assert status == 200 and "X-Cache-Status" not in headers
        assert app.requests("/?country=IDN") == count


# --- two editors, and one who skips the proxy ---------------------------------------------


@contextlib.contextmanager
def editor(browser: Browser, proxied: Proxied, name: str) -> Iterator[Page]:
    """A new session on the "Add a statement" page, through editor `name`'s tap, with a checked
    statement and a wrong password, ready to save."""
    context = browser.new_context(base_url=proxied.via(name), viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        open_view(page, "/add")
        fill_statement(page, f"https://example.org/isf-proxy-test-{name}", "not the password")
        check_and_preview(page)
        yield page
    finally:
        context.close()


def save_wrongly(page: Page, proxied: Proxied) -> tuple[str, int]:
    """Click save once; the address and count the app logged for it, and the message shown."""
    logged = len(proxied.wrong_passwords())
    save_button(page).click()
    deadline = time.monotonic() + 60
    while len(proxied.wrong_passwords()) == logged:  # a state: the app has counted the try
        assert time.monotonic() < deadline, "the app logged no wrong password"
        time.sleep(0.05)  # ok-sleep: polls the app's log for the line
    wait_for_app(page)
    return proxied.wrong_passwords()[-1]


def test_two_editors_behind_nginx_are_counted_apart(browser: Browser, proxied: Proxied):
    before = proxied.replica.positions.read_bytes()
    with editor(browser, proxied, "A") as page:
        counted = [save_wrongly(page, proxied) for _ in range(3)]
        # the right-most address nginx forwarded, not the one the client claimed left of it
        assert counted == [(EDITORS["A"], 1), (EDITORS["A"], 2), (EDITORS["A"], 3)]
        expect(alert(page, WRONG)).to_have_text(f"{WRONG} The next try is possible in 1 s.")
        no_exception(page)
    with editor(browser, proxied, "B") as page:
        # A's wrong passwords do not slow B: had both been "nginx", this would be A's 4th
        assert save_wrongly(page, proxied) == (EDITORS["B"], 1)
        expect(alert(page, WRONG)).to_have_text(WRONG)
        no_exception(page)
    stream = [head for head in proxied.taps["app"].heads if head.startswith("GET /_stcore/stream ")]
    forwarded = {re.search(r"(?im)^x-forwarded-for: ([^\r\n]*)", head).group(1) for head in stream}
    assert {f"{SPOOFED}, {EDITORS['A']}", f"{SPOOFED}, {EDITORS['B']}"} <= forwarded
    assert proxied.replica.positions.read_bytes() == before


def test_a_client_that_skips_the_trusted_proxy_cannot_claim_another_address(
    browser: Browser, proxied: Proxied
):
    with editor(browser, proxied, "S") as page:
        assert save_wrongly(page, proxied) == (EDITORS["S"], 1)  # its own, not SPOOFED
        expect(alert(page, WRONG)).to_have_text(WRONG)
    stream = [head for head in proxied.taps["S"].heads if head.startswith("GET /_stcore/stream ")]
    assert stream and all(f"X-Forwarded-For: {SPOOFED}" in head for head in stream)  # it did claim it
