"""The answer in words: what the view's record says about who takes part in the force, on what
terms, and whether any government has said it would help disarm Hamas. Sentences a journalist can
quote: dated by the record, with verbs no stronger than the evidence ("has said", "ruled out",
"reportedly"), countries grouped by how their stance is known, and no figure from an unconfirmed
report summed with one on record.

Pure functions of the view's positions, tested on small ledgers without Streamlit. Sentences are
plain text (never Markdown): names and quotes come from the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from isf_tracker import positions as views
from isf_tracker import vocabulary as words
from isf_tracker.schema import MandateTask, Reliability, Stance, Status, Translation
from isf_tracker.tables import figure_words, is_blank

#: Countries named in a sentence before it says "and N others".
NAMES_IN_A_SENTENCE = 10
QUOTE_WORDS = 24
#: What a group of countries "has/have" done, by stance (the country or countries come first).
GROUP_VERBS: dict[str, tuple[str, str]] = {
    Stance.WILL_DISARM.value: ("has said it would take part", "have said they would take part"),
    Stance.ON_CONDITIONS.value: ("has said it would take part only on conditions",
                                 "have said they would take part only on conditions"),
    Stance.REFUSES.value: ("has ruled it out explicitly", "have ruled it out explicitly"),
    Stance.RULES_OUT_COMBAT.value: (
        "has ruled out combat or peace enforcement, which disarming would need",
        "have ruled out combat or peace enforcement, which disarming would need",
    ),
    Stance.NO_TROOPS.value: ("has said it will send no troops", "have said they will send no troops"),
    Stance.SEQUENCING_ONLY.value: ("has spoken only of when Hamas should disarm, not of its own part",
                                   "have spoken only of when Hamas should disarm, not of their own part"),
    Stance.UNSTATED.value: ("has not addressed it", "have not addressed it"),
}  # fmt: skip
#: One country's stance as a whole sentence's predicate.
ONE_VERB: dict[str, str] = {
    Stance.WILL_DISARM.value: "has said it would take part in disarming Hamas",
    Stance.ON_CONDITIONS.value: "has said it would take part in disarming Hamas only on conditions",
    Stance.REFUSES.value: "has explicitly ruled out taking part in disarming Hamas",
    Stance.RULES_OUT_COMBAT.value: "has ruled out combat or peace enforcement, which disarming Hamas "
    "would need, but has not spoken of disarming Hamas as such",
    Stance.NO_TROOPS.value: "has said it will send no troops, so the question of disarming Hamas does "
    "not arise for it",
    Stance.SEQUENCING_ONLY.value: "has spoken only of when Hamas should disarm, not of its own part in it",
    Stance.UNSTATED.value: "has not addressed whether it would take part in disarming Hamas",
}
#: One country's status as a sentence's predicate, in the order the participation sentence lists
#: the statuses (under their vocabulary's short words).
ONE_STATUS = {
    Status.DEPLOYED.value: "has deployed",
    Status.COMMITTED.value: "has committed to take part",
    Status.OFFERED.value: "has offered to take part",
    Status.CONDITIONAL.value: "has offered to take part on conditions",
    Status.CONSIDERING.value: "is considering taking part",
    Status.ON_HOLD.value: "has put its part on hold",
}
#: How a name is qualified when what is said of it rests on a report, not the record.
QUALIFIERS = {Reliability.REPORTED.value: "reportedly", Reliability.UNCONFIRMED.value: "unconfirmed"}


def plural(count: int, one: str, many: str) -> str:
    """ "1 country", "3 countries" (a sentence that counts has something to count)."""
    return f"{count:,} {one if count == 1 else many}"


def names(items: Sequence[str]) -> str:
    """ "Egypt", "Egypt and Jordan", "Egypt, Jordan and Qatar"; a long list ends "… and 4 others"."""
    items = list(items)
    if len(items) > NAMES_IN_A_SENTENCE:
        rest = len(items) - NAMES_IN_A_SENTENCE + 1
        items = [*items[: NAMES_IN_A_SENTENCE - 1], f"{rest} others"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    """The first letter capitalised, the rest as it is (names keep their capitals)."""
    return text[:1].upper() + text[1:]


def day_words(day: dt.date) -> str:
    """ "2 December 2026"."""
    return f"{day.day} {day:%B %Y}"


def quoted(said: Said | None, limit: int = QUOTE_WORDS) -> str:
    """': "…" (Israel Hayom, 30 Oct 2025)', the statement's first `limit` words after a name; ""
    when it has no quote."""
    if said is None or not said.quote:
        return ""
    cut = said.quote.split()
    quote = " ".join(cut[:limit]) + (" …" if len(cut) > limit else "")
    when = f"{said.date.day} {said.date:%b %Y}" if said.date else "undated"
    return f': "{quote}" ({said.outlet}, {when})'


@dataclass(frozen=True)
class Said:
    """A statement a value is cited from: how reliable it is, who carried it and when."""

    statement_id: str
    reliability: str
    outlet: str
    date: dt.date | None
    quote: str  # in English where the ledger has a rendering


@dataclass(frozen=True)
class Figure:
    """A country's troop figure with how it is known: its basis (on record, reported, unconfirmed)
    and its state (in place, committed, offered, …, or since called undecided by its government)."""

    low: int | None
    high: int | None
    words: str  # the source's own words, in English where rendered ("" when none)
    reliability: str
    state: str
    disowned: Said | None  # the statement that called it undecided


@dataclass(frozen=True)
class Country:
    """One country of the view with what the sentences say of it."""

    name: str
    status: str | None
    status_said: Said | None
    status_since: dt.date | None  # the first day of its current run of that status
    roles: tuple[str, ...]  # labels, lower case
    withdrawn_roles: tuple[tuple[str, Said], ...]
    was_committed: bool  # a statement in force has said "committed"
    stance: str
    stance_said: Said | None
    figure: Figure | None

    @property
    def figure_text(self) -> str:
        """ "3,500 ("around 3,500 troops")", "up to 8,000", "one battalion" (in words only)."""
        return figure_words(self.figure.low, self.figure.high, self.figure.words) if self.figure else ""

    @property
    def on_hold_since(self) -> str:
        """ "since 16 March 2026" while its part is on hold ("" otherwise)."""
        on_hold = self.status == Status.ON_HOLD.value and self.status_since
        return f"since {day_words(self.status_since)}" if on_hold else ""

    @property
    def joining(self) -> bool:
        """Taking part in the force or considering it: everything but declining it."""
        return self.status != Status.DECLINED.value


@dataclass(frozen=True)
class Summary:
    """The facts of one view on one day."""

    as_of: dt.date
    as_of_set: bool  # the reader chose the day ("As of …"); else the record's latest statement
    record_date: dt.date | None  # the latest statement in force on `as_of`, in the whole record
    shown: int
    with_position: int
    filtered: bool
    first_statement: dt.date | None
    countries: tuple[Country, ...]  # by name
    disarmament_task: str | None

    def with_status(self, status: str) -> list[Country]:
        return [c for c in self.countries if c.status == status]

    @property
    def joining(self) -> list[Country]:
        return [c for c in self.countries if c.joining]

    def by_stance(self) -> dict[str, list[Country]]:
        """The countries joining, by stance (said first, then inferred), each on record first."""
        return {
            code: _by_basis([c for c in self.joining if c.stance == code]) for code in words.CURRENT_STANCES
        }


def summarise(
    positions: pd.DataFrame,
    everyone: pd.DataFrame,
    statements: pd.DataFrame,
    tasks: Sequence[MandateTask],
    as_of: dt.date,
    filtered: bool,
    as_of_set: bool,
    renderings: Mapping[tuple[str, str], Translation],
    role_labels: Mapping[str, str],
) -> Summary:
    """The summary of `positions` (the view's countries) out of `everyone` (all countries with a
    position on `as_of`); `statements` gives the words of the statements behind the values."""
    in_force = views.statements_until(statements, as_of)
    dates = statements["date"].dropna()
    disarm = next((t for t in tasks if t.code == views.DISARMAMENT_TASK), None)
    cited = {sid for column in ("status_from", "troops_disowned_by", "disarmament_from")
             for sid in positions[column] if isinstance(sid, str)}  # fmt: skip
    cited |= {sid for pairs in positions["roles_withdrawn"] for _, sid in pairs}
    rows = statements[statements["statement_id"].isin(cited)].set_index("statement_id")
    by_id = rows[["reliability", "source_outlet", "date", "quote"]].to_dict("index")
    stated = in_force[in_force["status"].notna() & (in_force["status"] != "")]
    runs = {iso3: (list(group["status"]), list(group["date"])) for iso3, group in stated.groupby("iso3")}

    def said(statement_id: object) -> Said | None:
        if is_blank(statement_id):
            return None
        row = by_id[statement_id]
        rendering = renderings.get((statement_id, "quote"))
        quote = rendering.english if rendering else ("" if is_blank(row["quote"]) else str(row["quote"]))
        date = row["date"].date() if pd.notna(row["date"]) else None
        return Said(statement_id, row["reliability"], str(row["source_outlet"]), date, quote)

    def role(code: str) -> str:
        return role_labels.get(code, code).lower()

    countries = []
    for row in positions.sort_values("country", kind="stable").itertuples():
        statuses, days = runs.get(row.iso3, ([], []))
        figure = None
        if not is_blank(row.troops_reliability):
            rendering = renderings.get((row.troops_from, "troops_as_stated"))
            stated = "" if is_blank(row.troops_as_stated) else str(row.troops_as_stated)
            figure = Figure(
                None if is_blank(row.troops_low) else int(row.troops_low),
                None if is_blank(row.troops_high) else int(row.troops_high),
                rendering.english if rendering else stated,
                row.troops_reliability,
                row.troops_state,
                said(row.troops_disowned_by),
            )
        countries.append(
            Country(
                name=row.country,
                status=None if is_blank(row.status) else row.status,
                status_said=said(row.status_from),
                status_since=None if is_blank(row.status) else _run_start(statuses, days, row.status),
                roles=tuple(role(code) for code in row.roles),
                withdrawn_roles=tuple((role(code), said(sid)) for code, sid in row.roles_withdrawn),
                was_committed=Status.COMMITTED.value in statuses,
                stance=row.disarmament,
                stance_said=said(row.disarmament_from),
                figure=figure,
            )
        )
    return Summary(
        as_of=as_of,
        as_of_set=as_of_set,
        record_date=in_force["date"].max().date() if len(in_force) else None,
        shown=len(positions),
        with_position=len(everyone),
        filtered=filtered,
        first_statement=dates.min().date() if len(dates) else None,
        countries=tuple(countries),
        disarmament_task=None if disarm is None else disarm.label,
    )


def _run_start(statuses: Sequence[str], days: Sequence[pd.Timestamp], status: str) -> dt.date | None:
    """The first day of the trailing run of `status` in a country's statuses, oldest first."""
    since = None
    for stated, day in zip(reversed(statuses), reversed(days), strict=True):
        if stated != status:
            break
        since = day.date()
    return since


