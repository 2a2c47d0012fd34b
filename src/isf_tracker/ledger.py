"""Loading the ledger and its vocabularies: valid rows and every problem, never an exception.

The positions file is the history: rows are only ever appended. Loading checks
every row against the models in `schema` and keeps going after a bad row, so a
hand edit with a typo shows the rest of the data and names what to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from isf_tracker import paths, schema, translations
from isf_tracker.csvfile import read_table
from isf_tracker.datapackage import RESOURCE, RESOURCES
from isf_tracker.problems import Problem, problems_from_validation

#: Files read beside the ledger (or, for a ledger elsewhere, from the shipped data/; reviews and
#: translations are a ledger's own, never borrowed).
COMPANION_FILES = tuple(res.path for res in RESOURCES if res.name != "positions" and res.with_ledger)
OWN_TABLES = ("reviews", "review_log", "translations")
CONDITIONS_FILE, ROLES_FILE, COUNTRIES_FILE = "conditions.csv", "roles.csv", "countries.csv"
M = TypeVar("M", bound=BaseModel)


def companion_path(positions: Path, filename: str) -> Path:
    """Vocabularies sit beside the ledger; a ledger elsewhere uses the shipped ones. (Reviews
    are read only from beside it: see load_dataset.)"""
    beside = positions.parent / filename
    return beside if beside.exists() else paths.shipped_data_dir() / filename


@dataclass
class Table(Generic[M]):
    """Valid records of one CSV, each with its line, and the problems of the others."""

    records: list[tuple[int, M]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Each primary key a row claims, by its raw text, with the first line claiming it (an invalid
    #: row claims its key too, so a row naming it is not told it names nothing).
    keys: dict[tuple[str, ...], int] = field(default_factory=dict)
    path: str = ""

    @property
    def items(self) -> list[M]:
        return [record for _, record in self.records]


def load_table(
    path: str | Path,
    model: type[M],
    columns: Sequence[str] | None = None,
    key: str | Sequence[str] = (),
    context: dict[str, object] | None = None,
) -> Table[M]:
    """Validate every row of `path` with `model`; a duplicate `key` (one column or several) is a
    problem too, and the later row is left out."""
    name = str(path)
    raw = read_table(path, columns or tuple(model.model_fields))
    key = (key,) if isinstance(key, str) else tuple(key)
    table: Table[M] = Table(problems=list(raw.problems), path=name)
    for line, values in raw.rows:
        claimed = tuple(values.get(column, "").strip() for column in key)
        if key and all(claimed):
            if claimed in table.keys:
                table.problems.append(_duplicate(name, line, key, claimed, table.keys[claimed]))
                continue
            table.keys[claimed] = line
        try:
            record = model.model_validate(values, context=context)
        except ValidationError as exc:
            table.problems.extend(problems_from_validation(exc, values, name, line))
        except (TypeError, ValueError) as exc:  # a rule that could not even be applied
            table.problems.append(Problem(name, line, None, None, f"cannot be checked: {exc}"))
        else:
            table.records.append((line, record))
    return table


def _duplicate(file: str, line: int, key: tuple[str, ...], value: tuple[str, ...], first: int) -> Problem:
    """A primary key used again: named by its last column, with the others' values."""
    message = f"is already used on line {first}; identifiers must be unique"
    if len(key) > 1:
        others = ", ".join(f"{column} {part}" for column, part in zip(key[:-1], value[:-1], strict=True))
        together = ", ".join(key[:-1]) + f" and {key[-1]}"
        message = f"is already used with {others} on line {first}; {together} must be unique together"
    return Problem(file, line, key[-1], value[-1], message)


def _enforce_foreign_keys(tables: dict[str, Table]) -> None:
    """Leave out each row whose foreign key (as the Data Package declares it) names no row of the
    table it refers to: a problem on that row's line and column, like any invalid row."""
    for res in (res for res in RESOURCES if res.name in tables):
        table = tables[res.name]
        found = [p for column, other in res.foreign_keys for p in _dangling(table, column, tables[other])]
        if found:
            bad = {p.line for p in found}
            tables[res.name] = replace(
                table,
                records=[(line, record) for line, record in table.records if line not in bad],
                problems=sorted(table.problems + found, key=lambda problem: problem.line or 0),
            )


