"""How each coded value is said and drawn: one table per coded field (status, stance on
disarming Hamas, reliability, the state of a troop figure), so a code reads and looks the same
on every page, chart, snapshot and sentence.

Colours are colour-blind-safe and never shared between tables: status in blues and greens (with
red for declining and pink for on hold), the stance on disarming Hamas in purples and oranges,
the state of a troop figure in the status's own hues. An inferred stance is a lighter shade of the
explicit one it is inferred towards, and every legend says which is which.
"""

from __future__ import annotations

from dataclasses import dataclass

from isf_tracker.schema import Reliability, Stance, Status


@dataclass(frozen=True)
class Term:
    """One code: its label (legends, filters), its few words (a table cell or a chip), its colour,
    the symbol a small cell shows, and for a stance whether it is explicit or inferred."""

    label: str
    short: str
    color: str
    symbol: str = ""
    explicit: bool = True
    meaning: str = ""


#: A stated position that leaves this field blank, and a country with no statement at all.
NOT_STATED_COLOR = "#8C8C8C"
NO_DATA_COLOR = "#E3E3E3"
NOT_STATED_LABEL = "Not stated"
NO_DATA_LABEL = "No data"

STATUSES: dict[str, Term] = {
    Status.DECLINED.value: Term("Declined", "Declined", "#B2182B", "✕"),
    Status.ON_HOLD.value: Term("On hold", "On hold", "#E7A6C4", "‖"),
    Status.CONSIDERING.value: Term("Considering", "Considering", "#C6DBEF", "?"),
    Status.CONDITIONAL.value: Term("Conditional offer", "Offered on conditions", "#9ECAE1", "~"),
    Status.OFFERED.value: Term("Offered", "Offered", "#4292C6", "+"),
    Status.COMMITTED.value: Term("Committed", "Committed", "#08519C", "✓"),
    Status.DEPLOYED.value: Term("Deployed", "Deployed", "#1B7837", "●"),
}

#: The stance on the country itself taking part in disarming Hamas (docs/methodology.md).
STANCES: dict[str, Term] = {
    Stance.WILL_DISARM.value: Term(
        "Has said it would take part",
        "Said it would take part",
        "#B35806",
        "✓",
        meaning="says its own forces would take part in disarming Hamas",
    ),
    Stance.ON_CONDITIONS.value: Term(
        "Would take part only on conditions",
        "Only on conditions",
        "#F1A340",
        "✓?",
        meaning="says its own forces would take part in disarming Hamas if stated conditions are met",
    ),
    Stance.REFUSES.value: Term(
        "Ruled it out explicitly",
        "Ruled out explicitly",
        "#542788",
        "✕",
        meaning="rules out its own part in disarming or demilitarising Hamas in so many words",
    ),
    Stance.RULES_OUT_COMBAT.value: Term(
        "Ruled out combat (refusal inferred)",
        "Ruled out combat (inferred)",
        "#998EC3",
        "(✕)",
        False,
        meaning="rules out combat, peace enforcement or confronting armed groups, or limits its "
        "contribution to humanitarian work, which disarming would need: a refusal by inference",
    ),
    Stance.NO_TROOPS.value: Term(
        "Sends no troops (does not arise)",
        "Sends no troops",
        "#80CDC1",
        "–",
        False,
        meaning="says it will send no troops into Gaza, so the question does not arise for it",
    ),
    Stance.SEQUENCING_ONLY.value: Term(
        "Spoke only of when Hamas disarms",
        "Only of sequencing",
        "#D9C7A7",
        "…",
        False,
        meaning="speaks only of when or how Hamas should be disarmed (first, not first, progressively), "
        "with no word on its own part",
    ),
    Stance.UNSTATED.value: Term(
        "Not addressed",
        "Not addressed",
        NOT_STATED_COLOR,
        "?",
        False,
        meaning="the statement does not address it",
    ),
    # Retired in data release 2.0.0: only on rows that a later row corrects.
    Stance.CONDITIONAL.value: Term(
        "Only in some form or order (retired code)",
        "Retired code",
        "#BBBBBB",
        "~",
        False,
        meaning="before data release 2.0.0: accepts disarmament only in some form or order; retired "
        "because it read as a willingness it never meant",
    ),
}
#: The stances a row may carry since data release 2.0.0, in the order legends and lists give them.
CURRENT_STANCES: tuple[str, ...] = tuple(code for code in STANCES if code != Stance.CONDITIONAL.value)
#: Stances a statement says in so many words; an inferred one never overrides them.
EXPLICIT_STANCES: frozenset[str] = frozenset(code for code, term in STANCES.items() if term.explicit)
INFERRED_STANCES: frozenset[str] = frozenset(CURRENT_STANCES) - EXPLICIT_STANCES - {Stance.UNSTATED.value}
#: Stances that let a country's troops count towards demilitarising Gaza (data/mandate_tasks.csv
#: says so too; this is what the sentences call "would take part").
WILLING_STANCES: tuple[str, ...] = (Stance.WILL_DISARM.value, Stance.ON_CONDITIONS.value)