@dataclass(frozen=True)
class Answer:
    """The sentences in three parts: the answer to the question the tracker exists for (has any
    government said it would help disarm Hamas, and how is each stance known), who takes part
    and with what, and the details (the deployment, the troop figures by how they are known)."""

    headline: list[str]
    scope: list[str]
    details: list[str]

    @property
    def lead(self) -> str:
        """The headline as one paragraph: the words a link preview and an image caption carry."""
        return " ".join(self.headline)


def dated_phrase(dated: dt.date, as_of_set: bool) -> str:
    """The view's one date in a caption: "record as of 18 June 2026" (its latest statement), or
    "as of 31 December 2025" for a chosen day; never today's date."""
    return f"{'as of' if as_of_set else 'record as of'} {day_words(dated)}"


def answer(summary: Summary) -> Answer:
    if summary.with_position == 0:
        first = summary.first_statement
        later = f" The first statement in the record is from {day_words(first)}." if first else ""
        by = day_words(summary.as_of)
        return Answer([f"No country had stated a position on the force by {by}.{later}"], [], [])
    if summary.shown == 0:
        out_of = plural(summary.with_position, "country", "countries")
        return Answer([f"No country matches these filters on {day_words(summary.as_of)}, out of the "
                       f"{out_of} with a position."], [], [])  # fmt: skip
    scope = [_scope(summary), _not_joining(summary), _participation(summary)]
    details = [_deployed(summary), _figures(summary), _changed_since_committing(summary)]
    return Answer(
        headline=_disarmament(summary),
        scope=[text for text in scope if text],
        details=[text for text in details if text],
    )


