"""Corrections cannot hide data: a loop of corrections, a second correction of one statement,
a correction of nothing and an undated correction of a dated statement are problems with their
lines, in the loader (and so `validate` and the dashboard's panel), in `append` and in the form."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from isf_tracker import editing, paths, writer
from isf_tracker.cli import main
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import POSITION_COLUMNS
from tests.ledger_rows import csv_text, row

COLUMNS = [*POSITION_COLUMNS, "date_precision", "supersedes"]


def ledger_of(write_ledger, *rows: dict[str, str]) -> Path:
    return write_ledger(csv_text(list(rows), columns=COLUMNS))


def problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    return [(p.line, p.column, p.message) for p in load_dataset(path).problems]


def test_a_chain_of_corrections_leaves_its_last_row_in_force(write_ledger):
    path = ledger_of(write_ledger, row(statement_id="A"), row(statement_id="B", supersedes="A"),
                     row(statement_id="C", supersedes="B", troops_max="4000"))  # fmt: skip
    data = load_dataset(path)
    assert data.problems == ()
    in_force = data.statements[data.statements["superseded_by"].isna()]
    assert list(in_force["statement_id"]) == ["C"]


@pytest.mark.parametrize("size", [2, 3])
def test_a_loop_of_corrections_is_a_problem_on_each_of_its_rows(write_ledger, size):
    ids = [f"L{n}" for n in range(size)]
    rows = [row(statement_id=i, supersedes=ids[(n + 1) % size]) for n, i in enumerate(ids)]
    path = ledger_of(write_ledger, row(statement_id="OK", iso3="IDN", country="Indonesia"), *rows)
    found = problems(path)
    assert [(line, column) for line, column, _ in found] == [(3 + n, "supersedes") for n in range(size)]
    assert all("loop of corrections" in message and "no row of this statement" in message
               for *_, message in found)  # fmt: skip
    assert " → ".join([*ids, ids[0]]) in found[0][2]
    assert list(load_dataset(path).statements["statement_id"]) == ["OK"]  # the rest still shows


def test_a_second_correction_and_a_correction_of_nothing_are_named(write_ledger):
    corrections = [row(statement_id="C", supersedes="A"), row(statement_id="D", supersedes="ZZZ")]
    path = ledger_of(write_ledger, row(statement_id="A"), row(statement_id="B", supersedes="A"), *corrections)
    assert problems(path) == [
        (4, "supersedes", "is already corrected on line 3; correct that row instead"),
        (5, "supersedes", "names no statement in the ledger"),
    ]


def test_an_undated_correction_of_a_dated_statement_would_hide_it(write_ledger):
    path = ledger_of(write_ledger, row(statement_id="A"),
                     row(statement_id="B", supersedes="A", date="", date_precision="unknown"))  # fmt: skip
    assert problems(path) == [
        (3, "date", "is blank, but this row corrects A, which is dated: an undated correction would leave "
                    "the statement out of every position"),
    ]  # fmt: skip
    assert load_dataset(path).statements["superseded_by"].isna().all()  # A stays in force


def test_validate_exits_1_on_a_loop(write_ledger, capsys):
    path = ledger_of(
        write_ledger, row(statement_id="A", supersedes="B"), row(statement_id="B", supersedes="A")
    )
    assert main(["validate", str(path)]) == 1
    assert "loop of corrections (A → B → A)" in capsys.readouterr().out


def test_append_refuses_a_row_that_closes_a_loop_and_writes_nothing(write_ledger):
    path = ledger_of(write_ledger, row(statement_id="A"), row(statement_id="B", supersedes="A"))
    before = path.read_bytes()
    closing = [row(statement_id="C", supersedes="D"), row(statement_id="D", supersedes="C")]
    result = writer.append_statements(path, closing, source_name="rows.csv")
    assert not result.ok
    named = [(p.file, p.line, p.column) for p in result.problems]
    assert named == [("rows.csv", 1, "supersedes"), ("rows.csv", 2, "supersedes")]
    assert path.read_bytes() == before


def test_the_form_names_a_second_correction(write_ledger):
    path = ledger_of(write_ledger, row(statement_id="A"), row(statement_id="B", supersedes="A"))
    data = load_dataset(path)
    values = {**row(statement_id="C", supersedes="A"), "date_precision": "", "supersedes": "A"}
    assert editing.check_row(values, data) == {
        "supersedes": "is already corrected on line 3; correct that row instead"
    }


def test_the_dashboard_lists_the_loop_in_its_problem_panel(write_ledger, monkeypatch):
    indonesia = {"iso3": "IDN", "country": "Indonesia"}
    loop = [row(statement_id=a, supersedes=b, **indonesia) for a, b in (("A", "B"), ("B", "A"))]
    path = ledger_of(write_ledger, row(statement_id="OK"), *loop)
    monkeypatch.setenv("ISF_TRACKER_DATA", str(path))
    app = AppTest.from_file(str(paths.NAVIGATION_SCRIPT), default_timeout=60).run()
    assert not app.exception
    assert "2 problems" in app.warning[0].value
    panel = app.dataframe[0].value
    assert list(panel["line"]) == [3, 4] and set(panel["column"]) == {"supersedes"}