RELIABILITIES: dict[str, Term] = {
    Reliability.ON_RECORD.value: Term("On record", "on record", "green", "●"),
    Reliability.REPORTED.value: Term("Reported", "reported", "orange", "◐"),
    Reliability.UNCONFIRMED.value: Term("Unconfirmed", "unconfirmed", "red", "○"),
}
#: What each reliability means, for the legend beside the badges.
RELIABILITY_MEANINGS: dict[str, str] = {
    Reliability.ON_RECORD.value: "the government or the force's command speaks on the record",
    Reliability.REPORTED.value: "anonymous sources, a third party, or the outlet's paraphrase",
    Reliability.UNCONFIRMED.value: "a claim the government has not confirmed, or a low-reliability source",
}

#: The state of a country's troop figure: how far it is from troops on the ground.
IN_PLACE, COMMITTED, OFFERED, CONSIDERED = "in_place", "committed", "offered", "considered"
ON_HOLD, DECLINED, DISOWNED, UNSTATED_STATE = "on_hold", "declined", "disowned", "unstated"
FIGURE_STATES: dict[str, Term] = {
    IN_PLACE: Term("In place", "in place", STATUSES[Status.DEPLOYED.value].color),
    COMMITTED: Term("Committed", "committed", STATUSES[Status.COMMITTED.value].color),
    OFFERED: Term("Offered", "offered", STATUSES[Status.OFFERED.value].color),
    CONSIDERED: Term("Under consideration", "under consideration", STATUSES[Status.CONSIDERING.value].color),
    DISOWNED: Term(
        "Called undecided by its government", "since called undecided by its government", "#BDBDBD"
    ),
    ON_HOLD: Term("On hold", "on hold", STATUSES[Status.ON_HOLD.value].color),
    DECLINED: Term("Declined", "declined", STATUSES[Status.DECLINED.value].color),
    UNSTATED_STATE: Term("Status not stated", "status not stated", NOT_STATED_COLOR),
}
#: Figure states whose troops count as available to the force (on hold and declined do not,
#: and a figure its own government has called undecided or denied does not either).
COUNTED_STATES: tuple[str, ...] = (IN_PLACE, COMMITTED, OFFERED, CONSIDERED, UNSTATED_STATE)
#: A status -> the state of the figure it carries.
STATE_OF_STATUS: dict[str, str] = {
    Status.DEPLOYED.value: IN_PLACE,
    Status.COMMITTED.value: COMMITTED,
    Status.OFFERED.value: OFFERED,
    Status.CONDITIONAL.value: OFFERED,
    Status.CONSIDERING.value: CONSIDERED,
    Status.ON_HOLD.value: ON_HOLD,
    Status.DECLINED.value: DECLINED,
}


def stance(code: object) -> Term:
    return STANCES.get(str(code), STANCES[Stance.UNSTATED.value])


def reliability(code: object) -> Term:
    return RELIABILITIES[str(code)]
