"""The render limits (web/limits.py, http.rendered): the budget on an injected clock, the pool's
room, the byte-bounded cache, and the 429 and 503 a reader gets, with what they say."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from isf_tracker.web import convert, http, images, limits, render, routes, views

SNAPSHOT, OTHER, THIRD = "/s/overview?country=PAK", "/s/overview?country=IDN", "/s/overview?country=EGY"
IMAGE = "/img/map/map.png?country=PAK"


class Clock:
    """Seconds, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """Renders stubbed (cheap, counted): each snapshot and PNG drawn is listed."""
    made: list[str] = []

    def snapshot(view, site):
        made.append(f"snapshot {view.countries()}")
        return f"<p>{view.countries()}</p>".encode()

    def png(view, chart, *_args):
        made.append(f"png {chart}")
        return b"\x89PNG"

    monkeypatch.setattr(render, "snapshot", snapshot)
    monkeypatch.setattr(images, "image_png", png)
    return made


def use(monkeypatch, clock: Clock, budget: int = 2, workers: int = 1, queue: int = 0) -> limits.Limits:
    chosen = limits.Limits(
        limits.Pool(workers, queue),
        limits.Budget(budget, 6, clock),
        limits.ByteCache(2**20),
        refusals=limits.Refusals(5, 0, clock),
    )
    monkeypatch.setattr(http, "LIMITS", chosen)
    monkeypatch.setattr(convert, "draw", lambda build: build())  # here, where the stubs are
    return chosen


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=routes.routes()))


def test_the_budget_refills_at_its_rate_and_never_past_its_size(clock):
    budget = limits.Budget(2, 6, clock)  # one render every 10 s
    assert budget.wait("a") == 0
    budget.spend("a")
    budget.spend("a")
    assert budget.wait("a") == pytest.approx(10)
    assert budget.wait("b") == 0  # another client's budget is its own
    clock.now += 4
    assert budget.wait("a") == pytest.approx(6)
    clock.now += 6
    assert budget.wait("a") == 0
    clock.now += 3600  # a long pause fills the budget, no more
    budget.spend("a")
    budget.spend("a")
    assert budget.wait("a") == pytest.approx(10)


def test_the_cache_drops_the_least_recently_used_by_bytes():
    cache = limits.ByteCache(10)
    cache.put("a", b"aaaa", 4)
    cache.put("b", b"bbbb", 4)
    assert cache.get("a") == b"aaaa"  # now b is the least recently used
    cache.put("c", b"cccc", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"aaaa", None, b"cccc")
    assert cache.size == 8 and len(cache) == 2
    cache.put("huge", b"x" * 11, 11)  # more than the whole cache: not kept, nothing dropped for it
    assert cache.get("huge") is None and len(cache) == 2
    cache.put("a", b"a" * 10, 10)  # replaced, the rest dropped to make room
    assert cache.size == 10 and cache.get("c") is None


def test_a_client_refused_again_within_its_retry_after_is_refused_after_a_pause(clock):
    refusals = limits.Refusals(5, 0.25, clock)
    assert refusals.pause("a") == 0  # the first refusal is quick
    clock.now += 1
    assert (refusals.pause("a"), refusals.pause("b")) == (0.25, 0)  # asked again too soon; b is new
    clock.now += 5
    assert refusals.pause("a") == 0  # it waited as long as it was told


def test_a_full_pool_refuses_and_a_running_render_is_joined():
    pool, held = limits.Pool(1, 1), threading.Event()
    try:
        first = pool.submit("a", held.wait)
        assert pool.running("a") is first
        assert pool.submit("b", held.wait) is not None  # the queue's one place
        assert pool.submit("c", held.wait) is None
    finally:
        held.set()
    first.result()
    assert pool.submit("c", lambda: "drawn").result() == "drawn"


def test_sizes_come_from_the_environment():
    chosen = limits.from_env({limits.WORKERS_ENV_VAR: "3", limits.QUEUE_ENV_VAR: "0",
                              limits.BUDGET_ENV_VAR: "5", limits.REFILL_ENV_VAR: "12",
                              limits.CACHE_ENV_VAR: "2"})  # fmt: skip
    assert (chosen.pool.workers, chosen.pool.room) == (3, 3)
    assert (chosen.budget.size, chosen.budget.per_second * 60) == (5, 12)
    assert chosen.cache.max_bytes == 2 * 2**20
    assert limits.from_env({}).pool.workers == max(1, (limits.os.cpu_count() or 2) - 1)
    refused = {limits.WORKERS_ENV_VAR: "0", limits.REFILL_ENV_VAR: "0", limits.QUEUE_ENV_VAR: "-1"}
    for name, value in refused.items():
        with pytest.raises(ValueError, match=name):
            limits.from_env({name: value})


def test_a_spent_budget_is_a_429_saying_when_to_come_back(client, monkeypatch, clock, drawn):
    use(monkeypatch, clock, budget=1)
    assert client.get(SNAPSHOT).status_code == 200
    refused = client.get(OTHER)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "10"
    assert refused.headers["cache-control"] == "no-store"
    assert refused.headers["content-type"] == "text/html; charset=utf-8"
    assert "Too many requests" in refused.text and "try again in 10 s" in refused.text
    assert "default-src 'none'" in refused.headers["content-security-policy"]
    image = client.get(IMAGE)
    assert (image.status_code, image.headers["content-type"]) == (429, "text/plain; charset=utf-8")
    assert image.text.startswith("This address has asked for many pages and images")
    clock.now += 10
    assert client.get(OTHER).status_code == 200
    assert drawn == ["snapshot ['PAK']", "snapshot ['IDN']"]


