"""The loader: valid rows and every problem, with file, line and column, never an exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from isf_tracker.ledger import load_dataset
from isf_tracker.schema import POSITION_COLUMNS
from tests.ledger_rows import FIXTURE, HEADER, ROOT, csv_text, row

TODAY = dt.date(2026, 11, 21)


def report(dataset) -> list[tuple[int | None, str | None]]:
    """The flattened report: (line, column) of each problem."""
    return [(p.line, p.column) for p in dataset.problems]


def load(path):
    return load_dataset(path, today=TODAY)


def test_valid_file_loads_every_row_typed(write_ledger):
    path = write_ledger(csv_text([row(), row(statement_id="T002", date="2025-12-27")]))
    data = load(path)
    assert data.problems == ()
    frame = data.statements
    assert list(frame["statement_id"]) == ["T001", "T002"]
    assert list(frame["line"]) == [2, 3]
    assert frame.loc[0, "date"] == pd.Timestamp("2025-11-29")
    assert frame.loc[0, "troops_min"] == 3500
    assert frame.loc[0, "conditions"] == ("no_disarmament", "unsc_mandate")
    assert frame.loc[0, "roles"] == ()
    assert frame.loc[0, "date_precision"] == "day"


def test_each_kind_of_bad_cell_is_reported_with_line_and_column(write_ledger):
    rows = [
        row(statement_id="T01", date="2025-13-01"),
        row(statement_id="T02", iso3="PAKI"),
        row(statement_id="T03", iso3="ZZZ"),
        row(statement_id="T04", country="Indonesia"),
        row(statement_id="T05", status="offerd"),
        row(statement_id="T06", troops_min="abc"),
        row(statement_id="T07", troops_min="-5"),
        row(statement_id="T08", troops_min="5000", troops_max="3000"),
        row(statement_id="T09", disarmament=""),
        row(statement_id="T10", conditions="unsc_mandate;no_such_thing"),
        row(statement_id="T11", roles="cooks"),
        row(statement_id="T12", source_url="javascript:alert(1)"),
        row(statement_id="T13", source_url="ftp://example.org/x"),
        row(statement_id="T14", reliability="rumour"),
        row(statement_id="T15", speaker=""),
        row(statement_id="T16", date="2027-01-01"),
        row(statement_id="T01"),
        row(statement_id="bad id!"),
    ]
    data = load(write_ledger(csv_text(rows)))
    assert report(data) == [
        (2, "date"), (3, "iso3"), (4, "iso3"), (5, "country"), (6, "status"),
        (7, "troops_min"), (8, "troops_min"), (9, "troops_max"), (10, "disarmament"),
        (11, "conditions"), (12, "roles"), (13, "source_url"), (14, "source_url"),
        (15, "reliability"), (16, "speaker"), (17, "date"), (18, "statement_id"),
        (19, "statement_id"),
    ]  # fmt: skip
    assert data.statements.empty
    messages = {(p.line, p.column): p.message for p in data.problems}
    assert messages[(2, "date")] == "is not a date in the form YYYY-MM-DD"
    assert messages[(5, "country")] == "does not match iso3 PAK, which is 'Pakistan'"
    assert messages[(6, "status")].startswith("is not one of: 'declined', 'on_hold'")
    assert messages[(7, "troops_min")] == "is not a whole number"
    assert messages[(8, "troops_min")] == "must be 0 or more"
    assert messages[(9, "troops_max")] == "is smaller than troops_min (5000)"
    assert "'no_such_thing'" in messages[(11, "conditions")]
    assert messages[(13, "source_url")].startswith("must be a full web address")
    assert messages[(17, "date")] == "is in the future (after 2026-11-21)"
    assert messages[(18, "statement_id")] == "is already used on line 2; identifiers must be unique"
    problem = data.problems[0]
    assert problem.file.endswith("positions.csv")
    assert problem.value == "2025-13-01"
    assert str(problem).endswith(
        "positions.csv:2: date: is not a date in the form YYYY-MM-DD (value '2025-13-01')"
    )


def test_bad_rows_do_not_hide_good_ones(write_ledger):
    rows = [row(statement_id="A"), row(statement_id="B", status="??"), row(statement_id="C")]
    data = load(write_ledger(csv_text(rows)))
    assert list(data.statements["statement_id"]) == ["A", "C"]
    assert report(data) == [(3, "status")]
    assert data.problems


def test_several_problems_in_one_row_are_all_reported(write_ledger):
    data = load(write_ledger(csv_text([row(date="yesterday", status="x", reliability="y")])))
    assert report(data) == [(2, "date"), (2, "status"), (2, "reliability")]


def test_utf8_bom_and_crlf_line_ends_are_read(write_ledger):
    text = csv_text([row(quote="Türkiye, «quoted»"), row(statement_id="T2")], newline="\r\n")
    data = load(write_ledger(b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert data.problems == ()
    assert list(data.statements["statement_id"]) == ["T001", "T2"]
    assert data.statements.loc[0, "quote"] == "Türkiye, «quoted»"
    assert data.statements.loc[0, "notes"] is None


def test_quoted_newlines_keep_the_line_numbers_of_later_rows(write_ledger):
    rows = [row(quote="the first line\nand the second line"), row(statement_id="T2", status="bad")]
    data = load(write_ledger(csv_text(rows)))
    assert data.statements.loc[0, "quote"] == "the first line\nand the second line"
    assert report(data) == [(4, "status")]


def test_semicolon_delimited_file_is_named_and_still_read(write_ledger):
    data = load(write_ledger(csv_text([row()], delimiter=";")))
    assert report(data) == [(1, None)]
    assert "separated by ';'" in data.problems[0].message
    assert list(data.statements["statement_id"]) == ["T001"]
    assert data.statements.loc[0, "conditions"] == ("no_disarmament", "unsc_mandate")


def test_non_utf8_row_is_named_and_skipped(write_ledger):
    text = csv_text([row(), row(statement_id="T2", speaker="Ministre de la Défense")])
    data = load(write_ledger(text.encode("cp1252")))
    assert report(data) == [(3, "speaker")]
    assert "not valid UTF-8" in data.problems[0].message
    assert data.problems[0].value == "Ministre de la D\ufffdfense"
    assert list(data.statements["statement_id"]) == ["T001"]


def test_utf16_file_gets_a_clear_message(write_ledger):
    data = load(write_ledger(csv_text([row()]).encode("utf-16")))
    assert report(data) == [(None, None)]
    assert "UTF-16" in data.problems[0].message


def test_empty_and_header_only_files(write_ledger):
    empty = load(write_ledger("", "empty.csv"))
    assert report(empty) == [(None, None)]
    assert empty.problems[0].message.startswith("is empty; expected a header row: statement_id,")
    assert empty.statements.empty
    assert list(empty.statements.columns)[1:18] == list(POSITION_COLUMNS)

    header_only = load(write_ledger(HEADER + "\r\n", "header.csv"))
    assert header_only.problems == ()
    assert header_only.statements.empty


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    data = load(tmp_path / "nope.csv")
    assert [(p.line, p.message) for p in data.problems] == [(None, "file not found")]


def test_header_problems(write_ledger):
    columns = [c for c in POSITION_COLUMNS if c != "reliability"]
    data = load(write_ledger(csv_text([row()], columns=columns)))
    assert (1, "reliability") in report(data)

    swapped = list(POSITION_COLUMNS)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    data = load(write_ledger(csv_text([row()], columns=swapped), "swapped.csv"))
    assert report(data) == [(1, None)]
    assert "not in the expected order" in data.problems[0].message
    assert len(data.statements) == 1  # read by name all the same


def test_extra_columns_may_follow(write_ledger):
    columns = [*POSITION_COLUMNS, "date_precision", "reviewer"]
    data = load(write_ledger(csv_text([row(date_precision="inferred", reviewer="x")], columns)))
    assert data.problems == ()
    assert data.statements.loc[0, "date_precision"] == "inferred"


def test_wrong_number_of_fields_and_broken_quotes(write_ledger):
    good = csv_text([row()])
    short = good + "T9,2025-01-01,PAK\n"
    data = load(write_ledger(short))
    assert report(data) == [(3, None)]
    assert "has 3 fields but the header has 17" in data.problems[0].message

    broken = good + 'T9,2025-01-01,PAK,Pakistan,"offered"x' + "," * 13 + "\n"
    data = load(write_ledger(broken, "broken.csv"))
    assert report(data) == [(3, None)]
    assert "cannot be read as CSV" in data.problems[0].message
    assert list(data.statements["statement_id"]) == ["T001"]


def test_date_precision_rules(write_ledger):
    rows = [
        row(statement_id="A", date="", date_precision="unknown"),
        row(statement_id="B", date="", date_precision=""),
        row(statement_id="C", date="2025-12-01", date_precision="month"),
        row(statement_id="D", date="", date_precision="month"),
        row(statement_id="E", date="2025-12-01", date_precision="unknown"),
        row(statement_id="F", date="2025-12-01", date_precision="sometime"),
    ]
    data = load(write_ledger(csv_text(rows, [*POSITION_COLUMNS, "date_precision"])))
    assert report(data) == [(5, "date_precision"), (6, "date_precision"), (7, "date_precision")]
    frame = data.statements.set_index("statement_id")
    assert frame.loc["A", "date_precision"] == "unknown"
    assert frame.loc["B", "date_precision"] == "unknown"
    assert pd.isna(frame.loc["B", "date"])
    assert frame.loc["C", "date_precision"] == "month"


def test_blank_cells_mean_not_stated(write_ledger):
    data = load(
        write_ledger(csv_text([row(status="", troops_min="", troops_max="", troops_as_stated="", quote=" ")]))
    )
    assert data.problems == ()
    first = data.statements.iloc[0]
    assert first["status"] is None
    assert pd.isna(first["troops_min"]) and pd.isna(first["troops_max"])
    assert first["quote"] is None


# The keys the Data Package declares (datapackage.RESOURCES), enforced by the loader.


def test_the_shipped_data_and_the_fixture_break_no_key():
    for path in (ROOT / "data" / "positions.csv", FIXTURE):
        assert load_dataset(path).problems == (), path


def test_a_review_log_row_naming_no_statement_is_a_problem_with_its_line_and_column(ledger):
    log = ledger.parent / "review_log.csv"
    lines = len(log.read_text(encoding="utf-8").splitlines())
    with log.open("a", encoding="utf-8") as handle:
        handle.write("2026-12-03,S999,checked,,,\n2026-12-03,S001,corrected,S998,,\n")
    data = load_dataset(ledger)
    assert [(Path(p.file).name, p.line, p.column, p.value, p.message) for p in data.problems] == [
        ("review_log.csv", lines + 1, "statement_id", "S999", "names no row of positions.csv"),
        ("review_log.csv", lines + 2, "corrected_by", "S998", "names no row of positions.csv"),
    ]
    assert {entry.statement_id for entry in data.review_log} == set(data.statements["statement_id"])
    assert str(data.problems[0]).endswith(
        f"review_log.csv:{lines + 1}: statement_id: names no row of positions.csv (value 'S999')"
    )


def test_a_row_that_names_an_invalid_statement_is_not_blamed_for_it(ledger):
    """The invalid row is the problem, named once: it still claims its id."""
    header, first, *rest = ledger.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    cells[POSITION_COLUMNS.index("date")] = "2025-13-01"
    ledger.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    data = load_dataset(ledger)
    assert cells[0] in {entry.statement_id for entry in load_dataset(FIXTURE).review_log}
    assert [(Path(p.file).name, p.line, p.column) for p in data.problems] == [("positions.csv", 2, "date")]


def test_a_translation_naming_no_statement_and_a_key_used_twice_are_problems(ledger):
    renderings = ledger.parent / "translations.csv"
    _, first, *rest = renderings.read_text(encoding="utf-8").splitlines()
    with renderings.open("a", encoding="utf-8") as handle:
        handle.write(f"S404,quote,it,x,project,,\n{first}\n")
    data = load_dataset(ledger)
    statement_id, field = first.split(",")[:2]
    assert [(p.line, p.column, p.value, p.message) for p in data.problems] == [
        (len(rest) + 3, "statement_id", "S404", "names no row of positions.csv"),
        (len(rest) + 4, "field", field, f"is already used with statement_id {statement_id} on line 2; "
                                        "statement_id and field must be unique together"),
    ]  # fmt: skip
    assert len(data.translations) == len(rest) + 1  # the rows before, each once
