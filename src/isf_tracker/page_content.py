"""Each page of the dashboard, said once: its title, its introduction and its blocks for one view,
built from the cached view model (`derived`). The dashboard (`ui.render`) and the static views
(`web.render`) draw the same pages, so they never disagree; one registry, `PAGES`, lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from isf_tracker import (
    chart_registry,
    charts,
    derived,
    filters,
    matrix,
    palette,
    summary,
    tables,
    translations,
)
from isf_tracker import vocabulary as words
from isf_tracker.blocks import (
    Block,
    Bullets,
    Card,
    Cards,
    Chart,
    Chip,
    ChipRow,
    Chips,
    Countries,
    Heading,
    Link,
    Notice,
    Options,
    Page,
    Section,
    Strong,
    Suggest,
    Table,
    Tabs,
    Text,
)
from isf_tracker.charts import dated_text, day_text
from isf_tracker.derived import ViewKey
from isf_tracker.ledger import Dataset

#: Statements a page shows as cards; its table (opened on demand) has every one.
LATEST, STATEMENT_CARDS, PROFILE_CARDS, SOURCE_CARDS = 6, 20, 12, 60
#: Countries the matrix's phone blocks show (each chip carries its statement: the page stays light).
CHIP_COUNTRIES = 20
#: Changes listed in words; the table and the CSV have them all.
LISTED_CHANGES = 200
QUOTE_CHARS = 220
RED_LINES = ("red_line", "veto", "mandate")


@dataclass(frozen=True)
class Asked(derived.OfView):
    """One page for one view: the view's key and the page's own options, parsed."""

    page: str
    key: ViewKey
    options: Mapping[str, Any]


@dataclass(frozen=True)
class PageSpec:
    """A page of the registry: its name (its address), its title, what it is about, how it is
    built, and the rows its CSV download holds (the view's statements when it gives None)."""

    name: str
    title: str
    intro: str
    build: Callable[[Asked], tuple[Block, ...]]
    rows: Callable[[Asked], pd.DataFrame | None] = lambda _asked: None
    short: str = ""  # its label in the navigation, when shorter than its title
    download: str = ""  # the CSV's name, when not the page's own
    #: Whether a view with no statement or no country shows only the notice that says so.
    only_notice_when_empty: bool = True

    @property
    def label(self) -> str:
        return self.short or self.title


def empty_notice(asked: Asked) -> Notice | None:
    if asked.data.statements.empty:
        return Notice("The ledger has no valid statements yet.")
    if asked.view.positions.empty:
        return Notice("No country matches these filters on this date. Widen the filters or clear them.")
    return None


def cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def newest_of(shown: int, total: int, what: str) -> list[Block]:
    """The caption of a list that shows fewer than the table under it holds."""
    said = f"The newest {shown} of {total:,} {what}; the table below has them all."
    return [Text(said, caption=True)] if total > shown else []


def timeline_note(dated: pd.DataFrame, total: int) -> str:
    drawn = len(dated)
    return f"The timeline draws the newest {drawn:,} of {total:,} dated statements." if total > drawn else ""


def source_link(url: object) -> tuple:
    """ " · example.org", the host a link to the source; nothing when there is no address."""
    host = tables.host(url)
    return (" · ", Link(host, str(url))) if host else ()


def statement_card(statement: Mapping[str, Any], data: Dataset) -> Card:
    """One statement: when and what it states, the words and their English, how reliable it is,
    who said it and where, the original outlet of a copy first."""
    what = [statement["country"]]
    if not tables.is_blank(statement["status"]):
        what.append(tables.status_label(statement["status"]))
    if not tables.is_blank(statement["troops_as_stated"]):
        english = data.translations.get((statement["statement_id"], "troops_as_stated"))
        what.append(f'"{english.english}" (in English)' if english else str(statement["troops_as_stated"]))
    if statement["disarmament"] != "unstated":
        what.append(f"Disarming Hamas: {tables.stance_word(statement['disarmament'])}")
    quote = "" if tables.is_blank(statement["quote"]) else cut(str(statement["quote"]))
    rendering = data.translations.get((statement["statement_id"], "quote"))
    english = (
        f"In English ({translations.credit(rendering)}): “{cut(rendering.english)}”" if rendering else ""
    )
    corrected = statement.get("superseded_by")
    return Card(
        title=dated_text(statement["date"], statement.get("date_precision") or "day") or "Undated",
        lines=(" · ".join(map(str, what)),),
        quote=quote,
        english=english,
        reliability=str(statement["reliability"]),
        footer=(
            f"{statement['speaker']} · ",
            Link(tables.outlet_words(str(statement["source_outlet"])), str(statement["source_url"])),
            f" · {statement['statement_id']}",
        ),
        note=f"Corrected by {corrected}: only the correction counts." if isinstance(corrected, str) else "",
        about=(str(statement["iso3"]), str(statement["statement_id"])),
    )


def statement_cards(frame: pd.DataFrame, data: Dataset) -> tuple[Card, ...]:
    return tuple(statement_card(statement, data) for statement in frame.to_dict("records"))


@derived.cached
def latest_cards(key: ViewKey) -> tuple[tuple[Card, ...], tuple[Card, ...]]:
    """The front page's newest statements in force as cards, built once per view: those on record,
    then those reported or unconfirmed."""
    newest, data = derived.latest_statements(key, LATEST), derived.dataset(key.version)
    on_record = newest["reliability"] == "on_record"
    return statement_cards(newest[on_record], data), statement_cards(newest[~on_record], data)


def charts_of(asked: Asked, country: str | None = None) -> tuple[Chart, ...]:
    """The page's charts from the registry, each with its rows as its table (and the matrix with
    its blocks for a phone)."""
    options = {**asked.options, "country": country}
    return tuple(
        Chart(
            chart.name,
            Table(lambda chart=chart: chart.rows(asked.key, options), key=f"tabs-{chart.name}"),
            (("country", country),) if country else (),
            matrix_chips(asked.key, asked.options["sort"]) if chart.name == "matrix" else None,
        )
        for chart in chart_registry.of_page(asked.page)
    )


_STANCE_CODES = {term.label: code for code, term in words.STANCES.items()}
_RELIABILITY_CODES = {term.label: code for code, term in words.RELIABILITIES.items()}
_CHIP_GROUPS = {0: "Disarming Hamas?", 1: "Conditions", 2: "Roles"}


def cell_card(cell: Mapping[str, Any]) -> Card | None:
    """The statement behind a cell of the matrix: its date, words, reliability, speaker and source."""
    if not cell["statement_id"]:
        return None
    english = f"In English: “{cut(cell['english'])}”" if cell["english"] else ""
    return Card(
        title=day_text(cell["date"]) or "Undated",
        quote=cut(str(cell["quote"])),
        english=english,
        reliability=_RELIABILITY_CODES.get(cell["reliability"], ""),
        footer=(
            f"{cell['speaker']} · ",
            Link(tables.outlet_words(str(cell["outlet"])), str(cell["source_url"])),
            f" · {cell['statement_id']}",
        ),
        note=cell["excludes"],
    )


@derived.cached
def matrix_chips(key: ViewKey, sort: str) -> Chips:
    """The matrix as a phone reads it: a block per country, its stance as a badge in full words, then
    its conditions and roles as chips, each opening the statement behind it. Built once per view."""
    everyone, columns = derived.matrix_layout(key, sort)
    countries = everyone[:CHIP_COUNTRIES]
    place = {column: n for n, column in enumerate(columns)}
    by_country: dict[str, list[dict]] = {}
    cells = derived.matrix_cells(key)
    for cell in cells[cells["country"].isin(countries)].to_dict("records"):
        by_country.setdefault(cell["country"], []).append(cell)
    rows = []
    for name in countries:
        groups: dict[int, list[Chip]] = {}
        for cell in sorted(by_country.get(name, ()), key=lambda c: place.get(c["column"], 0)):
            said = str(cell["column"]).removeprefix("Role: ")
            if cell["group"] == 0:
                chip = Chip(cell["word"], "stance", _STANCE_CODES.get(cell["meaning"], ""), cell_card(cell))
            elif cell["meaning"] == matrix.MEANINGS["withdrawn"][0]:
                chip = Chip(f"{said} (withdrawn)", "withdrawn", statement=cell_card(cell))
            else:
                chip = Chip(said, "condition" if cell["group"] == 1 else "role", statement=cell_card(cell))
            groups.setdefault(cell["group"], []).append(chip)
        rows.append(
            ChipRow(name, tuple((_CHIP_GROUPS[g], tuple(chips)) for g, chips in sorted(groups.items())))
        )
    left_out = len(everyone) - len(countries)
    note = (
        f"The first {len(countries)} of {len(everyone):,} countries, in the order chosen above; narrow the "
        "filters for the others (the CSV download has every statement)."
        if left_out
        else ""
    )
    return Chips(tuple(rows), note)


def overview(asked: Asked) -> tuple[Block, ...]:
    key = asked.key
    made = derived.answer(key)
    said = summary.answer(made)
    blocks: list[Block] = [Text(said.lead, strong=True), *(Text(p) for p in said.scope)]
    if said.details:
        blocks.append(Bullets(tuple((item,) for item in said.details)))
    if empty_notice(asked) is not None:
        return tuple(blocks)
    on_record, reported = latest_cards(key)
    count = len(asked.view.positions)
    blocks += [
        Heading("Troops for each task of the mandate"),
        Text(
            "For each task: the countries whose stated stance, roles and conditions allow it, and the troop "
            "figures they have stated, by how each is known (solid: on record; pale: reported; outlined: "
            "unconfirmed). On-hold and declined figures count for no task. The rules are data "
            "(data/mandate_tasks.csv; see the Condition matrix page).",
            caption=True,
        ),
        *charts_of(asked),
        Heading("Who stands where on disarming Hamas"),
        Text(
            "Countries taking part in the force or considering it, by what they have said. (reportedly) and "
            "(unconfirmed) mark a stance that rests on a report.",
            caption=True,
        ),
        Bullets(
            tuple(
                (Strong(f"{heading} ({len(names)}):"), " " + (", ".join(names) or "none"))
                for heading, names in summary.stance_lists(made)
            )
        ),
        Heading("Latest statements"),
        Cards(on_record, legend=True, heading="On record" if on_record else ""),
        Cards(reported, heading="Reported or unconfirmed" if reported else ""),
        Link("Every statement, newest first", page="statements"),
        Heading("Current positions"),
        Table(
            lambda: derived.positions_table(key),
            f"Every country's position as a table ({count:,})",
            "table-positions",
            "countries",
        ),
    ]
    return tuple(blocks)


def map_page(asked: Asked) -> tuple[Block, ...]:
    by_stance = asked.options.get("color", filters.MAP_COLOR.default) == "stance"
    silent = words.STANCES["unstated"].label if by_stance else words.NOT_STATED_LABEL
    return (
        Heading(chart_registry.title(chart_registry.by_name("map"), options=asked.options)),
        Text(
            f"Dark grey ({silent}): a country in the record that has not said. Light grey "
            f"({words.NO_DATA_LABEL}): no statement in the record. Small countries carry a dot and their "
            "name; a cross marks Gaza. The list under the map gives every country's value.",
            caption=True,
        ),
        *charts_of(asked),
        map_values(asked.key, by_stance),
    )


@derived.cached
def map_values(key: ViewKey, by_stance: bool) -> Bullets:
    """What the map colours, in words a phone reads without hovering: the countries of each colour,
    in the legend's order, each with its troop figure."""
    shown = charts.labelled_positions(derived.view(key).positions)
    field = "stance_label" if by_stance else "status_label"
    order = palette.stance_colors() if by_stance else palette.status_colors(not_stated=True)
    items = []
    for value in order:
        group = shown[shown[field] == value].sort_values("country")
        if len(group):
            said = "; ".join(f"{row.country} (troops: {row.troops})" for row in group.itertuples())
            items.append((Strong(f"{value} ({len(group)}):"), f" {said}"))
    return Bullets(tuple(items), heading="Each country's value")


def charts_page(asked: Asked) -> tuple[Block, ...]:
    shown = asked.view.positions
    missing = int(shown["troops_high"].isna().sum())
    ranges, timeline, *others = charts_of(asked)
    blocks: list[Block] = [Heading("Troop figures reported, by how they are known")]
    if missing == len(shown):
        blocks.append(Notice("None of the countries shown has stated a troop figure."))
    else:
        unstated = f" {missing} of the {len(shown)} countries shown have stated no figure in numbers."
        blocks += [
            Text(
                "A bar to the lowest figure each country has stated, a whisker to the highest. Colour: the "
                "figure's state (in place, committed, offered, on hold, since called undecided by its "
                "government); solid, pale or outlined: on record, reported or unconfirmed; a thick "
                "outline: on hold or declined, counted for no task." + (unstated if missing else ""),
                caption=True,
            ),
            ranges,
        ]
    note = timeline_note(*derived.newest_dated(asked.key))
    return (
        *blocks,
        Heading("Every statement over time"),
        Text(
            "Colour: the status the statement states; shape: how reliable its source is."
            + (f" {note}" if note else ""),
            caption=True,
        ),
        timeline,
        *others,
    )


def conditions(asked: Asked) -> tuple[Block, ...]:
    version = asked.key.version
    return (
        *charts_of(asked),
        Heading("The stakeholders' red lines"),
        Text(
            "Israel's vetoes, Hamas's demand for a border-only force and the mandate, from the stakeholders' "
            "own statements.",
            caption=True,
        ),
        Table(
            lambda: derived.stakeholder_table(version, RED_LINES),
            "The red lines, with their sources",
            "table-red-lines",
            "positions",
        ),
        Heading("The mandate's tasks and what rules a contributor out"),
        Table(
            lambda: derived.tasks_table(version),
            "The tasks and their rules, with their sources",
            "table-tasks",
            "tasks",
        ),
    )


@derived.cached
def country_lines(key: ViewKey) -> tuple[tuple[str, str, str], ...]:
    """Every country of the view on a line, built once per view: a list of 190 costs a rerun ~20 ms."""
    lines = []
    for _, position in derived.view(key).positions.sort_values("country", kind="stable").iterrows():
        said = (
            tables.status_label(position["status"]),
            f"troops: {tables.figure_with_basis(position)}",
            f"disarming Hamas: {tables.stance_with_basis(position)}",
            f"latest statement {day_text(position['last_date'])}",
        )
        lines.append((str(position["iso3"]), str(position["country"]), " · ".join(said)))
    return tuple(lines)


def provenance_lines(provenance: pd.DataFrame) -> tuple[tuple, ...]:
    """Each value of a position on a line of its own, with the statement behind it and a link to
    its source under the source's host: reads on a phone, where a wide table does not."""
    lines = []
    for _, value in provenance.iterrows():
        behind = [value["Statement"], day_text(value["Date"]), str(value["Reliability"]).lower()]
        said = f" {value['Value']} — " + " · ".join(p for p in behind if p)
        lines.append((Strong(f"{value['Field']}:"), said, *source_link(value["Source"])))
    return tuple(lines)


def profile(asked: Asked, iso3: str) -> tuple[Block, ...]:
    key, name = asked.key, asked.choices.countries[iso3]
    provenance = derived.provenance_table(key, iso3)
    blocks: list[Block] = [Heading(name, level=2), Suggest(iso3)]
    if provenance is None:
        blocks.append(Notice(f"{name} had made no dated statement by {summary.day_words(asked.view.as_of)}."))
    else:
        dated = summary.dated_phrase(asked.view.dated, asked.view.as_of_set)
        blocks += [
            Text(" ".join(derived.country_sentences(key, iso3))),
            Heading(f"Position, {dated}, value by value"),
            Text(
                "Each value comes from the latest statement that stated it; conditions and roles add up "
                "until withdrawn.",
                caption=True,
            ),
            Bullets(provenance_lines(provenance)),
        ]
    blocks.append(Heading("Statements over time"))
    dated, total = derived.newest_dated(key, iso3)
    if note := timeline_note(dated, total):
        blocks.append(Text(note, caption=True))
    blocks += charts_of(asked, iso3) if not dated.empty else [Notice("No dated statement up to this date.")]
    table = derived.country_statements(key, iso3)
    latest = derived.latest_statements(key, PROFILE_CARDS, iso3)
    left_out = len(table) - len(latest)
    label = f"Every statement as a table ({len(table):,}" + (
        f", with {left_out:,} corrected, undated or older)" if left_out else ")"
    )
    blocks += [
        Heading("Its statements, newest first"),
        Cards(statement_cards(latest, asked.data), legend=True),
        Table(lambda: table.drop(columns=["Country"]), label, f"table-statements-{iso3}", "statements"),
    ]
    if undated := int(table["Date"].isna().sum()):
        blocks.append(
            Text(
                f"{undated} statement(s) have no known date: listed last, never used for a position.",
                caption=True,
            )
        )
    return tuple(blocks)


def country(asked: Asked) -> tuple[Block, ...]:
    chosen = asked.countries()
    if not chosen:
        return (
            Text("Choose a country for its profile (or pick countries in the filters; the link keeps them)."),
            Countries(country_lines(asked.key)),
        )
    if len(chosen) == 1:
        return profile(asked, chosen[0])
    return (Tabs(tuple(Section(asked.choices.countries[iso3], profile(asked, iso3)) for iso3 in chosen)),)


def statements(asked: Asked) -> tuple[Block, ...]:
    total = len(asked.view.statements)
    return (
        *newest_of(STATEMENT_CARDS, total, "statements"),
        Cards(
            statement_cards(derived.newest_statements(asked.key, STATEMENT_CARDS), asked.data), legend=True
        ),
        Table(
            lambda: derived.newest_ledger(asked.key),
            f"Every statement as a table ({total:,})",
            "table-statements",
            "statements",
            columns=tables.OVERVIEW_LEDGER_COLUMNS,
            total=total,
        ),
    )


def source_card(source: pd.Series) -> Card:
    return Card(
        title=day_text(source["Date"]) or "Undated",
        lines=(f"{source['Reliability']} · {source['Countries']} · {source['Statements']}",),
        footer=(Link(tables.outlet_words(str(source["Outlet"])), str(source["Source"])),),
    )


def sources(asked: Asked) -> tuple[Block, ...]:
    table = derived.sources_table(asked.key)
    return (
        *newest_of(SOURCE_CARDS, len(table), "sources"),
        Cards(tuple(source_card(source) for _, source in table.head(SOURCE_CARDS).iterrows())),
        Table(lambda: table, f"All {len(table):,} sources as a table", "table-sources", "sources"),
    )


def change_span(asked: Asked) -> tuple[dt.date, dt.date]:
    """The window "What changed" lists: the chosen days, else the record's last 90 days (the same
    days its date boxes show)."""
    by_key = {option.key: option for option in filters.PAGE_OPTIONS["changes"]}
    end = by_key["to"].applied(asked.options.get("to"), asked.choices)
    return by_key["from"].applied(asked.options.get("from"), asked.choices, {"to": end}), end


def window_presets(asked: Asked) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """Windows a reader picks in one click: the record's last 90 days; since the data's last release
    (its Data Package version, dated by its changelog), when there is one."""
    last, today = asked.choices.last_date, asked.choices.today
    presets = [
        ("The record's last 90 days", max(asked.choices.earliest_day, last - filters.CHANGE_SPAN), last)
    ]
    released = derived.release_day(asked.key.version)
    if released and released <= today:
        presets.append((f"Since the last data release ({derived.release(asked.key.version)}, "
                        f"{day_text(released)})", released, today))  # fmt: skip
    return tuple(presets)


def changes(asked: Asked) -> tuple[Block, ...]:
    start, end = change_span(asked)
    span = Text(
        f"Every change after {start.isoformat()}, up to and including {end.isoformat()}: each statement that "
        "changed a value, by country, oldest first.",
        caption=True,
    )
    if start > end:
        return (span, Notice(f"No day lies in this window: choose a From date before {end.isoformat()}."))
    if notice := empty_notice(asked):
        return (span, notice)
    table = derived.changes_table(asked.key, start, end)
    if table.empty:
        latest = f" (the record's latest statement: {day_text(asked.choices.last_date)})"
        return (span, Notice("No change in the positions shown between these dates" + latest + "."))
    shown = table.rename(columns=str.capitalize).rename(
        columns={"Statement_id": "Statement", "Source_url": "Source"}
    )
    return (
        span,
        *newest_of(LISTED_CHANGES, len(table), "changes"),
        *(Bullets(lines, heading=name) for name, lines in change_lines(asked.key, start, end)),
        Table(
            lambda: shown.drop(columns=["Iso3"]),
            f"Every change as a table ({len(table):,})",
            "table-changes",
            "changes",
        ),
    )


@derived.cached
def change_lines(key: ViewKey, start: dt.date, end: dt.date) -> tuple[tuple[str, tuple], ...]:
    """The newest LISTED_CHANGES changes by country (A to Z), each country's oldest first, built once
    per view: "Status: Conditional offer → On hold — S079 · 17 Mar 2026 · jawawa.id"."""
    by_country: dict[str, list] = {}
    listed = derived.changes_table(key, start, end).tail(LISTED_CHANGES)
    for _, change in listed.sort_values("country", kind="stable").iterrows():
        before, after = (str(change[side]).strip() for side in ("before", "after"))
        moved = f"{before} → {after}" if before and after else (after or before)
        said = f"{change['change']}: {moved} — {change['statement_id']} · {day_text(change['date'])}"
        by_country.setdefault(str(change["country"]), []).append((said, *source_link(change["source_url"])))
    return tuple((name, tuple(lines)) for name, lines in by_country.items())


def _country_rows(asked: Asked) -> pd.DataFrame | None:
    chosen = asked.countries()
    return derived.country_statements(asked.key, chosen[0]) if len(chosen) == 1 else None


def _changes_rows(asked: Asked) -> pd.DataFrame | None:
    start, end = change_span(asked)
    return derived.changes_table(asked.key, start, end) if start <= end else None


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview",
        "Troops for the Gaza force",
        "",
        overview,
        lambda asked: derived.positions_table(asked.key),
        short="Overview",
        download="positions",
        only_notice_when_empty=False,
    ),
    PageSpec(
        "map",
        "Map of positions",
        "Each country coloured by its stance on disarming Hamas (or by "
        "its status), on the region where the countries are or the whole world.",
        map_page,
        short="Map",
    ),
    PageSpec(
        "charts",
        "Charts",
        "The troop figures each country has stated, by how they are known, and every statement over time.",
        charts_page,
    ),
    PageSpec(
        "conditions",
        "Condition matrix",
        "A row per country: first its stance on disarming Hamas, then each condition it holds, then each "
        "role it offers. A country's conditions add up over its statements until it withdraws one. Each "
        "cell names the statement behind it and opens its source; on a phone, a block per country, whose "
        "chips open the statement behind them when tapped.",
        conditions,
    ),
    PageSpec("country", "Country profile", "", country, _country_rows),
    PageSpec(
        "statements",
        "Statements",
        "Every statement behind the view, newest first. A corrected "
        "statement stays listed, marked with the row that corrects it; only the correction counts.",
        statements,
    ),
    PageSpec(
        "sources",
        "Sources",
        "Every source behind the statements shown, newest first: the outlet (its name is the link), the day "
        "of its first statement here, how reliable it is (on record, reported, unconfirmed), and the "
        "countries and statements resting on it.",
        sources,
        lambda asked: derived.sources_table(asked.key),
    ),
    PageSpec(
        "changes",
        "What changed",
        "Every change to a country's position between two days, statement by statement, so a stage "
        "passed through in between is listed too.",
        changes,
        _changes_rows,
        only_notice_when_empty=False,
    ),
)


def spec(name: str) -> PageSpec:
    return next(page for page in PAGES if page.name == name)


def build(asked: Asked) -> Page:
    """The page `asked.page` for its view: its own options first (where a snapshot says them in
    words), then its blocks, or only why the view is empty."""
    page = spec(asked.page)
    own = tuple(option.key for option in filters.PAGE_OPTIONS.get(page.name, ()))
    notice = empty_notice(asked) if page.only_notice_when_empty else None
    built = ((Options(own),) if own else ()) + ((notice,) if notice else page.build(asked))
    image = image_chart(page.name, len(asked.countries()))
    return Page(page.name, page.title, page.intro, built, image, page.download or page.name)


def image_chart(name: str, countries: int) -> tuple[str, str]:
    """The chart a link to the page previews with: its main one, else the overview's."""
    charts = chart_registry.of_page(name, countries)
    return (name, charts[0].name) if charts else ("overview", "coverage")
