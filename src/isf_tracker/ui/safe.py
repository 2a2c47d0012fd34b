"""Text from the data is data: escape it before any Streamlit call that renders Markdown, and
let only http(s) addresses become links."""

from __future__ import annotations

import re

from isf_tracker import links

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def escape_markdown(text: str) -> str:
    """Every Markdown (and HTML-looking) character shown literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def safe_url(url: str) -> str | None:
    """`url` fit for a Markdown link (links.safe_href, brackets encoded too); else None."""
    return links.safe_href(url, links.KEEP_IN_MARKDOWN)


def link(text: str, url: str) -> str:
    """A Markdown link whose words are `text` (escaped); plain escaped text if `url` is not http(s)."""
    target = safe_url(url)
    words = escape_markdown(text)
    return f"[{words}]({target})" if target else words
