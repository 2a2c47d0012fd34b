"""The ledger as an Atom 1.0 feed (RFC 4287): one entry per dated statement, newest first.

Every statement is an entry, corrections included: a correction says which statement it
corrects, and a corrected statement says it was corrected (no view uses it any more). Undated
statements are left out: an entry needs a date, and they are never part of a position.

Built with xml.etree.ElementTree, so every text from the ledger is escaped by the serialiser;
characters XML 1.0 cannot carry at all (control characters) are removed first.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pandas as pd

from isf_tracker import derived, links, share, summary, tables
from isf_tracker.schema import VocabularyEntry

if TYPE_CHECKING:
    from isf_tracker.web.api import Served

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
#: The most entries a feed holds: the newest ones.
MAX_ENTRIES = 200
#: Entry ids are tag: URIs (RFC 4151) on the statement id, which is never reused or changed, so
#: an entry keeps its id whatever host serves it and whichever filters select it.
TAG_PREFIX = "tag:isf-tracker,2025:"
TITLE = "ISF Tracker: statements on the International Stabilization Force for Gaza"
RIGHTS = "Data: CC BY 4.0, ISF Tracker. Quotes remain their authors'; each links to its source."

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can hold: control characters and lone surrogates removed."""
    return _NOT_XML.sub("", str(value))


def atom_time(day: dt.date | dt.datetime) -> str:
    """RFC 3339 in UTC; a day is its midnight."""
    if not isinstance(day, dt.datetime):
        day = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return day.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_statements(statements: pd.DataFrame, added_on: Mapping[str, dt.date]) -> pd.DataFrame:
    """The dated statements an entry is made for, with the day each last changed (`changed`):
    its own day, the day a review added it, or the day its correction was added (`added_on`,
    from the review log). Newest change first, then newest statement, then later in the file
    (rows are appended, so a later row is newer); at most MAX_ENTRIES."""
    dated = statements[statements["date"].notna()].copy()
    added = pd.to_datetime(pd.Series(dict(added_on), dtype=object))

    def day_added(ids: pd.Series) -> pd.Series:
        return ids.map(added) if len(added) else pd.Series(pd.NaT, index=ids.index)

    dated["changed"] = pd.concat(
        [dated["date"], day_added(dated["statement_id"]), day_added(dated["superseded_by"])], axis=1
    ).max(axis=1)
    order = ["changed", "date", "line"]
    return dated.sort_values(order, ascending=[False] * 3, kind="stable").head(MAX_ENTRIES)


def _add(parent: ET.Element, name: str, text: object | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _cell(value: Any) -> str:
    return "" if tables.is_blank(value) else str(value)


def entry_title(statement: Mapping[str, Any]) -> str:
    """ "Indonesia: Offered, maximum of 20,000"; a correction and a corrected row say so."""
    what = tables.status_label(statement["status"], missing="Statement")
    figure = _cell(statement["troops_as_stated"])
    title = f"{statement['country']}: {what}" + (f", {figure}" if figure else "")
    if _cell(statement["supersedes"]):
        title = f"Correction of {statement['supersedes']} · {title}"
    if _cell(statement["superseded_by"]):
        title += f" (corrected by {statement['superseded_by']})"
    return title


def entry_summary(
    statement: Mapping[str, Any], vocabularies: Mapping[str, Mapping[str, VocabularyEntry]]
) -> str:
    """The statement in plain text: who said what, the position it states, the source."""
    lines = []
    quote = _cell(statement["quote"])
    lines.append(f"{statement['speaker']}: “{quote}”" if quote else f"{statement['speaker']}.")
    position = [f"Status: {tables.status_label(statement['status'])}",
                f"Disarming Hamas: {tables.stance_label(statement['disarmament'])}"]  # fmt: skip
    if figure := _cell(statement["troops_as_stated"]):
        position.insert(1, f"Troops: {figure}")
    lines.append(" · ".join(position))
    for column, words in (("conditions", "Conditions"), ("roles", "Roles")):
        if statement[column]:
            lines.append(f"{words}: {tables.labels(statement[column], vocabularies[column])}")
    precision = _cell(statement["date_precision"])
    dated = statement["date"].date().isoformat() + (f" ({precision})" if precision not in ("", "day") else "")
    reliability = tables.reliability_label(statement["reliability"])
    lines.append(f"Source: {statement['source_outlet']}, {dated}, {reliability.lower()}.")
    if _cell(statement["supersedes"]):
        lines.append(f"This row corrects statement {statement['supersedes']}.")
    if _cell(statement["superseded_by"]):
        lines.append(f"Corrected by statement {statement['superseded_by']}: no view uses this row any more.")
    return "\n".join(lines)


def _entry(feed: ET.Element, statement: Mapping[str, Any], site: str, vocabularies: Mapping) -> None:
    day = statement["date"].date()
    query = {"country": [statement["iso3"]], "as_of": [day.isoformat()]}
    page = share.address(site, "/country", query)  # its country's profile as of its date
    entry = _add(feed, "entry")
    _add(entry, "id", f"{TAG_PREFIX}statement:{statement['statement_id']}")
    _add(entry, "title", entry_title(statement), type="text")
    _add(entry, "published", atom_time(day))
    _add(entry, "updated", atom_time(statement["changed"].date()))
    _add(entry, "link", rel="alternate", type="text/html", href=page)
    if source := links.safe_href(statement["source_url"]):
        _add(entry, "link", rel="related", type="text/html", href=source, title=statement["source_outlet"])
    _add(entry, "summary", entry_summary(statement, vocabularies), type="text")
    _add(entry, "category", term=statement["iso3"], label=statement["country"])
    reliability = statement["reliability"]
    _add(entry, "category", term=reliability, label=tables.reliability_label(reliability))
    if _cell(statement["supersedes"]):
        _add(entry, "category", term="correction", label="Correction")


def atom_feed(served: Served) -> bytes:
    """The feed of the view's statements: at most MAX_ENTRIES, newest change first. An entry is
    `published` on its statement's day and `updated` on the day it last changed
    (`feed_statements`), so a late row or a correction reaches feed readers as news."""
    data, site = served.data, served.site
    said = summary.answer(derived.answer(served.key)).lead
    # the record last changed when its files did (the shipped vocabularies always have a time)
    changed = dt.datetime.fromtimestamp(derived.last_modified(served.key.version), dt.UTC)
    feed = ET.Element("feed", xmlns=ATOM_NS)  # the default namespace, declared once: no prefixes
    query = urlencode(served.query, doseq=True)
    _add(feed, "id", f"{TAG_PREFIX}feed" + (f"?{query}" if query else ""))
    _add(feed, "title", TITLE, type="text")
    _add(feed, "subtitle", f"{said} · data version {derived.data_version(served.key.version)}", type="text")
    _add(feed, "updated", atom_time(changed))
    _add(feed, "link", rel="self", type="application/atom+xml", href=served.url)
    _add(feed, "link", rel="alternate", type="text/html", href=share.address(site, "/", served.query))
    _add(_add(feed, "author"), "name", "ISF Tracker")
    _add(feed, "rights", RIGHTS, type="text")
    _add(feed, "generator", "ISF Tracker")
    for statement in feed_statements(served.view.statements, data.added_on()).to_dict("records"):
        _entry(feed, statement, site, data.vocabularies)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
