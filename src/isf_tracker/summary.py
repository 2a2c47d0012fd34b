"""The answer in words: what the current view says about who offers what, and who will take
part in disarming Hamas, as short plain sentences a reader takes in at a glance.

Pure functions of the view's positions, so every sentence is tested on small ledgers without
Streamlit. Sentences are plain text (never Markdown): names and quotes come from the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from isf_tracker import positions as views
from isf_tracker.schema import MandateTask, Stance, Status
from isf_tracker.tables import is_blank, troops_text

#: Statuses in the order the participation sentence lists them, with how each reads.
PARTICIPATION: tuple[tuple[Status, str, str, str], ...] = (
    # status, one of several, several, a country on its own
    (Status.DEPLOYED, "has deployed", "have deployed", "has deployed"),
    (Status.COMMITTED, "has committed", "have committed", "has committed to take part"),
    (Status.OFFERED, "has offered", "have offered", "has offered to take part"),
    (Status.CONDITIONAL, "offers on conditions", "offer on conditions", "offers to take part on conditions"),
    (Status.CONSIDERING, "is considering it", "are considering it", "is considering taking part"),
)
#: Stances in the order the disarmament lists show them.
STANCE_GROUPS: tuple[tuple[Stance, str], ...] = (
    (Stance.REFUSES, "Refuse to take part"),
    (Stance.CONDITIONAL, "Only on conditions"),
    (Stance.WILL_DISARM, "Will take part"),
    (Stance.UNSTATED, "Have not said"),
)
#: Countries named in a sentence before it says "and N others".
NAMES_IN_A_SENTENCE = 10
QUOTE_WORDS = 24


def plural(count: int, one: str, many: str) -> str:
    """ "1 country", "3 countries", "no country"."""
    if count == 0:
        return f"no {one}"
    return f"{count:,} {one if count == 1 else many}"


def names(items: Sequence[str], limit: int = NAMES_IN_A_SENTENCE) -> str:
    """ "Egypt", "Egypt and Jordan", "Egypt, Jordan and Qatar"; past `limit`, "… and 4 others"."""
    items = list(items)
    if len(items) > limit:
        rest = len(items) - limit + 1
        items = [*items[: limit - 1], f"{rest} others"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    """The first letter capitalised, the rest as it is (names keep their capitals)."""
    return text[:1].upper() + text[1:]


def day_words(day: dt.date) -> str:
    """ "2 December 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_quote(text: str, words: int = QUOTE_WORDS) -> str:
    cut = text.split()
    return " ".join(cut) if len(cut) <= words else " ".join(cut[:words]) + " …"


@dataclass(frozen=True)
class Figure:
    country: str
    low: int
    high: int
    as_stated: str = ""

    @property
    def text(self) -> str:
        return f"{self.country} {troops_text(self.low, self.high)}"

    @property
    def words(self) -> str:
        """The source's own words for the figure when there are some ("up to 8,000")."""
        return self.as_stated or troops_text(self.low, self.high)


@dataclass(frozen=True)
class Deployment:
    country: str
    troops_as_stated: str
    quote: str
    outlet: str
    date: dt.date | None


@dataclass(frozen=True)
class Summary:
    """The figures the sentences are made of, for the countries of one view on one day."""

    as_of: dt.date
    shown: int  # countries in the view
    with_position: int  # countries with any dated statement by as_of (same sources)
    filtered: bool
    first_statement: dt.date | None
    by_status: Mapping[str, tuple[str, ...]]  # status code -> country names
    offering: tuple[str, ...]
    offered: tuple[int, int]
    figures: tuple[Figure, ...]  # countries offering that state a figure, most first
    on_hold: tuple[Figure | str, ...]  # with their suspended figure where stated
    on_hold_since: Mapping[str, dt.date]
    deployments: tuple[Deployment, ...]
    by_stance: Mapping[str, tuple[str, ...]]  # stance code -> country names
    for_disarmament: tuple[int, int] | None
    disarmament_task: str | None


