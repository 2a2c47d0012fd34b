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
    name = str(path)
    table = RawTable()
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        table.problems.append(Problem(name, None, None, None, "file not found"))
        return table
    except OSError as exc:
        table.problems.append(Problem(name, None, None, None, f"cannot be read: {exc.strerror}"))
        return table

    if data.startswith(UTF16_BOMS):
        table.problems.append(
            Problem(name, None, None, None, "is saved as UTF-16; save it as UTF-8 (CSV UTF-8)")
        )
        return table
    data = data.removeprefix(UTF8_BOM)
    if not data.strip():
        table.problems.append(
            Problem(name, None, None, None, "is empty; expected a header row: " + ",".join(required))
        )
        return table

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
        if record and any(cell.strip() for cell in record):
            records.append((start, record))

    if not records:
        table.problems.append(Problem(name, None, None, None, "has no header row"))
        return table

    header_line, header = records[0]
    table.header = [cell.strip() for cell in header]
    table.problems.extend(_check_header(name, header_line, table.header, required))
    width = len(table.header)
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
        bad = [col for col, value in values.items() if _has_undecodable(value)]
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
    return table


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in first_line:
            return candidate
    return ","


def _has_undecodable(value: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in value)


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
