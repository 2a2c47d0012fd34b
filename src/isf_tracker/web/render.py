"""A page of `page_content` as HTML, for snapshots (`/s/<page>`) and embeds (`/embed/<page>`): the
static views' renderer of the page model, with Jinja2 templates that escape everything by default.

Where a block reads differently here than in the dashboard, this module decides: a chart is drawn
on the server as SVG (twice: for a desktop and for a phone; the map once, with its legend in
words), with its rows in a <details> under it; a table behind a label is a <details>; a country's
card links to that country's snapshot; the page's own options are said in words.
"""

from __future__ import annotations

from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from isf_tracker import chart_registry, derived, filters, geo, links, page_content, share, summary, tables
from isf_tracker import vocabulary as words
from isf_tracker.blocks import Chart, Options, Table
from isf_tracker.page_content import Asked
from isf_tracker.web import http, images
from isf_tracker.web.views import PageView, Urls

SITE_NAME = "ISF Tracker"
#: The most rows a snapshot's table shows; the CSV from the API has them all.
TABLE_ROWS = 200
#: Og:image width in pixels (the size link previews ask for).
PREVIEW_WIDTH = 1200
STYLESHEET = f"{share.SNAPSHOT_PREFIX}/snapshot.css"

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("isf_tracker.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates ship with the package: no stat of a file per page drawn
)
ENVIRONMENT.tests["kind"] = lambda value, name: type(value).__name__ == name
ENVIRONMENT.globals.update(
    href=links.safe_href,
    reliability_label=lambda code: words.reliability(code).label,
    stance_color=lambda code: words.stance(code).color,
    site_name=SITE_NAME,
    reliabilities=[
        (code, term.label, words.RELIABILITY_MEANINGS[code]) for code, term in words.RELIABILITIES.items()
    ],
)


def asked(view: PageView) -> Asked:
    return Asked(view.page, view.key, dict(view.options))


def grid(table: Table) -> dict[str, Any]:
    """A table's first TABLE_ROWS rows as cells: text, and a link (its host) in a link column."""
    frame = table.rows()
    if table.columns:
        frame = frame[list(table.columns)]
    frame = frame.drop(columns="Iso3", errors="ignore")  # the dashboard's key, not a column to read
    total = len(frame) if table.total is None else table.total
    rows = []
    for record in frame.head(TABLE_ROWS).itertuples(index=False, name=None):
        row = []
        for column, value in zip(frame.columns, record, strict=True):
            target = links.safe_href(value) if column in table.links and not tables.is_blank(value) else None
            row.append({"text": tables.host(value) if target else cell_text(value), "href": target})
        rows.append(row)
    return {
        "columns": list(frame.columns),
        "rows": rows,
        "total": total,
        "shown": min(total, TABLE_ROWS),
        "left_out": total > TABLE_ROWS,
    }


def cell_text(value: Any) -> str:
    """A table cell as text: missing → "", a day → YYYY-MM-DD, numbers as written."""
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def figure(view: PageView, chart: Chart | str, urls: Urls) -> Markup:
    """The chart drawn for a desktop and for a phone, or the map once with its legend in words
    (drawn without its own: it scales down whole); with links to its images."""
    name = chart if isinstance(chart, str) else chart.name
    country = dict(chart.options).get("country") if isinstance(chart, Chart) else None
    if country and view.countries() != [country]:  # one of several profiles: its own country's view
        query = {**view.shared_query, "country": [country]}
        view = PageView(view.page, derived.ViewKey.of(view.key.version, query, view.key.today), view.options)
    heading, colors = None, {}
    if name == "map":
        drawn = [("one", Markup(images.chart_svg(view, name, images.WIDE, legend=False)))]
        by_stance = view.option("color") == "stance"
        heading = "Stance on disarming Hamas" if by_stance else "Status"
        colors = geo.legend_colors(view.view.positions, "stance" if by_stance else "status")
    else:
        widths = (("wide", images.WIDE), ("narrow", images.NARROW))
        drawn = [(kind, Markup(images.chart_svg(view, name, width))) for kind, width in widths]
    png, svg = (urls.image(view, name, suffix, download=True) for suffix in ("png", "svg"))
    template = ENVIRONMENT.get_template("figure.html")
    return Markup(template.render(name=name, drawn=drawn, heading=heading, colors=colors, png=png, svg=svg))