def sentences(summary: Summary) -> list[str]:
    """The answer, in the order a reader who reads it all needs it; each item one plain sentence."""
    parts = answer(summary)
    return [*parts.headline, *parts.scope, *parts.details]


def qualifier(said: Said | None) -> str:
    """ " (reportedly)" or " (unconfirmed)" when what is said rests on a report, not the record."""
    word = QUALIFIERS.get(said.reliability) if said else None
    return f" ({word})" if word else ""


def qualified(country: Country, said: Said | None) -> str:
    return country.name + qualifier(said)


def _by_basis(countries: Sequence[Country]) -> list[Country]:
    """On-record first, then reported, then unconfirmed; by name within each."""
    rank = views.RELIABILITY_RANK
    return sorted(countries, key=lambda c: (rank.get(c.stance_said.reliability, 0) if c.stance_said else 0,
                                            c.name))  # fmt: skip


def _disarmament(summary: Summary) -> list[str]:
    joining = summary.joining
    if summary.as_of_set or summary.record_date is None:
        opening = f"As of {day_words(summary.as_of)},"
    else:
        opening = f"As of the latest statements in the record, {day_words(summary.record_date)},"
    if summary.shown == 1:
        country = summary.countries[0]
        if country.joining:
            return [f"{opening} {qualified(country, country.stance_said)} {ONE_VERB[country.stance]}."]
        stance = f"It {ONE_VERB[country.stance]}{qualifier(country.stance_said)}."
        return [f"{opening} {_declined_words(country)}", stance]
    if not joining:
        return [f"{opening} none of the {summary.shown:,} countries is taking part in the force: "
                f"{'both have' if summary.shown == 2 else 'all have'} declined."]  # fmt: skip
    grouped = summary.by_stance()
    willing = [c for code in words.WILLING_STANCES for c in grouped[code]]
    of_them = f"the {plural(len(joining), 'country', 'countries')} taking part in the force or considering it"
    if willing:
        verb = "has said it" if len(willing) == 1 else "have said they"
        first = f"{opening} {len(willing):,} of {of_them} {verb} would take part in disarming Hamas."
    elif len(joining) == 1:
        only = f"the only one of the {summary.shown:,} taking part in the force or considering it"
        first = f"{opening} {joining[0].name}, {only}, has not said it would take part in disarming Hamas."
    else:
        first = f"{opening} none of {of_them} has said it would take part in disarming Hamas."
    out = [first]
    for code, group in grouped.items():
        if not group:
            continue
        one, many = GROUP_VERBS[code]
        verb = one if len(group) == 1 else many
        if code == Stance.UNSTATED.value:
            listed = f" ({names([c.name for c in group])})" if len(group) <= NAMES_IN_A_SENTENCE else ""
            subject = group[0].name if len(group) == 1 else f"{len(group):,}"
            out.append(sentence_case(f"{subject} {verb}{listed if len(group) > 1 else ''}."))
        else:
            out.append(sentence_case(f"{names([qualified(c, c.stance_said) for c in group])} {verb}."))
    return out


