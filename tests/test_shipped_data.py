"""The shipped data: the research record whole, every row sourced, every release and review
recorded. These tests read data/ itself (the page and logic tests read tests/fixtures/)."""

from __future__ import annotations

import csv
import re

import pytest

from isf_tracker import datapackage
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import ROOT

DATA = ROOT / "data"
RESEARCH = ROOT.parent / "shared" / "research" / "isf-positions.md"
REVIEWS = sorted((ROOT / "docs").glob("review-*.md"))
EXPECTED_COUNTRIES = {"IDN", "PAK", "AZE", "EGY", "SAU", "TUR", "ARE", "JOR", "QAT", "ITA", "MAR",
                      "KAZ", "XKX", "ALB", "GRC", "BGD", "MYS"}  # fmt: skip
#: How the notes of a row say where it comes from (docs/methodology.md).
FIRST_RESEARCH = re.compile(r"^research #\d+")
LATER = re.compile(r"^(corrects S[0-9A-Za-z._-]+: |factcheck-2026-12 |review 2026-12)")


@pytest.fixture(scope="module")
def data():
    return load_dataset(DATA / "positions.csv")


@pytest.fixture(scope="module")
def review_log() -> list[dict[str, str]]:
    with (DATA / "review_log.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_is_valid(data):
    assert [str(p) for p in data.problems] == []


def test_all_61_research_statements_and_17_countries(data):
    refs = data.statements["statement_id"].str.extract(r"^S(\d{3})")[0].astype(int)
    assert set(range(1, 62)) <= set(refs)
    assert set(data.statements["iso3"]) == EXPECTED_COUNTRIES


def test_every_row_has_an_http_source_outlet_and_reliability(data):
    statements = data.statements
    assert statements["source_url"].str.match(r"^https?://").all()
    assert statements["source_outlet"].str.len().gt(0).all()
    assert statements["reliability"].isin(["on_record", "reported", "unconfirmed"]).all()


def test_every_row_says_where_it_comes_from(data):
    for statement_id, notes, supersedes in data.statements[
        ["statement_id", "notes", "supersedes"]
    ].itertuples(index=False):
        assert FIRST_RESEARCH.match(notes) or LATER.match(notes), statement_id
        if isinstance(supersedes, str):
            assert notes.startswith(f"corrects {supersedes}: "), statement_id


def test_the_seed_figures_are_in_the_ledger(data):
    statements = data.statements.set_index("statement_id")
    assert statements.loc["S017", ["iso3", "troops_min", "troops_max"]].tolist() == ["PAK", 3500, 3500]
    assert statements.loc["S001", ["iso3", "troops_min"]].tolist() == ["IDN", 20000]


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


def test_every_later_row_is_in_a_review_report_with_its_source(data):
    reports = "".join(path.read_text(encoding="utf-8") for path in REVIEWS)
    later = data.statements[~data.statements["notes"].str.match(FIRST_RESEARCH.pattern)]
    for statement_id, url in later[["statement_id", "source_url"]].itertuples(index=False):
        assert f"`{statement_id}`" in reports and url in reports, statement_id


def test_every_statement_is_in_the_newest_review_and_the_outcomes_hold(data, review_log):
    newest = max(entry["reviewed_on"] for entry in review_log)
    entries = {e["statement_id"]: e for e in review_log if e["reviewed_on"] == newest}
    statements = data.statements.set_index("statement_id")
    assert set(entries) == set(statements.index)
    for statement_id, entry in entries.items():
        corrected_by = statements.loc[statement_id, "superseded_by"]
        if entry["outcome"] == "corrected":
            assert entry["corrected_by"] == corrected_by, statement_id
        else:
            assert not isinstance(corrected_by, str), statement_id
    assert data.last_review is not None and data.last_review.reviewed_on.isoformat() == newest


def test_every_statement_is_in_the_changelog(data):
    changelog = (DATA / datapackage.CHANGELOG).read_text(encoding="utf-8")
    first_release = {f"S{n:03d}" for n in range(1, 62)}
    for statement_id in data.statements["statement_id"]:
        assert statement_id.split("-")[0] in first_release or f"`{statement_id}`" in changelog, statement_id


def test_stakeholders_tasks_and_vocabularies_load(data):
    assert set(data.stakeholders["actor"]) == {"united_states", "israel", "hamas", "united_nations"}
    assert "demilitarisation" in {t.code for t in data.tasks}
    used = {code.removeprefix("withdrawn:") for codes in data.statements["conditions"] for code in codes}
    assert used <= set(data.conditions)
