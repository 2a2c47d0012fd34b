"""The shipped data: the research record, whole, and every row sourced."""

from __future__ import annotations

import re

import pytest

from isf_tracker.ledger import load_dataset
from tests.ledger_rows import ROOT

RESEARCH = ROOT.parent / "shared" / "research" / "isf-positions.md"
EXPECTED_COUNTRIES = {"IDN", "PAK", "AZE", "EGY", "SAU", "TUR", "ARE", "JOR", "QAT", "ITA", "MAR",
                      "KAZ", "XKX", "ALB", "GRC", "BGD", "MYS"}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return load_dataset(ROOT / "data" / "positions.csv")


def test_every_file_is_valid(data):
    assert [str(p) for p in data.problems] == []


def test_all_61_research_statements_and_17_countries(data):
    refs = data.statements["statement_id"].str.extract(r"^S(\d{3})")[0].astype(int)
    assert sorted(set(refs)) == list(range(1, 62))
    assert set(data.statements["iso3"]) == EXPECTED_COUNTRIES


def test_every_row_has_an_http_source_outlet_and_reliability(data):
    statements = data.statements
    assert statements["source_url"].str.match(r"^https?://").all()
    assert statements["source_outlet"].str.len().gt(0).all()
    assert statements["reliability"].isin(["on_record", "reported", "unconfirmed"]).all()


def test_the_seed_figures_are_in_the_ledger(data):
    statements = data.statements.set_index("statement_id")
    assert statements.loc["S017", ["iso3", "troops_min", "troops_max"]].tolist() == ["PAK", 3500, 3500]
    assert statements.loc["S001", ["iso3", "troops_min"]].tolist() == ["IDN", 20000]


@pytest.mark.skipif(not RESEARCH.exists(), reason="the shared research folder is not beside the repo")
def test_quotes_and_urls_are_copied_from_the_research(data):
    research = RESEARCH.read_text(encoding="utf-8")
    for _, statement in data.statements.iterrows():
        assert statement["source_url"] in research, statement["statement_id"]
        if isinstance(statement["quote"], str):
            for fragment in re.split(r"\s*…\s*", statement["quote"]):
                assert fragment.strip('" ') in research, statement["statement_id"]


def test_stakeholders_tasks_and_vocabularies_load(data):
    assert set(data.stakeholders["actor"]) == {"united_states", "israel", "hamas", "united_nations"}
    assert "demilitarisation" in {t.code for t in data.tasks}
    used = {code for codes in data.statements["conditions"] for code in codes}
    assert used <= set(data.conditions)
