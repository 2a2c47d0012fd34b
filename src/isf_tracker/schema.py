"""The data model: one pydantic model per CSV, and the controlled lists they use.

Every rule a row must follow lives here, so the loader, the command line, the
Data Package descriptor and (later) the editing form all apply the same rules.
Field descriptions double as the data dictionary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from isf_tracker import clock


class Status(StrEnum):
    """Where a country stands on sending personnel, from least to most engaged."""

    DECLINED = "declined"
    ON_HOLD = "on_hold"
    CONSIDERING = "considering"
    CONDITIONAL = "conditional"
    OFFERED = "offered"
    COMMITTED = "committed"
    DEPLOYED = "deployed"


#: Statuses whose troop figure counts as "offered": the country has not ruled out
#: sending them and has not suspended them.
OFFERING_STATUSES: frozenset[Status] = frozenset(
    {Status.CONSIDERING, Status.CONDITIONAL, Status.OFFERED, Status.COMMITTED, Status.DEPLOYED}
)
COMMITTED_STATUSES: frozenset[Status] = frozenset({Status.COMMITTED, Status.DEPLOYED})


class Stance(StrEnum):
    """The stated stance on the country itself taking part in disarming Hamas, and how it is
    known: said in so many words, or inferred (docs/methodology.md; labels in `vocabulary`)."""

    WILL_DISARM = "will_disarm"
    ON_CONDITIONS = "on_conditions"
    REFUSES = "refuses"
    RULES_OUT_COMBAT = "rules_out_combat"
    NO_TROOPS = "no_troops"
    SEQUENCING_ONLY = "sequencing_only"
    UNSTATED = "unstated"
    #: Retired in data release 2.0.0 ("accepts disarmament only in some form or order"): allowed
    #: only on a row that a later row corrects (ledger.retired_code_problems).
    CONDITIONAL = "conditional"


class Reliability(StrEnum):
    """How firmly the source establishes the statement."""

    ON_RECORD = "on_record"
    REPORTED = "reported"
    UNCONFIRMED = "unconfirmed"


class DatePrecision(StrEnum):
    """How sure the `date` is; `unknown` is the only precision with a blank date."""

    DAY = "day"
    INFERRED = "inferred"
    REPORTED = "reported"
    APPROXIMATE = "approximate"
    MONTH = "month"
    UNKNOWN = "unknown"


class Actor(StrEnum):
    """Stakeholders who shape the force without contributing to it."""

    UNITED_STATES = "united_states"
    ISRAEL = "israel"
    HAMAS = "hamas"
    UNITED_NATIONS = "united_nations"


class PositionType(StrEnum):
    MANDATE = "mandate"
    RED_LINE = "red_line"
    VETO = "veto"
    CONDITION = "condition"
    ASSESSMENT = "assessment"


class Topic(StrEnum):
    DISARMAMENT = "disarmament"
    CONTRIBUTORS = "contributors"
    DEPLOYMENT_AREA = "deployment_area"
    MANDATE = "mandate"
    COMMAND = "command"
    FUNDING = "funding"
    TIMELINE = "timeline"
    OTHER = "other"


#: The columns of positions.csv, in the order the file must have them.
POSITION_COLUMNS: tuple[str, ...] = (
    "statement_id",
    "date",
    "iso3",
    "country",
    "status",
    "troops_min",
    "troops_max",
    "troops_as_stated",
    "disarmament",
    "conditions",
    "roles",
    "speaker",
    "quote",
    "source_url",
    "source_outlet",
    "reliability",
    "notes",
)
#: Columns that may follow the required ones.
POSITION_OPTIONAL_COLUMNS: tuple[str, ...] = ("date_precision", "supersedes")

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
#: A statement that drops a condition or role it stated before lists it as `withdrawn:CODE`.
WITHDRAWN = "withdrawn:"
STATED_CODE_PATTERN = r"^(withdrawn:)?[a-z][a-z0-9_]*$"
STATEMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
ISO3_PATTERN = r"^[A-Z]{3}$"
LIST_SEPARATOR = ";"
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s]*$"
_URL_RE = re.compile(URL_PATTERN, re.IGNORECASE)


def _blank_to_none(value: Any) -> Any:
    """CSV cells are strings: an empty cell means "not stated"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _split_codes(value: Any) -> Any:
    """`a;b` in a cell becomes ("a", "b"); blank becomes ()."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())
    return value


def withdrawn_code(code: str) -> str | None:
    """`withdrawn:no_combat` → "no_combat"; None for a code that is stated, not withdrawn."""
    return code.removeprefix(WITHDRAWN) if code.startswith(WITHDRAWN) else None


OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
RequiredText = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1)]
Codes = Annotated[tuple[str, ...], BeforeValidator(_split_codes)]
#: A statement's conditions or roles: codes it states, and `withdrawn:CODE` for codes it drops.
StatedCodes = Annotated[
    tuple[Annotated[str, Field(pattern=STATED_CODE_PATTERN)], ...], BeforeValidator(_split_codes)
]
Troops = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_blank_to_none)]


def check_url(value: str) -> str:
    """Links are shown to readers: only absolute http(s) addresses are allowed."""
    if not _URL_RE.match(value):
        raise ValueError("must be a full web address starting with http:// or https://")
    return value


def _check_codes(codes: Iterable[str], vocabulary: Any, what: str) -> None:
    if vocabulary is None:
        return
    unknown = [code for code in codes if (withdrawn_code(code) or code) not in vocabulary]
    if unknown:
        known = ", ".join(sorted(vocabulary))
        raise ValueError(f"unknown {what} code {', '.join(map(repr, unknown))}; known codes: {known}")


def _context(info: ValidationInfo, key: str) -> Any:
    return (info.context or {}).get(key)


class Row(BaseModel):
    """Shared settings: every model reads one CSV row of strings."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


