"""Reading a CSV file the way people actually save them, reporting what is off.

Spreadsheets add a byte-order mark, write CRLF, use `;` in some locales or save
in a legacy encoding. We read what can be read, and turn everything else into a
Problem with its line, instead of an exception.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from isf_tracker.problems import Problem

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
QUOTE, NEWLINE, CARRIAGE_RETURN = ord('"'), ord("\n"), ord("\r")


@dataclass(frozen=True, slots=True)
class RawRow:
    """A record as strings, with the physical line it starts on."""

    line: int
    values: dict[str, str]


@dataclass
class RawTable:
    header: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    delimiter: str = ","


def read_table(path: str | Path, required: Sequence[str]) -> RawTable:
    """Read `path` into rows of strings; never raises on bad content."""
    table = RawTable()
    text = _read_text(path, required, table)
    if text is not None:
        _parse_rows(str(path), text, required, table)
    return table


def _read_text(path: str | Path, required: Sequence[str], table: RawTable | ColumnTable) -> str | None:
    """The file as text, or None (with the problem recorded) when there is nothing to parse.

    Bytes that are not UTF-8 survive as surrogates, so the rows around them can
    still be read and the bad cells named.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        table.problems.append(Problem(name, None, None, None, "file not found"))
        return None
    except OSError as exc:
        table.problems.append(Problem(name, None, None, None, f"cannot be read: {exc.strerror}"))
        return None

    if data.startswith(UTF16_BOMS):
        table.problems.append(
            Problem(name, None, None, None, "is saved as UTF-16; save it as UTF-8 (CSV UTF-8)")
        )
        return None
    data = data.removeprefix(UTF8_BOM)
    if not data.strip():
        table.problems.append(
            Problem(name, None, None, None, "is empty; expected a header row: " + ",".join(required))
        )
        return None

    text = data.decode("utf-8", errors="surrogateescape")
    table.delimiter = _sniff_delimiter(text)
    if table.delimiter != ",":
        shown = "tab" if table.delimiter == "\t" else repr(table.delimiter)
        table.problems.append(
            Problem(
                name,
                1,
                None,
                None,
                f"columns are separated by {shown}, not commas; save the file as "
                "comma-separated (CSV). It was read with its own separator for now.",
            )
        )
    return text


