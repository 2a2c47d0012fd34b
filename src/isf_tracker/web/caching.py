"""The validators (ETag, Last-Modified) that let a client ask again for nothing (HTTP 304).
The data version they are built from is the core's (`derived.data_version`)."""

from __future__ import annotations

import email.utils
import hashlib


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
