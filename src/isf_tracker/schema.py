"""The data model: one pydantic model per CSV, and the controlled lists they use.

Every rule a row must follow lives here, so the loader, the command line, the Data Package
descriptor and the editing form all apply the same rules. Field descriptions are the data dictionary.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from isf_tracker import clock

# The controlled lists. Each code is its member's name in lower case (StrEnum's functional form).
#: Where a country stands on sending personnel, from least to most engaged.
Status = StrEnum("Status", "DECLINED ON_HOLD CONSIDERING CONDITIONAL OFFERED COMMITTED DEPLOYED")
#: The stated stance on the country itself taking part in disarming Hamas, and how it is known: said in
#: so many words, or inferred (docs/methodology.md; labels in `vocabulary`). CONDITIONAL ("accepts
#: disarmament only in some form or order") was retired in data release 2.0.0: it is allowed only on a
#: row that a later row corrects (ledger.retired_code_problems).
Stance = StrEnum(
    "Stance",
    "WILL_DISARM ON_CONDITIONS REFUSES RULES_OUT_COMBAT NO_TROOPS SEQUENCING_ONLY UNSTATED CONDITIONAL",
)
#: How firmly the source establishes the statement.
Reliability = StrEnum("Reliability", "ON_RECORD REPORTED UNCONFIRMED")
#: How sure a `date` is; `unknown` is the only precision with a blank date.
DatePrecision = StrEnum("DatePrecision", "DAY INFERRED REPORTED APPROXIMATE MONTH UNKNOWN")
#: Stakeholders who shape the force without contributing to it.
Actor = StrEnum("Actor", "UNITED_STATES ISRAEL HAMAS UNITED_NATIONS")
PositionType = StrEnum("PositionType", "MANDATE RED_LINE VETO CONDITION ASSESSMENT")
Topic = StrEnum("Topic", "DISARMAMENT CONTRIBUTORS DEPLOYMENT_AREA MANDATE COMMAND FUNDING TIMELINE OTHER")
#: What re-reading a statement's source found.
ReviewOutcome = StrEnum("ReviewOutcome", "CHECKED CORRECTED SOURCE_NOT_FOUND ADDED")
#: Whose English a rendering is.
TranslatedBy = StrEnum("TranslatedBy", "OUTLET PROJECT")
TranslatedField = StrEnum("TranslatedField", "QUOTE TROOPS_AS_STATED")

#: Statuses whose troop figure counts as "offered": the country has not ruled out
#: sending them and has not suspended them.
OFFERING_STATUSES: frozenset[Status] = frozenset(Status) - {Status.DECLINED, Status.ON_HOLD}

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
#: A statement that drops a condition or role it stated before lists it as `withdrawn:CODE`.
WITHDRAWN = "withdrawn:"
STATED_CODE_PATTERN = r"^(withdrawn:)?[a-z][a-z0-9_]*$"
STATEMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
ISO3_PATTERN = r"^[A-Z]{3}$"
LIST_SEPARATOR = ";"
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s]*$", re.IGNORECASE)


def _blank_to_none(value: Any) -> Any:
    """CSV cells are strings: an empty cell means "not stated"."""
    return (value.strip() or None) if isinstance(value, str) else value


def _split_codes(value: Any) -> Any:
    """`a;b` in a cell becomes ("a", "b"); blank becomes ()."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())
    return () if value is None else value


def withdrawn_code(code: str) -> str | None:
    """`withdrawn:no_combat` → "no_combat"; None for a code that is stated, not withdrawn."""
    return code.removeprefix(WITHDRAWN) if code.startswith(WITHDRAWN) else None


def _http_only(value: str) -> str:
    """Links are shown to readers: only absolute http(s) addresses are allowed."""
    if not _URL.match(value):
        raise ValueError("must be a full web address starting with http:// or https://")
    return value


