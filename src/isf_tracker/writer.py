"""Appending statements to the ledger without ever damaging it.

Every write happens under an exclusive lock on a companion file (`positions.csv.lock`),
builds the complete new file in a temporary file in the same folder, checks that file
with the same loader as the dashboard, flushes and fsyncs it, and only then replaces
the ledger in one atomic rename. Existing bytes are copied untouched: the appended rows
follow the file's own line ends, and a row is only ever added, never rewritten. A crash
or kill at any point leaves either the old file or the new one, whole.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import io
import os
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from isf_tracker.csvfile import UTF8_BOM
from isf_tracker.ledger import TRANSLATIONS_FILE, Dataset, load_dataset
from isf_tracker.problems import Problem
from isf_tracker.schema import Translation

LOCK_SUFFIX = ".lock"
#: How long a save waits for another save to finish before it gives up, untouched.
LOCK_TIMEOUT_S = 10.0


class StorageError(Exception):
    """The ledger could not be written; the message is one plain sentence for a person."""


def storage_sentence(exc: OSError, folder: Path) -> str:
    """What went wrong with the disk, in words, and that nothing changed."""
    reasons = {
        errno.EACCES: f"the folder {folder} cannot be written to (permission denied)",
        errno.EPERM: f"the folder {folder} cannot be written to (not permitted)",
        errno.EROFS: f"the folder {folder} is on a read-only file system",
        errno.ENOSPC: f"the disk holding {folder} is full",
        errno.EDQUOT: f"the disk quota for {folder} is used up",
    }
    reason = reasons.get(exc.errno, f"the ledger in {folder} could not be written ({exc.strerror or exc})")
    return f"Nothing was saved: {reason}. The ledger is unchanged."


@dataclass(frozen=True)
class FileFormat:
    """What must be kept when appending: the header and the line ends."""

    header: list[str]
    newline: str
    ends_with_newline: bool


def file_format(data: bytes) -> FileFormat:
    text = data.removeprefix(UTF8_BOM).decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0]
    newline = "\r\n" if first.endswith("\r") else "\n"
    header = next(csv.reader([first.rstrip("\r")]), [])
    return FileFormat([h.strip() for h in header], newline, text.endswith(("\n", "\r")))


@contextlib.contextmanager
def locked(path: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """An exclusive advisory lock shared by every writer of `path` (other processes too).

    Waits at most `timeout_s` for another writer, then raises StorageError: a save that
    hangs behind a stuck writer helps nobody, and nothing has been touched yet.
    """
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"Nothing was saved: another save has held the ledger for over {timeout_s:g} s. "
                        "The ledger is unchanged; try again in a moment."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def serialise(rows: Sequence[Mapping[str, str]], header: Sequence[str], newline: str) -> list[str]:
    """Each row as CSV text in the header's column order (minimal quoting, the file's line ends)."""
    out = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=newline).writerow([row.get(col, "") or "" for col in header])
        out.append(buffer.getvalue())
    return out


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    """The bytes in a new file beside `path`, flushed to disk, with the ledger's permissions."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, path.stat().st_mode & 0o777)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _remove_stale_temps(path: Path) -> None:
    """Under the lock no other writer is at work: a temp file left now is a killed writer's."""
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        temp.unlink(missing_ok=True)


@dataclass
class AppendResult:
    """What an append did: how many rows it added, or why it added none."""

    appended: int = 0
    problems: list[Problem] = field(default_factory=list)
    dataset: Dataset | None = None
    #: One plain sentence when the disk, not the rows, stopped the append.
    storage_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.storage_error is None


