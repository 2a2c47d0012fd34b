"""The careful CSV reader: whatever the bytes, rows of strings and problems with lines, never an exception."""

from __future__ import annotations

import pytest

from isf_tracker.csvfile import printable, read_table

REQUIRED = ("a", "b", "c")


def read(tmp_path, data: bytes):
    path = tmp_path / "case.csv"
    path.write_bytes(data)
    return read_table(path, REQUIRED)


@pytest.mark.parametrize(
    ("data", "rows", "problem_lines"),
    [
        (b'a,b,c\n"x"y,2,3\n', [], [2]),  # text after a closing quote
        (b"a,b,c\n1,2\n", [], [2]),  # too few fields
        (b"a,b,c\n\n1,2,3\n", [3], []),  # a blank line keeps the physical line numbers
        (b'a,b,c\n"two\nlines",2,3\n4,5,6\n', [2, 4], []),
        (b"a,b,c\n,,\n1,2,3\n", [3], []),  # a row of empty cells is skipped
        (b'a,b,c\n"x,2,3\n', [], [2]),  # an unterminated quote
    ],
)
def test_rows_keep_their_physical_lines_and_bad_ones_are_named(tmp_path, data, rows, problem_lines):
    table = read(tmp_path, data)
    assert [line for line, _ in table.rows] == rows
    assert [problem.line for problem in table.problems] == problem_lines


def test_a_header_cell_that_is_not_utf8_is_named_and_shown_readably(tmp_path):
    table = read(tmp_path, b"a,b,c\xff\n1,2,3\n")
    by_message = {p.message: p for p in table.problems}
    bad = by_message["column name is not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8)"]
    assert (bad.line, bad.column) == (1, "c\ufffd")
    assert by_message["column is missing from the header"].column == "c"
    for problem in table.problems:  # every text can be shown and stored as UTF-8
        for text in (problem.column, problem.value, problem.message):
            (text or "").encode("utf-8")


def test_printable_keeps_good_text_and_marks_bad_bytes():
    assert printable("Ishaq Dar") == "Ishaq Dar"
    assert printable(b"Dar\xe9".decode("utf-8", "surrogateescape")) == "Dar\ufffd"
