"""Text from the data is data: escape it before any Streamlit call that renders Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def escape_markdown(text: str) -> str:
    """Every Markdown (and HTML-looking) character shown literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
