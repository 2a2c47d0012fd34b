"""A page of `page_content` drawn with Streamlit: the dashboard's renderer of the page model.

Where a block reads differently here than in a snapshot, this module decides: a chart comes with
a tab holding its table, a table behind a label is an expander built only while open, a country's
card opens its profile, the page's own options are widgets (their values in the URL). What a page
sends stays bounded however long the ledger grows: tables show at most TABLE_ROWS rows (the
download, built only when clicked, has them all); chart specs and tables come from `derived`.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Any

import streamlit as st

from isf_tracker import blocks, chart_registry, derived, export, links, page_content, paths, summary
from isf_tracker import vocabulary as words
from isf_tracker.blocks import Block, Card, Line, Link, Strong
from isf_tracker.derived import TABLE_ROWS
from isf_tracker.page_content import Asked
from isf_tracker.ui import share_panel, suggest
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import Context, context, filter_chips, page_options

#: Which containers show on a phone and which on a desktop (CSS media queries; see the file).
STYLESHEET = f"<style>{(Path(__file__).parent / 'phone.css').read_text(encoding='utf-8')}</style>"
#: A table with more columns than this says that more lie to the right (a phone shows about three).
SCROLL_CUE_AFTER = 3
ICONS = {"info": ":material/info:", "warning": ":material/warning:"}
SOURCE_LINK = st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/]+)")
#: A troop figure's column is wide enough for its leading words ("up to 8,000"): on a phone,
#: beside the pinned label column (Country, Task), the number is never cut.
FIGURE = st.column_config.TextColumn(width=170)
#: How a table's columns are shown in the dashboard (the rest as Streamlit chooses).
COLUMN_STYLE = {
    "Country": st.column_config.TextColumn(pinned=True, width=100),
    "Task": st.column_config.TextColumn(pinned=True, width=120),
    **dict.fromkeys(("Troops", "Troops on record", "Troops reported", "Troops unconfirmed"), FIGURE),
    "Quote": st.column_config.TextColumn(width="large"),
    "Quote in English": st.column_config.TextColumn(width="large"),
    "Conditions": st.column_config.TextColumn(width="large"),
    "Iso3": None,
}


def page(name: str) -> None:
    """Draw the page `name` for the view in the address bar, the citation under it."""
    ctx = context()
    st.html(STYLESHEET)  # only a <style>: Streamlit puts it where it takes no space
    share_slot = _header(ctx, page_content.spec(name))
    asked = Asked(name, ctx.key, page_options(ctx, name))  # under the header
    with share_slot:  # at the top, drawn once the page's options are in the view's link
        share_panel.panel(ctx, name)
    if name == "changes":
        _window_presets(asked)
    built = page_content.build(asked)
    for block in built.blocks:
        draw(ctx, block, asked.options)
    dated = summary.sentence_case(summary.dated_phrase(ctx.view.dated, ctx.view.as_of_set))
    st.caption(escape_markdown(f"{dated}. Source: ISF Tracker ledger, {len(ctx.view.statements)} sourced "
                               "public statements; every statement links to its source."))  # fmt: skip
    if built.download:
        _download(ctx, built.download, asked)


def _header(ctx: Context, spec: page_content.PageSpec) -> Any:
    """The title; the view's filters as chips and a place for the "Share and export" panel (both
    on a phone's first screen), which it returns; how current the record is, on every page, in
    body text (a notice when it is over 90 days old; a view of an earlier day says that day
    instead); the intro; the filters in words."""
    st.title(spec.title)
    filter_chips(ctx)
    share_slot = st.container()
    currency = escape_markdown(derived.currency(ctx.key.version, ctx.key.today))
    if ctx.view.as_of_set:
        then = ctx.view.record_date
        latest = f" (its latest statement then: {summary.day_words(then)})" if then else ""
        st.info(f"The record as it stood on {summary.day_words(ctx.view.as_of)}{latest}. Choose "
                "**↺ latest** above for the latest record.", icon=":material/history:")  # fmt: skip
    elif summary.is_stale(derived.record_date(ctx.key.version), ctx.key.today):
        st.warning(f"{currency} Positions may have changed since.", icon=":material/schedule:")
    else:
        st.markdown(currency)
    if spec.intro:
        st.markdown(spec.intro)
    st.caption(escape_markdown(ctx.view.description))
    return share_slot


def _window_presets(asked: Asked) -> None:
    """A button per preset window of What changed: it puts the window's days in the date boxes."""

    def chosen(start: Any, end: Any) -> None:
        st.session_state.update({"from": start, "to": end})

    presets = page_content.window_presets(asked)
    for column, (label, start, end) in zip(st.columns(len(presets)), presets, strict=True):
        current = (asked.options.get("from"), asked.options.get("to")) == (start, end)
        column.button(label, on_click=chosen, args=(start, end), key=f"window-{start}-{end}", width="stretch",
                      type="primary" if current else "secondary")  # fmt: skip