def summarise(
    positions: pd.DataFrame,
    everyone: pd.DataFrame,
    statements: pd.DataFrame,
    tasks: Sequence[MandateTask],
    as_of: dt.date,
    filtered: bool,
) -> Summary:
    """The summary of `positions` (the view's countries) out of `everyone` (all countries with a
    position on `as_of`); `statements` gives the words of the statements behind the values."""
    ordered = positions.sort_values("country", kind="stable")
    by_id = statements.set_index("statement_id")
    offering = views.offering(ordered)
    most_first = offering.sort_values(["troops_high", "country"], ascending=[False, True])
    figures = tuple(_figure_or_name(row) for row in most_first.itertuples() if not is_blank(row.troops_high))
    held = ordered[ordered["status"] == Status.ON_HOLD.value]
    on_hold = tuple(_figure_or_name(row) for row in held.itertuples())
    since = {row.country: status_since(statements, row.iso3, Status.ON_HOLD.value, as_of) or
             by_id.at[row.status_from, "date"].date() for row in held.itertuples()}  # fmt: skip
    deployed = ordered[ordered["status"] == Status.DEPLOYED.value]
    deployments = tuple(_deployment(row, by_id) for row in deployed.itertuples())
    disarm = next((t for t in tasks if t.code == views.DISARMAMENT_TASK), None)
    able = None if disarm is None else offering[views.available_for(offering, disarm)]
    dates = statements["date"].dropna()
    return Summary(
        as_of=as_of,
        shown=len(ordered),
        with_position=len(everyone),
        filtered=filtered,
        first_statement=dates.min().date() if len(dates) else None,
        by_status={s.value: tuple(ordered.loc[ordered["status"] == s.value, "country"]) for s in Status},
        offering=tuple(offering["country"]),
        offered=views.troop_range(offering),
        figures=figures,
        on_hold=on_hold,
        on_hold_since=since,
        deployments=deployments,
        by_stance={s.value: tuple(ordered.loc[ordered["disarmament"] == s.value, "country"]) for s in Stance},
        for_disarmament=None if able is None else views.troop_range(able),
        disarmament_task=None if disarm is None else disarm.label,
    )


def status_since(statements: pd.DataFrame, iso3: str, status: str, as_of: dt.date) -> dt.date | None:
    """The first day of the country's current run of statements with `status` (statements in
    force up to `as_of` that state a status): an offer put on hold on 16 March and said to be on
    hold again on 17 March has been on hold since 16 March."""
    stated = statements[
        (statements["iso3"] == iso3)
        & statements["date"].notna()
        & (statements["date"] <= pd.Timestamp(as_of))
        & statements["superseded_by"].isna()
        & statements["status"].map(lambda value: not is_blank(value))
    ].sort_values(["date", "line"], kind="stable")
    since = None
    for _, statement in stated.iloc[::-1].iterrows():
        if statement["status"] != status:
            break
        since = statement["date"].date()
    return since


def _figure_or_name(row: object) -> Figure | str:
    if is_blank(row.troops_high):
        return row.country
    words = "" if is_blank(row.troops_as_stated) else str(row.troops_as_stated)
    return Figure(row.country, int(row.troops_low), int(row.troops_high), words)


def _deployment(row: object, by_id: pd.DataFrame) -> Deployment:
    stated = by_id.loc[row.status_from]
    quote = "" if is_blank(stated["quote"]) else short_quote(str(stated["quote"]))
    date = stated["date"].date() if pd.notna(stated["date"]) else None
    words = "" if is_blank(row.troops_as_stated) else str(row.troops_as_stated)
    return Deployment(row.country, words, quote, str(stated["source_outlet"]), date)


