"""Two replicas of the app behind nginx, for real: sticky sessions, a browser session
through the proxy, and an append through one replica read by the other.

Both replicas share ONE data folder (the same positions.csv and its lock file), the same
server.cookieSecret and an edit password; nginx runs `isf-tracker nginx-config`'s configuration
(made standalone by tests/test_deploy.py, under a temporary prefix) on a free loopback port.
Without nginx the module is skipped, except in CI ($CI set), where it fails (tests/run
installs nginx).

Run: .venv/bin/python -m pytest -q tests/browser/test_replicas.py
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from bench.server import free_port, healthy, stop_process
from isf_tracker.ledger import load_dataset
from tests.browser.conftest import (
    VIEWPORT,
    Server,
    copy_data,
    open_view,
    start_server,
    stop_server,
    wait_for_app,
)
from tests.browser.test_updating import (
    EDIT_PASSWORD,
    PASSWORD_KEY,
    alert,
    check_and_preview,
    download_csv,
    expected_row,
    fill_statement,
    form,
    main,
    no_exception,
    save_button,
)
from tests.test_deploy import REPLICA_HEADER, STICKY_COOKIE, standalone

pytestmark = pytest.mark.browser

NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_START_TIMEOUT_S = 20
PROBES = 64  # cookie values tried to find one per replica (each lands on either, ~50/50)
REQUESTS_PER_CHECK = 5
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"


@dataclass
class Cluster:
    """nginx on `url` in front of two replicas that share one data folder."""

    url: str
    replicas: list[Server]
    nginx: subprocess.Popen
    prefix: Path
    #: replica address ("127.0.0.1:port") -> an isf_replica cookie value nginx routes there
    pins: dict[str, str] = field(default_factory=dict)

    @property
    def addresses(self) -> list[str]:
        return [replica.url.removeprefix("http://") for replica in self.replicas]

    @property
    def positions(self) -> Path:
        return self.replicas[0].positions

    def requests_per_replica(self) -> dict[str, Counter[str]]:
        """Requests nginx logged per replica, by status (a WebSocket is a 101, logged when it
        closes; /_stcore/health is not logged)."""
        log = self.prefix / "access.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        counts: dict[str, Counter[str]] = {address: Counter() for address in self.addresses}
        for status, replica in re.findall(r'" (\d{3}) \d+ replica=(\S+) ', text):
            counts.setdefault(replica, Counter())[status] += 1
        return counts


def require_nginx() -> None:
    if not Path(NGINX).exists():
        reason = f"nginx not found at {NGINX} (set NGINX_PATH or apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)


def start_nginx(prefix: Path, listen_port: int, replicas: list[str]) -> subprocess.Popen:
    """Our own nginx (never the system service) from the shipped config, in the foreground."""
    conf = prefix / "nginx.conf"
    conf.write_text(standalone(prefix, f"127.0.0.1:{listen_port}", replicas), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    command += ["-g", "daemon off;"]
    with (prefix / "stderr.log").open("wb") as err:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)


def get(url: str, cookie: str | None = None) -> tuple[str, list[str], int]:
    """GET `url` (with an isf_replica cookie if given): the answering replica, any Set-Cookie,
    and the status."""
    headers = {"Cookie": f"{STICKY_COOKIE}={cookie}"} if cookie else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            response.read()
            answer, status = response.headers, response.status
    except urllib.error.HTTPError as error:
        answer, status = error.headers, error.code
    return answer[REPLICA_HEADER], answer.get_all("Set-Cookie") or [], status


def find_pins(cluster: Cluster) -> dict[str, str]:
    """One cookie value per replica, found by asking nginx where a few values go."""
    pins: dict[str, str] = {}
    for probe in range(PROBES):
        replica, _, _ = get(f"{cluster.url}/_stcore/health", f"probe-{probe}")
        pins.setdefault(replica, f"probe-{probe}")
        if len(pins) == len(cluster.replicas):
            break
    return pins


@pytest.fixture(scope="module")
def cluster(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two warmed-up replicas on one shared data folder, nginx in front; all stopped afterwards."""
    require_nginx()
    data_dir = tmp_path_factory.mktemp("isf-replicas") / "data"
    copy_data(data_dir)  # once: both replicas read and write this folder
    # One cookie secret for all replicas. Streamlit refuses it as a CLI flag (a secret would
    # show in `ps`): it comes from the environment, or the config file.
    env = {PASSWORD_KEY: EDIT_PASSWORD, COOKIE_SECRET_ENV: secrets.token_hex(32)}
    # Run as root, nginx's workers are `nobody`: the prefix sits in /tmp, readable by them.
    prefix = Path(tempfile.mkdtemp(prefix="isf-nginx-"))
    prefix.chmod(0o755)
    replicas: list[Server] = []
    nginx: subprocess.Popen | None = None
    started = time.monotonic()
    try:
        for _ in range(2):
            replicas.append(start_server(data_dir, env=env))
        port = free_port()
        nginx = start_nginx(prefix, port, [r.url.removeprefix("http://") for r in replicas])
        running = Cluster(f"http://127.0.0.1:{port}", replicas, nginx, prefix)
        deadline = time.monotonic() + NGINX_START_TIMEOUT_S
        while not healthy(running.url):
            if nginx.poll() is not None or time.monotonic() > deadline:
                log = (prefix / "stderr.log").read_text() + (prefix / "error.log").read_text()
                raise RuntimeError(f"nginx did not come up (exit {nginx.poll()}):\n{log}")
            time.sleep(0.1)  # ok-sleep: polls for a state (nginx answering its health check)
        running.pins = find_pins(running)
        yield running
        for address, statuses in running.requests_per_replica().items():  # `pytest -s` shows this
            print(f"\n[replicas] {address}: {sum(statuses.values())} requests, by status {dict(statuses)}")
        print(f"[replicas] two replicas and nginx up for {time.monotonic() - started:.1f} s")
    finally:
        if nginx is not None:
            stop_process(nginx)
        for replica in replicas:
            stop_server(replica)
        shutil.rmtree(prefix, ignore_errors=True)