def _download(ctx: Context, name: str, asked: Asked) -> None:
    """The page's rows as CSV (the view's statements when the page names none), built only when clicked."""

    def rows() -> bytes:
        made = page_content.spec(asked.page).rows(asked)
        return export.csv_bytes(export.ledger_rows(ctx.view.statements) if made is None else made)

    st.download_button("Download these rows (CSV)", data=rows, mime="text/csv", icon=":material/download:",
                       file_name=f"isf-tracker-{name}-{ctx.view.dated.isoformat()}.csv",
                       key=f"download-{name}", on_click="ignore")  # fmt: skip


@functools.lru_cache(maxsize=4096)
def line(parts: Line) -> str:
    """A line of the model as Markdown, written once: text escaped, bold words bold, links http(s)."""
    out = []
    for part in parts:
        if isinstance(part, Link):
            out.append(link(part.words, part.url))
        elif isinstance(part, Strong):
            out.append(f"**{escape_markdown(part.words)}**")
        else:
            out.append(escape_markdown(part))
    return "".join(out)


def draw(ctx: Context, block: Block, options: dict[str, Any]) -> None:
    match block:
        case blocks.Heading(level=2):
            st.header(block.text)
        case blocks.Heading():
            st.subheader(block.text)
        case blocks.Text(strong=True):
            st.markdown(f"**{escape_markdown(block.text)}**")
        case blocks.Text(caption=True):
            st.caption(escape_markdown(block.text))
        case blocks.Text():
            st.markdown(escape_markdown(block.text))
        case blocks.Bullets():
            lead = f"**{escape_markdown(block.heading)}**\n\n" if block.heading else ""
            st.markdown(lead + "\n".join(f"- {line(item)}" for item in block.items))
        case blocks.Notice():
            notice = st.warning if block.kind == "warning" else st.info
            notice(escape_markdown(block.text), icon=ICONS[block.kind])
        case blocks.Chart(narrow=None):
            _chart(ctx, block, options)
        case blocks.Chart():  # the chart above 700 px, what a phone reads in its place below
            with st.container(key=f"wide-{block.name}"):
                _chart(ctx, block, options)
            with st.container(key=f"narrow-{block.name}"):
                draw(ctx, block.narrow, options)
        case blocks.Chips():
            if block.note:
                st.caption(escape_markdown(block.note))
            st.html(chips_html(block))
        case blocks.Table():
            _table(block)
        case blocks.Cards():
            _cards(block)
        case blocks.Countries():
            _countries(block)
        case Link(page=""):
            st.markdown(line((block,)))
        case Link():
            page = str(paths.pages_dir() / f"{block.page}.py")  # the view's filters travel with it
            st.page_link(page, label=block.words, icon=":material/list:", query_params=ctx.shared_query())
        case blocks.Tabs():
            for tab, section in zip(st.tabs([s.label for s in block.sections]), block.sections, strict=True):
                with tab:
                    for inner in section.blocks:
                        draw(ctx, inner, options)
        case blocks.Suggest():
            suggest.button(block.iso3, block.statement_id)
        case blocks.Options():
            pass  # drawn under the header, before the page was built from their values


def _chart(ctx: Context, block: blocks.Chart, options: dict[str, Any]) -> None:
    """A chart with its table beside it, in a tab; only the open tab is built and sent
    (on_change="rerun"). The spec is cached (`derived`); Streamlit converts its datasets."""
    chosen = {**options, **dict(block.options)}
    key = f"{block.name}-{chosen['country']}" if chosen.get("country") else block.name

    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"tabs-{key}", on_change="rerun")
    if chart_tab.open:
        with chart_tab:
            spec = chart_registry.by_name(block.name).spec(ctx.key, chosen)
            st.vega_lite_chart(spec, width="stretch", key=f"chart-{key}")
    if table_tab.open:
        with table_tab:
            _table(block.table)


def _table(block: blocks.Table) -> None:
    """At most TABLE_ROWS rows, saying so when some are left out. A table behind a label is in an
    expander built only while open (on_change="rerun"): a page opened from a link does not load
    the data grid's code (1.3 MB) for a secondary table it does not show."""

    def shown() -> None:
        rows = block.rows()
        total = len(rows) if block.total is None else block.total
        if total > TABLE_ROWS:
            st.caption(f"Showing the first {TABLE_ROWS:,} of {total:,} {block.what}. Narrow the filters to "
                       "see the others here; the CSV download below has them all.")  # fmt: skip
        columns = {**COLUMN_STYLE, **{column: SOURCE_LINK for column in block.links}}
        shown_rows = rows[list(block.columns)] if block.columns else rows
        if (drawn := sum(columns.get(c, "") is not None for c in shown_rows.columns)) > SCROLL_CUE_AFTER:
            st.caption(f":material/swipe_right: {drawn} columns: on a narrow screen, "
                       "scroll the table sideways for those on the right.")  # fmt: skip
        st.dataframe(shown_rows.head(TABLE_ROWS), hide_index=True, width="stretch", column_config=columns)

    if not block.opened_by:
        shown()
        return
    box = st.expander(block.opened_by, key=block.key, on_change="rerun", icon=":material/table:")
    if box.open:
        with box:
            shown()


