"""The Frictionless Data Package descriptor and the data dictionary, generated from the models.

Others can then validate and reuse the CSVs without our code (e.g. `frictionless
validate data/datapackage.json`). A test keeps the shipped files equal to what
this module generates, so the descriptor can never drift from the models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from isf_tracker import schema
from isf_tracker import vocabulary as words


@dataclass(frozen=True)
class Resource:
    """One CSV of the package: `name`.csv, read with `model`; each foreign key is a column and the
    table whose primary key it names."""

    name: str
    title: str
    model: type[BaseModel]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()
    license: str = "CC-BY-4.0"
    source: str | None = None
    #: Read with the ledger (and part of the data's version); readers' suggestions are not: they
    #: are the editor's inbox, and one arriving must not make every view be computed again.
    with_ledger: bool = True

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "positions",
        "Dated, sourced statements of each country's position",
        schema.Statement,
        ("statement_id",),
        (("iso3", "countries"),),
    ),
    Resource("conditions", "Conditions a contributor may attach", schema.VocabularyEntry, ("code",)),
    Resource("roles", "Roles a contributor may offer", schema.VocabularyEntry, ("code",)),
    Resource(
        "countries",
        "Countries: ISO codes, map ids and regions",
        schema.Country,
        ("iso3",),
        license="ODbL-1.0",
        source="world-countries 5.1.0 (mledoze/countries), ODbL-1.0; Kosovo as XKX",
    ),
    Resource(
        "mandate_tasks",
        "The force's tasks and the positions that rule a contributor in or out",
        schema.MandateTask,
        ("code",),
    ),
    Resource(
        "stakeholders",
        "Positions of the US, Israel, Hamas and the UN on the force",
        schema.StakeholderStatement,
        ("statement_id",),
    ),
    Resource("reviews", "Reviews of the whole record against the sources", schema.Review, ("reviewed_on",)),
    Resource(
        "review_log",
        "Each statement's outcome in each review",
        schema.ReviewEntry,
        ("reviewed_on", "statement_id"),
        (("statement_id", "positions"), ("corrected_by", "positions")),
    ),
    Resource(
        "translations",
        "English renderings of statements' non-English quotes and figures in words",
        schema.Translation,
        ("statement_id", "field"),
        (("statement_id", "positions"),),
    ),
    Resource(
        "suggestions",
        "Readers' suggested corrections, for an editor to check (never part of the ledger)",
        schema.Suggestion,
        ("suggestion_id",),
        (("iso3", "countries"),),
        with_ledger=False,
    ),
)
#: Each resource by its name.
RESOURCE = {resource.name: resource for resource in RESOURCES}

CHANGELOG = "CHANGELOG.md"


def release_version(changelog_text: str) -> str:
    """The newest release in the data changelog (its first `## X.Y.Z — date` heading)."""
    found = re.search(r"^## (\d+\.\d+\.\d+) ", changelog_text, re.MULTILINE)
    if found is None:
        raise ValueError(f"{CHANGELOG} has no release heading such as '## 1.1.0 — 2026-12-02'")
    return found.group(1)


def release_day(changelog_text: str, version: str) -> dt.date | None:
    """The day of the release `version`, from its changelog heading (`## 2.0.0 — 2026-12-03: …`)."""
    found = re.search(
        rf"^## {re.escape(version)} \S+ (\d{{4}}-\d{{2}}-\d{{2}})", changelog_text, re.MULTILINE
    )
    return dt.date.fromisoformat(found.group(1)) if found else None


def _resolve(spec: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Collapse `$ref` and `anyOf [X, null]` into X."""
    if "$ref" in spec:
        return _resolve(defs[spec["$ref"].split("/")[-1]], defs)
    if "anyOf" in spec:
        options = [s for s in spec["anyOf"] if s.get("type") != "null"]
        if len(options) == 1:
            return _resolve(options[0], defs)
    return spec


def _bare(pattern: str) -> str:
    """Table Schema patterns match the whole cell, so they have no anchors."""
    return pattern.removeprefix("^").removesuffix("$")