# --- the sentences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """The sentences in three parts: the answer to the question the tracker exists for (who will
    take part in disarming Hamas), who has a position and takes part, and the details."""

    headline: list[str]
    scope: list[str]
    details: list[str]


def answer(summary: Summary) -> Answer:
    day = day_words(summary.as_of)
    if summary.with_position == 0:
        first = summary.first_statement
        later = f" The first statement in the record is from {day_words(first)}." if first else ""
        return Answer([f"No country had stated a position on the force by {day}.{later}"], [], [])
    if summary.shown == 0:
        out_of = plural(summary.with_position, "country", "countries")
        return Answer(
            [f"No country matches these filters on {day}, out of the {out_of} with a position."], [], []
        )
    details = [_deployed(summary), _figures(summary), _on_hold(summary), _declined(summary)]
    return Answer(
        headline=[text for text in (_disarmament(summary), _available(summary)) if text],
        scope=[_scope(summary, day), _participation(summary)],
        details=[text for text in details if text],
    )


def sentences(summary: Summary) -> list[str]:
    """The answer, in the order a reader who reads it all needs it; each item one plain sentence."""
    parts = answer(summary)
    return [*parts.scope, *parts.details, *parts.headline] if parts.scope else parts.headline


def _scope(summary: Summary, day: str) -> str:
    if summary.filtered:
        of_all = plural(summary.with_position, "country", "countries")
        return (
            f"As of {day}, these filters show {summary.shown:,} of the {of_all} with a position on the force."
        )
    counted = plural(summary.shown, "country has", "countries have")
    return f"As of {day}, {counted} stated a position on the force."


def _participation(summary: Summary) -> str:
    offering = len(summary.offering)
    if offering == 0:
        return "None of them offers to take part."
    if offering == 1:
        country = summary.offering[0]
        alone = next(own for status, _, _, own in PARTICIPATION if country in summary.by_status[status.value])
        return f"{country} {alone}."
    parts = [
        f"{len(who):,} {one if len(who) == 1 else many}"
        for status, one, many, _ in PARTICIPATION
        if (who := summary.by_status.get(status.value, ()))
    ]
    whole = "All of them" if offering == summary.shown else f"{offering:,}"
    return f"{whole} offer or consider taking part: {names(parts)}."


def _deployed(summary: Summary) -> str:
    if not summary.deployments:
        return ""
    described = []
    for d in summary.deployments:
        what = f"{d.country} ({d.troops_as_stated})" if d.troops_as_stated else d.country
        when = f", {d.date.day} {d.date:%b %Y}" if d.date else ""
        described.append(f'{what}: "{d.quote}" ({d.outlet}{when})' if d.quote else what)
    return "Deployed: " + "; ".join(described) + "."


def _figures(summary: Summary) -> str:
    offering = len(summary.offering)
    if offering == 0:
        return ""
    if not summary.figures:
        return f"None of the {plural(offering, 'country', 'countries')} offering has stated a troop figure."
    total = troops_text(*summary.offered)
    if summary.shown == 1:
        figure = summary.figures[0]
        words = f" ({figure.as_stated})" if figure.as_stated else ""
        return f"Its stated troop figure: {total}{words}."
    listed = "; ".join(figure.text for figure in summary.figures[:NAMES_IN_A_SENTENCE])
    silent = offering - len(summary.figures)
    rest = (
        f"; {plural(silent, 'other', 'others')} {'has' if silent == 1 else 'have'} stated no figure"
        if silent
        else ""
    )
    if offering == 1:
        source = "from the only country offering"
    elif len(summary.figures) == offering:
        source = (
            "from both countries offering" if offering == 2 else f"from all {offering:,} countries offering"
        )
    else:
        source = f"from {len(summary.figures):,} of the {offering:,} countries offering"

    return f"Stated troop figures add up to {total}, {source} ({listed}){rest}."


def _on_hold(summary: Summary) -> str:
    if not summary.on_hold:
        return ""
    described = []
    for item in summary.on_hold:
        name = item.country if isinstance(item, Figure) else item
        figure = f"{item.words}, " if isinstance(item, Figure) else ""
        since = summary.on_hold_since.get(name)
        described.append(f"{name} ({figure}on hold since {day_words(since)})" if since else name)
    label = "Offer on hold" if len(described) == 1 else "Offers on hold"
    return f"{label}, not counted above: {names(described)}."


def _declined(summary: Summary) -> str:
    who = summary.by_status.get(Status.DECLINED.value, ())
    if not who:
        return ""
    return sentence_case(f"{plural(len(who), 'country has', 'countries have')} declined: {names(who)}.")


def _disarmament(summary: Summary) -> str:
    refuse, conditional, will, unsaid = (
        summary.by_stance.get(stance.value, ())
        for stance in (Stance.REFUSES, Stance.CONDITIONAL, Stance.WILL_DISARM, Stance.UNSTATED)
    )
    shown = summary.shown
    if shown == 1:
        country = (will or refuse or conditional or unsaid)[0]
        if will:
            return f"{country} will take part in disarming Hamas."
        if refuse:
            return f"{country} refuses to take part in disarming Hamas."
        if conditional:
            return f"{country} would take part in disarming Hamas only on conditions."
        return f"{country} has not said whether it would take part in disarming Hamas."
    if len(refuse) == shown:
        everyone = "Both countries" if shown == 2 else f"All {shown:,} countries"
        return f"{everyone} refuse to take part in disarming Hamas: {names(refuse)}."
    if will:
        lead = f"{len(will):,} will take part in disarming Hamas ({names(will)})"
    else:
        lead = f"None of the {shown:,} countries will take part in disarming Hamas"
    parts = []
    if refuse:
        parts.append(f"{len(refuse):,} {'refuses' if len(refuse) == 1 else 'refuse'} ({names(refuse)})")
    if conditional:
        parts.append(f"{len(conditional):,} would only on conditions ({names(conditional)})")
    if unsaid:
        parts.append(f"{len(unsaid):,} {'has' if len(unsaid) == 1 else 'have'} not said")
    joiner = "; " if will else ": "
    return f"{lead}{joiner}{names(parts)}." if parts else f"{lead}."


def _available(summary: Summary) -> str:
    if summary.for_disarmament is None or summary.disarmament_task is None:
        return ""
    available = troops_text(*summary.for_disarmament) or "0"
    offered = troops_text(*summary.offered)
    of_all = f" of the {offered} offered" if offered else ""
    task = summary.disarmament_task[:1].lower() + summary.disarmament_task[1:]
    return f"Troops available for {task}: {available}{of_all}."


def stance_lists(summary: Summary) -> list[tuple[str, tuple[str, ...]]]:
    """Who stands where on disarming Hamas: (heading, country names) for each stance."""
    return [(label, summary.by_stance.get(stance.value, ())) for stance, label in STANCE_GROUPS]


def ago(then: dt.date, today: dt.date) -> str:
    """ "today", "3 days ago", "5 months ago", "2 years ago": how old, in the unit a reader uses."""
    days = (today - then).days
    if days <= 0:
        return "today"
    if days < 61:
        return "1 day ago" if days == 1 else f"{days} days ago"
    months = round(days / 30.44)
    if months < 24:
        return f"{months} months ago"
    return f"{round(days / 365.25)} years ago"


def currency(
    latest: dt.date | None,
    reviewed_on: dt.date | None,
    searched_to: dt.date | None,
    today: dt.date,
    approximate: bool = True,
) -> str:
    """How current the record is, honestly: its newest statement and when it was last checked."""
    parts = []
    if latest is not None:
        parts.append(f"Latest statement in the record: {day_words(latest)} ({ago(latest, today)}).")
    else:
        parts.append("The record holds no dated statement yet.")
    if reviewed_on is not None:
        reach = ""
        if searched_to is not None:
            about = "about " if approximate else ""
            reach = f"; the sources searched reach {about}{day_words(searched_to)}"
        parts.append(f"Last checked against the sources on {day_words(reviewed_on)}{reach}.")
    return " ".join(parts)
