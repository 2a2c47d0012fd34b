"""What each page says in a static snapshot: its title, its words, its charts (as SVG drawn on
the server) and its table, from the same cached functions as the dashboard (`derived`).

Each page is one function `(view, urls) -> Content`; everything from the data goes through the
escaping builder (`html`). Charts come from `rendering` (clean SVG, safe to inline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from isf_tracker import derived, filters, palette, summary, tables
from isf_tracker.web import rendering
from isf_tracker.web.html import Html, bullets, el, join, paragraphs
from isf_tracker.web.html import table as html_table
from isf_tracker.web.params import BadQuery, Problem
from isf_tracker.web.views import PageView, Urls

#: The most rows a snapshot's table shows; the CSV from the API has them all.
TABLE_ROWS = 200
#: The span "What changed" compares when no From date is given (as the dashboard's page).
DEFAULT_SPAN = dt.timedelta(days=90)
LINK_COLUMNS = ("Source", "Status source")

TITLES = {
    "overview": "Troops for the Gaza force",
    "map": "Map of positions",
    "charts": "Charts",
    "conditions": "Condition matrix",
    "country": "Country profile",
    "statements": "Statements",
    "sources": "Sources",
    "changes": "What changed",
}
INTROS = {
    "map": "Each country coloured by its stance on disarming Hamas (or by its status), on the region "
    "where the countries are or the whole world. Grey: no statement. Small countries carry a dot.",
    "charts": "The troop figures each country has stated, and every statement over time.",
    "conditions": "A row per country: first its stance on disarming Hamas, then each condition it holds, "
    "then each role it offers. A country's conditions add up over its statements until it withdraws "
    "one. Each cell links to the statement's source.",
    "country": "A country's position in words and value by value, with the statement behind each value.",
    "statements": "Every statement behind the view, newest first. A corrected statement stays listed, "
    "marked with the row that corrects it; only the correction counts.",
    "sources": "Every source behind the statements shown, newest first: the outlet, the day of its "
    "first statement here, how reliable it is (on record, reported, unconfirmed), and the countries "
    "and statements resting on it.",
    "changes": "Each country's position on one day compared with another.",
}


@dataclass
class Content:
    """A page's body, and what its head says about it."""

    title: str
    blocks: list[Html] = field(default_factory=list)
    #: The chart a link preview shows (a PNG of it): the page's own, else the overview's.
    image_chart: tuple[str, str] = ("overview", "coverage")

    def add(self, *blocks: Html | None) -> None:
        self.blocks += [block for block in blocks if block]


# --- pieces ------------------------------------------------------------------------------------


def figure(view: PageView, chart: str, urls: Urls) -> Html:
    """The chart drawn twice, for a desktop and for a phone (CSS shows one), with links to its
    images; the map once, its legend in words under it (it is large, and scales down whole)."""
    if chart == "map":
        drawn = [
            el("div", Html(rendering.chart_svg(view, chart, rendering.WIDE, legend=False)), class_="one"),
            map_legend(view.option("color")),
        ]
    else:
        drawn = [
            el("div", Html(rendering.chart_svg(view, chart, width)), class_=kind)
            for kind, width in (("wide", rendering.WIDE), ("narrow", rendering.NARROW))
        ]
    downloads = el(
        "p",
        "Image with its source: ",
        el("a", "PNG", href=urls.image(view, chart, "png", download=True)),
        " · ",
        el("a", "SVG", href=urls.image(view, chart, "svg", download=True)),
        class_="downloads",
    )
    return el("figure", *drawn, downloads, class_=f"chart chart-{chart}")


def map_legend(color_by: str) -> Html:
    colors = (
        palette.stance_colors(no_data=True) if color_by == "stance" else palette.status_colors(True, True)
    )
    entries = [
        el("li", el("span", "", class_="swatch", style=f"background:{color}"), label)
        for label, color in colors.items()
    ]
    heading = "Stance on disarming Hamas" if color_by == "stance" else "Status"
    return el(
        "div",
        el("p", heading, class_="legend-title"),
        el("ul", entries, class_="legend"),
        class_="legend-box",
    )


def rows_table(
    frame: pd.DataFrame,
    what: str,
    csv_url: str,
    columns: Sequence[str] | None = None,
    total: int | None = None,
    cells: dict | None = None,
) -> Html:
    """A table of at most TABLE_ROWS rows; when rows are left out, it says so and links the CSV."""
    total = len(frame) if total is None else total
    columns = list(frame.columns if columns is None else columns)
    links = [c for c in LINK_COLUMNS if c in columns]
    note = None
    if total > TABLE_ROWS:
        note = el(
            "p",
            f"The first {TABLE_ROWS:,} of {total:,} {what}; ",
            el("a", "the CSV has them all", href=csv_url),
            ".",
            class_="note",
        )
    shown = html_table(frame.head(TABLE_ROWS), columns, links=links, cells=cells)
    return join([note, el("div", shown, class_="table")])


def heading(text: str) -> Html:
    return el("h2", text)


def caption(text: str) -> Html:
    return el("p", text, class_="caption")