def _badge(reliability: str) -> str:
    """The reliability as a coloured badge (Markdown; the label is ours, never the data's)."""
    term = words.reliability(reliability)
    return f":{term.color}-badge[{term.label}]"


def _cards(block: blocks.Cards) -> None:
    if block.legend and block.cards:  # what the badges mean, once per page that shows them
        st.caption(
            " · ".join(f"{_badge(code)} {words.RELIABILITY_MEANINGS[code]}" for code in words.RELIABILITIES)
        )
    if block.heading:
        st.markdown(f"**{escape_markdown(block.heading)}**")
    for card in block.cards:
        with st.container(border=True):
            st.markdown(card_markdown(card))
            if card.note:
                st.caption(f":material/history: {escape_markdown(card.note)}")
            if card.about:
                suggest.button(*card.about)


def _countries(block: blocks.Countries) -> None:
    names = {iso3: name for iso3, name, _ in block.items}

    def chosen() -> None:
        st.session_state["country"] = [st.session_state["open-country"]]

    st.selectbox("Open a country's profile", list(names), format_func=names.get, index=None,
                 key="open-country", placeholder="Choose a country", on_change=chosen)  # fmt: skip
    items = (f"- **{escape_markdown(name)}** · {escape_markdown(said)}" for _, name, said in block.items)
    st.markdown("\n".join(items))


@functools.lru_cache(maxsize=1024)
def card_markdown(card: Card) -> str:
    """A card's lines as one Markdown element, written once: one element per card, not four."""
    rest = "".join(f" · {escape_markdown(text)}" for text in card.lines)
    badge = f"{_badge(card.reliability)} " if card.reliability else ""
    quote, english = escape_markdown(card.quote), escape_markdown(card.english)
    parts = (f"**{escape_markdown(card.title)}**{rest}", quote and f"“{quote}”", english and f"*{english}*",
             card.footer and badge + line(card.footer))  # fmt: skip
    return "\n\n".join(filter(None, parts))


def _said_html(card: Card) -> str:
    """The statement behind a chip, as HTML (every text escaped, the link http(s) only)."""
    esc = html.escape
    parts = [
        f"<p><strong>{esc(card.title)}</strong>"
        + (f" · {esc(words.reliability(card.reliability).label)}" if card.reliability else "")
        + "</p>"
    ]
    if card.quote:
        parts.append(f"<p>“{esc(card.quote)}”</p>")
    if card.english:
        parts.append(f"<p><em>{esc(card.english)}</em></p>")
    footer = []
    for part in card.footer:
        target = links.safe_href(part.url) if isinstance(part, Link) else None
        text = esc(part.words if isinstance(part, Link | Strong) else part)
        footer.append(f'<a href="{esc(target)}" rel="noopener noreferrer">{text}</a>' if target else text)
    parts.append(f"<p>{''.join(footer)}</p>")
    if card.note:
        parts.append(f"<p>{esc(card.note)}</p>")
    return f'<div class="isf-said">{"".join(parts)}</div>'


#: HTML of the chips blocks drawn lately, by the block's identity: the page model hands the same
#: cached block to every rerun of a view, and hashing hundreds of chips would cost more than a lookup.
_CHIPS_HTML: dict[int, tuple[blocks.Chips, str]] = {}


def chips_html(block: blocks.Chips) -> str:
    """A block per country, its chips as <details>: a tap opens the statement behind one. One
    element for the whole list, written once per view."""
    known = _CHIPS_HTML.get(id(block))
    if known is not None and known[0] is block:
        return known[1]
    if len(_CHIPS_HTML) >= 64:
        _CHIPS_HTML.clear()
    made = _write_chips(block)
    _CHIPS_HTML[id(block)] = (block, made)
    return made


def _write_chips(block: blocks.Chips) -> str:
    esc = html.escape
    out = ['<div class="isf-chips">']
    for row in block.rows:
        out.append(f"<section><h4>{esc(row.title)}</h4>")
        for group, chips in row.groups:
            out.append(f'<div class="isf-row"><span class="isf-group">{esc(group)}</span>')
            for chip in chips:
                style = ""
                if chip.kind == "stance":
                    term = words.stance(chip.code)
                    ink = "#fff" if chip.code in ("refuses", "will_disarm") else "#222"
                    style = f' style="background:{term.color};color:{ink}"'
                if not chip.statement:  # nothing behind it to open
                    out.append(f'<span class="isf-plain {esc(chip.kind)}"{style}>{esc(chip.words)}</span>')
                    continue
                summary = f"<summary{style}>{esc(chip.words)}</summary>"
                out.append(
                    f'<details class="{esc(chip.kind)}">{summary}{_said_html(chip.statement)}</details>'
                )
            out.append("</div>")
        out.append("</section>")
    return "".join(out) + "</div>"
