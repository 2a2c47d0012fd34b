"""The column reader must read exactly what the careful row reader reads, on any input.

Arrow's parser is used only when the file is plainly well-formed; these tests
throw well-formed and malformed CSV at both readers and compare everything.
"""

from __future__ import annotations

import random

import pytest

from isf_tracker.csvfile import ColumnTable, _fast_parse, plainly_quoted, read_columns, read_table

REQUIRED = ("a", "b", "c")
TOKENS = ["x", "y z", ",", '"', '""', "\n", "\r\n", "\r", " ", ";", "é", "\t"]


def same_as_row_reader(path) -> tuple[list, list]:
    rows, columns = read_table(path, REQUIRED), read_columns(path, REQUIRED)
    assert columns.header == rows.header
    assert [str(p) for p in columns.problems] == [str(p) for p in rows.problems]
    by_columns = [(int(line), columns.row(i)) for i, line in enumerate(columns.lines)]
    assert by_columns == [(row.line, row.values) for row in rows.rows]
    return by_columns, columns.problems


def random_csv(rng: random.Random) -> str:
    lines = ["a,b,c"]
    for _ in range(rng.randrange(1, 5)):
        if rng.random() < 0.8:  # a well-formed row, some cells quoted
            cells = []
            for _ in range(3):
                cell = "".join(rng.choice(TOKENS) for _ in range(rng.randrange(0, 4)))
                plain = not any(ch in cell for ch in ',"\r\n') and rng.random() < 0.7
                cells.append(cell if plain else '"' + cell.replace('"', '""') + '"')
            lines.append(",".join(cells))
        else:  # anything at all
            lines.append("".join(rng.choice(TOKENS) for _ in range(rng.randrange(0, 12))))
    return rng.choice(["\n", "\r\n"]).join(lines) + rng.choice(["", "\n"])


def test_both_readers_agree_on_thousands_of_random_files(tmp_path):
    rng = random.Random(20261121)
    path = tmp_path / "random.csv"
    fast = 0
    for case in range(3000):
        text = random_csv(rng)
        fast += _fast_parse(text, REQUIRED, ColumnTable())
        path.write_bytes(text.encode("utf-8"))
        try:
            same_as_row_reader(path)
        except AssertionError as exc:
            raise AssertionError(f"case {case}: {text!r}") from exc
    assert fast > 200, "too few random files took the fast path for the comparison to mean much"


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\n"x"y,2,3\n',  # text after a closing quote: the csv module rejects it
        'a,b,c\n"He said "no" to it",2,3\n',  # unescaped quotes inside a quoted cell
        'a,b,c\n"a,"b",2,3\n',
        'a,b,c\nx"y,2,3\n',  # a quote inside a bare cell
        "a,b,c\n1,2\n",  # too few fields
        "a,b,c\n\n1,2,3\n",  # a blank line shifts the line numbers
        'a,b,c\n"two\nlines",2,3\n4,5,6\n',
        "a,b,c\n,,\n1,2,3\n",  # a row of empty cells is skipped
        "a;b;c\n1;2;3\n",
        "a,b\n1,2\n",  # a missing column
        'a,b,c\n"x,2,3\n',  # an unterminated quote
    ],
)
def test_both_readers_agree_on_known_troublemakers(tmp_path, text):
    path = tmp_path / "case.csv"
    path.write_bytes(text.encode("utf-8"))
    same_as_row_reader(path)


def test_line_numbers_follow_physical_lines_past_a_multi_line_cell(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_bytes(b'a,b,c\n"two\nlines",2,3\n4,5,6\n')
    rows, _ = same_as_row_reader(path)
    assert [line for line, _ in rows] == [2, 4]


def test_a_quoted_file_is_plain_only_when_every_quote_opens_closes_or_is_doubled():
    assert plainly_quoted(b'a,b\n"x, ""y""",2\n', ",")
    assert plainly_quoted(b'"",""\r\n', ",")
    assert not plainly_quoted(b'a,b\n"x"y,2\n', ",")
    assert not plainly_quoted(b'a,b\nx"y,2\n', ",")
    assert not plainly_quoted(b'a,b\n"x,2\n', ",")