def empty_notice(view: PageView) -> Html | None:
    """Why a page shows nothing, or None when it has something to show."""
    if derived.dataset(view.key.version).statements.empty:
        return el("p", "The ledger has no valid statements yet.", class_="notice")
    if view.view.positions.empty:
        return el("p", "No country matches these filters on this date.", class_="notice")
    return None


def opened(
    view: PageView, *intro: Html | None, image_chart: tuple[str, str] | None = None
) -> tuple[Content, bool]:
    """The page's title and introduction, and whether it has anything to show; when it has
    not, the notice saying why (no valid statement, or no country matching) is added."""
    content = Content(TITLES[view.page], image_chart=image_chart or Content.image_chart)
    content.add(*intro)
    notice = empty_notice(view)
    content.add(notice)
    return content, notice is None


def option_words(view: PageView) -> Html | None:
    """The page's own options in words ("Colour by: Status · Area: World")."""
    options = filters.PAGE_OPTIONS.get(view.page, ())
    parts = []
    for option in options:
        value = view.option(option.key)
        labels = getattr(option, "options", None)
        if callable(labels) and value is not None:
            parts.append(f"{option.label}: {labels(view.choices).get(value, value)}")
    return el("p", " · ".join(parts), class_="meta") if parts else None


def positions(view: PageView, urls: Urls, with_figure_only: bool = False) -> Html:
    frame = derived.positions_table(view.key, with_figure_only)
    return rows_table(frame, "countries", urls.csv(view, "positions"))


# --- the pages ---------------------------------------------------------------------------------


def overview(view: PageView, urls: Urls) -> Content:
    content = Content(TITLES["overview"])
    made = derived.answer(view.key)
    said = summary.answer(made)
    content.add(
        el("p", el("strong", said.lead), class_="headline"),
        paragraphs(said.scope) if said.scope else None,
        bullets(said.details, class_="details") if said.details else None,
    )
    if empty_notice(view) is not None:
        return content
    content.add(
        heading("Troops for each task of the mandate"),
        caption(
            "For each task: the countries whose stated stance, roles and conditions allow it, and the "
            "troop figures they have stated, by how each is known (solid: on record; pale: reported; "
            "outlined: unconfirmed). On-hold and declined figures count for no task."
        ),
        figure(view, "coverage", urls),
        heading("Who stands where on disarming Hamas"),
        caption(
            "Countries taking part in the force or considering it, by what they have said. "
            "(reportedly) and (unconfirmed) mark a stance that rests on a report."
        ),
        bullets(
            [
                join([el("strong", f"{label} ({len(names)})"), ": ", ", ".join(names) or "none"])
                for label, names in summary.stance_lists(made)
            ],
            class_="stances",
        ),
        heading("Current positions"),
        positions(view, urls),
    )
    return content


def map_page(view: PageView, urls: Urls) -> Content:
    content, showing = opened(view, el("p", INTROS["map"]), option_words(view), image_chart=("map", "map"))
    if not showing:
        return content
    content.add(figure(view, "map", urls), heading("Positions"), positions(view, urls))
    return content


def charts(view: PageView, urls: Urls) -> Content:
    content, showing = opened(view, el("p", INTROS["charts"]), image_chart=("charts", "ranges"))
    if not showing:
        return content
    shown = view.view.positions
    missing = int(shown["troops_high"].isna().sum())
    content.add(heading("Troop figures reported, by how they are known"))
    if missing == len(shown):
        content.add(el("p", "None of the countries shown has stated a troop figure.", class_="notice"))
    else:
        unstated = f" {missing} of the {len(shown)} countries shown have stated no figure in numbers."
        content.add(
            caption(
                "A bar to the lowest figure each country has stated, a whisker to the highest. Colour: "
                "the figure's state (in place, committed, offered, on hold, since called undecided by "
                "its government); solid, pale or outlined: on record, reported or unconfirmed."
                + (unstated if missing else "")
            ),
            figure(view, "ranges", urls),
            positions(view, urls, with_figure_only=True),
        )
    dated, total = derived.newest_dated(view.key)
    note = (
        f" The timeline draws the newest {len(dated):,} of {total:,} dated statements."
        if total > len(dated)
        else ""
    )
    content.add(
        heading("Every statement over time"),
        caption("Colour: the status the statement states; shape: how reliable its source is." + note),
        figure(view, "timeline", urls),
        el(
            "p",
            "The statements behind it: ",
            el("a", "as a page", href=urls.snapshot(view, "statements")),
            " · ",
            el("a", "as CSV", href=urls.csv(view, "statements")),
            ".",
        ),
    )
    return content


def conditions(view: PageView, urls: Urls) -> Content:
    intro = (el("p", INTROS["conditions"]), option_words(view))
    content, showing = opened(view, *intro, image_chart=("conditions", "matrix"))
    if not showing:
        return content
    sort, version = view.option("sort"), view.key.version
    matrix = derived.matrix_table(view.key, sort)
    content.add(
        figure(view, "matrix", urls),
        rows_table(matrix, "countries", urls.csv(view, "positions")),
        heading("The stakeholders' red lines"),
        caption(
            "Israel's vetoes, Hamas's demand for a border-only force and the mandate, from the "
            "stakeholders' own statements."
        ),
        rows_table(
            derived.stakeholder_table(version, ("red_line", "veto", "mandate")),
            "positions",
            urls.csv(view, "statements"),
        ),
        heading("The mandate's tasks and what rules a contributor out"),
        rows_table(derived.tasks_table(version), "tasks", urls.csv(view, "positions")),
    )
    return content


