"""The cache every session shares: computed once per key, least recently used evicted first."""

from __future__ import annotations

from isf_tracker.ui.data import SharedCache


def test_a_key_is_computed_once_and_the_least_recently_used_goes_first():
    cache = SharedCache(max_entries=2)
    calls: list[str] = []

    def compute(key: str):
        return lambda: calls.append(key) or key.upper()

    assert cache.get("a", compute("a")) == "A"
    assert cache.get("b", compute("b")) == "B"
    assert cache.get("a", compute("a")) == "A"  # cached; "a" is now the most recent
    assert cache.get("c", compute("c")) == "C"  # evicts "b", the least recently used
    assert cache.get("a", compute("a")) == "A"
    assert cache.get("b", compute("b")) == "B"  # computed again
    assert calls == ["a", "b", "c", "b"]


def test_clear_forgets_everything():
    cache = SharedCache(max_entries=4)
    cache.get("a", lambda: 1)
    cache.clear()
    assert cache.get("a", lambda: 2) == 2
