"""What a response says about the data behind it: its version, when it last changed, and the
validators (ETag, Last-Modified) that let a client ask again for nothing (HTTP 304).

The version is the Data Package's release (`data/datapackage.json`, "version") plus a short
hash of the files' signatures (`derived.current_version()`: path, mtime, size), so an append
to the ledger between releases is a new version too.
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import json
from pathlib import Path

from isf_tracker.ledger import companion_path
from isf_tracker.ui.derived import Version

DATAPACKAGE_FILE = "datapackage.json"
#: The release named when no descriptor can be read (a ledger without one, a broken file).
UNRELEASED = "0.0.0"


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def descriptor_path(version: Version) -> Path:
    """The descriptor beside the ledger, else the shipped one (as for the vocabularies)."""
    return companion_path(Path(version[0][0]), DATAPACKAGE_FILE)


@functools.lru_cache(maxsize=8)
def _release(signature: tuple[str, int, int]) -> str:
    try:
        release = json.loads(Path(signature[0]).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return UNRELEASED
    return release if isinstance(release, str) and release.strip() else UNRELEASED


def release(version: Version) -> str:
    """The Data Package's "version" (read again only when the descriptor changes)."""
    return _release(_stat(descriptor_path(version)))


def data_version(version: Version) -> str:
    """ "1.1.0+3f2a9c1d": the release, and which state of the files it was read from."""
    files = hashlib.sha256(repr(version).encode("utf-8")).hexdigest()[:8]
    return f"{release(version)}+{files}"


def last_modified(version: Version) -> float | None:
    """When the newest of the data files (ledger, vocabularies, descriptor) last changed, in
    seconds since the epoch; None when none can be read."""
    signatures = (*version, _stat(descriptor_path(version)))
    times = [mtime_ns for _, mtime_ns, _ in signatures if mtime_ns >= 0]
    return max(times) / 1e9 if times else None


def http_date(seconds: float) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


def etag(*parts: str) -> str:
    """A weak validator for the representation described by `parts` (version, day, URL): weak,
    because Streamlit's gzip middleware may re-encode the bytes on the way out."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def matches(if_none_match: str, tag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): any listed tag, or `*`, matches."""
    listed = [part for part in if_none_match.split(",") if part.strip()]
    return any(part.strip() == "*" or _opaque(part) == _opaque(tag) for part in listed)


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, tag: str, modified: float | None
) -> bool:
    """Whether a conditional GET may be answered 304. If-None-Match decides when it is sent;
    If-Modified-Since only when it is not (RFC 9110 §13.2.2)."""
    if if_none_match is not None:
        return matches(if_none_match, tag)
    if if_modified_since is None or modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None or since.tzinfo is None:
        return False
    return int(modified) <= since.timestamp()