def _parse_rows(name: str, text: str, required: Sequence[str], table: RawTable) -> None:
    """The careful reader: Python's csv module, line by line, naming each bad line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(
                Problem(
                    name,
                    start,
                    None,
                    None,
                    f"cannot be read as CSV ({exc}); check the quotes on this line. "
                    "The rest of the file was not read.",
                )
            )
            break
        if record and "".join(record).strip():
            records.append((start, record))

    if not records:
        table.problems.append(Problem(name, None, None, None, "has no header row"))
        return

    header_line, header = records[0]
    table.header = [cell.strip() for cell in header]
    table.problems.extend(_check_header(name, header_line, table.header, required))
    width = len(table.header)
    may_have_undecodable = _has_undecodable(text)
    for line, record in records[1:]:
        if len(record) != width:
            table.problems.append(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    f"has {len(record)} fields but the header has {width}; "
                    "this row was skipped (check for an unquoted separator or a missing field)",
                )
            )
            continue
        values = dict(zip(table.header, record, strict=True))
        bad = [col for col, value in values.items() if may_have_undecodable and _has_undecodable(value)]
        if bad:
            for col in bad:
                shown = values[col].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                table.problems.append(
                    Problem(
                        name,
                        line,
                        col,
                        shown,
                        "is not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8). This row was skipped",
                    )
                )
            continue
        table.rows.append(RawRow(line, values))


@dataclass
class ColumnTable:
    """A CSV as one array of strings per column, with the physical line of each row.

    The same content and problems as `read_table`, shaped for checking whole
    columns at once.
    """

    header: list[str] = field(default_factory=list)
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    problems: list[Problem] = field(default_factory=list)
    delimiter: str = ","

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, index: int) -> dict[str, str]:
        return {column: str(values[index]) for column, values in self.columns.items()}


def read_columns(path: str | Path, required: Sequence[str]) -> ColumnTable:
    """Read `path` column by column: Arrow's fast parser when the file is plainly
    well-formed, else the careful row reader, which names what is wrong.
    """
    table = ColumnTable()
    text = _read_text(path, required, table)
    if text is None:
        return table
    if _fast_parse(text, required, table):
        return table
    rows = RawTable(delimiter=table.delimiter)
    _parse_rows(str(path), text, required, rows)
    table.header, table.problems = rows.header, table.problems + rows.problems
    table.lines = np.fromiter((row.line for row in rows.rows), dtype=np.int64, count=len(rows.rows))
    table.columns = {
        column: np.array([row.values[column] for row in rows.rows], dtype=object)
        for column in dict.fromkeys(rows.header)
    }
    return table


def _fast_parse(text: str, required: Sequence[str], table: ColumnTable) -> bool:
    """Parse with pyarrow when nothing could make it disagree with the csv module.

    That is: valid UTF-8, one physical line per record (no blank lines, no line
    breaks inside quotes, no bare CR), a clean header, and quotes used only the
    standard way (`plainly_quoted`). Anything else returns False, untouched.
    """
    if _has_undecodable(text) or "\r" in text.replace("\r\n", ""):
        return False
    header_line = text.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([header_line], delimiter=table.delimiter), [])
    names = [cell.strip() for cell in header]
    if not names or names != header or _check_header("", 1, names, required):
        return False
    data = text.encode("utf-8")
    if not plainly_quoted(data, table.delimiter):
        return False
    try:
        parsed = pa_csv.read_csv(
            io.BytesIO(data),
            parse_options=pa_csv.ParseOptions(delimiter=table.delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return False  # a row with the wrong number of fields, say: the careful reader names it
    physical_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if parsed.num_rows + 1 != physical_lines or parsed.column_names != names:
        return False
    columns = {name: parsed.column(name).to_numpy(zero_copy_only=False) for name in names}
    lines = np.arange(2, parsed.num_rows + 2, dtype=np.int64)
    keep = np.zeros(parsed.num_rows, dtype=bool)  # a row of blank cells is skipped, as the row reader does
    for values in columns.values():
        unsure = np.flatnonzero(~keep)  # after the first column, almost no row is left to look at
        if not len(unsure):
            break
        keep[unsure] = np.fromiter((bool(v.strip()) for v in values[unsure]), dtype=bool, count=len(unsure))
    table.header = names
    table.columns = {name: values[keep] for name, values in columns.items()}
    table.lines = lines[keep]
    return True


def plainly_quoted(data: bytes, delimiter: str) -> bool:
    """True when every quote in `data` opens or closes a field or is half of a doubled quote.

    Parsers differ on stray quotes (`"a"b`, `x"y`): the csv module rejects some
    that Arrow accepts. Counting quotes from the start, the 1st, 3rd, ... enter a
    quoted cell and the 2nd, 4th, ... leave it. In standard CSV an entering quote
    follows a separator or a line break (a new cell) or a leaving quote (a doubled
    quote), and a leaving quote comes before a separator, a line break or an
    entering quote. The check runs over the bytes in numpy, without a Python loop.
    """
    if b'"' not in data:
        return True
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == QUOTE)
    if len(quotes) % 2:
        return False  # a quote is left open at the end of the file
    entering, leaving = quotes[0::2], quotes[1::2]
    # The file's ends count as line breaks.
    before_entering = np.where(entering > 0, raw[entering - 1], NEWLINE)
    after_leaving = np.where(leaving + 1 < len(raw), raw[np.minimum(leaving + 1, len(raw) - 1)], NEWLINE)
    separator = ord(delimiter)
    return bool(
        np.isin(before_entering, (separator, NEWLINE, QUOTE)).all()
        and np.isin(after_leaving, (separator, NEWLINE, CARRIAGE_RETURN, QUOTE)).all()
    )


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _has_undecodable(value: str) -> bool:
    """Bytes that were not UTF-8 were decoded as lone surrogates (surrogateescape)."""
    return _UNDECODABLE.search(value) is not None


def _check_header(name: str, line: int, header: list[str], required: Sequence[str]) -> list[Problem]:
    """Required columns must all be there, once, in order; more may follow."""
    found = []
    duplicates = sorted({col for col in header if header.count(col) > 1})
    for col in duplicates:
        found.append(Problem(name, line, col, None, "column appears more than once in the header"))
    missing = [col for col in required if col not in header]
    for col in missing:
        found.append(Problem(name, line, col, None, "column is missing from the header"))
    if not missing and not duplicates:
        present = [col for col in header if col in required]
        if present != list(required):
            found.append(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    "columns are not in the expected order; expected " + ",".join(required),
                )
            )
    return found