def _known(vocabulary: str) -> AfterValidator:
    """Codes (a withdrawn one by the code it withdraws) that the context's `vocabulary` lists."""

    def check(codes: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get(vocabulary)  # none passed: not checked
        if unknown := [c for c in codes if known is not None and (withdrawn_code(c) or c) not in known]:
            named, listed = ", ".join(map(repr, unknown)), ", ".join(sorted(known))
            raise ValueError(f"unknown {vocabulary.removesuffix('s')} code {named}; known codes: {listed}")
        return codes

    return AfterValidator(check)


def _precision_fits_date(value: DatePrecision | None, info: ValidationInfo) -> DatePrecision | None:
    """Blank means day, or unknown for a blank date; unknown goes with a blank date and only with one."""
    if "date" not in info.data:  # the date itself was invalid: reported there
        return value
    has_date = info.data["date"] is not None
    if value is None:
        return DatePrecision.DAY if has_date else DatePrecision.UNKNOWN
    if value is DatePrecision.UNKNOWN and has_date:
        raise ValueError("is unknown, but a date is given: leave the date blank or say how sure it is")
    if value is not DatePrecision.UNKNOWN and not has_date:
        raise ValueError(f"is {value.value}, but the date is blank: give the date, or choose unknown")
    return value


T = TypeVar("T")
#: A cell that may be blank ("not stated"): None, else a T.
Maybe = Annotated[T | None, BeforeValidator(_blank_to_none)]
OptionalText = Maybe[str]
RequiredText = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1)]
Url = Annotated[RequiredText, AfterValidator(_http_only)]
StatementId = Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)]
Code = Annotated[str, Field(pattern=CODE_PATTERN)]
Iso3 = Annotated[str, Field(pattern=ISO3_PATTERN)]
#: Codes separated by `;` in a cell, each a T; none when the cell is blank.
Codes = Annotated[tuple[T, ...], BeforeValidator(_split_codes)]
#: A statement's conditions or roles: codes it states, and `withdrawn:CODE` for codes it drops.
StatedCodes = Codes[Annotated[str, Field(pattern=STATED_CODE_PATTERN)]]
Troops = Maybe[Annotated[int, Field(ge=0)]]


class Row(BaseModel):
    """Shared settings: every model reads one CSV row of strings."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


def _not_in_future(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    today = (info.context or {}).get("today") or clock.today()
    if value is not None and value > today:
        raise ValueError(f"is in the future (after {today.isoformat()})")
    return value


def _known_country(value: str, info: ValidationInfo) -> str:
    countries = (info.context or {}).get("countries")
    if countries is not None and value not in countries:
        raise ValueError("is not an ISO 3166-1 alpha-3 code listed in data/countries.csv")
    return value


def _name_matches_code(value: str, info: ValidationInfo) -> str:
    countries, iso3 = (info.context or {}).get("countries"), info.data.get("iso3")
    if countries is not None and iso3 in countries and countries[iso3] != value:
        raise ValueError(f"does not match iso3 {iso3}, which is {countries[iso3]!r}")
    return value


def _not_below_min(value: int | None, info: ValidationInfo) -> int | None:
    low = info.data.get("troops_min")
    if value is not None and low is not None and value < low:
        raise ValueError(f"is smaller than troops_min ({low})")
    return value


def _not_itself(value: str | None, info: ValidationInfo) -> str | None:
    if value is not None and value == info.data.get("statement_id"):
        raise ValueError("names the row itself; a correction supersedes another statement")
    return value


class Statement(Row):
    """One dated statement of one country's position: a row of positions.csv."""

    statement_id: StatementId = Field(description="Unique, stable identifier; never reused, never changed.")
    date: Annotated[Maybe[dt.date], AfterValidator(_not_in_future)] = Field(
        None,
        description="Day the statement was made (YYYY-MM-DD); blank only when date_precision is unknown.",
    )
    iso3: Annotated[Iso3, AfterValidator(_known_country)] = Field(
        description="ISO 3166-1 alpha-3 code of the country whose position this is (XKX for Kosovo)."
    )
    country: Annotated[RequiredText, AfterValidator(_name_matches_code)] = Field(
        description="Country name, as in data/countries.csv."
    )
    status: Maybe[Status] = Field(
        None, description="Participation status stated by this statement; blank when it says nothing of it."
    )
    troops_min: Troops = Field(
        None, description="Lower bound of the troop figure; blank when the source gives none."
    )
    troops_max: Annotated[Troops, AfterValidator(_not_below_min)] = Field(
        None, description="Upper bound of the troop figure; blank when the source gives none."
    )
    troops_as_stated: OptionalText = Field(
        None, description='The source\'s own words for the figure ("up to 20,000", "dozens").'
    )
    disarmament: Stance = Field(
        description="Stated stance on itself taking part in disarming Hamas, and how it is known: said "
        "(will_disarm, on_conditions, refuses) or inferred (rules_out_combat, no_troops, sequencing_only); "
        "unstated when not addressed. Codes of data release 2.0.0; conditional is retired and stays only "
        "on rows a later row corrects."
    )
    conditions: Annotated[StatedCodes, _known("conditions")] = Field(
        (),
        description="Conditions stated, as ;-separated codes from data/conditions.csv; a condition this "
        "statement drops is written withdrawn:CODE.",
    )
    roles: Annotated[StatedCodes, _known("roles")] = Field(
        (),
        description="Roles offered, as ;-separated codes from data/roles.csv; a role this statement drops "
        "is written withdrawn:CODE.",
    )
    speaker: RequiredText = Field(description="Who made the statement, with their title.")
    quote: OptionalText = Field(
        None, description="A short verbatim quote from the source, where there is one."
    )
    source_url: Url = Field(description="Address of the source (http or https only).")
    source_outlet: RequiredText = Field(description="Outlet or wire that published the source.")
    reliability: Reliability = Field(description="on_record, reported or unconfirmed.")
    notes: OptionalText = Field(None, description="Caveats: date, reliability, copies.")
    date_precision: Annotated[Maybe[DatePrecision], AfterValidator(_precision_fits_date)] = Field(
        None,
        validate_default=True,
        description="How sure the date is; blank means day (or unknown when date is blank).",
    )
    supersedes: Annotated[Maybe[StatementId], AfterValidator(_not_itself)] = Field(
        None,
        description="statement_id of the statement this row corrects; the corrected row stays in "
        "the file and the history, but no view uses it.",
    )


