"""The "Share and export" panel under every page: one place to take the view out.

The link, the snapshot and the embed code are code blocks (Streamlit's copy icon copies them
whole); images and data are plain links to the routes served beside the dashboard, so nothing
is built until a reader asks for it, and every address can be pasted elsewhere as it is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from isf_tracker import derived, share
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import Context

PANEL_LABEL = "Share and export"
#: The panel's open state in session state; its content is built only while it is open.
PANEL_KEY = "share-panel"


def site() -> str:
    """scheme://host of the address the reader opened, for absolute links."""
    base = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{base.scheme}://{base.netloc}"


def links_for(ctx: Context, url_path: str) -> share.ShareLinks:
    return share.links(
        site(),
        url_path,
        ctx.query(),
        {key: list(values) for key, values in ctx.key.query},
        derived.data_version(ctx.key.version),
        ctx.view.dated,
        ctx.key.today,
        countries=len(ctx.state["country"]),
        chosen=ctx.view.as_of_set,
    )


def _links_line(pairs: list[tuple[str, str]]) -> str:
    return " · ".join(link(words, url) for words, url in pairs)


def panel(ctx: Context, url_path: str, page_title: str) -> None:
    """Link, snapshot, embed, chart images, the view's data and a citation, in one expander.

    Built only while open (on_change="rerun"): a closed panel costs the page nothing, and its
    code blocks (Streamlit loads a syntax highlighter and a font for them) load only when asked.
    """
    box = st.expander(PANEL_LABEL, icon=":material/share:", key=PANEL_KEY, on_change="rerun")
    if not box.open:
        return
    made = links_for(ctx, url_path)
    with box:
        st.markdown("**Link to this view** — opens the dashboard with these filters:")
        st.code(made.view, language=None, wrap_lines=True)
        if made.snapshot:
            st.markdown(
                "**Snapshot** — the same view as a plain page that opens at once on any phone, "
                "prints, and previews in chat apps:"
            )
            st.code(made.snapshot, language=None, wrap_lines=True)
        if embed_code := made.embed_code(f"ISF Tracker: {page_title}"):
            st.markdown("**Embed** — paste into a web page; the chart and its source in a frame:")
            st.code(embed_code, language="html", wrap_lines=True)
        if made.images:
            st.markdown("**Charts as images**, with the title, date, source and this link drawn in:")
            st.markdown("\n".join(
                f"- {escape_markdown(image.chart.title)}: "
                + _links_line([("PNG", image.png), ("SVG", image.svg)])
                for image in made.images
            ))  # fmt: skip
        st.markdown("**The data of this view**, with the source of every value:")
        st.markdown("\n".join((
            "- Statements: " + _links_line([("CSV", made.statements_csv), ("JSON", made.statements_json)]),
            "- Positions of the countries: "
            + _links_line([("CSV", made.positions_csv), ("JSON", made.positions_json)]),
            "- Updates as they are recorded: " + _links_line([("Atom feed", made.feed)]),
        )))  # fmt: skip
        st.markdown("**Cite this view:**")
        st.code(made.citation, language=None, wrap_lines=True)