def _declined_words(country: Country) -> str:
    """ "Saudi Arabia (reportedly) has declined to take part in the force: "…" (Israel Hayom, 30 Oct
    2025)"."""
    said = country.status_said
    return f"{qualified(country, said)} has declined to take part in the force{quoted(said)}."


def _not_joining(summary: Summary) -> str:
    declined = summary.with_status(Status.DECLINED.value)
    if not declined or summary.shown == 1 or len(declined) == summary.shown:
        return ""
    described = [f"{qualified(c, c.status_said)}{quoted(c.status_said, 16)}" for c in declined]
    return f"Not joining the force: {'; '.join(described)}."


def _scope(summary: Summary) -> str:
    if not summary.filtered:
        return ""
    of_all = plural(summary.with_position, "country", "countries")
    return f"These filters show {summary.shown:,} of the {of_all} with a position on the force."


def _participation(summary: Summary) -> str:
    """Who takes part and with what: each status with the roles each country has stated."""
    if summary.shown == 1:
        c = summary.countries[0]
        if c.status not in ONE_STATUS:
            return ""
        with_what = f" ({', '.join(c.roles)})" if c.roles else ""
        since = f" {c.on_hold_since}" if c.on_hold_since else ""
        return f"{qualified(c, c.status_said)} {ONE_STATUS[c.status]}{with_what}{since}."
    parts = []
    for status in ONE_STATUS:
        who = summary.with_status(status)
        if not who:
            continue
        if status == Status.DEPLOYED.value:
            listed = [f"{c.name} ({c.figure_text})" if c.figure_text else c.name for c in who]
        elif status in (Status.CONSIDERING.value, Status.ON_HOLD.value):
            listed = [f"{c.name} ({c.on_hold_since})" if c.on_hold_since else c.name for c in who]
        else:
            listed = [f"{c.name} ({', '.join(c.roles)})" if c.roles else c.name for c in who]
        parts.append(f"{words.STATUSES[status].short}: {names(listed)}")
    if not parts:
        return ""
    joining = len(summary.joining)
    ending = "s" if joining == 1 else ""
    total = plural(summary.shown, "country", "countries")
    lead = f"Of the {total}, {joining:,} take{ending} part in the force or consider{ending} it. "
    return lead + ". ".join(parts) + "."


