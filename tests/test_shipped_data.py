"""The shipped data: what must hold for this and every later version of it. These tests read
data/ itself (the page and logic tests read tests/fixtures/), so they check only what a valid,
sourced statement appended by hand, by the CLI or by the form cannot break: every row valid,
sourced and in English or beside its English, the released rows kept byte for byte, and the
releases and reviews recorded for the rows they cover. What the record says (who refused what,
when) is asserted on the fixture ledger (tests/test_positions.py, tests/test_summary.py)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from isf_tracker import datapackage
from isf_tracker.ledger import load_dataset
from isf_tracker.positions import positions_as_of
from isf_tracker.writer import append_statements
from tests.ledger_rows import ROOT

DATA = ROOT / "data"
RESEARCH = ROOT.parent / "shared" / "research" / "isf-positions.md"
REVIEWS = sorted((ROOT / "docs").glob("review-*.md"))
EXPECTED_COUNTRIES = {"IDN", "PAK", "AZE", "EGY", "SAU", "TUR", "ARE", "JOR", "QAT", "ITA", "MAR",
                      "KAZ", "XKX", "ALB", "GRC", "BGD", "MYS"}  # fmt: skip
#: How the notes of a row say where it comes from (docs/methodology.md).
FIRST_RESEARCH = re.compile(r"^research #\d+")
LATER = re.compile(r"^(corrects S[0-9A-Za-z._-]+: |factcheck-2026-12b? |review 2026-12)")


#: Each release (data/CHANGELOG.md): its lines of positions.csv, header included, and their
#: SHA-256. Later rows are appended after them; these never change.
RELEASES = {
    "1.1.0": (110, "c0400f9616ef84563b4dc0fbde46c78a12c5959044f89e0feae46cac0abac877"),
    "2.0.0": (136, "4c3cca835a4f49dcaff93c2fd16832666edde440f037cd5b50b9dcc9f4ac0f7c"),
}
RELEASE = max(RELEASES, key=lambda version: tuple(map(int, version.split("."))))
RELEASE_LINES = RELEASES[RELEASE][0]


#: Statements a later review might append: a back-dated Pakistani figure, reported, and an Indonesian
#: statement in Indonesian with its English. These tests must hold for the data with them too.
GROWN = [
    {
        "statement_id": "T901",
        "date": "2025-12-20",
        "iso3": "PAK",
        "country": "Pakistan",
        "status": "considering",
        "troops_min": "3000",
        "troops_max": "3000",
        "troops_as_stated": "about 3,000 troops",
        "disarmament": "refuses",
        "speaker": "Unnamed officials",
        "quote": "We will not disarm anyone",
        "source_url": "https://example.org/pak",
        "source_outlet": "Example",
        "reliability": "reported",
        "notes": "review 2026-12: a test row",
        "date_precision": "reported",
    },
    {
        "statement_id": "T902",
        "date": "2025-11-29",
        "iso3": "IDN",
        "country": "Indonesia",
        "status": "considering",
        "troops_min": "1200",
        "troops_max": "1200",
        "disarmament": "unstated",
        "speaker": "Unnamed officials",
        "quote": "Tidak ada yang mau melakukan hal itu",
        "source_url": "https://example.org/idn",
        "source_outlet": "Example",
        "reliability": "reported",
        "notes": "review 2026-12: a test row",
        "date_precision": "reported",
    },
]


@pytest.fixture(scope="module", params=["shipped", "grown"])
def folder(request, tmp_path_factory) -> Path:
    """The shipped data, and a copy to which valid statements were appended with the CLI's writer."""
    if request.param == "shipped":
        return DATA
    copy = tmp_path_factory.mktemp("grown")
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy2(path, copy / path.name)
    with (copy / "translations.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("T902,quote,id,Nobody wants to do that,project,,\n")
    assert append_statements(copy / "positions.csv", GROWN).ok
    return copy


@pytest.fixture(scope="module")
def data(folder):
    return load_dataset(folder / "positions.csv")


@pytest.fixture(scope="module")
def released(data):
    """The statements of the newest release (rows appended since are not in its review)."""
    return data.statements[data.statements["line"] <= RELEASE_LINES]


def position(data, iso3: str, day: str) -> pd.Series:
    return positions_as_of(data.statements, dt.date.fromisoformat(day)).set_index("iso3").loc[iso3]


@pytest.fixture(scope="module")
def review_log(folder) -> list[dict[str, str]]:
    with (folder / "review_log.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_is_valid(data):
    assert [str(p) for p in data.problems] == []


@pytest.mark.parametrize("release", list(RELEASES))
def test_the_released_rows_are_kept_byte_for_byte(folder, release):
    count, sha256 = RELEASES[release]
    lines = (folder / "positions.csv").read_bytes().split(b"\n")
    assert len(lines) > count
    released = b"\n".join(lines[:count]) + b"\n"
    assert hashlib.sha256(released).hexdigest() == sha256, f"a row of release {release} was edited in place"
    newest = datapackage.release_version((folder / datapackage.CHANGELOG).read_text(encoding="utf-8"))
    assert tuple(map(int, newest.split("."))) >= tuple(map(int, RELEASE.split(".")))


def test_all_61_research_statements_and_17_countries(data):
    refs = data.statements["statement_id"].str.extract(r"^S(\d{3})")[0].dropna().astype(int)
    assert set(range(1, 62)) <= set(refs)
    assert set(data.statements["iso3"]) >= EXPECTED_COUNTRIES


def test_every_row_has_an_http_source_outlet_and_reliability(data):
    statements = data.statements
    assert statements["source_url"].str.match(r"^https?://").all()
    assert statements["source_outlet"].str.len().gt(0).all()
    assert statements["reliability"].isin(["on_record", "reported", "unconfirmed"]).all()


def test_every_released_row_says_where_it_comes_from(released):
    for statement_id, notes, supersedes in released[["statement_id", "notes", "supersedes"]].itertuples(
        index=False
    ):
        assert FIRST_RESEARCH.match(notes) or LATER.match(notes), statement_id
        if isinstance(supersedes, str):
            assert notes.startswith(f"corrects {supersedes}: "), statement_id


def test_no_row_in_force_carries_a_retired_code_and_every_non_english_quote_has_its_english(data):
    in_force = data.statements[data.statements["superseded_by"].isna()]
    assert not in_force["disarmament"].eq("conditional").any()
    untranslated = [p for p in data.problems if "not in English" in p.message]
    assert untranslated == []
    outlets = [t for t in data.translations.values() if t.translated_by.value == "outlet"]
    assert all(t.translation_url for t in outlets)


@pytest.mark.skipif(not RESEARCH.exists(), reason="the shared research folder is not beside the repo")
def test_quotes_and_urls_of_the_first_research_are_copied_from_it(data):
    research = RESEARCH.read_text(encoding="utf-8")
    first = data.statements[data.statements["notes"].str.match(FIRST_RESEARCH.pattern)]
    assert len(first) == 66
    for _, statement in first.iterrows():
        assert statement["source_url"] in research, statement["statement_id"]
        if isinstance(statement["quote"], str):
            for fragment in re.split(r"\s*…\s*", statement["quote"]):
                assert fragment.strip('" ') in research, statement["statement_id"]


def test_every_later_released_row_is_in_a_review_report_with_its_source(released):
    reports = "".join(path.read_text(encoding="utf-8") for path in REVIEWS)
    later = released[~released["notes"].str.match(FIRST_RESEARCH.pattern)]
    for statement_id, url in later[["statement_id", "source_url"]].itertuples(index=False):
        assert f"`{statement_id}`" in reports and url in reports, statement_id


def test_every_released_statement_is_reviewed_and_its_latest_outcome_holds(data, released, review_log):
    latest = {}
    for entry in sorted(review_log, key=lambda e: e["reviewed_on"]):
        latest[entry["statement_id"]] = entry
    statements = data.statements.set_index("statement_id")
    assert set(released["statement_id"]) <= set(latest) <= set(statements.index)
    for statement_id, entry in latest.items():
        if entry["outcome"] == "corrected":
            assert entry["corrected_by"] == statements.loc[statement_id, "superseded_by"], statement_id
        # a row checked then may be corrected by a row appended since: nothing to assert
    newest = max(entry["reviewed_on"] for entry in review_log)
    assert data.last_review is not None and data.last_review.reviewed_on.isoformat() == newest


def test_every_released_statement_is_in_the_changelog(folder, released):
    changelog = (folder / datapackage.CHANGELOG).read_text(encoding="utf-8")
    first_release = {f"S{n:03d}" for n in range(1, 62)}
    for statement_id in released["statement_id"]:
        assert statement_id.split("-")[0] in first_release or f"`{statement_id}`" in changelog, statement_id


def test_stakeholders_tasks_and_vocabularies_load(data):
    assert set(data.stakeholders["actor"]) == {"united_states", "israel", "hamas", "united_nations"}
    assert "demilitarisation" in {t.code for t in data.tasks}
    used = {code.removeprefix("withdrawn:") for codes in data.statements["conditions"] for code in codes}
    assert used <= set(data.conditions)
