"""A small HTML builder in which text is escaped unless it was built here.

`Html` marks markup made by this module; anything else given to `el` as a child or an attribute
value is text and is escaped (`html.escape`, quotes included). Tag and attribute names come from
the code, never from the data, and a link from the data points only at an http(s) address
(`safe_href`), so no text of the ledger can open an element, leave an attribute or run a script.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd

#: Characters no page needs: C0 controls other than tab and newlines, and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: Elements with no end tag.
_VOID = frozenset({"meta", "link", "br", "hr", "img", "col", "wbr"})
#: The link words for an address: its host, without "www." (as the dashboard's tables show it).
_HOST = re.compile(r"https?://(?:www\.)?([^/?#]+)", re.IGNORECASE)


class Html(str):
    """Markup built by this module: safe to put in a page as it is."""

    __slots__ = ()


def text(value: Any) -> Html:
    """Any value as HTML text: escaped, unprintable characters removed."""
    return Html(html.escape(_UNPRINTABLE.sub("", str(value)), quote=True))


def _markup(child: Any) -> str:
    if child is None or child is False:
        return ""
    if isinstance(child, Html):
        return child
    if isinstance(child, list | tuple):
        return "".join(_markup(item) for item in child)
    return text(child)


def _attribute(name: str, value: Any) -> str:
    """` name="value"` (a keyword's `_` read as `-`, a trailing one dropped: `class_`, `data_x`)."""
    name = name.rstrip("_").replace("_", "-")
    if value is True:
        return f" {name}"
    return f' {name}="{text(value)}"'


def el(tag: str, *children: Any, **attributes: Any) -> Html:
    """`<tag attributes>children</tag>`: children and attribute values escaped unless `Html`.
    An attribute whose value is None or False is left out."""
    attrs = "".join(
        _attribute(name, value)
        for name, value in attributes.items()
        if value is not None and value is not False
    )
    if tag in _VOID:
        return Html(f"<{tag}{attrs}>")
    return Html(f"<{tag}{attrs}>{_markup(list(children))}</{tag}>")


def join(parts: Iterable[Any], separator: Any = "") -> Html:
    return Html(_markup(separator).join(_markup(part) for part in parts))


def safe_href(url: Any) -> str | None:
    """`url` as a link target if it is an absolute http(s) address, with every character that
    could end or bend it (quotes, angle brackets, spaces, backslashes) percent-encoded; else None."""
    raw = _UNPRINTABLE.sub("", str(url)).strip()
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(raw, safe=":/?#@!$&*+,;=%-._~()[]")


def link(words: Any, url: Any, **attributes: Any) -> Html:
    """A link to `url` reading `words`; the words alone when `url` is not http(s)."""
    target = safe_href(url)
    if target is None:
        return text(words)
    return el("a", words, href=target, **attributes)


def host(url: Any) -> str:
    """ "example.org" for "https://www.example.org/a": how a source's link reads in a table."""
    found = _HOST.match(str(url).strip())
    return found.group(1) if found else str(url)


def source_link(url: Any) -> Html:
    """A source address as a link reading its host (nothing when the cell is empty)."""
    if cell_text(url) == "":
        return Html("")
    return link(host(url), url, rel="noopener noreferrer")


def cell_text(value: Any) -> str:
    """A table cell as text: missing → "", a day → YYYY-MM-DD, numbers as written."""
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def table(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    links: Iterable[str] = (),
    cells: Mapping[str, Any] | None = None,
    caption: Any = None,
) -> Html:
    """`frame` as a table: a header row, then a row per record, every cell escaped. Cells of the
    columns in `links` are source links; `cells` maps a column to a function giving a cell's Html."""
    columns = list(frame.columns if columns is None else columns)
    linked, custom = set(links), dict(cells or {})
    head = el("thead", el("tr", [el("th", column, scope="col") for column in columns]))
    rows = []
    for record in frame[columns].itertuples(index=False, name=None):
        row = []
        for column, value in zip(columns, record, strict=True):
            if column in custom:
                row.append(el("td", custom[column](value)))
            elif column in linked:
                row.append(el("td", source_link(value)))
            else:
                row.append(el("td", cell_text(value)))
        rows.append(el("tr", row))
    return el("table", el("caption", caption) if caption is not None else None, head, el("tbody", rows))


def bullets(items: Iterable[Any], **attributes: Any) -> Html:
    return el("ul", [el("li", item) for item in items], **attributes)


def paragraphs(items: Iterable[Any], **attributes: Any) -> Html:
    return join(el("p", item, **attributes) for item in items)


def document(head: Sequence[Any], body: Sequence[Any], lang: str = "en", **body_attributes: Any) -> bytes:
    """A whole page, as UTF-8 bytes."""
    page = el("html", el("head", *head), el("body", *body, **body_attributes), lang=lang)
    return ("<!DOCTYPE html>\n" + page + "\n").encode("utf-8")
