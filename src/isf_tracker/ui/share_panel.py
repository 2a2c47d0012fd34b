"""The "Share and export" panel at the top of every page, under the title: one place to take the
view out. The link, the snapshot and the embed code are code blocks (Streamlit's copy icon copies
them whole); images and data are plain links to the routes served beside the dashboard, so nothing
is built until a reader asks for it, and every address can be pasted elsewhere as it is."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from isf_tracker import derived, share
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import Context, site

PANEL_LABEL = "Share and export"
#: The panel's open state in session state; its content is built only while it is open.
PANEL_KEY = "share-panel"
EMBED_CHART_KEY = "share-embed-chart"


def _list(items: Iterable[tuple[str, dict[str, str]]]) -> str:
    """A Markdown list: each item's words, then its links ("PNG · SVG")."""
    return "\n".join(
        f"- {escape_markdown(words)}: " + " · ".join(link(kind, url) for kind, url in links.items())
        for words, links in items
    )


def _title(image: share.Image) -> str:
    return image.chart.title


def _code(words: str, code: str, language: str | None = None) -> None:
    st.markdown(words)
    st.code(code, language=language, wrap_lines=True)


def panel(ctx: Context, url_path: str) -> None:
    """Link, snapshot, embed, chart images, the view's data and a citation, in one expander,
    built only while open (on_change="rerun"): a closed panel costs the page nothing, and its
    code blocks (Streamlit loads a syntax highlighter and a font for them) load only when asked."""
    box = st.expander(PANEL_LABEL, icon=":material/share:", key=PANEL_KEY, on_change="rerun")
    if not box.open:
        return
    made = share.links(site(), url_path, ctx.query(), {key: list(values) for key, values in ctx.key.query},
                       derived.data_version(ctx.key.version), ctx.view.dated, ctx.key.today,
                       countries=len(derived.state(ctx.key)["country"]),
                       chosen=ctx.view.as_of_set)  # fmt: skip
    with box:
        _code("**Link to this view** — opens the dashboard with these filters:", made.view)
        if made.snapshot:
            _code("**Snapshot** — the same view as a plain page that opens at once on any phone, prints, "
                  "and previews in chat apps:", made.snapshot)  # fmt: skip
        if made.images:  # one chart in a frame, the reader's choice where the page has several
            image = made.images[0]
            if len(made.images) > 1:
                image = st.selectbox("Chart to embed", made.images, format_func=_title, key=EMBED_CHART_KEY)
            embed = made.embed_code(f"ISF Tracker: {_title(image)}", image)
            _code("**Embed** — paste into a web page; the chart and its source in a frame:", embed, "html")
            st.markdown("**Charts as images**, with the title, date, source and this link drawn in:")
            st.markdown(
                _list((image.chart.title, {"PNG": image.png, "SVG": image.svg}) for image in made.images)
            )
        st.markdown("**The data of this view**, with the source of every value:")
        st.markdown(_list([
            ("Statements", {"CSV": made.statements_csv, "JSON": made.statements_json}),
            ("Positions of the countries", {"CSV": made.positions_csv, "JSON": made.positions_json}),
            ("Updates as they are recorded", {"Atom feed": made.feed}),
        ]))  # fmt: skip
        _code("**Cite this view:**", made.citation)
