"""Editing is guarded: wrong passwords are slowed down then locked out (per browser session
and per client address) and logged without the password; after a save the form is empty and
the password must be typed again; a future date is named as such; a disk that cannot be
written gives one plain sentence and leaves the ledger as it was."""

from __future__ import annotations

import datetime as dt
import errno
import logging
import subprocess
import sys
import tempfile

import pytest
from streamlit.testing.v1 import AppTest

from isf_tracker import clock, editing, writer
from isf_tracker.cli import EXIT_STORAGE, main
from tests.ledger_rows import csv_text, row
from tests.test_editing import GOOD, fill, open_add, submit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_grows_then_locks_out():
    assert [editing.wait_after(n) for n in range(1, 11)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 900]


def test_the_throttle_counts_per_key_and_forgets_after_a_success():
    clock = Clock()
    throttle = editing.Throttle(clock)
    keys = ("session:a", "address:1.2.3.4")
    for _ in range(3):
        throttle.failed(keys)
    assert throttle.wait_s(keys) == 1.0
    assert throttle.wait_s(("session:b", "address:1.2.3.4")) == 1.0  # a new session, the same address
    assert throttle.wait_s(("session:c", "address:5.6.7.8")) == 0.0
    clock.now += 1
    assert throttle.wait_s(keys) == 0.0
    throttle.succeeded(keys)
    throttle.failed(keys)
    assert throttle.wait_s(keys) == 0.0  # counting starts again


def save(app: AppTest) -> AppTest:
    next(b for b in app.main.button if b.label == "Save to the ledger").click().run()
    return app


def message(app: AppTest) -> str:
    return (app.main.error or app.main.success)[0].value.replace("\\", "")


def test_wrong_passwords_are_slowed_then_refused_and_logged_without_the_password(ledger, monkeypatch, caplog):
    monkeypatch.setattr(editing, "THROTTLE", editing.Throttle(Clock()))  # the wait does not run out mid-test
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "password": "hunter2"})
    submit(app)
    before = ledger.read_bytes()
    with caplog.at_level(logging.WARNING, logger="isf_tracker.ui.add_page"):
        messages = [message(save(app)) for _ in range(4)]
    assert messages[:2] == ["Wrong password: nothing was written."] * 2
    assert messages[2] == "Wrong password: nothing was written. The next try is possible in 1 s."
    assert messages[3] == "Too many wrong passwords: try again in 1 s. Nothing was written."
    assert ledger.read_bytes() == before
    logged = [r.getMessage() for r in caplog.records if r.name == "isf_tracker.ui.add_page"]
    assert len(logged) == 3 and all("wrong edit password" in line for line in logged)
    assert not any("hunter2" in line for line in logged)


def test_the_right_password_is_refused_too_while_the_wait_lasts(ledger, monkeypatch):
    app = open_add(monkeypatch)
    for _ in range(editing.LOCKOUT_AFTER):
        editing.THROTTLE.failed(("address:127.0.0.1",))  # AppTest has no peer: loopback
    fill(app, **GOOD)
    submit(app)
    assert message(save(app)) == "Too many wrong passwords: try again in 15 min. Nothing was written."


def test_after_a_save_the_form_is_empty_and_the_password_is_needed_again(ledger, monkeypatch):
    app = open_add(monkeypatch)
    fill(app, **GOOD)
    submit(app)
    assert message(save(app)) == "Saved S020: appended to the ledger."
    assert app.main.text_input(key="add_statement_id").value == "S021"
    assert app.main.text_input(key="add_password").value == ""
    assert app.main.text_input(key="add_speaker").value == ""
    assert app.main.text_area(key="add_quote").value == ""
    assert app.main.selectbox(key="add_status").value == ""
    assert app.main.multiselect(key="add_conditions").value == []
    before = ledger.read_bytes()
    fill(app, **{**GOOD, "password": ""})  # the same statement again, no password typed
    submit(app)
    assert message(save(app)) == "Wrong password: nothing was written."
    assert ledger.read_bytes() == before


def test_a_future_date_is_named_as_one(ledger, monkeypatch):
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "date": clock.today() + dt.timedelta(days=3)})
    submit(app)
    errors = [e.value.replace("\\", "") for e in app.main.error]
    assert errors == [f"date is in the future (after {clock.today().isoformat()})"]


def test_a_blank_date_says_what_to_do(ledger, monkeypatch):
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "date": None})
    submit(app)
    errors = [e.value.replace("\\", "") for e in app.main.error]
    assert errors == ["date_precision is day, but the date is blank: give the date, or choose unknown"]


# --- the disk ----------------------------------------------------------------------------------


def failing(code: int):
    def fail(*_args, **_kwargs):
        raise OSError(code, "simulated")

    return fail


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "cannot be written to (permission denied)"),
        (errno.EROFS, "is on a read-only file system"),
        (errno.ENOSPC, "is full"),
    ],
)
def test_a_disk_that_cannot_be_written_gives_one_sentence_and_exit_3(ledger, tmp_path, monkeypatch, capsys,
                                                                     code, words):  # fmt: skip
    rows = tmp_path / "rows.csv"
    rows.write_text(csv_text([row(statement_id="N1", date="2026-06-30")]), encoding="utf-8")
    before = ledger.read_bytes()
    target = "mkstemp" if code != errno.ENOSPC else "fsync"
    monkeypatch.setattr(tempfile if target == "mkstemp" else writer.os, target, failing(code))
    assert main(["append", str(rows), "--data", str(ledger)]) == EXIT_STORAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].endswith("The ledger is unchanged.")
    assert ledger.read_bytes() == before
    assert not list(ledger.parent.glob(".positions.csv.*.tmp"))


def test_the_form_says_the_same_sentence(ledger, monkeypatch):
    app = open_add(monkeypatch)
    fill(app, **GOOD)
    submit(app)
    before = ledger.read_bytes()
    monkeypatch.setattr(tempfile, "mkstemp", failing(errno.EROFS))
    text = message(save(app))
    assert text.startswith("Nothing was saved: the folder") and "read-only file system" in text
    assert ledger.read_bytes() == before


HOLD_LOCK = """
import fcntl, sys
handle = open(sys.argv[1], "a+b")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_lock_held_too_long_gives_up_cleanly(ledger):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(ledger) + writer.LOCK_SUFFIX],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert holder.stdout.readline() == b"locked\n"
        before = ledger.read_bytes()
        result = writer.append_statements(
            ledger, [row(statement_id="N1", date="2026-06-30")], lock_timeout_s=0.2
        )
        assert not result.ok and result.problems == []
        assert result.storage_error == (
            "Nothing was saved: another save has held the ledger for over 0.2 s. "
            "The ledger is unchanged; try again in a moment."
        )
        assert ledger.read_bytes() == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert writer.append_statements(ledger, [row(statement_id="N1", date="2026-06-30")]).ok