def test_repeats_and_304s_spend_no_budget(client, monkeypatch, clock, drawn):
    use(monkeypatch, clock, budget=2)
    first = client.get(SNAPSHOT)
    again = client.get(SNAPSHOT)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert client.get(SNAPSHOT, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert client.get(OTHER).status_code == 200  # the second render of two
    assert client.get(THIRD).status_code == 429
    assert drawn == ["snapshot ['PAK']", "snapshot ['IDN']"]


def test_a_full_pool_is_a_quick_503_and_the_api_still_answers(client, monkeypatch, clock, drawn):
    chosen, held = use(monkeypatch, clock, workers=1, queue=0), threading.Event()
    try:
        under_way = chosen.pool.submit("a render under way", held.wait)
        busy = client.get(SNAPSHOT)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "5" and busy.headers["cache-control"] == "no-store"
        assert busy.headers["content-type"] == "text/html; charset=utf-8"
        assert "Busy" in busy.text and "try again in 5 s" in busy.text
        image = client.get(IMAGE)
        assert (image.status_code, image.headers["content-type"]) == (503, "text/plain; charset=utf-8")
        assert client.get("/api/v1/positions.json?country=PAK").status_code == 200
        assert client.get("/feed.atom").status_code == 200
    finally:
        held.set()
    under_way.result()  # its place is free again
    assert drawn == []
    assert chosen.budget.wait("testclient") == 0  # a 503 spent nothing
    chosen.refusals.pause_s = 0.25
    assert chosen.refusals.pause("testclient") == 0.25  # but was noted: the next is refused slowly
    assert client.get(SNAPSHOT).status_code == 200


def test_a_cached_render_is_served_while_the_pool_is_full(client, monkeypatch, clock, drawn):
    chosen, held = use(monkeypatch, clock, workers=1, queue=0), threading.Event()
    first = client.get(SNAPSHOT)
    read, read_view = [], views.read
    monkeypatch.setattr(views, "read", lambda asked, *a: read.append(asked.path) or read_view(asked, *a))
    try:
        chosen.pool.submit("a render under way", held.wait)
        assert client.get(SNAPSHOT).content == first.content
        assert client.get(OTHER).status_code == 503
        assert read == []  # the repeat is answered from what is known, the new address refused unread
    finally:
        held.set()


def test_a_render_too_slow_is_a_503_and_kept_for_the_retry(client, monkeypatch, clock):
    chosen, held, made = use(monkeypatch, clock, budget=1), threading.Event(), []

    def slow(view, site):
        held.wait()
        made.append(view)
        return b"<p>drawn at last</p>"

    monkeypatch.setattr(render, "snapshot", slow)
    monkeypatch.setattr(http, "LIMITS", dataclasses.replace(chosen, wait_s=0))
    try:
        late = client.get(SNAPSHOT)
        assert (late.status_code, late.headers["retry-after"]) == (503, "5")
    finally:
        held.set()
    monkeypatch.setattr(http, "LIMITS", dataclasses.replace(chosen, wait_s=60))
    assert client.get(SNAPSHOT).text == "<p>drawn at last</p>"  # joined, or kept: not drawn again
    assert len(made) == 1  # and the retry spent no budget (it held one render)


def test_a_render_that_fails_is_a_500_without_a_traceback(client, monkeypatch, clock):
    use(monkeypatch, clock)
    monkeypatch.setattr(render, "snapshot", lambda *_: 1 / 0)
    failed = client.get(SNAPSHOT)
    assert (failed.status_code, failed.headers["cache-control"]) == (500, "no-store")
    assert "Traceback" not in failed.text and "ZeroDivisionError" not in failed.text


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        (SNAPSHOT, "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"),
        (IMAGE, "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"),
        ("/embed/map?country=PAK", "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"),
        ("/api/v1/statements.csv", "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"),
        ("/feed.atom", "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"),
        ("/s/snapshot.css", "public, max-age=86400, stale-while-revalidate=604800, stale-if-error=604800"),
        ("/s/nowhere", "no-store"),
        ("/api/v1/statements.json?country=XXX", "no-store"),
    ],
)
def test_every_route_says_how_long_it_may_be_kept(client, monkeypatch, clock, drawn, path, kept):
    use(monkeypatch, clock)
    monkeypatch.setattr(render, "embed", lambda *_: b"<p>embed</p>")
    assert client.get(path).headers["cache-control"] == kept


def test_the_client_key_is_the_address_behind_a_trusted_proxy_only(monkeypatch):
    """The budget is a client's, not the proxy's: X-Forwarded-For counts only from a trusted peer."""
    from starlette.requests import Request

    def request(peer: str | None, forwarded: str | None = None) -> Request:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return Request({"type": "http", "headers": headers, "client": (peer, 1234) if peer else None})

    assert http.client_key(request(None)) == "unknown"
    assert http.client_key(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"  # untrusted: ignored
    monkeypatch.setenv("ISF_TRACKER_TRUSTED_PROXIES", "127.0.0.1")
    assert http.client_key(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"
    assert http.client_key(request("127.0.0.1", "198.51.100.2")) != http.client_key(
        request("127.0.0.1", "198.51.100.1")
    )
