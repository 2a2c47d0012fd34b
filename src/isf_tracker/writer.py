"""Appending statements to the ledger without ever damaging it: under an exclusive lock beside it
(`positions.csv.lock`), the whole new file is written to a temporary file in the same folder,
checked by the dashboard's own loader, fsynced, then renamed over the ledger. Existing bytes are
copied untouched (new rows follow the file's line ends), so a crash or kill at any point leaves
the old file or the new one, whole.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from isf_tracker.csvfile import UTF8_BOM
from isf_tracker.datapackage import RESOURCE
from isf_tracker.ledger import load_dataset
from isf_tracker.problems import Problem
from isf_tracker.schema import Translation

LOCK_SUFFIX = ".lock"
#: How long a save waits for another save to finish before it gives up, untouched: a save that
#: hangs behind a stuck writer helps nobody.
LOCK_TIMEOUT_S = 10.0
Rows = Sequence[Mapping[str, str]]
_REASONS = {
    errno.EACCES: "the folder {} cannot be written to (permission denied)",
    errno.EPERM: "the folder {} cannot be written to (not permitted)",
    errno.EROFS: "the folder {} is on a read-only file system",
    errno.ENOSPC: "the disk holding {} is full",
    errno.EDQUOT: "the disk quota for {} is used up",
}


@dataclass
class AppendResult:
    """What an append did: how many rows it added, or why it added none."""

    appended: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: One plain sentence when the disk, not the rows, stopped the append.
    storage_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.storage_error is None


def append_statements(
    path: str | Path,
    rows: Rows,
    row_lines: Sequence[int] | None = None,
    source_name: str = "new rows",
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    renderings: Rows = (),
) -> AppendResult:
    """Append `rows` to the ledger at `path`: all of them, or (with every problem) none. Problems
    are named by `source_name` and `row_lines` (where the rows came from, e.g. ROWS.csv); those the
    file already had do not block an append (they are the problem panel's business). `renderings`,
    rows of translations.csv beside it (the English of a new row's quote), are written first, under
    the same lock, so the check finds them, and taken back if the rows are not appended."""
    path = Path(path)
    if not rows:
        return AppendResult(problems=[Problem(source_name, None, None, None, "has no rows to append")])
    lines = list(row_lines or range(1, len(rows) + 1))
    beside, before = path.parent / RESOURCE["translations"].path, None
    try:
        with FileLock(path.with_name(path.name + LOCK_SUFFIX), timeout=lock_timeout_s):
            for name in (path.name, beside.name):  # no other writer is at work: a killed one's temps
                for temp in path.parent.glob(f".{name}.*.tmp"):
                    temp.unlink(missing_ok=True)
            if renderings:
                before = beside.read_bytes() if beside.exists() else None
                prefix, _, texts = _appended(before or b"", renderings, tuple(Translation.model_fields))
                _replace(beside, prefix + b"".join(texts))
            appended = False
            try:
                result = _append(path, rows, lines, source_name)
                appended = result.ok
            finally:
                if renderings and not appended:  # refused or failed: the English is taken back
                    if before is None:
                        beside.unlink(missing_ok=True)
                    else:
                        _replace(beside, before)
            return result
    except Timeout:
        reason = f"another save has held the ledger for over {lock_timeout_s:g} s"
        hint = "; try again in a moment"
    except OSError as exc:  # the folder, the disk or the lock file: nothing was replaced
        reason = _REASONS.get(exc.errno, f"the ledger in {{}} could not be written ({exc.strerror or exc})")
        reason, hint = reason.replace("{}", str(path.parent)), ""
    return AppendResult(storage_error=f"Nothing was saved: {reason}. The ledger is unchanged{hint}.")


def append_rows(
    path: str | Path, rows: Rows, header: Sequence[str], lock_timeout_s: float = LOCK_TIMEOUT_S
) -> str | None:
    """Append `rows` to another CSV file of the package (readers' suggestions) the way the ledger is
    appended to: under its own lock, the whole new file put in place at once, existing bytes kept (a
    missing file starts with `header`). None when written, else why nothing was."""
    path = Path(path)
    try:
        with FileLock(path.with_name(path.name + LOCK_SUFFIX), timeout=lock_timeout_s):
            prefix, _, texts = _appended(path.read_bytes() if path.exists() else b"", rows, header)
            _replace(path, prefix + b"".join(texts))
    except Timeout:
        return f"another save has held {path.name} for over {lock_timeout_s:g} s; try again in a moment"
    except OSError as exc:
        return _REASONS.get(exc.errno, f"{path.name} could not be written ({exc.strerror or exc})").replace(
            "{}", str(path.parent)
        )
    return None


def _appended(old: bytes, rows: Rows, new_header: Sequence[str] = ()) -> tuple[bytes, list[str], list[bytes]]:
    """What appending `rows` to the CSV file `old` writes: `old` ending in a line end, its header, and
    each row in the header's column order with the file's line ends, minimally quoted. A file with no
    bytes gets `new_header` as its first line."""
    text = old.removeprefix(UTF8_BOM).decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0]
    newline = "\r\n" if first.endswith("\r") else "\n"
    header = [h.strip() for h in next(csv.reader([first.rstrip("\r")]), [])] if old else list(new_header)
    if not old and header:
        old = _line(header, newline)
    elif old and not text.endswith(("\n", "\r")):
        old += newline.encode()
    return old, header, [_line([row.get(c) or "" for c in header], newline) for row in rows]


def _line(cells: Sequence[str], newline: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _append(path: Path, rows: Rows, lines: Sequence[int], source: str) -> AppendResult:
    """The append itself, under the lock: the candidate file checked, then put in place whole."""
    prefix, header, texts = _appended(path.read_bytes(), rows)
    unknown = sorted({col for row in rows for col, v in row.items() if v and col not in header})
    if unknown:
        message = f"is not a column of {path.name}; add it to the ledger's header first"
        return AppendResult(problems=[Problem(source, None, col, None, message) for col in unknown])
    first = prefix.count(b"\n") + 1
    # The physical line each row starts on (a quoted cell may hold line ends), to the row's own line.
    heights = [text.count(b"\n") for text in texts]
    starts = dict(zip(itertools.accumulate(heights[:-1], initial=first), lines, strict=True))

    def own_problems(temp: Path) -> list[Problem]:
        found = load_dataset(temp).problems
        return [p for p in found if p.file == str(temp) and (p.line or 0) >= first]

    if found := _replace(path, prefix + b"".join(texts), own_problems):
        at = f" in {path.name} on line "  # a clash with a row already in the ledger names its file
        return AppendResult(problems=[
            Problem(source, starts.get(p.line or 0), p.column, p.value, p.message.replace(" on line ", at))
            for p in found
        ])  # fmt: skip
    return AppendResult(appended=len(rows))


def _replace(path: Path, data: bytes, check: Callable[[Path], list[Problem]] = lambda _: []) -> list[Problem]:
    """Put `data` in place of `path` whole, or not at all: written to a temporary file beside it,
    flushed to disk with `path`'s permissions, then renamed over it, unless `check` finds problems."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # a new file keeps the default permissions
            os.chmod(temp, path.stat().st_mode & 0o777)
        if found := check(temp):
            return found
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # the rename made durable; not every file system opens a folder
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return []