def _deployed(summary: Summary) -> str:
    deployed = summary.with_status(Status.DEPLOYED.value)
    if not deployed:
        return ""
    described = []
    for c in deployed:
        figure = f", {c.figure_text}" if c.figure_text else ""
        described.append(f"{qualified(c, c.status_said)}{figure}{quoted(c.status_said)}")
    lead = "The one deployment: " if len(deployed) == 1 else "Deployed: "
    return lead + "; ".join(described) + "."


def figure_part(country: Country) -> str:
    """ "Pakistan 3,500 ("around 3,500 troops"), an unconfirmed report, since called undecided by its
    government (8 January 2026)": the figure, its basis and its state."""
    figure = country.figure
    unconfirmed = figure.reliability == Reliability.UNCONFIRMED.value
    basis = "an unconfirmed report" if unconfirmed else words.RELIABILITIES[figure.reliability].short
    state = words.FIGURE_STATES[figure.state].short
    if figure.state == words.DISOWNED and figure.disowned and figure.disowned.date:
        state = f"{state} ({day_words(figure.disowned.date)})"
    elif figure.state == words.ON_HOLD and country.on_hold_since:
        state = f"on hold {country.on_hold_since}"
    return f"{country.name} {country.figure_text}, {basis}, {state}"


def _figures(summary: Summary) -> str:
    """Every troop figure with its basis and state, on record first; figures in words only; how
    many stated none; and which figures count towards demilitarising Gaza. Nothing is summed
    across bases."""
    with_number = [c for c in summary.joining if c.figure and c.figure.high is not None]
    in_words = [c for c in summary.joining if c.figure and c.figure.high is None and c.figure.words]
    if not with_number and not in_words:
        if not summary.joining:
            return ""
        return f"None of the {plural(len(summary.joining), 'country', 'countries')} taking part or " \
            "considering it has stated a troop figure."  # fmt: skip
    rank = views.RELIABILITY_RANK
    ordered = sorted(with_number, key=lambda c: (rank[c.figure.reliability], -(c.figure.high or 0), c.name))
    parts = [figure_part(c) for c in ordered[:NAMES_IN_A_SENTENCE]]
    out = []
    if parts:
        lead = "Its troop figure" if summary.shown == 1 else "Troop figures, by how they are known"
        out.append(f"{lead}: {'; '.join(parts)}")
        rest = ordered[NAMES_IN_A_SENTENCE:]
        if rest:
            on_record = sum(1 for c in rest if c.figure.reliability == Reliability.ON_RECORD.value)
            out[-1] += f"; and {len(rest):,} more ({on_record:,} on record)"
        out[-1] += "."
    if in_words:
        listed = names([f'{c.name} ("{c.figure.words}")' for c in in_words])
        out.append(f"In words only: {listed}.")
    silent = len(summary.joining) - len(with_number) - len(in_words)
    if silent:
        out.append(sentence_case(f"{plural(silent, 'other has', 'others have')} stated no figure."))
    willing = [
        c for c in with_number if c.stance in words.WILLING_STANCES and c.figure.state in words.COUNTED_STATES
    ]
    if summary.disarmament_task and summary.shown > 1:
        task = summary.disarmament_task[:1].lower() + summary.disarmament_task[1:]
        if not willing:
            out.append(f"None of these figures is for {task}: no country with a figure has said it would "
                       "take part in disarming Hamas.")  # fmt: skip
        else:
            out.append(f"Only the figures of {names([c.name for c in willing])} could count towards {task}.")
    return " ".join(out)


