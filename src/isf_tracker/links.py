"""The one check a link from the data passes before it is drawn anywhere (the dashboard, a
snapshot, a feed): only an absolute http(s) address, with every character that could end or bend
it percent-encoded."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

#: Characters no page needs: C0 controls other than tab and newlines, and lone surrogates.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


#: What may stay as it is in an address: everything but quotes, angle brackets, spaces and
#: backslashes; in Markdown, brackets and parentheses too (they would end the link).
KEEP = ":/?#@!$&*+,;=%-._~()[]"
KEEP_IN_MARKDOWN = ":/?#@!$&'*+,;=%-._~"


def safe_href(url: object, keep: str = KEEP) -> str | None:
    """`url` as a link target if it is an absolute http(s) address (quotes, angle brackets,
    spaces and backslashes percent-encoded); else None."""
    raw = UNPRINTABLE.sub("", str(url)).strip()
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(raw, safe=keep)
