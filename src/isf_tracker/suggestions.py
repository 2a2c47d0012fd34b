"""Readers' suggested corrections: checked, limited per client, and appended to suggestions.csv
beside the ledger (never to it), with the writer's lock and atomic replace. An editor lists them on
the editor's page and turns one into a statement through the same form and checks as any row."""

from __future__ import annotations

import collections
import datetime as dt
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from isf_tracker import writer
from isf_tracker.csvfile import read_table
from isf_tracker.datapackage import RESOURCE
from isf_tracker.schema import SUGGESTION_LIMITS, Suggestion

COLUMNS = tuple(Suggestion.model_fields)
#: What a reader types: the rest (id, time, what it is about) the page fills in.
TYPED = ("source_url", "quote", "note")
#: Per client (its session, its address): at most this many suggestions in WINDOW_S seconds.
PER_WINDOW, WINDOW_S = 5, 60.0
#: Text that would be markup somewhere: an HTML tag or comment, or an entity.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&[#a-zA-Z0-9]+;")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def path_beside(positions: Path) -> Path:
    return positions.parent / RESOURCE["suggestions"].path


def problems(typed: Mapping[str, str]) -> dict[str, str]:
    """What stops a suggestion, field → a message a reader can act on (empty: it can be saved)."""
    found = {}
    for name in TYPED:
        text, limit = typed.get(name) or "", SUGGESTION_LIMITS[name]
        if len(text) > limit:
            found[name] = (
                f"is {len(text):,} characters long; at most {limit:,}, please: keep the words that matter"
            )
        elif MARKUP.search(text) or CONTROL.search(text):
            found[name] = "holds markup or control characters (such as <…> or &…;); write plain text"
    if "source_url" not in found and not re.match(
        r"https?://[^\s/?#]+\.\S*$", typed.get("source_url") or "", re.I
    ):
        found["source_url"] = "must be a full web address starting with http:// or https://"
    if not found and not (typed.get("quote") or typed.get("note")):
        found["note"] = "is empty: give the words from the source, or say what is wrong"
    return found


def record(typed: Mapping[str, str], iso3: str, statement_id: str, now: dt.datetime) -> dict[str, str]:
    """The row to append, checked by the Data Package's model (what the descriptor promises)."""
    stamp = now.astimezone(dt.UTC)
    row = {"suggestion_id": f"{stamp:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}",
           "received": f"{stamp:%Y-%m-%dT%H:%M:%SZ}", "iso3": iso3, "statement_id": statement_id,
           **{name: (typed.get(name) or "").strip() for name in TYPED}}  # fmt: skip
    Suggestion.model_validate(row)
    return row


def save(path: Path, row: Mapping[str, str]) -> str | None:
    """Append the row; None when written, else why nothing was."""
    return writer.append_rows(path, [row], COLUMNS)


def listed(path: Path) -> list[dict[str, str]]:
    """The valid suggestions, newest first (a row that fails the model is left out, never shown)."""
    rows = []
    for line, values in read_table(path, COLUMNS).rows if path.exists() else []:
        try:
            Suggestion.model_validate(values)
        except ValidationError:
            continue
        rows.append({**values, "line": str(line)})
    return sorted(rows, key=lambda row: row["received"], reverse=True)


class RateLimit:
    """At most `limit` suggestions per `window_s` seconds for each key (a session, an address),
    shared by every session of the server process; the clock is injectable for tests."""

    def __init__(self, limit: int = PER_WINDOW, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._times: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, keys: Sequence[str]) -> float:
        """0 and the suggestion counted when every key may send one now; else how long to wait."""
        now = self._clock()
        with self._lock:
            for times in (self._times.setdefault(key, collections.deque()) for key in keys):
                while times and times[0] <= now - self.window_s:
                    times.popleft()
            waits = [
                self._times[key][0] + self.window_s - now
                for key in keys
                if len(self._times[key]) >= self.limit
            ]
            if waits:
                return max(waits)
            for key in keys:
                self._times[key].append(now)
            return 0.0


LIMIT = RateLimit()