class Statement(Row):
    """One dated statement of one country's position: a row of positions.csv."""

    statement_id: Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] = Field(
        description="Unique, stable identifier; never reused, never changed."
    )
    date: Annotated[dt.date | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        description="Day the statement was made (YYYY-MM-DD); blank only when date_precision is unknown.",
    )
    iso3: Annotated[str, Field(pattern=ISO3_PATTERN)] = Field(
        description="ISO 3166-1 alpha-3 code of the country whose position this is (XKX for Kosovo)."
    )
    country: RequiredText = Field(description="Country name, as in data/countries.csv.")
    status: Annotated[Status | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        description="Participation status stated by this statement; blank when it says nothing of it.",
    )
    troops_min: Troops = Field(
        default=None, description="Lower bound of the troop figure; blank when the source gives none."
    )
    troops_max: Troops = Field(
        default=None, description="Upper bound of the troop figure; blank when the source gives none."
    )
    troops_as_stated: OptionalText = Field(
        default=None, description='The source\'s own words for the figure ("up to 20,000", "dozens").'
    )
    disarmament: Stance = Field(
        description="Stated stance on itself taking part in disarming Hamas, and how it is known: said "
        "(will_disarm, on_conditions, refuses) or inferred (rules_out_combat, no_troops, sequencing_only); "
        "unstated when not addressed. Codes of data release 2.0.0; conditional is retired and stays only "
        "on rows a later row corrects."
    )
    conditions: StatedCodes = Field(
        default=(),
        description="Conditions stated, as ;-separated codes from data/conditions.csv; a condition this "
        "statement drops is written withdrawn:CODE.",
    )
    roles: StatedCodes = Field(
        default=(),
        description="Roles offered, as ;-separated codes from data/roles.csv; a role this statement drops "
        "is written withdrawn:CODE.",
    )
    speaker: RequiredText = Field(description="Who made the statement, with their title.")
    quote: OptionalText = Field(
        default=None, description="A short verbatim quote from the source, where there is one."
    )
    source_url: RequiredText = Field(description="Address of the source (http or https only).")
    source_outlet: RequiredText = Field(description="Outlet or wire that published the source.")
    reliability: Reliability = Field(description="on_record, reported or unconfirmed.")
    notes: OptionalText = Field(default=None, description="Caveats: date, reliability, copies.")
    date_precision: Annotated[DatePrecision | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        validate_default=True,
        description="How sure the date is; blank means day (or unknown when date is blank).",
    )

    supersedes: Annotated[
        Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] | None, BeforeValidator(_blank_to_none)
    ] = Field(
        default=None,
        description="statement_id of the statement this row corrects; the corrected row stays in "
        "the file and the history, but no view uses it.",
    )

    @field_validator("date")
    @classmethod
    def _not_in_future(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        today = _context(info, "today") or clock.today()
        if value is not None and value > today:
            raise ValueError(f"is in the future (after {today.isoformat()})")
        return value

    @field_validator("iso3")
    @classmethod
    def _known_country(cls, value: str, info: ValidationInfo) -> str:
        countries = _context(info, "countries")
        if countries is not None and value not in countries:
            raise ValueError("is not an ISO 3166-1 alpha-3 code listed in data/countries.csv")
        return value

    @field_validator("country")
    @classmethod
    def _name_matches_code(cls, value: str, info: ValidationInfo) -> str:
        countries = _context(info, "countries")
        iso3 = info.data.get("iso3")
        if countries is not None and iso3 in countries and countries[iso3] != value:
            raise ValueError(f"does not match iso3 {iso3}, which is {countries[iso3]!r}")
        return value

    @field_validator("troops_max")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("troops_min")
        if value is not None and low is not None and value < low:
            raise ValueError(f"is smaller than troops_min ({low})")
        return value

    @field_validator("conditions")
    @classmethod
    def _known_conditions(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        _check_codes(value, _context(info, "conditions"), "condition")
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        _check_codes(value, _context(info, "roles"), "role")
        return value

    @field_validator("source_url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_url(value)

    @field_validator("date_precision")
    @classmethod
    def _precision_fits_date(cls, value: DatePrecision | None, info: ValidationInfo) -> DatePrecision | None:
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

    @field_validator("supersedes")
    @classmethod
    def _not_itself(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("statement_id"):
            raise ValueError("names the row itself; a correction supersedes another statement")
        return value

    @property
    def troops_low(self) -> int | None:
        """A one-sided figure counts as that number at both ends."""
        return self.troops_min if self.troops_min is not None else self.troops_max

    @property
    def troops_high(self) -> int | None:
        return self.troops_max if self.troops_max is not None else self.troops_min


class VocabularyEntry(Row):
    """One code of a controlled list kept as CSV (conditions.csv, roles.csv)."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)] = Field(
        description="Lower-case code used in positions.csv."
    )
    label: RequiredText = Field(description="Short label shown to readers.")
    description: RequiredText = Field(description="What the code means, for coders.")


class Country(Row):
    """One country: its ISO code, map id and region."""

    iso3: Annotated[str, Field(pattern=ISO3_PATTERN)] = Field(
        description="ISO 3166-1 alpha-3 code (XKX for Kosovo, which has none)."
    )
    iso_numeric: Annotated[
        Annotated[str, Field(pattern=r"^\d{3}$")] | None, BeforeValidator(_blank_to_none)
    ] = Field(default=None, description="ISO 3166-1 numeric code, zero-padded; the map's feature id.")
    name: RequiredText = Field(description="Name shown in the dashboard and used in positions.csv.")
    region: OptionalText = Field(default=None, description="Continent-level region.")
    subregion: OptionalText = Field(default=None, description="UN geoscheme sub-region.")


class MandateTask(Row):
    """One task of the force, and which stated positions rule a contributor in or out of it."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)] = Field(description="Task code.")
    label: RequiredText = Field(description="Short label shown to readers.")
    description: RequiredText = Field(description="What the task is, per the source.")
    requires_stance: Annotated[tuple[Stance, ...], BeforeValidator(_split_codes)] = Field(
        default=(), description="Disarmament stances that allow the task (blank: any)."
    )
    requires_roles: Codes = Field(
        default=(), description="Roles of which a contributor needs one (blank: any)."
    )
    excluded_by_conditions: Codes = Field(
        default=(), description="Conditions any one of which rules a contributor out."
    )
    source_url: RequiredText = Field(description="Where the task is stated (http or https).")
    source_quote: OptionalText = Field(default=None, description="Verbatim words of the source.")

    @field_validator("requires_roles")
    @classmethod
    def _known_roles(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        _check_codes(value, _context(info, "roles"), "role")
        return value

    @field_validator("excluded_by_conditions")
    @classmethod
    def _known_conditions(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        _check_codes(value, _context(info, "conditions"), "condition")
        return value

    @field_validator("source_url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_url(value)


class StakeholderStatement(Row):
    """A position of the US, Israel, Hamas or the UN on the force: a row of stakeholders.csv."""

    statement_id: Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] = Field(
        description="Unique, stable identifier."
    )
    date: Annotated[dt.date | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="Day of the statement (YYYY-MM-DD); blank when unknown."
    )
    date_precision: DatePrecision = Field(description="How sure the date is.")
    actor: Actor = Field(description="united_states, israel, hamas or united_nations.")
    speaker: RequiredText = Field(description="Person or body speaking, with title.")
    position_type: PositionType = Field(description="mandate, red_line, veto, condition, assessment.")
    topic: Topic = Field(description="What the position is about.")
    summary: RequiredText = Field(description="One plain sentence saying what the position is.")
    quote: OptionalText = Field(default=None, description="Verbatim quote, where there is one.")
    source_url: RequiredText = Field(description="Address of the source (http or https only).")
    source_outlet: RequiredText = Field(description="Outlet that published the source.")
    reliability: Reliability = Field(description="on_record, reported or unconfirmed.")
    notes: OptionalText = Field(default=None, description="Caveats.")

    @field_validator("source_url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_url(value)

    @field_validator("date_precision")
    @classmethod
    def _precision_fits_date(cls, value: DatePrecision, info: ValidationInfo) -> DatePrecision:
        if "date" in info.data and (info.data["date"] is None) != (value is DatePrecision.UNKNOWN):
            raise ValueError("must be unknown exactly when the date is blank")
        return value


class ReviewOutcome(StrEnum):
    """What re-reading a statement's source found."""

    CHECKED = "checked"
    CORRECTED = "corrected"
    SOURCE_NOT_FOUND = "source_not_found"
    ADDED = "added"


class ReviewEntry(Row):
    """One statement in one review against the sources: a row of review_log.csv."""

    reviewed_on: dt.date = Field(description="Day of the review (YYYY-MM-DD).")
    statement_id: Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] = Field(
        description="The statement reviewed (positions.csv)."
    )
    outcome: ReviewOutcome = Field(
        description="checked (the source holds the row), corrected (a later row supersedes it), "
        "source_not_found, or added (the row was added by this review)."
    )
    corrected_by: Annotated[
        Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] | None, BeforeValidator(_blank_to_none)
    ] = Field(default=None, description="The statement_id of the correcting row, when corrected.")
    source_checked: OptionalText = Field(default=None, description="What was read: addresses, stored copies.")
    note: OptionalText = Field(default=None, description="What the review found, briefly.")

    @field_validator("corrected_by")
    @classmethod
    def _named_when_corrected(cls, value: str | None, info: ValidationInfo) -> str | None:
        corrected = info.data.get("outcome") is ReviewOutcome.CORRECTED
        if corrected and value is None:
            raise ValueError("is required when the outcome is corrected")
        if not corrected and value is not None:
            raise ValueError("must be blank unless the outcome is corrected")
        return value


class Review(Row):
    """One review of the whole record against the sources: a row of reviews.csv.

    Kept as data so the dashboard can say when the record was last checked, even when a
    review finds nothing new (the latest statement's date would not move).
    """

    reviewed_on: dt.date = Field(description="Day the record was reviewed against the sources.")
    searched_from: dt.date = Field(description="Start of the period the searched sources cover.")
    searched_to: dt.date = Field(description="End of the period the searched sources cover.")
    searched_to_precision: DatePrecision = Field(description="How sure searched_to is.")
    scope: RequiredText = Field(description="What was checked and searched.")
    summary: RequiredText = Field(description="What the review found, for readers.")


class TranslatedBy(StrEnum):
    """Whose English a rendering is."""

    OUTLET = "outlet"
    PROJECT = "project"


class TranslatedField(StrEnum):
    QUOTE = "quote"
    TROOPS_AS_STATED = "troops_as_stated"


class Translation(Row):
    """The English rendering of a statement's non-English words: a row of translations.csv.

    Kept beside the ledger, not in it: the quote stays verbatim in positions.csv, and a rendering
    can be added or improved without touching a released row.
    """

    statement_id: Annotated[str, Field(pattern=STATEMENT_ID_PATTERN)] = Field(
        description="The statement whose words are rendered (positions.csv)."
    )
    field: TranslatedField = Field(description="Which of its fields: quote or troops_as_stated.")
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = Field(
        description="ISO 639-1 code of the original language (it, sq, id, …)."
    )
    english: RequiredText = Field(description="The English rendering; the original stays verbatim.")
    translated_by: TranslatedBy = Field(
        description="outlet (English published by the outlet or a wire, at translation_url) or project "
        "(the project's own translation)."
    )
    translation_url: Annotated[str | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="Where the outlet's English was read (http or https); blank for project."
    )
    note: OptionalText = Field(default=None, description="A caveat on the rendering.")

    @field_validator("translation_url")
    @classmethod
    def _http_only_and_given_for_outlets(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            return check_url(value)
        if info.data.get("translated_by") is TranslatedBy.OUTLET:
            raise ValueError("is required when the English is the outlet's: say where it was read")
        return value
