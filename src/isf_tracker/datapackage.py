"""The Frictionless Data Package descriptor and the data dictionary, generated from the models.

Others can then validate and reuse the CSVs without our code (e.g. `frictionless
validate data/datapackage.json`). A test keeps the shipped files equal to what
this module generates, so the descriptor can never drift from the models.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from isf_tracker import vocabulary as words
from isf_tracker.schema import (
    LIST_SEPARATOR,
    Country,
    MandateTask,
    Review,
    ReviewEntry,
    StakeholderStatement,
    Statement,
    Translation,
    VocabularyEntry,
)


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    title: str
    model: type[BaseModel]
    primary_key: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)
    license: str = "CC-BY-4.0"
    source: str | None = None


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "positions",
        "positions.csv",
        "Dated, sourced statements of each country's position",
        Statement,
        "statement_id",
        (("iso3", "countries", "iso3"),),
    ),
    Resource("conditions", "conditions.csv", "Conditions a contributor may attach", VocabularyEntry, "code"),
    Resource("roles", "roles.csv", "Roles a contributor may offer", VocabularyEntry, "code"),
    Resource(
        "countries",
        "countries.csv",
        "Countries: ISO codes, map ids and regions",
        Country,
        "iso3",
        license="ODbL-1.0",
        source="world-countries 5.1.0 (mledoze/countries), ODbL-1.0; Kosovo as XKX",
    ),
    Resource(
        "mandate_tasks",
        "mandate_tasks.csv",
        "The force's tasks and the positions that rule a contributor in or out",
        MandateTask,
        "code",
    ),
    Resource(
        "stakeholders",
        "stakeholders.csv",
        "Positions of the US, Israel, Hamas and the UN on the force",
        StakeholderStatement,
        "statement_id",
    ),
    Resource(
        "reviews", "reviews.csv", "Reviews of the whole record against the sources", Review, "reviewed_on"
    ),
    Resource(
        "review_log",
        "review_log.csv",
        "Each statement's outcome in each review",
        ReviewEntry,
        ("reviewed_on", "statement_id"),
        (("statement_id", "positions", "statement_id"), ("corrected_by", "positions", "statement_id")),
    ),
    Resource(
        "translations",
        "translations.csv",
        "English renderings of statements' non-English quotes and figures in words",
        Translation,
        ("statement_id", "field"),
        (("statement_id", "positions", "statement_id"),),
    ),
)

CHANGELOG = "CHANGELOG.md"
_RELEASE_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) ", re.MULTILINE)


def release_version(changelog_text: str) -> str:
    """The newest release in the data changelog (its first `## X.Y.Z — date` heading)."""
    found = _RELEASE_HEADING.search(changelog_text)
    if found is None:
        raise ValueError(f"{CHANGELOG} has no release heading such as '## 1.1.0 — 2026-12-02'")
    return found.group(1)


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Collapse `$ref` and `anyOf [X, null]` into X."""
    if "$ref" in schema:
        return _resolve(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(options) == 1:
            return _resolve(options[0], defs)
    return schema


def _list_pattern(item_pattern: str) -> str:
    """Table Schema patterns match the whole cell, so no anchors."""
    return f"({item_pattern}({LIST_SEPARATOR}{item_pattern})*)?"


def table_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A Frictionless Table Schema for `model`, field by field from its JSON Schema."""
    json_schema = model.model_json_schema(mode="validation")
    defs = json_schema.get("$defs", {})
    required = set(json_schema.get("required", []))
    fields = []
    for name, prop in json_schema["properties"].items():
        spec = _resolve(prop, defs)
        field: dict[str, Any] = {"name": name, "description": prop.get("description", "")}
        constraints: dict[str, Any] = {}
        if name in required:
            constraints["required"] = True
        kind = spec.get("type")
        if kind == "integer":
            field["type"] = "integer"
            if "minimum" in spec:
                constraints["minimum"] = spec["minimum"]
        elif kind == "string" and spec.get("format") == "date":
            field["type"] = "date"
        elif kind == "array":
            item = _resolve(spec.get("items", {}), defs)
            field["type"] = "string"
            if "enum" in item:
                items = "|".join(item["enum"])
            else:
                items = item.get("pattern", "[a-z][a-z0-9_]*").removeprefix("^").removesuffix("$")
            constraints["pattern"] = _list_pattern(f"({items})")
            field["description"] += f" Codes separated by '{LIST_SEPARATOR}'."
        else:
            field["type"] = "string"
            if "enum" in spec:
                constraints["enum"] = list(spec["enum"])
            if "pattern" in spec:
                constraints["pattern"] = spec["pattern"].removeprefix("^").removesuffix("$")
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def descriptor(version: str) -> dict[str, Any]:
    """The whole data/datapackage.json, for the data release `version`."""
    resources = []
    for res in RESOURCES:
        schema = table_schema(res.model)
        schema["primaryKey"] = (
            [res.primary_key] if isinstance(res.primary_key, str) else list(res.primary_key)
        )
        if res.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [field], "reference": {"resource": other, "fields": [other_field]}}
                for field, other, other_field in res.foreign_keys
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
            "schema": schema,
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