@contextlib.contextmanager
def browser_page(
    browser: Browser, cluster: Cluster, pin: str | None = None
) -> Iterator[tuple[Page, list[str]]]:
    """A page in a new context (a new Streamlit session) on nginx, optionally pinned to a
    replica by its cookie; with the X-ISF-Replica of every response the page receives."""
    context = browser.new_context(base_url=cluster.url, viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(20_000)
    if pin is not None:
        context.add_cookies([{"name": STICKY_COOKIE, "value": cluster.pins[pin], "url": cluster.url}])
    answered: list[str] = []

    def record(response: Response) -> None:
        if response.url.startswith(cluster.url):
            answered.append(response.headers.get(REPLICA_HEADER.lower(), "none"))

    context.on("response", record)
    try:
        yield context.new_page(), answered
    finally:
        context.close()


def newest_pakistan_statement(page: Page) -> str:
    """The ID of Pakistan's newest statement, from the country page's CSV (newest first)."""
    open_view(page, "/country?country=PAK")
    expect(main(page).locator("h2").first).to_have_text("Pakistan")
    return download_csv(page)[0]["ID"]


# --- stickiness --------------------------------------------------------------------------


def test_a_cookie_pins_every_request_to_one_replica(cluster: Cluster):
    assert sorted(cluster.pins) == sorted(cluster.addresses), "some replica is never chosen"
    for replica, pin in cluster.pins.items():
        for path in ("/_stcore/health", "/", "/_stcore/host-config"):
            for _ in range(REQUESTS_PER_CHECK):
                answered, cookies, status = get(cluster.url + path, pin)
                assert (answered, status) == (replica, 200), (path, pin)
                assert not any(c.startswith(f"{STICKY_COOKIE}=") for c in cookies)  # already pinned


def test_a_new_browser_gets_a_cookie_that_keeps_it_where_it_landed(cluster: Cluster):
    first, cookies, _ = get(cluster.url + "/")
    sticky = [c for c in cookies if c.startswith(f"{STICKY_COOKIE}=")]
    assert len(sticky) == 1, cookies
    assert "HttpOnly" in sticky[0]
    assert "Path=/" in sticky[0]
    value = sticky[0].split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}", value), value  # nginx's $request_id
    assert first in cluster.addresses
    for _ in range(REQUESTS_PER_CHECK):
        assert get(cluster.url + "/_stcore/health", value)[0] == first


def test_every_replica_serves_the_api_the_feed_and_the_snapshots_through_nginx(cluster: Cluster):
    """The routes beside the dashboard are stateless: any replica gives the same answer, so nginx
    may cache it (after the first, nginx answers: each replica is asked directly, then nginx)."""
    expected = {
        "/api/v1/statements.json?country=PAK": b'"country":"Pakistan"',
        "/api/v1/positions.csv": b"iso3,country,status",
        "/feed.atom?country=IDN": b"Indonesia",
        "/s/overview?country=PAK": b'data-isf-snapshot="overview"',
        "/img/charts/ranges.svg?country=PAK": b"<svg",
    }
    for path, holds in expected.items():
        bodies = {}
        for replica in cluster.replicas:
            with urllib.request.urlopen(replica.url + path, timeout=30) as response:
                assert response.status == 200, path
                bodies[replica.url] = response.read().replace(replica.url.encode(), b"SITE")
        with urllib.request.urlopen(cluster.url + path, timeout=30) as response:
            assert (response.status, response.headers["X-Cache-Status"]) == (200, "MISS"), path
            assert response.headers[REPLICA_HEADER] in cluster.addresses, path
            bodies[cluster.url] = response.read().replace(cluster.url.encode(), b"SITE")  # links on the host
        assert len(bodies) == len(cluster.replicas) + 1 and len(set(bodies.values())) == 1, path
        assert holds in bodies[cluster.url], path


