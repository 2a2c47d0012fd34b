"""What a page is made of, said once for every medium: neutral blocks built from a view.

A page (`page_content`) is a title, an introduction and a list of these blocks. Two renderers
draw them: `ui.render` with Streamlit for the dashboard, `web.render` as HTML for snapshots and
embeds. Text is plain text everywhere (a renderer escapes it); a link is a `Link` and is drawn
only to an http(s) address. Where a block reads differently by medium (tabs, a table opened on
demand, a widget), the renderer decides, never the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Link:
    """Words that open an address (`url`, checked by the renderer), or another `page` of the same
    view (the dashboard's navigation, a snapshot's link). On its own, a block of one line."""

    words: str
    url: str = ""
    page: str = ""


@dataclass(frozen=True)
class Strong:
    """Words in bold (a list item's lead)."""

    words: str


#: A line of text: plain strings, bold words and links, in order.
Line = tuple[str | Strong | Link, ...]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3  # 2 for a country's name on its profile


@dataclass(frozen=True)
class Text:
    """A paragraph; `strong` for the answer a reader quotes; `caption` for the small print."""

    text: str
    strong: bool = False
    caption: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[Line, ...]
    heading: str = ""  # bold, above the list


@dataclass(frozen=True)
class Notice:
    text: str
    kind: str = "info"  # or "warning"


@dataclass(frozen=True)
class Table:
    """Rows a reader can scan. `rows` builds the table when it is drawn (a closed table costs
    nothing); `links` are the columns holding source addresses; `opened_by` puts the table behind
    a label (an expander in the dashboard, a <details> in a snapshot)."""

    rows: Callable[[], pd.DataFrame]
    opened_by: str = ""
    key: str = ""  # its place in the dashboard's session (expanders and tabs keep their state)
    what: str = "rows"
    links: tuple[str, ...] = ("Source", "Status source")
    columns: tuple[str, ...] = ()
    total: int | None = None


@dataclass(frozen=True)
class Chart:
    """A chart of the registry (`chart_registry`), with its rows as a table alternative, and what a
    narrow screen (a phone) reads in its place when the chart cannot be read there."""

    name: str
    table: Table
    options: tuple[tuple[str, Any], ...] = ()  # beyond the page's own: the country of a profile
    narrow: Block | None = None


@dataclass(frozen=True)
class Card:
    """A short block that wraps on any screen: a first line, the words in quotes, their English,
    the reliability as a badge, and a closing line with links."""

    title: str
    lines: tuple[str, ...] = ()  # after the title on its line
    quote: str = ""
    english: str = ""  # "(our translation)" or "(the outlet's English)" already said
    reliability: str = ""  # a code of vocabulary.RELIABILITIES, drawn as a badge
    footer: Line = ()
    note: str = ""  # e.g. "Corrected by S081: only the correction counts."
    about: tuple[str, str] = ()  # the country and statement it shows, for a reader's suggested correction


@dataclass(frozen=True)
class Chip:
    """A value in a few words (a condition, a role; a stance as a badge, `code` its colour's key);
    tapped, it shows the statement behind it."""

    words: str
    kind: str  # "stance", "condition", "role" or "withdrawn"
    code: str = ""
    statement: Card | None = None


@dataclass(frozen=True)
class ChipRow:
    """One block per country: its name, then labelled groups of chips ("Conditions", …)."""

    title: str
    groups: tuple[tuple[str, tuple[Chip, ...]], ...]


@dataclass(frozen=True)
class Chips:
    rows: tuple[ChipRow, ...]
    note: str = ""  # says when some rows are left out


@dataclass(frozen=True)
class Cards:
    cards: tuple[Card, ...]
    legend: bool = False  # say what the reliability badges mean above them
    heading: str = ""  # bold, above the cards


@dataclass(frozen=True)
class Countries:
    """Countries a reader may open, each a name and a line: the dashboard puts one picker above
    the list (its cost does not grow with the list), a snapshot links each name to its profile."""

    items: tuple[tuple[str, str, str], ...]  # iso3, name, what follows the name


@dataclass(frozen=True)
class Options:
    """Where a page's own options go (`filters.PAGE_OPTIONS`): widgets in the dashboard, their
    values in words in a snapshot."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class Suggest:
    """Where a reader may suggest a correction of a country (or one statement): a small form in the
    dashboard; nothing in a static snapshot, which cannot send one."""

    iso3: str
    statement_id: str = ""


@dataclass(frozen=True)
class Section:
    """Blocks under a label: a tab of the dashboard (one per country), a section of a snapshot."""

    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Tabs:
    sections: tuple[Section, ...]


Block = (
    Heading
    | Text
    | Bullets
    | Notice
    | Table
    | Chart
    | Cards
    | Chips
    | Countries
    | Link
    | Options
    | Tabs
    | Suggest
)


@dataclass(frozen=True)
class Page:
    """A page for one view: what the renderers draw under the page's header (title, the record's
    currency, the filters in words), and what travels with it (its main chart, its download)."""

    name: str
    title: str
    intro: str
    blocks: tuple[Block, ...]
    #: The chart a link preview shows (a PNG of it): the page's own, else the overview's.
    image_chart: tuple[str, str]
    download: str  # the CSV's name
