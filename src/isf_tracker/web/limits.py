"""What keeps renders (snapshots, embeds, images) from starving the readers: a pool of threads of
their own (never Starlette's, which the API and the feed share) with a short queue, a budget of
uncached renders per client, and one cache of the bytes sent, bounded in bytes. `http.rendered`
uses them; their sizes come from the environment (docs/deployment.md, "Render limits").
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

WORKERS_ENV_VAR = "ISF_TRACKER_RENDER_WORKERS"
QUEUE_ENV_VAR = "ISF_TRACKER_RENDER_QUEUE"
BUDGET_ENV_VAR = "ISF_TRACKER_RENDER_BUDGET"
REFILL_ENV_VAR = "ISF_TRACKER_RENDER_PER_MINUTE"
CACHE_ENV_VAR = "ISF_TRACKER_RENDER_CACHE_MB"
WAIT_ENV_VAR = "ISF_TRACKER_RENDER_WAIT_S"
#: Past this many clients, those whose budget is whole again are forgotten.
MAX_CLIENTS = 10_000
#: The pause before refusing a client refused within its Retry-After (`Refusals`).
REFUSAL_PAUSE_S = 0.25
#: The most request addresses whose answer is remembered (`Limits.addresses`): about 700 bytes each.
ADDRESSES = 20_000


class Budget:
    """Each client's uncached renders: a token bucket holding `size` renders, refilled at
    `per_minute`. `clock` (seconds, monotonic) is injected so tests need no sleeps."""

    def __init__(self, size: int, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.per_second, self.clock = size, per_minute / 60, clock
        self._spent: dict[str, tuple[float, float]] = {}  # client -> (renders left, when)
        self._lock = threading.Lock()

    def _left(self, client: str, now: float) -> float:
        left, then = self._spent.get(client, (self.size, now))
        return min(self.size, left + (now - then) * self.per_second)

    def wait(self, client: str) -> float:
        """Seconds until `client` may have one more render drawn: 0 if it may now."""
        with self._lock:
            missing = 1 - self._left(client, self.clock())
        return max(0, missing / self.per_second)

    def spend(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._spent) >= MAX_CLIENTS:
                self._spent = {c: s for c, s in self._spent.items() if self._left(c, now) < self.size}
            self._spent[client] = (self._left(client, now) - 1, now)


class Refusals:
    """When each client was last refused (503, 429). One that asks again before `window_s` (the
    Retry-After it was given) has passed is answered after `pause_s`: a crawler that ignores
    Retry-After is slowed to a few requests a second per connection, at no CPU cost, while its
    first refusal stays quick."""

    def __init__(self, window_s: float, pause_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s, self.pause_s, self.clock = window_s, pause_s, clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def pause(self, client: str) -> float:
        """Seconds to wait before refusing `client` now (0 or `pause_s`); the refusal is noted."""
        with self._lock:
            now = self.clock()
            if len(self._last) >= MAX_CLIENTS:
                self._last = {c: t for c, t in self._last.items() if now - t < self.window_s}
            last, self._last[client] = self._last.get(client), now
        return self.pause_s if last is not None and now - last < self.window_s else 0


class ByteCache:
    """The least recently used values dropped once their sizes add up to more than `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: Hashable, value: Any, size: int) -> Any:
        """Keep `value` (unless it alone is too big) and return it."""
        with self._lock:
            if key in self._items:
                self.size -= self._items.pop(key)[1]
            if size <= self.max_bytes:
                self._items[key] = (value, size)
                self.size += size
            while self.size > self.max_bytes:
                self.size -= self._items.popitem(last=False)[1][1]
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class Pool:
    """`workers` renders at once and at most `queue` waiting, in threads of their own. A render
    of a key already under way is joined, not drawn twice (a viral link)."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers, self.room = workers, workers + queue
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="isf-render")
        self._running: dict[Hashable, Future] = {}
        self._lock = threading.Lock()

    def full(self) -> bool:
        with self._lock:
            return len(self._running) >= self.room

    def running(self, key: Hashable) -> Future | None:
        with self._lock:
            return self._running.get(key)

    def submit(self, key: Hashable, work: Callable[[], Any]) -> Future | None:
        """The render's future, or None when the pool and its queue are full. Its place is free
        again before its result is set (so whoever has the result finds the room)."""

        def run() -> Any:
            try:
                return work()
            finally:
                with self._lock:
                    self._running.pop(key, None)

        with self._lock:
            if len(self._running) >= self.room:
                return None
            future = self._running[key] = self._executor.submit(run)
        return future


@dataclass(frozen=True)
class Limits:
    pool: Pool
    budget: Budget
    cache: ByteCache
    #: How long a request waits for its render before a 503 (the render goes on, and is kept).
    wait_s: float = 6
    #: The Retry-After of a 503: about the time the queue takes to drain.
    busy_retry_s: int = 5
    #: Who was refused when: a client asking again too soon is refused slowly.
    refusals: Refusals = field(default_factory=lambda: Refusals(5, REFUSAL_PAUSE_S))
    #: What each address's last 200 is known by (`http.Known`, each counting 1): a repeat is
    #: answered from it on the event loop; while the pool is full, an address not in it is
    #: answered 503 before its parameters are even read (a crawler's new addresses).
    addresses: ByteCache = field(default_factory=lambda: ByteCache(ADDRESSES))


def setting(environ: Mapping[str, str], name: str, default: int, least: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {raw!r}")
    return int(raw)


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """Renders at once: by default one fewer than the cores, so one is left for the readers."""
    return setting(environ, WORKERS_ENV_VAR, max(1, (os.cpu_count() or 2) - 1), 1)


def from_env(environ: Mapping[str, str] = os.environ) -> Limits:
    count = workers(environ)
    return Limits(
        Pool(count, setting(environ, QUEUE_ENV_VAR, 2 * count, 0)),
        Budget(setting(environ, BUDGET_ENV_VAR, 30, 1), setting(environ, REFILL_ENV_VAR, 20, 1)),
        ByteCache(setting(environ, CACHE_ENV_VAR, 64, 1) * 2**20),
        setting(environ, WAIT_ENV_VAR, 6, 1),
    )