#: The columns of positions.csv, in the order the file must have them: the model's, less the
#: optional ones, which may follow them.
POSITION_OPTIONAL_COLUMNS: tuple[str, ...] = ("date_precision", "supersedes")
POSITION_COLUMNS: tuple[str, ...] = tuple(Statement.model_fields)[: -len(POSITION_OPTIONAL_COLUMNS)]


class VocabularyEntry(Row):
    """One code of a controlled list kept as CSV (conditions.csv, roles.csv)."""

    code: Code = Field(description="Lower-case code used in positions.csv.")
    label: RequiredText = Field(description="Short label shown to readers.")
    description: RequiredText = Field(description="What the code means, for coders.")


class Country(Row):
    """One country: its ISO code, map id and region."""

    iso3: Iso3 = Field(description="ISO 3166-1 alpha-3 code (XKX for Kosovo, which has none).")
    iso_numeric: Maybe[Annotated[str, Field(pattern=r"^\d{3}$")]] = Field(
        None, description="ISO 3166-1 numeric code, zero-padded; the map's feature id."
    )
    name: RequiredText = Field(description="Name shown in the dashboard and used in positions.csv.")
    region: OptionalText = Field(None, description="Continent-level region.")
    subregion: OptionalText = Field(None, description="UN geoscheme sub-region.")


class MandateTask(Row):
    """One task of the force, and which stated positions rule a contributor in or out of it."""

    code: Code = Field(description="Task code.")
    label: RequiredText = Field(description="Short label shown to readers.")
    description: RequiredText = Field(description="What the task is, per the source.")
    requires_stance: Codes[Stance] = Field(
        (), description="Disarmament stances that allow the task (blank: any)."
    )
    requires_roles: Annotated[Codes[str], _known("roles")] = Field(
        (), description="Roles of which a contributor needs one (blank: any)."
    )
    excluded_by_conditions: Annotated[Codes[str], _known("conditions")] = Field(
        (), description="Conditions any one of which rules a contributor out."
    )
    source_url: Url = Field(description="Where the task is stated (http or https).")
    source_quote: OptionalText = Field(None, description="Verbatim words of the source.")


class StakeholderStatement(Row):
    """A position of the US, Israel, Hamas or the UN on the force: a row of stakeholders.csv."""

    statement_id: StatementId = Field(description="Unique, stable identifier.")
    date: Maybe[dt.date] = Field(None, description="Day of the statement (YYYY-MM-DD); blank when unknown.")
    date_precision: Annotated[DatePrecision, AfterValidator(_precision_fits_date)] = Field(
        description="How sure the date is."
    )
    actor: Actor = Field(description="united_states, israel, hamas or united_nations.")
    speaker: RequiredText = Field(description="Person or body speaking, with title.")
    position_type: PositionType = Field(description="mandate, red_line, veto, condition, assessment.")
    topic: Topic = Field(description="What the position is about.")
    summary: RequiredText = Field(description="One plain sentence saying what the position is.")
    quote: OptionalText = Field(None, description="Verbatim quote, where there is one.")
    source_url: Url = Field(description="Address of the source (http or https only).")
    source_outlet: RequiredText = Field(description="Outlet that published the source.")
    reliability: Reliability = Field(description="on_record, reported or unconfirmed.")
    notes: OptionalText = Field(None, description="Caveats.")