def table_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A Frictionless Table Schema for `model`, field by field from its JSON Schema (a list of
    codes is a string with a pattern)."""
    json_schema = model.model_json_schema(mode="validation")
    defs, required = json_schema.get("$defs", {}), json_schema.get("required", [])
    fields = []
    for name, prop in json_schema["properties"].items():
        spec = _resolve(prop, defs)
        kind = "date" if spec.get("format") == "date" else spec.get("type")
        field = {"name": name, "description": prop.get("description", ""), "type": kind}
        if kind == "array":
            item = _resolve(spec["items"], defs)
            codes = (
                "|".join(item["enum"]) if "enum" in item else _bare(item.get("pattern", schema.CODE_PATTERN))
            )
            spec = {"pattern": f"(({codes})({schema.LIST_SEPARATOR}({codes}))*)?"}
            field["type"] = "string"
            field["description"] += f" Codes separated by '{schema.LIST_SEPARATOR}'."
        constraints = {"required": True} if name in required else {}
        constraints |= {key: spec[key] for key in ("minimum", "enum", "pattern") if key in spec}
        if "maxLength" in spec:
            constraints["maxLength"] = spec["maxLength"]
        if "pattern" in constraints:
            constraints["pattern"] = _bare(constraints["pattern"])
        fields.append(field | ({"constraints": constraints} if constraints else {}))
    return {"fields": fields, "missingValues": [""]}


def descriptor(version: str) -> dict[str, Any]:
    """The whole data/datapackage.json, for the data release `version`."""
    resources = []
    for res in RESOURCES:
        table = {**table_schema(res.model), "primaryKey": list(res.primary_key)}
        if res.foreign_keys:
            table["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": to, "fields": list(RESOURCE[to].primary_key)}}
                for column, to in res.foreign_keys
            ]
        entry: dict[str, Any] = {
            "name": res.name,
            "path": res.path,
            "title": res.title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "licenses": [{"name": res.license}],
            "schema": table,
        }
        if res.source:
            entry["sources"] = [{"title": res.source}]
        resources.append(entry)
    return {
        "name": "isf-tracker",
        "version": version,
        "title": "ISF Tracker: troop offers to the International Stabilization Force for Gaza",
        "description": (
            "A ledger of dated, sourced statements by countries on contributing to the "
            "International Stabilization Force (UNSC Resolution 2803), with the stakeholders' "
            "positions and the force's tasks. Rows are appended, never overwritten."
        ),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


def descriptor_text(data_dir: Path) -> str:
    """The descriptor for the data in `data_dir`, versioned by its CHANGELOG.md."""
    version = release_version((data_dir / CHANGELOG).read_text(encoding="utf-8"))
    return json.dumps(descriptor(version), indent=2, ensure_ascii=False) + "\n"


def data_dictionary() -> str:
    """The data dictionary as Markdown: one table per CSV, from the same schemas."""
    out = [
        "# Data dictionary",
        "",
        "Generated from the models in `src/isf_tracker/schema.py` by "
        "`isf-tracker datapackage`; do not edit by hand. Blank cells mean *not stated*.",
        "",
    ]
    for res in RESOURCES:
        out += [
            f"## `data/{res.path}`: {res.title}",
            "",
            "| column | type | required | allowed values | meaning |",
            "|---|---|---|---|---|",
        ]
        for field in table_schema(res.model)["fields"]:
            constraints = field.get("constraints", {})
            allowed = ", ".join(f"`{v}`" for v in constraints.get("enum", []))
            if not allowed and "pattern" in constraints:
                allowed = f"pattern `{constraints['pattern']}`".replace("|", "\\|")
            if "minimum" in constraints:
                allowed = f"≥ {constraints['minimum']}"
            if "maxLength" in constraints:
                allowed = f"at most {constraints['maxLength']:,} characters"
            required = "yes" if constraints.get("required") else ""
            out.append(
                f"| `{field['name']}` | {field['type']} | {required} | {allowed} | {field['description']} |"
            )
        out.append("")
    out += [
        "## The stance on disarming Hamas (`positions.csv`, column `disarmament`)",
        "",
        "Since data release 2.0.0 the stance says how it is known: in so many words, or inferred. "
        "A country's stance is its latest explicit one; an inferred one counts only when it has stated "
        "none (docs/methodology.md, with the rule and an example for each).",
        "",
        "| code | label | known | meaning |",
        "|---|---|---|---|",
    ]
    for code, term in words.STANCES.items():
        known = "retired" if code not in words.CURRENT_STANCES else "said" if term.explicit else "inferred"
        known = "" if code == "unstated" else known
        out.append(f"| `{code}` | {term.label} | {known} | {term.meaning} |")
    out.append("")
    return "\n".join(out)


def write(data_dir: Path, docs_dir: Path) -> list[Path]:
    targets = [(data_dir / "datapackage.json", descriptor_text(data_dir)),
               (docs_dir / "data-dictionary.md", data_dictionary())]  # fmt: skip
    for path, text in targets:
        path.write_text(text, encoding="utf-8")
    return [path for path, _ in targets]
