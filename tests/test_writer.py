"""Appending never loses or damages a statement: atomic, locked, all or nothing, bytes kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from isf_tracker import writer
from isf_tracker.cli import main
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import FIXTURE, POSITION_COLUMNS, ROOT, csv_text, row


def new_row(statement_id: str, **changes: str) -> dict[str, str]:
    return row(statement_id=statement_id, date="2026-06-30", **changes)


def test_append_keeps_every_existing_byte_and_adds_the_rows(ledger):
    before = ledger.read_bytes()
    result = writer.append_statements(ledger, [new_row("N1"), new_row("N2", quote='He said "no", twice')])
    assert result.ok and result.appended == 2
    after = ledger.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :].decode("utf-8")
    assert added.count("\n") == 2
    assert 'He said ""no"", twice' in added
    assert list(load_dataset(ledger).statements["statement_id"])[-2:] == ["N1", "N2"]


def test_append_follows_crlf_files_and_a_missing_final_newline(tmp_path):
    path = tmp_path / "positions.csv"
    path.write_bytes(csv_text([row(statement_id="A")], newline="\r\n").rstrip("\r\n").encode())
    before = path.read_bytes()
    assert writer.append_statements(path, [new_row("B")]).ok
    after = path.read_bytes()
    assert after.startswith(before + b"\r\n")
    assert after.endswith(b"\r\n") and b"\n" not in after.replace(b"\r\n", b"")


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_listed(ledger):
    before = ledger.read_bytes()
    result = writer.append_statements(
        ledger,
        [new_row("N1"), new_row("N2", status="offerd"), new_row("S001"), new_row("N4", supersedes="S999")],
        row_lines=[2, 3, 4, 5],
        source_name="rows.csv",
    )
    assert not result.ok and result.appended == 0
    assert [(p.file, p.line, p.column) for p in result.problems] == [
        ("rows.csv", 3, "status"),
        ("rows.csv", 4, "statement_id"),
        ("rows.csv", 5, "supersedes"),
    ]
    assert ledger.read_bytes() == before
    assert not list(ledger.parent.glob(".positions.csv.*.tmp"))


def test_existing_problems_do_not_block_an_append(tmp_path):
    path = tmp_path / "positions.csv"
    path.write_text(csv_text([row(statement_id="A", status="??")]), encoding="utf-8")
    assert writer.append_statements(path, [new_row("B")]).ok


def test_a_failed_replace_leaves_the_ledger_whole(ledger, monkeypatch):
    before = ledger.read_bytes()

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", disk_full)
    result = writer.append_statements(ledger, [new_row("N1")])
    assert not result.ok and "is full" in (result.storage_error or "")
    assert ledger.read_bytes() == before
    assert not list(ledger.parent.glob(".positions.csv.*.tmp"))


APPENDER = textwrap.dedent(
    """
    import sys
    from isf_tracker.writer import append_statements
    from tests.ledger_rows import row
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        # Waits for the other writer as long as the test waits for this process: the product's
        # give-up after writer.LOCK_TIMEOUT_S is a time limit a busy machine can reach (the lock
        # is polled, not queued for), and this test is about rows landing, not about speed.
        row_ = row(statement_id=f"{prefix}{i:04d}", date="2026-06-30")
        result = append_statements(path, [row_], lock_timeout_s=240)
        assert result.ok, result.problems
        print(i, flush=True)
    """
)


def appender(ledger: Path, prefix: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(ledger), prefix, str(count)], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_two_processes_appending_100_rows_each_land_all_200(ledger):
    before = len(load_dataset(ledger).statements)
    first, second = appender(ledger, "P", 100), appender(ledger, "Q", 100)
    for process in (first, second):
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err.decode()
    data = load_dataset(ledger)
    assert data.problems == ()
    ids = list(data.statements["statement_id"])
    assert len(ids) == before + 200
    assert {i for i in ids if i[0] in "PQ" and i[1:].isdigit()} == (
        {f"P{i:04d}" for i in range(100)} | {f"Q{i:04d}" for i in range(100)}
    )


def test_a_writer_killed_mid_write_leaves_a_whole_file(ledger):
    shipped_rows = len(load_dataset(ledger).statements)
    for attempt in range(5):
        process = appender(ledger, f"K{attempt}x", 1000)
        for _ in range(1 + 2 * attempt):  # some rows appended, the next append under way
            assert process.stdout.readline(), process.stderr.read().decode()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        data = load_dataset(ledger)
        assert data.problems == (), attempt
        assert len(data.statements) >= shipped_rows
    assert ledger.read_bytes().startswith(FIXTURE.read_bytes())
    assert writer.append_statements(ledger, [new_row("AFTER")]).ok  # the lock was released
    assert not list(ledger.parent.glob(".positions.csv.*.tmp"))  # and killed writers' temps cleared


def test_cli_append_all_or_nothing(ledger, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(csv_text([new_row("C1"), new_row("C2")], columns=[*POSITION_COLUMNS, "supersedes"]))
    assert main(["append", str(good), "--data", str(ledger)]) == 0
    assert "appended 2 statements" in capsys.readouterr().out

    statements = load_dataset(ledger).statements
    c1_line = int(statements.loc[statements["statement_id"] == "C1", "line"].iloc[0])
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([new_row("C3"), new_row("C1"), new_row("C4", troops_min="x")]))
    before = ledger.read_bytes()
    assert main(["append", str(bad), "--data", str(ledger)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{bad}:3: statement_id: is already used in positions.csv on line {c1_line}; "
        "identifiers must be unique (value 'C1')",
        f"{bad}:4: troops_min: is not a whole number (value 'x')",
    ]
    assert ledger.read_bytes() == before
    assert main(["append", str(tmp_path / "missing.csv"), "--data", str(ledger)]) == 2