def _country_list(view: PageView, urls: Urls) -> Html:
    """Every country of the view, each linking to its profile's snapshot."""
    shown = view.view.positions.sort_values("country", kind="stable")
    frame = pd.DataFrame(
        {
            "Country": list(zip(shown["iso3"], shown["country"], strict=True)),
            "Status": shown["status"].map(tables.status_label),
            "Disarming Hamas": [tables.stance_with_basis(p) for _, p in shown.iterrows()],
            "Troops": [tables.figure_with_basis(p) for _, p in shown.iterrows()],
            "Last statement": shown["last_date"].dt.date,
        }
    )

    def profile(cell: tuple[str, str]) -> Html:
        iso3, name = cell
        query = {**view.shared_query, "country": [iso3]}
        return el("a", name, href=urls.snapshot_of("country", query))

    return rows_table(frame, "countries", urls.csv(view, "positions"), cells={"Country": profile})


def country(view: PageView, urls: Urls) -> Content:
    content, showing = opened(view, el("p", INTROS["country"]))
    if not showing:
        return content
    chosen = view.countries()
    if len(chosen) != 1:
        content.add(el("p", "Choose a country for its profile:"), _country_list(view, urls))
        return content
    iso3 = chosen[0]
    content.image_chart = ("country", "timeline")
    name, key = view.choices.countries[iso3], view.key
    content.add(el("h2", name, class_="country"))
    provenance = derived.provenance_table(key, iso3)
    if provenance is None:
        content.add(
            el(
                "p",
                f"{name} had made no dated statement by {summary.day_words(view.view.as_of)}.",
                class_="notice",
            )
        )
    else:
        content.add(
            el("p", " ".join(derived.country_sentences(key, iso3)), class_="sentences"),
            heading(
                f"Position, {summary.dated_phrase(view.view.dated, view.view.as_of_set)}, value by value"
            ),
            caption(
                "Each value comes from the latest statement that stated it; conditions and roles add "
                "up until withdrawn."
            ),
            rows_table(provenance, "values", urls.csv(view, "positions")),
        )
    dated, _ = derived.newest_dated(key, iso3)
    content.add(heading("Statements over time"))
    content.add(
        figure(view, "timeline", urls)
        if not dated.empty
        else el("p", "No dated statement up to this date.", class_="notice")
    )
    statements = derived.country_statements(key, iso3).drop(columns=["Country"])
    content.add(
        heading("Every statement, newest first"),
        rows_table(statements, "statements", urls.csv(view, "statements")),
    )
    return content


def statements(view: PageView, urls: Urls) -> Content:
    content, showing = opened(view, el("p", INTROS["statements"]))
    if not showing:
        return content
    content.add(
        rows_table(
            derived.newest_ledger(view.key),
            "statements",
            urls.csv(view, "statements"),
            columns=tables.OVERVIEW_LEDGER_COLUMNS,
            total=len(view.view.statements),
        )
    )
    return content


def sources(view: PageView, urls: Urls) -> Content:
    content, showing = opened(view, el("p", INTROS["sources"]))
    if not showing:
        return content
    content.add(rows_table(derived.sources_table(view.key), "sources", urls.csv(view, "statements")))
    return content


def change_span(view: PageView) -> tuple[dt.date, dt.date]:
    """The days "What changed" compares, as the dashboard's page chooses them; refused (naming
    `from`) when From is not before To."""
    end = view.option("to") or view.choices.today
    start = view.option("from") or min(end, view.choices.last_date) - DEFAULT_SPAN
    if start >= end:
        raise BadQuery([Problem("from", start.isoformat(), f"not before to ({end.isoformat()})")])
    return start, end


def changes(view: PageView, urls: Urls) -> Content:
    start, end = change_span(view)
    span = f"Changes after {start.isoformat()}, up to and including {end.isoformat()}."
    content, showing = opened(view, el("p", INTROS["changes"]), el("p", span, class_="meta"))
    if not showing:
        return content
    table = derived.changes_table(view.key, start, end)
    if table.empty:
        content.add(el("p", "No change in the positions shown between these dates.", class_="notice"))
        return content
    shown = table.rename(columns=str.capitalize).rename(
        columns={"Statement_id": "Statement", "Source_url": "Source"}
    )
    content.add(rows_table(shown.drop(columns=["Iso3"]), "changes", urls.csv(view, "statements")))
    return content


PAGES: dict[str, Callable[[PageView, Urls], Content]] = {
    "overview": overview,
    "map": map_page,
    "charts": charts,
    "conditions": conditions,
    "country": country,
    "statements": statements,
    "sources": sources,
    "changes": changes,
}
