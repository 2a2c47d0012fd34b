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

from isf_tracker.problems import Problem

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


def _read_text(path: str | Path, required: Sequence[str], table: RawTable) -> str | None:
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
    # A cell may be as long as the file (a long note, or a stray quote): the csv module's default
    # limit (128 KiB) would stop reading there. The limit is process-wide and only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
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
    table.header = [printable(cell.strip()) for cell in header]
    for raw_cell, cell in zip(header, table.header, strict=True):
        if _has_undecodable(raw_cell):
            table.problems.append(
                Problem(name, header_line, cell, None,
                        "column name is not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8)")
            )  # fmt: skip
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
                shown = printable(values[col])
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


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def printable(value: str) -> str:
    """Text safe to show and to store anywhere: bytes that were not UTF-8 become U+FFFD."""
    if not _has_undecodable(value):
        return value
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
