"""Reading a CSV file the way people actually save them, reporting what is off.

Spreadsheets add a byte-order mark, write CRLF, use `;` in some locales or save
in a legacy encoding. We read what can be read, and turn everything else into a
Problem with its line, instead of an exception.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from isf_tracker.problems import Problem

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS_UTF8 = "save the file as UTF-8 (CSV UTF-8)"


@dataclass
class RawTable:
    #: Each record as strings, with the physical line it starts on.
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: str | Path, required: Sequence[str]) -> RawTable:
    """Read `path` into rows of strings; never raises on bad content."""
    text = _read_text(path, required)
    return RawTable(problems=[text]) if isinstance(text, Problem) else _parse_rows(str(path), text, required)


def _read_text(path: str | Path, required: Sequence[str]) -> str | Problem:
    """The file as text, or the problem that leaves nothing to parse. Bytes that are not UTF-8
    survive as surrogates, so the rows around them can still be read and the bad cells named."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return Problem(name, None, None, None, "file not found")
    except OSError as exc:
        return Problem(name, None, None, None, f"cannot be read: {exc.strerror}")
    if data.startswith(UTF16_BOMS):
        return Problem(name, None, None, None, "is saved as UTF-16; save it as UTF-8 (CSV UTF-8)")
    data = data.removeprefix(UTF8_BOM)
    if not data.strip():
        return Problem(name, None, None, None, "is empty; expected a header row: " + ",".join(required))
    return data.decode("utf-8", errors="surrogateescape")


def _parse_rows(name: str, text: str, required: Sequence[str]) -> RawTable:
    """The careful reader: Python's csv module, line by line, naming each bad line."""
    table = RawTable()

    def report(line: int | None, message: str, column: str | None = None, value: str | None = None) -> None:
        table.problems.append(Problem(name, line, column, value, message))

    first_line = text.split("\n", 1)[0]
    delimiter = next((candidate for candidate in ",;\t" if candidate in first_line), ",")
    if delimiter != ",":
        shown = "tab" if delimiter == "\t" else repr(delimiter)
        report(
            1,
            f"columns are separated by {shown}, not commas; save the file as comma-separated (CSV). "
            "It was read with its own separator for now.",
        )
    # A cell may be as long as the file (a long note, or a stray quote): the csv module's default
    # limit (128 KiB) would stop reading there. The limit is process-wide and only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1  # the physical line the next record starts on
    try:
        for record in reader:
            if "".join(record).strip():
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        report(
            start,
            f"cannot be read as CSV ({exc}); check the quotes on this line. "
            "The rest of the file was not read.",
        )
    if not records:
        report(None, "has no header row")
        return table

    (header_line, raw_header), *rows = records
    header = [printable(cell.strip()) for cell in raw_header]
    for raw, cell in zip(raw_header, header, strict=True):
        if cell != raw.strip():  # it held bytes that were not UTF-8
            report(header_line, f"column name is not valid UTF-8 text; {SAVE_AS_UTF8}", cell)
    # Required columns must all be there, once, in order; more may follow.
    duplicates = sorted({column for column in header if header.count(column) > 1})
    missing = [column for column in required if column not in header]
    for column in duplicates:
        report(header_line, "column appears more than once in the header", column)
    for column in missing:
        report(header_line, "column is missing from the header", column)
    if not (duplicates or missing) and [column for column in header if column in required] != list(required):
        report(header_line, "columns are not in the expected order; expected " + ",".join(required))
    for line, record in rows:
        if len(record) != len(header):
            report(
                line,
                f"has {len(record)} fields but the header has {len(header)}; this row was skipped "
                "(check for an unquoted separator or a missing field)",
            )
            continue
        values = dict(zip(header, record, strict=True))
        bad = {column: shown for column, value in values.items() if (shown := printable(value)) != value}
        for column, shown in bad.items():
            report(line, f"is not valid UTF-8 text; {SAVE_AS_UTF8}. This row was skipped", column, shown)
        if not bad:
            table.rows.append((line, values))
    return table


def printable(value: str) -> str:
    """Text safe to show and to store anywhere: bytes that were not UTF-8 (read as lone surrogates,
    by surrogateescape) become U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