def _changed_since_committing(summary: Summary) -> str:
    """Why the committed list differs from an earlier one (the ISF command's, say): countries named
    as committed that have since moved on, and committed countries that withdrew a role."""
    moved = []
    for c in [country for country in summary.countries if country.was_committed]:
        if c.status not in (None, Status.COMMITTED.value):
            since = f" since {day_words(c.status_since)}" if c.status_since else ""
            moved.append(f"{c.name} (now {words.STATUSES[c.status].short.lower()}{since})")
        elif c.status == Status.COMMITTED.value and c.withdrawn_roles:
            dropped = ", ".join(role for role, _ in c.withdrawn_roles)
            said = c.withdrawn_roles[0][1]
            on = f" on {day_words(said.date)}" if said and said.date else ""
            moved.append(f"{c.name} (withdrew {dropped}{on})")
    if not moved:
        return ""
    return f"Named as committed earlier, changed since: {names(moved)}."


def stance_lists(summary: Summary) -> list[tuple[str, tuple[str, ...]]]:
    """Who stands where on disarming Hamas among the countries taking part or considering it:
    (heading, names, each qualified when it rests on a report) for each stance, then those not
    joining the force."""
    lists = [
        (words.STANCES[code].label, tuple(qualified(c, c.stance_said) for c in group))
        for code, group in summary.by_stance().items()
    ]
    declined = summary.with_status(Status.DECLINED.value)
    lists.append(("Not joining the force", tuple(qualified(c, c.status_said) for c in declined)))
    return lists


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


#: A record older than this carries a notice that positions may have moved since.
STALE_AFTER = dt.timedelta(days=90)


def currency(
    latest: dt.date | None,
    reviewed_on: dt.date | None,
    searched_to: dt.date | None,
    today: dt.date,
    approximate: bool = True,
) -> str:
    """How current the record is, honestly: the record's date (its newest statement), how far the
    sources searched reach, and when it was last checked against them."""
    parts = []
    if latest is not None:
        parts.append(f"Record as of {day_words(latest)}, its latest statement ({ago(latest, today)})")
    else:
        parts.append("The record holds no dated statement yet")
    if searched_to is not None:
        parts.append(f"sources searched to {'about ' if approximate else ''}{day_words(searched_to)}")
    if reviewed_on is not None:
        parts.append(f"checked against them on {day_words(reviewed_on)}")
    return "; ".join(parts) + "."


def is_stale(latest: dt.date | None, today: dt.date) -> bool:
    return latest is not None and today - latest > STALE_AFTER