def _named_when_corrected(value: str | None, info: ValidationInfo) -> str | None:
    corrected = info.data.get("outcome") is ReviewOutcome.CORRECTED
    if corrected and value is None:
        raise ValueError("is required when the outcome is corrected")
    if not corrected and value is not None:
        raise ValueError("must be blank unless the outcome is corrected")
    return value


#: The row that corrects a statement: named when, and only when, a review found it corrected.
CorrectedBy = Annotated[Maybe[StatementId], AfterValidator(_named_when_corrected)]


class ReviewEntry(Row):
    """One statement in one review against the sources: a row of review_log.csv."""

    reviewed_on: dt.date = Field(description="Day of the review (YYYY-MM-DD).")
    statement_id: StatementId = Field(description="The statement reviewed (positions.csv).")
    outcome: ReviewOutcome = Field(
        description="checked (the source holds the row), corrected (a later row supersedes it), "
        "source_not_found, or added (the row was added by this review)."
    )
    corrected_by: CorrectedBy = Field(
        None, description="The statement_id of the correcting row, when corrected."
    )
    source_checked: OptionalText = Field(None, description="What was read: addresses, stored copies.")
    note: OptionalText = Field(None, description="What the review found, briefly.")


class Review(Row):
    """One review of the whole record against the sources: a row of reviews.csv. Kept as data so
    the dashboard can say when the record was last checked, even when a review finds nothing new
    (the latest statement's date would not move)."""

    reviewed_on: dt.date = Field(description="Day the record was reviewed against the sources.")
    searched_from: dt.date = Field(description="Start of the period the searched sources cover.")
    searched_to: dt.date = Field(description="End of the period the searched sources cover.")
    searched_to_precision: DatePrecision = Field(description="How sure searched_to is.")
    scope: RequiredText = Field(description="What was checked and searched.")
    summary: RequiredText = Field(description="What the review found, for readers.")


def _given_for_outlets(value: str | None, info: ValidationInfo) -> str | None:
    if value is None and info.data.get("translated_by") is TranslatedBy.OUTLET:
        raise ValueError("is required when the English is the outlet's: say where it was read")
    return value


class Translation(Row):
    """The English rendering of a statement's non-English words: a row of translations.csv. Kept
    beside the ledger, not in it: the quote stays verbatim in positions.csv, and a rendering can be
    added or improved without touching a released row."""

    statement_id: StatementId = Field(description="The statement whose words are rendered (positions.csv).")
    field: TranslatedField = Field(description="Which of its fields: quote or troops_as_stated.")
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = Field(
        description="ISO 639-1 code of the original language (it, sq, id, …)."
    )
    english: RequiredText = Field(description="The English rendering; the original stays verbatim.")
    translated_by: TranslatedBy = Field(
        description="outlet (English published by the outlet or a wire, at translation_url) or project "
        "(the project's own translation)."
    )
    translation_url: Annotated[Maybe[Url], AfterValidator(_given_for_outlets)] = Field(
        None, description="Where the outlet's English was read (http or https); blank for project."
    )
    note: OptionalText = Field(None, description="A caveat on the rendering.")


#: The longest text a reader's suggestion may carry, field by field (a suggestion is a pointer to a
#: source, not an article; the bounds keep the file and the editor's list small).
SUGGESTION_LIMITS = {"source_url": 500, "quote": 1000, "note": 1000}


class Suggestion(Row):
    """A reader's suggested correction: a row of suggestions.csv, beside the ledger and never in it.
    An editor reads it and, if the source bears it out, adds a statement through the same form."""

    suggestion_id: StatementId = Field(
        description="Unique identifier: the time it was received and a random tag."
    )
    received: RequiredText = Field(description="When it was received (UTC, YYYY-MM-DDTHH:MM:SSZ).")
    iso3: Iso3 = Field(description="The country it is about.")
    statement_id: Maybe[StatementId] = Field(
        None, description="The statement it is about; blank for the country."
    )
    source_url: Annotated[Url, Field(max_length=SUGGESTION_LIMITS["source_url"])] = Field(
        description="The source the reader points to (http or https)."
    )
    quote: Maybe[Annotated[str, Field(max_length=SUGGESTION_LIMITS["quote"])]] = Field(
        None, description="The words in the source, as the reader gives them (plain text)."
    )
    note: Maybe[Annotated[str, Field(max_length=SUGGESTION_LIMITS["note"])]] = Field(
        None, description="What the reader says is wrong or missing (plain text)."
    )