def option_words(view: PageView, block: Options) -> str:
    """The page's own options in words ("Colour by: Status · Area: World")."""
    parts = []
    for option in filters.PAGE_OPTIONS.get(view.page, ()):
        if option.key in block.keys:
            shown = option.shown(view.option(option.key), view.choices)
            if shown is not None:
                parts.append(f"{option.label}: {shown}")
    return " · ".join(parts)


def citation(view: PageView, urls: Urls) -> tuple[str, str, str]:
    """As the dashboard's "Share and export" panel cites the view: before, the link, after."""
    return share.citation_parts(
        derived.data_version(view.key.version),
        view.view.dated,
        urls.live(view),
        view.key.today,
        view.view.as_of_set,
    )


def preview(view: PageView, urls: Urls, canonical: str) -> Markup:
    """The head's title and link-preview tags (Open Graph, Twitter) for a view, at `canonical`:
    its page's title, its answer sentence and a PNG of its main chart. The snapshot and the
    dashboard's own page (`previews`) both carry these, so a link previews alike from either."""
    image_page, chart = page_content.image_chart(view.page, len(view.countries()))
    image_view = view if image_page == view.page else PageView(image_page, view.key, ())
    return Markup(
        ENVIRONMENT.get_template("preview.html").render(
            page_title=f"{page_content.spec(view.page).title} · {SITE_NAME}",
            description=summary.answer(derived.answer(view.key)).lead,
            canonical=canonical,
            image=urls.image(image_view, chart, "png", width=PREVIEW_WIDTH),
            image_width=PREVIEW_WIDTH,
            image_alt=images.title(image_view, chart),
        )
    )


def snapshot(view: PageView, site: str) -> bytes:
    """The page as a whole HTML document (`http.rendered` keeps the bytes sent)."""
    urls = Urls(site)
    page = page_content.build(asked(view))
    html = ENVIRONMENT.get_template("snapshot.html").render(
        figure=lambda chart: figure(view, chart, urls),
        grid=grid,
        csv=urls.csv(view, "statements"),
        page_link=lambda page: urls.snapshot(view, page),
        country_link=lambda iso3: urls.snapshot_of("country", {**view.shared_query, "country": [iso3]}),
        option_words=lambda block: option_words(view, block),
        page=page,
        pages=page_content.PAGES,
        preview=preview(view, urls, urls.snapshot(view)),
        stylesheet=urls.site + STYLESHEET,
        home=urls.snapshot(view, "overview"),
        live=urls.live(view),
        currency=derived.currency(view.key.version, view.key.today),
        stale=summary.is_stale(derived.record_date(view.key.version), view.key.today),
        description_of_filters=view.view.description,
        citation=citation(view, urls),
        csv_positions=urls.csv(view, "positions"),
    )
    return html.encode("utf-8")


def embed(view: PageView, site: str, chart: str) -> bytes:
    """One chart of the page with its title, its caveat, the record's date and the citation, for
    an <iframe>."""
    urls = Urls(site)
    entry = chart_registry.by_name(chart)
    dated = summary.sentence_case(summary.dated_phrase(view.view.dated, view.view.as_of_set))
    html = ENVIRONMENT.get_template("embed.html").render(
        title=images.title(view, chart),
        live=urls.live(view),
        stylesheet=urls.site + STYLESHEET,
        page=view.page,
        dated=dated,
        caveat=entry.caveat,
        figure=figure(view, chart, urls),
        citation=citation(view, urls),
    )
    return html.encode("utf-8")


def clear() -> None:
    """Forget every page and chart drawn (tests that change the registry)."""
    images.chart_svg.cache_clear()
    http.LIMITS.cache.clear()