def append_statements(
    path: str | Path,
    rows: Sequence[Mapping[str, str]],
    row_lines: Sequence[int] | None = None,
    source_name: str = "new rows",
    today: dt.date | None = None,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    renderings: Sequence[Mapping[str, str]] = (),
) -> AppendResult:
    """Append `rows` to the ledger at `path`: all of them, or (with every problem) none.
    `renderings` are rows of translations.csv beside it (the English of a new row's quote): they
    are written first, under the same lock, and taken back if the rows are not appended.

    Problems of the new rows are reported against `source_name` and `row_lines` (the
    lines the rows came from, e.g. in ROWS.csv); problems the file already had do not
    block an append, they are the dashboard's problem panel's business.
    """
    path = Path(path)
    if not rows:
        return AppendResult(problems=[Problem(source_name, None, None, None, "has no rows to append")])
    lines = list(row_lines) if row_lines is not None else list(range(1, len(rows) + 1))
    try:
        return _append(path, rows, lines, source_name, today, lock_timeout_s, renderings)
    except StorageError as exc:
        return AppendResult(storage_error=str(exc))
    except OSError as exc:  # the folder, the disk or the lock file: nothing was replaced
        return AppendResult(storage_error=storage_sentence(exc, path.parent))


def _append(
    path: Path,
    rows: Sequence[Mapping[str, str]],
    lines: Sequence[int],
    source_name: str,
    today: dt.date | None,
    lock_timeout_s: float,
    renderings: Sequence[Mapping[str, str]] = (),
) -> AppendResult:
    with locked(path, lock_timeout_s):
        _remove_stale_temps(path)
        if not renderings:
            return _append_locked(path, rows, lines, source_name, today)
        beside = path.parent / TRANSLATIONS_FILE
        before = beside.read_bytes() if beside.exists() else None
        _replace(beside, _with_rows(before, renderings, tuple(Translation.model_fields)))
        try:
            result = _append_locked(path, rows, lines, source_name, today)
        except BaseException:
            _restore(beside, before)
            raise
        if not result.ok:
            _restore(beside, before)
        return result


def _with_rows(old: bytes | None, rows: Sequence[Mapping[str, str]], header: Sequence[str]) -> bytes:
    """A CSV file's bytes with `rows` appended (a new file gets `header` first)."""
    if not old:
        return "".join(serialise([dict(zip(header, header, strict=True)), *rows], header, "\n")).encode(
            "utf-8"
        )
    fmt = file_format(old)
    prefix = old if fmt.ends_with_newline else old + fmt.newline.encode()
    return prefix + "".join(serialise(rows, fmt.header, fmt.newline)).encode("utf-8")


def _replace(path: Path, data: bytes) -> None:
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _restore(path: Path, before: bytes | None) -> None:
    """Put a companion file back as it was (gone, if it was not there)."""
    if before is None:
        path.unlink(missing_ok=True)
    else:
        _replace(path, before)


def _append_locked(
    path: Path,
    rows: Sequence[Mapping[str, str]],
    lines: Sequence[int],
    source_name: str,
    today: dt.date | None,
) -> AppendResult:
    """The append itself, under the lock: the candidate file checked, then put in place whole."""
    old = path.read_bytes()
    fmt = file_format(old)
    unknown = sorted({col for row in rows for col, v in row.items() if v and col not in fmt.header})
    if unknown:
        return AppendResult(
            problems=[
                Problem(
                    source_name,
                    None,
                    col,
                    None,
                    f"is not a column of {path.name}; add it to the ledger's header first",
                )
                for col in unknown
            ]
        )
    texts = serialise(rows, fmt.header, fmt.newline)
    prefix = old if not old or fmt.ends_with_newline else old + fmt.newline.encode()
    first_new_line = prefix.count(b"\n") + 1
    starts, line = {}, first_new_line
    for index, text in enumerate(texts):
        starts[line] = index
        line += text.count("\n")
    temp = _write_temp(path, prefix + "".join(texts).encode("utf-8"))
    try:
        checked = load_dataset(temp, today=today)
        own = [p for p in checked.problems if p.file == str(temp) and (p.line or 0) >= first_new_line]
        if own:
            return AppendResult(problems=[_renamed(p, source_name, starts, lines, path.name) for p in own])
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return AppendResult(appended=len(rows), dataset=checked)


def _renamed(
    problem: Problem, source: str, starts: Mapping[int, int], lines: Sequence[int], ledger: str
) -> Problem:
    """A problem found in the candidate file, told against the row it came from."""
    index = starts.get(problem.line or 0)
    line = lines[index] if index is not None else None
    message = problem.message.replace(" on line ", f" in {ledger} on line ")
    return Problem(source, line, problem.column, problem.value, message)