def _dangling(table: Table, column: str, target: Table) -> list[Problem]:
    """Rows of `table` whose `column` is no key of `target` (none when `target` was not read)."""
    if not target.path:
        return []
    known = {key[0] for key in target.keys}
    where = f"names no row of {Path(target.path).name}"
    return [Problem(table.path, line, column, str(value), where) for line, record in table.records
            if (value := getattr(record, column)) is not None and str(value) not in known]  # fmt: skip


STATEMENT_FRAME_COLUMNS = ("line", *schema.POSITION_COLUMNS, *schema.POSITION_OPTIONAL_COLUMNS)


def statements_frame(records: Sequence[tuple[int, schema.Statement]]) -> pd.DataFrame:
    """The valid statements as a DataFrame: one row per statement, in file order, codes as strings."""
    values = [
        {key: getattr(value, "value", value) for key, value in record.model_dump().items()}
        for _, record in records
    ]
    columns = {column: [row[column] for row in values] for column in STATEMENT_FRAME_COLUMNS[1:]}
    frame = pd.DataFrame({"line": [line for line, _ in records], **columns})
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("troops_min", "troops_max", "line"):
        frame[column] = frame[column].astype("Int64")
    return mark_corrections(frame)


def mark_corrections(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `superseded_by`: the id of the row that corrects each statement, if any."""
    corrections = frame[frame["supersedes"].notna()]
    corrected_by = dict(zip(corrections["supersedes"], corrections["statement_id"], strict=True))
    return frame.assign(superseded_by=frame["statement_id"].map(corrected_by))


def correction_problems(statements: pd.DataFrame, file: str) -> list[Problem]:
    """Corrections that would hide a statement, or muddle which row is in force: a `supersedes`
    naming no statement, a second correction of one statement, a loop of corrections (no row
    of the statement would be in force), and an undated correction of a dated statement (which
    would leave the statement out of every as-of position). The rows they concern are then left
    out like any other invalid row."""
    found: list[Problem] = []
    ids = dict(zip(statements["statement_id"], statements["line"].tolist(), strict=True))
    dated = set(statements.loc[statements["date"].notna(), "statement_id"])
    corrections = statements[statements["supersedes"].notna()]
    target_of: dict[str, str] = {}
    corrected_on: dict[str, int] = {}
    for statement_id, line, target in zip(
        corrections["statement_id"], corrections["line"].tolist(), corrections["supersedes"], strict=True
    ):
        if target not in ids:
            found.append(Problem(file, line, "supersedes", target, "names no statement in the ledger"))
        elif target in corrected_on:
            again = f"is already corrected on line {corrected_on[target]}; correct that row instead"
            found.append(Problem(file, line, "supersedes", target, again))
        else:
            corrected_on[target] = line
            target_of[statement_id] = target
            if target in dated and statement_id not in dated:
                undated = (f"is blank, but this row corrects {target}, which is dated: an undated correction "
                           "would leave the statement out of every position")  # fmt: skip
                found.append(Problem(file, line, "date", None, undated))
    for loop in _loops(target_of):
        chain = " → ".join([*loop, loop[0]])
        for statement_id in loop:
            found.append(Problem(file, ids[statement_id], "supersedes", target_of[statement_id],
                                 f"makes a loop of corrections ({chain}): no row of this statement would "
                                 "be in force; break the loop"))  # fmt: skip
    return sorted(found, key=lambda problem: problem.line or 0)


def retired_code_problems(statements: pd.DataFrame, file: str) -> list[Problem]:
    """Rows in force that carry a stance retired in data release 2.0.0 (only a corrected row may
    keep one: the correction says what it means now). The rows are left out like invalid ones."""
    code = schema.Stance.CONDITIONAL.value
    lines = statements.loc[(statements["disarmament"] == code) & statements["superseded_by"].isna(), "line"]
    message = (
        'was retired in data release 2.0.0 (it meant "accepts disarmament only in some form or '
        'order"); use sequencing_only, on_conditions or another current code (docs/methodology.md)'
    )
    return [Problem(file, line, "disarmament", code, message) for line in lines.tolist()]


def _loops(target_of: Mapping[str, str]) -> list[list[str]]:
    """Each cycle of the "corrects" links, once, from its first row in `target_of`. A row is
    corrected at most once, so a walk from a row either ends or comes back to it."""
    loops, done = [], set()
    for start in target_of:
        path, node = [], start
        while node in target_of and node not in done:
            done.add(node)
            path.append(node)
            node = target_of[node]
        if path and node == start:
            loops.append(path)
    return loops


@dataclass(frozen=True)
class Dataset:
    """Everything the dashboard shows, loaded and checked together."""

    statements: pd.DataFrame
    stakeholders: pd.DataFrame
    tasks: tuple[schema.MandateTask, ...]
    conditions: dict[str, schema.VocabularyEntry]
    roles: dict[str, schema.VocabularyEntry]
    countries: pd.DataFrame
    problems: tuple[Problem, ...]
    path: Path
    #: What the rows were checked against (schema): the vocabularies, and the day if one was given.
    context: dict[str, Any]
    #: Reviews of the record against the sources, oldest first (reviews.csv).
    reviews: tuple[schema.Review, ...] = ()
    #: What each review found for each statement (review_log.csv).
    review_log: tuple[schema.ReviewEntry, ...] = ()
    #: English renderings of non-English words, by (statement_id, field) (translations.csv).
    translations: dict[tuple[str, str], schema.Translation] = field(default_factory=dict)

    @property
    def vocabularies(self) -> dict[str, dict[str, schema.VocabularyEntry]]:
        return {"conditions": self.conditions, "roles": self.roles}

    @property
    def last_review(self) -> schema.Review | None:
        return max(self.reviews, key=lambda review: review.reviewed_on, default=None)

    def added_on(self) -> dict[str, dt.date]:
        """The day a review added each statement it added (review_log.csv): the ledger has no
        column for when a row was written, and a feed reader must see a late row as news."""
        return {
            entry.statement_id: entry.reviewed_on
            for entry in sorted(self.review_log, key=lambda entry: entry.reviewed_on)
            if entry.outcome is schema.ReviewOutcome.ADDED
        }


def load_dataset(path: str | Path | None = None, today: dt.date | None = None) -> Dataset:
    """Load the ledger at `path` (default: paths.positions_path()) with its vocabularies, each table
    checked with its model and the keys the Data Package declares."""
    positions = Path(path) if path is not None else paths.positions_path()

    def read(name: str, context: dict[str, object] | None = None) -> Table:
        resource = RESOURCE[name]
        if name in OWN_TABLES and not (positions.parent / resource.path).exists():
            return Table()
        where = positions if name == "positions" else companion_path(positions, resource.path)
        columns = schema.POSITION_COLUMNS if name == "positions" else None
        return load_table(where, resource.model, columns, resource.primary_key, context)

    # The vocabularies first: the other tables are checked against them (problems follow this order).
    tables = {name: read(name) for name in ("countries", "conditions", "roles")}
    context: dict[str, Any] = {
        "countries": {c.iso3: c.name for c in tables["countries"].items},
        "conditions": {v.code: v for v in tables["conditions"].items},
        "roles": {v.code: v for v in tables["roles"].items},
        "today": today,  # None: the clock's
    }
    tables |= {
        res.name: read(res.name, context) for res in RESOURCES if res.with_ledger and res.name not in tables
    }
    _enforce_foreign_keys(tables)
    ledger = tables["positions"]
    statements = statements_frame(ledger.records)
    found = []
    for check in (correction_problems, retired_code_problems):  # each leaves its rows out
        problems = check(statements, str(positions))
        bad = statements["line"].isin([problem.line for problem in problems])
        statements = mark_corrections(statements[~bad].reset_index(drop=True))
        found += problems
    renderings = {(t.statement_id, t.field.value): t for t in tables["translations"].items}
    found += translations.untranslated(statements, renderings, str(positions))
    tables["positions"] = replace(ledger, problems=sorted(ledger.problems + found, key=lambda p: p.line or 0))
    return Dataset(
        statements=statements,
        stakeholders=_frame(tables["stakeholders"], schema.StakeholderStatement),
        tasks=tuple(tables["mandate_tasks"].items),
        conditions=context["conditions"],
        roles=context["roles"],
        countries=_frame(tables["countries"], schema.Country),
        problems=tuple(problem for table in tables.values() for problem in table.problems),
        path=positions,
        context=context,
        reviews=tuple(tables["reviews"].items),
        review_log=tuple(tables["review_log"].items),
        translations=renderings,
    )


def _frame(table: Table, model: type[BaseModel]) -> pd.DataFrame:
    return pd.DataFrame([record.model_dump() for record in table.items], columns=list(model.model_fields))