# --- a real browser through the proxy ---------------------------------------------------


def test_a_browser_session_filters_navigates_and_downloads_through_nginx(browser: Browser, cluster: Cluster):
    header = cluster.positions.read_text(encoding="utf-8-sig").splitlines()[0]
    with browser_page(browser, cluster) as (page, answered):
        sockets = []
        page.on("websocket", lambda socket: sockets.append(socket))
        open_view(page, "/")
        expect(main(page).locator("h1")).to_have_text("Troops for the Gaza force")

        troops = page.get_by_test_id("stSidebar").locator("input[aria-label='Minimum troops']")
        troops.fill("1000")
        troops.press("Enter")
        expect(page).to_have_url(re.compile(r"[?&]min_troops=1000(&|$)"))
        wait_for_app(page)
        no_exception(page)

        page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink").filter(
            has=page.get_by_text("Map", exact=True)
        ).click()
        expect(page).to_have_url(re.compile(r"/map\?(.*&)?min_troops=1000(&|$)"))
        wait_for_app(page)
        expect(main(page).locator("h1")).to_have_text("Map of positions")
        expect(troops).to_have_value("1000")
        no_exception(page)

        button = main(page).get_by_role("button", name=re.compile(r"Download these rows \(CSV"))
        with page.expect_download() as download:
            button.click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        wait_for_app(page)
        assert text.splitlines()[0] == header
        assert len(text.splitlines()) > 1

        # Why sticky: the file lives in the memory of the replica that ran the script.
        media = download.value.url
        assert media.startswith(f"{cluster.url}/media/"), media
        serving = answered[0]
        (other,) = set(cluster.addresses) - {serving}
        assert get(media, cluster.pins[serving])[::2] == (serving, 200)
        assert get(media, cluster.pins[other])[::2] == (other, 404)

        # One session: one WebSocket, still open, through nginx; every response from one replica.
        stream = [s for s in sockets if s.url.startswith(cluster.url.replace("http", "ws", 1))]
        assert len(stream) == 1, [s.url for s in sockets]
        assert stream[0].url.endswith("/_stcore/stream")
        assert not stream[0].is_closed()
        expect(page.locator("[data-testid='stApp']")).to_have_attribute(
            "data-test-connection-state", "CONNECTED"
        )
        assert len(answered) > 5
        assert len(set(answered)) == 1, Counter(answered)
        assert answered[0] in cluster.addresses


# --- an append through replica A, read through replica B ------------------------------------


def test_an_append_through_one_replica_shows_in_the_other(browser: Browser, cluster: Cluster):
    replica_a, replica_b = cluster.addresses
    original = cluster.positions.read_bytes()
    header = original.decode("utf-8-sig").splitlines()[0].split(",")

    with browser_page(browser, cluster, pin=replica_b) as (page, answered):
        assert newest_pakistan_statement(page) != "S020"  # B has read (and cached) the ledger
        assert set(answered) == {replica_b}

    with browser_page(browser, cluster, pin=replica_a) as (page, answered):
        open_view(page, "/add")
        expect(form(page).get_by_label("Statement ID (new, never reused)", exact=True)).to_have_value("S020")
        fill_statement(page, "https://example.org/isf-replica-test", EDIT_PASSWORD)
        check_and_preview(page)
        save_button(page).click()
        wait_for_app(page)
        expect(alert(page, "Saved S020")).to_have_text("Saved S020: appended to the ledger.")
        no_exception(page)
        assert set(answered) == {replica_a}

    saved = cluster.positions.read_bytes()
    assert saved.startswith(original)
    assert saved[len(original) :].decode("utf-8") == expected_row(header).replace(
        "isf-browser-test", "isf-replica-test"
    )
    assert (cluster.positions.parent / "positions.csv.lock").exists()  # the writer's lock, beside it

    with browser_page(browser, cluster, pin=replica_b) as (page, answered):  # a fresh session on B
        assert newest_pakistan_statement(page) == "S020"
        no_exception(page)
        assert set(answered) == {replica_b}

    assert load_dataset(cluster.positions).problems == ()
