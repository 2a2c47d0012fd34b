"""A page of `page_content` drawn with Streamlit: the dashboard's renderer of the page model.

Where a block reads differently here than in a snapshot, this module decides: a chart comes with
a tab holding its table, a table behind a label is an expander built only while open, a country's
card opens its profile, the page's own options are widgets (their values in the URL).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from isf_tracker import blocks, chart_registry, filters, page_content
from isf_tracker.blocks import Block, Card, Line, Link, Strong
from isf_tracker.page_content import Asked
from isf_tracker.ui import common, shell
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import Context, context, page_option

ICONS = {"info": ":material/info:", "warning": ":material/warning:"}


def page(name: str) -> None:
    """Draw the page `name` for the view in the address bar."""
    ctx = context("" if name == "overview" else name)
    spec = page_content.spec(name)
    common.header(ctx, spec.title, spec.intro or None)
    options = _options(ctx, name)
    built = page_content.build(Asked(name, ctx.key, options))
    for block in built.blocks:
        draw(ctx, block, options)
    common.citation(ctx)
    if built.download:
        asked = Asked(name, ctx.key, options)
        common.download(ctx, built.download, lambda: page_content.download_rows(asked))


def _options(ctx: Context, name: str) -> dict[str, Any]:
    """The page's own options as widgets side by side, under the header; their values."""
    own = filters.PAGE_OPTIONS.get(name, ())
    if not own:
        return {}
    values = {}
    for column, option in zip(st.columns(len(own)), own, strict=True):
        with column:
            values[option.key] = page_option(ctx, option)
    return values


def line(parts: Line) -> str:
    """A line of the model as Markdown: text escaped, bold words bold, links only to http(s)."""
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
        case blocks.Chart():
            _chart(ctx, block, options)
        case blocks.Table():
            _table(block)
        case blocks.Cards():
            _cards(block)
        case blocks.Countries():
            _countries(block)
        case Link(page=""):
            st.markdown(line((block,)))
        case Link():
            st.page_link(shell.page("" if block.page == "overview" else block.page), label=block.words,
                         icon=":material/list:")  # fmt: skip
        case blocks.Tabs():
            for tab, section in zip(st.tabs([s.label for s in block.sections]), block.sections, strict=True):
                with tab:
                    for inner in section.blocks:
                        draw(ctx, inner, options)
        case blocks.Options():
            pass  # drawn under the header, before the page was built from their values


def _chart(ctx: Context, block: blocks.Chart, options: dict[str, Any]) -> None:
    chart = chart_registry.by_name(block.name)
    chosen = {**options, **dict(block.options)}
    key = f"{block.name}-{chosen['country']}" if chosen.get("country") else block.name
    common.chart_with_table(
        ctx, key, lambda: chart.spec(ctx.key, chosen), block.table.rows if block.table else None,
        column_config=_columns(block.table) if block.table else None,
    )  # fmt: skip


#: How a table's columns are shown in the dashboard (the rest as Streamlit chooses).
COLUMN_STYLE = {
    "Country": st.column_config.TextColumn(pinned=True, width=100),
    "Quote": st.column_config.TextColumn(width="large"),
    "Quote in English": st.column_config.TextColumn(width="large"),
    "Conditions": st.column_config.TextColumn(width="large"),
    "Iso3": None,
}


def _columns(table: blocks.Table) -> dict[str, Any]:
    return {**COLUMN_STYLE, **{column: common.SOURCE_LINK for column in table.links}}


def _table(block: blocks.Table) -> None:
    def shown() -> None:
        rows = block.rows()
        common.table(rows[list(block.columns)] if block.columns else rows, block.what,
                     column_config=_columns(block), total=block.total)  # fmt: skip

    if not block.opened_by:
        shown()
        return
    with common.on_demand(block.opened_by, block.key) as opened:
        if opened:
            shown()


def _cards(block: blocks.Cards) -> None:
    if block.legend and block.cards:
        common.reliability_legend()
    if block.heading:
        st.markdown(f"**{escape_markdown(block.heading)}**")
    rows = [block.cards[i : i + block.columns] for i in range(0, len(block.cards), block.columns)]
    for row in rows:
        if block.columns == 1:
            _card(row[0])
            continue
        for column, card in zip(st.columns(block.columns), row, strict=False):
            with column:
                _card(card)


def _countries(block: blocks.Countries) -> None:
    names = {iso3: name for iso3, name, _ in block.items}

    def chosen() -> None:
        st.session_state["country"] = [st.session_state["open-country"]]

    st.selectbox("Open a country's profile", list(names), format_func=names.get, index=None,
                 key="open-country", placeholder="Choose a country", on_change=chosen)  # fmt: skip
    items = (f"- **{escape_markdown(name)}** · {escape_markdown(said)}" for _, name, said in block.items)
    st.markdown("\n".join(items))


def _card(card: Card) -> None:
    with st.container(border=True):
        rest = "".join(f" · {escape_markdown(text)}" for text in card.lines)
        st.markdown(f"**{escape_markdown(card.title)}**{rest}")
        if card.quote:
            st.markdown(f"“{escape_markdown(card.quote)}”")
        if card.english:
            st.markdown(f"*{escape_markdown(card.english)}*")
        if card.footer:
            badge = f"{common.badge(card.reliability)} " if card.reliability else ""
            st.markdown(badge + line(card.footer))
        if card.note:
            st.caption(f":material/history: {escape_markdown(card.note)}")
