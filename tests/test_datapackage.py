"""The Data Package descriptor is generated from the models and describes the shipped files."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from isf_tracker import datapackage
from isf_tracker.schema import POSITION_COLUMNS, Status
from tests.ledger_rows import ROOT

DATA = ROOT / "data"


def test_shipped_descriptor_matches_the_models():
    shipped = (DATA / "datapackage.json").read_text(encoding="utf-8")
    assert shipped == datapackage.descriptor_text(DATA), "run: isf-tracker datapackage"


def test_shipped_data_dictionary_matches_the_models():
    shipped = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert shipped == datapackage.data_dictionary(), "run: isf-tracker datapackage"


def test_every_csv_in_data_is_described():
    described = {r["path"] for r in datapackage.descriptor("1.0.0")["resources"]}
    assert described == {p.name for p in DATA.glob("*.csv")}


def test_positions_schema_lists_the_columns_in_order_with_controlled_lists():
    resource = next(r for r in datapackage.descriptor("1.0.0")["resources"] if r["name"] == "positions")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields)[: len(POSITION_COLUMNS)] == list(POSITION_COLUMNS)
    assert fields["status"]["constraints"]["enum"] == [s.value for s in Status]
    assert fields["troops_min"] == {
        "name": "troops_min",
        "type": "integer",
        "description": fields["troops_min"]["description"],
        "constraints": {"minimum": 0},
    }
    assert fields["date"]["type"] == "date"
    assert fields["statement_id"]["constraints"]["required"] is True
    assert "required" not in fields["quote"].get("constraints", {})
    assert resource["schema"]["foreignKeys"][0]["reference"] == {"resource": "countries", "fields": ["iso3"]}


def test_frictionless_validates_the_shipped_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, json.dumps(report.flatten(["rowNumber", "fieldName", "type", "note"]))


def test_frictionless_catches_what_our_loader_catches(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for path in [*DATA.glob("*.csv"), DATA / datapackage.CHANGELOG]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    ledger = (tmp_path / "positions.csv").read_text(encoding="utf-8").splitlines()
    cells = ledger[1].split(",")
    cells[POSITION_COLUMNS.index("status")] = "offerd"
    ledger[1] = ",".join(cells)
    (tmp_path / "positions.csv").write_text("\n".join(ledger) + "\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(datapackage.descriptor_text(tmp_path), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    flat = report.flatten(["rowNumber", "fieldName", "type"])
    assert [2, "status", "constraint-error"] in flat


def test_the_package_carries_the_newest_release_of_the_changelog():
    changelog = (DATA / datapackage.CHANGELOG).read_text(encoding="utf-8")
    version = datapackage.release_version(changelog)
    assert json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    two_releases = "# Data\n\n## 2.0.0 — 2027-01-01: x\n\n## 1.1.0 — 2026-12-02\n"
    assert datapackage.release_version(two_releases) == "2.0.0"
    with pytest.raises(ValueError):
        datapackage.release_version("# no releases yet")
    assert datapackage.release_day(two_releases, "1.1.0") == dt.date(2026, 12, 2)
    assert datapackage.release_day(two_releases, "3.0.0") is None


def test_every_foreign_key_refers_to_the_primary_key_of_a_declared_table():
    """The loader checks a foreign key against the keys the other table's rows claim."""
    resources = {r["name"]: r["schema"] for r in datapackage.descriptor("1.0.0")["resources"]}
    declared = [
        (name, key["fields"], key["reference"])
        for name, schema in resources.items()
        for key in schema.get("foreignKeys", [])
    ]
    assert {(name, field) for name, (field,), _ in declared} == {
        ("positions", "iso3"), ("review_log", "statement_id"), ("review_log", "corrected_by"),
        ("translations", "statement_id"), ("suggestions", "iso3"),
    }  # fmt: skip
    for _name, _fields, reference in declared:
        assert reference["fields"] == resources[reference["resource"]]["primaryKey"], reference
