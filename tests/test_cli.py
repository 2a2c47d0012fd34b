"""`isf-tracker validate`: exit 0 when valid, 1 with every problem listed, 2 on usage errors."""

from __future__ import annotations

import subprocess
import sys

from isf_tracker.cli import main
from tests.ledger_rows import ROOT, csv_text, row


def test_shipped_data_is_valid(capsys):
    assert main(["validate", str(ROOT / "data" / "positions.csv")]) == 0
    out = capsys.readouterr().out
    assert "0 problems" in out
    assert "17 countries" in out


def test_invalid_file_exits_1_and_lists_every_problem(write_ledger, capsys):
    path = write_ledger(csv_text([row(status="offerd"), row(statement_id="T2", troops_min="x")]))
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines == [
        f"{path}:2: status: is not one of: 'declined', 'on_hold', 'considering', 'conditional', "
        "'offered', 'committed', 'deployed' (value 'offerd')",
        f"{path}:3: troops_min: is not a whole number (value 'x')",
    ]
    assert "0 valid statements, 0 countries, 2 problems" in captured.err


def test_default_path_comes_from_the_environment(write_ledger, monkeypatch, capsys):
    path = write_ledger(csv_text([row()]))
    monkeypatch.setenv("ISF_TRACKER_DATA", str(path))
    assert main(["validate"]) == 0
    assert f"{path}: 1 valid statements" in capsys.readouterr().out


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["validate", "a.csv", "b.csv"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["validate", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_console_script_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "isf_tracker", "validate", str(ROOT / "data" / "positions.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
