"""The shipped data: what must hold for this and every later version of it. These tests read
data/ itself (the page and logic tests read tests/fixtures/), so they check only what a valid,
sourced statement appended by hand, by the CLI or by the form cannot break: every row valid
and sourced, the released rows kept byte for byte, the releases and reviews recorded for the
rows they cover, and the key facts of the record as of their dates."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re

import pandas as pd
import pytest

from isf_tracker import datapackage
from isf_tracker.ledger import load_dataset
from isf_tracker.positions import positions_as_of
from tests.ledger_rows import ROOT

DATA = ROOT / "data"
RESEARCH = ROOT.parent / "shared" / "research" / "isf-positions.md"
REVIEWS = sorted((ROOT / "docs").glob("review-*.md"))
EXPECTED_COUNTRIES = {"IDN", "PAK", "AZE", "EGY", "SAU", "TUR", "ARE", "JOR", "QAT", "ITA", "MAR",
                      "KAZ", "XKX", "ALB", "GRC", "BGD", "MYS"}  # fmt: skip
#: How the notes of a row say where it comes from (docs/methodology.md).
FIRST_RESEARCH = re.compile(r"^research #\d+")
LATER = re.compile(r"^(corrects S[0-9A-Za-z._-]+: |factcheck-2026-12 |review 2026-12)")


#: The newest release (data/CHANGELOG.md): its lines of positions.csv, header included, and
#: their SHA-256. Later rows are appended after them; these never change.
RELEASE = "1.1.0"
RELEASE_LINES = 110
RELEASE_SHA256 = "c0400f9616ef84563b4dc0fbde46c78a12c5959044f89e0feae46cac0abac877"


@pytest.fixture(scope="module")
def data():
    return load_dataset(DATA / "positions.csv")


@pytest.fixture(scope="module")
def released(data):
    """The statements of the newest release (rows appended since are not in its review)."""
    return data.statements[data.statements["line"] <= RELEASE_LINES]


def position(data, iso3: str, day: str) -> pd.Series:
    return positions_as_of(data.statements, dt.date.fromisoformat(day)).set_index("iso3").loc[iso3]


@pytest.fixture(scope="module")
def review_log() -> list[dict[str, str]]:
    with (DATA / "review_log.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_is_valid(data):
    assert [str(p) for p in data.problems] == []


def test_the_released_rows_are_kept_byte_for_byte():
    lines = (DATA / "positions.csv").read_bytes().split(b"\n")
    assert len(lines) > RELEASE_LINES
    released = b"\n".join(lines[:RELEASE_LINES]) + b"\n"
    assert hashlib.sha256(released).hexdigest() == RELEASE_SHA256, "a released row was edited in place"
    newest = datapackage.release_version((DATA / datapackage.CHANGELOG).read_text(encoding="utf-8"))
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


def test_pakistan_s_3500_is_reported_and_never_on_record(data):
    statements = data.statements
    pakistan = statements[(statements["iso3"] == "PAK") & statements["troops_max"].eq(3500)]
    assert len(pakistan) >= 1 and not pakistan["reliability"].eq("on_record").any()
    assert position(data, "PAK", "2025-12-31")["troops_high"] == 3500


def test_indonesia_20000_then_8000_then_on_hold_from_march_2026(data):
    assert position(data, "IDN", "2025-12-31")["troops_high"] == 20000
    assert position(data, "IDN", "2026-03-01")["troops_high"] == 8000
    assert position(data, "IDN", "2026-03-01")["status"] != "on_hold"
    on_hold = position(data, "IDN", "2026-03-17")
    assert on_hold["status"] == "on_hold"
    assert data.statements.set_index("statement_id").loc[on_hold["status_from"], "reliability"] == "on_record"


def test_pakistan_refuses_to_disarm_hamas_on_record(data):
    statements = data.statements
    refusals = statements[(statements["iso3"] == "PAK") & (statements["disarmament"] == "refuses")]
    assert refusals["reliability"].eq("on_record").any()
    assert position(data, "PAK", "2025-12-31")["disarmament"] == "refuses"


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


def test_every_released_statement_is_in_the_newest_review_and_the_outcomes_hold(data, released, review_log):
    newest = max(entry["reviewed_on"] for entry in review_log)
    entries = {e["statement_id"]: e for e in review_log if e["reviewed_on"] == newest}
    statements = data.statements.set_index("statement_id")
    assert set(released["statement_id"]) <= set(entries) <= set(statements.index)
    for statement_id, entry in entries.items():
        corrected_by = statements.loc[statement_id, "superseded_by"]
        if entry["outcome"] == "corrected":
            assert entry["corrected_by"] == corrected_by, statement_id
        # a row checked then may be corrected by a row appended since: nothing to assert
    assert data.last_review is not None and data.last_review.reviewed_on.isoformat() == newest


def test_every_released_statement_is_in_the_changelog(released):
    changelog = (DATA / datapackage.CHANGELOG).read_text(encoding="utf-8")
    first_release = {f"S{n:03d}" for n in range(1, 62)}
    for statement_id in released["statement_id"]:
        assert statement_id.split("-")[0] in first_release or f"`{statement_id}`" in changelog, statement_id


def test_stakeholders_tasks_and_vocabularies_load(data):
    assert set(data.stakeholders["actor"]) == {"united_states", "israel", "hamas", "united_nations"}
    assert "demilitarisation" in {t.code for t in data.tasks}
    used = {code.removeprefix("withdrawn:") for codes in data.statements["conditions"] for code in codes}
    assert used <= set(data.conditions)
