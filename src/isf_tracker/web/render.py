"""A page of `page_content` as HTML, for snapshots (`/s/<page>`) and embeds (`/embed/<page>`): the
static views' renderer of the page model, with Jinja2 templates that escape everything by default.

Where a block reads differently here than in the dashboard, this module decides: a chart is drawn
on the server as SVG (twice: for a desktop and for a phone; the map once, with its legend in
words), with its rows in a <details> under it; a table behind a label is a <details>; a country's
card links to that country's snapshot; the page's own options are said in words.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from isf_tracker import chart_registry, derived, filters, links, page_content, palette, share, summary, tables
from isf_tracker import vocabulary as words
from isf_tracker.blocks import Chart, Options, Page, Table
from isf_tracker.page_content import Asked
from isf_tracker.web import rendering
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
)
ENVIRONMENT.tests["kind"] = lambda value, name: type(value).__name__ == name
ENVIRONMENT.globals.update(
    href=links.safe_href,
    reliability_label=lambda code: words.reliability(code).label,
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
    total = len(frame) if table.total is None else table.total
    rows = []
    for record in frame.head(TABLE_ROWS).itertuples(index=False, name=None):
        row = []
        for column, value in zip(frame.columns, record, strict=True):
            target = links.safe_href(value) if column in table.links and not tables.is_blank(value) else None
            row.append({"text": tables.host(value) if target else cell_text(value), "href": target})
        rows.append(row)
    columns = [c for c in frame.columns if c != "Iso3"]
    if "Iso3" in frame.columns:
        rows = [[cell for c, cell in zip(frame.columns, row, strict=True) if c != "Iso3"] for row in rows]
    return {
        "columns": columns,
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


def legend(color_by: str) -> Markup:
    """The map's colours in words under it (the map is drawn without its legend: it scales down
    whole), each swatch a small SVG (no inline style: the policy allows none)."""
    colors = (
        palette.stance_colors(no_data=True) if color_by == "stance" else palette.status_colors(True, True)
    )
    heading = "Stance on disarming Hamas" if color_by == "stance" else "Status"
    template = ENVIRONMENT.from_string(
        '<div class="legend-box"><p class="legend-title">{{ heading }}</p><ul class="legend">'
        '{% for label, color in colors %}<li><svg width="12" height="12" aria-hidden="true"><rect width="12" '
        'height="12" rx="6" fill="{{ color }}" stroke="#555"/></svg>{{ label }}</li>{% endfor %}</ul></div>'
    )
    return Markup(template.render(heading=heading, colors=list(colors.items())))


def figure(view: PageView, chart: Chart | str, urls: Urls) -> Markup:
    """The chart drawn for a desktop and for a phone (CSS shows one), with links to its images; the
    map once, its legend in words under it."""
    name = chart if isinstance(chart, str) else chart.name
    country = dict(chart.options).get("country") if isinstance(chart, Chart) else None
    if country and view.countries() != [country]:  # one of several profiles: its own country's view
        query = {**view.shared_query, "country": [country]}
        view = PageView(view.page, derived.ViewKey.of(view.key.version, query, view.key.today), view.options)
    if name == "map":
        drawn = Markup('<div class="one">{}</div>').format(
            Markup(rendering.chart_svg(view, name, rendering.WIDE, legend=False))
        ) + legend(view.option("color"))
    else:
        drawn = Markup("").join(
            Markup('<div class="{}">{}</div>').format(kind, Markup(rendering.chart_svg(view, name, width)))
            for kind, width in (("wide", rendering.WIDE), ("narrow", rendering.NARROW))
        )
    downloads = Markup(
        '<p class="downloads">Image with its source: <a href="{}">PNG</a> · <a href="{}">SVG</a></p>'
    )
    return Markup('<figure class="chart chart-{}">{}{}</figure>').format(
        name,
        drawn,
        downloads.format(
            urls.image(view, name, "png", download=True), urls.image(view, name, "svg", download=True)
        ),
    )


def option_words(view: PageView, block: Options) -> str:
    """The page's own options in words ("Colour by: Status · Area: World")."""
    parts = []
    for option in filters.PAGE_OPTIONS.get(view.page, ()):
        if option.key in block.keys:
            value = view.option(option.key)
            labels = getattr(option, "options", None)
            shown = labels(view.choices).get(value, value) if callable(labels) else value
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


def description(view: PageView) -> str:
    """The view's answer: the page's description for link previews."""
    return summary.answer(derived.answer(view.key)).lead


def _globals(view: PageView, urls: Urls) -> dict[str, Any]:
    """What the block templates need of the view: its addresses and its option words."""
    return {
        "figure": lambda chart: figure(view, chart, urls),
        "grid": grid,
        "csv": urls.csv(view, "statements"),
        "page_link": lambda page: urls.snapshot(view, page),
        "country_link": lambda iso3: urls.snapshot_of("country", {**view.shared_query, "country": [iso3]}),
        "option_words": lambda block: option_words(view, block),
    }


@functools.lru_cache(maxsize=64)
def snapshot(view: PageView, site: str) -> bytes:
    """The page as a whole HTML document (cached on the view, which holds the data version)."""
    urls = Urls(site)
    page: Page = page_content.build(asked(view))
    image_page, image_chart = page.image_chart
    image_view = view if image_page == view.page else PageView(image_page, view.key, ())
    image = urls.image(image_view, image_chart, "png", width=PREVIEW_WIDTH)
    page_title = f"{page.title} · {SITE_NAME}"
    said = description(view)
    og = [
        ("og:title", page_title),
        ("og:description", said),
        ("og:url", urls.snapshot(view)),
        ("og:type", "article"),
        ("og:site_name", SITE_NAME),
        ("og:image", image),
        ("og:image:type", "image/png"),
        ("og:image:width", str(PREVIEW_WIDTH)),
        ("og:image:alt", rendering.title(image_view, image_chart)),
    ]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", page_title),
        ("twitter:description", said),
        ("twitter:image", image),
    ]
    navigation = [
        (
            p.name,
            p.title if p.name != "overview" else "Troops for the Gaza force",
            None if p.name == view.page else urls.snapshot(view, p.name),
        )
        for p in page_content.PAGES
    ]
    template = ENVIRONMENT.get_template("snapshot.html")
    html = template.render(
        **_globals(view, urls),
        page=page,
        page_title=page_title,
        description=said,
        canonical=urls.snapshot(view),
        og=og,
        twitter=twitter,
        stylesheet=urls.site + STYLESHEET,
        home=urls.snapshot(view, "overview"),
        live=urls.live(view),
        site_name=SITE_NAME,
        navigation=[(n, label, link) for n, label, link in navigation],
        currency=derived.currency(view.key.version, view.key.today),
        stale=summary.is_stale(derived.record_date(view.key.version), view.key.today),
        description_of_filters=view.view.description,
        citation=citation(view, urls),
        csv_statements=urls.csv(view, "statements"),
        csv_positions=urls.csv(view, "positions"),
    )
    return html.encode("utf-8")


@functools.lru_cache(maxsize=64)
def embed(view: PageView, site: str, chart: str) -> bytes:
    """One chart of the page with its title, its caveat, the record's date and the citation, for
    an <iframe>."""
    urls = Urls(site)
    entry = chart_registry.by_name(chart)
    dated = summary.sentence_case(summary.dated_phrase(view.view.dated, view.view.as_of_set))
    html = ENVIRONMENT.get_template("embed.html").render(
        title=rendering.title(view, chart),
        site_name=SITE_NAME,
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
    snapshot.cache_clear()
    embed.cache_clear()
