"""Updating from the app: the /add form, the password, the preview, and /changes."""

from __future__ import annotations

import datetime as dt
import re

from streamlit.testing.v1 import AppTest

from isf_tracker import editing, paths
from isf_tracker.changes import changes_between
from isf_tracker.ledger import load_dataset
from isf_tracker.schema import POSITION_COLUMNS
from tests.ledger_rows import csv_text, row

APP = str(paths.NAVIGATION_SCRIPT)
PASSWORD = "correct horse battery staple"


def open_add(monkeypatch, password: str | None = PASSWORD) -> AppTest:
    if password:
        monkeypatch.setenv(editing.PASSWORD_KEY, password)
    else:
        monkeypatch.delenv(editing.PASSWORD_KEY, raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page(str(paths.pages_dir() / "add.py")).run()
    assert not app.exception
    return app


def fill(app: AppTest, **values) -> None:
    for key, value in values.items():
        widget = app.main.get_by_key(f"add_{key}") if hasattr(app.main, "get_by_key") else None
        widget = widget or next(w for w in app.main if getattr(w, "key", None) == f"add_{key}")
        if hasattr(widget, "input"):
            widget.input(value)
        elif hasattr(widget, "select") and not isinstance(value, list):
            widget.select(value)
        elif isinstance(value, list):
            for item in value:
                widget.select(item)
        else:
            widget.set_value(value)


GOOD = {
    "date": dt.date(2026, 6, 30), "iso3": "PAK", "status": "declined", "troops_min": "", "troops_max": "",
    "disarmament": "refuses", "conditions": ["no_disarmament"], "speaker": "FM Ishaq Dar",
    "quote": "We will not send troops.", "source_url": "https://example.org/pak", "source_outlet": "Example",
    "reliability": "on_record", "password": PASSWORD,
}  # fmt: skip


def submit(app: AppTest) -> AppTest:
    next(b for b in app.main.button if b.label == "Check and preview").click().run()
    return app


def test_editing_is_off_without_a_password(ledger, monkeypatch):
    app = open_add(monkeypatch, password=None)
    assert "Editing is off" in app.info[0].value
    assert not app.main.text_input


def test_each_kind_of_bad_input_is_named_beside_its_field_and_nothing_is_written(ledger, monkeypatch):
    before = ledger.read_bytes()
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "statement_id": "S001", "troops_min": "many", "troops_max": "10",
                 "source_url": "javascript:alert(1)", "speaker": "", "supersedes": ""})  # fmt: skip
    submit(app)
    errors = [e.value.replace("\\", "") for e in app.main.error]
    assert errors == [
        "statement_id is already used; identifiers are never reused",
        "troops_min is not a whole number",
        "speaker is required but empty",
        "source_url must be a full web address starting with http:// or https://",
    ]
    assert not [b for b in app.main.button if b.label == "Save to the ledger"]
    assert ledger.read_bytes() == before


def test_a_valid_row_is_previewed_then_saved(ledger, monkeypatch):
    app = open_add(monkeypatch)
    new_id = app.main.text_input(key="add_statement_id").value
    assert new_id == "S020"  # the next free number after the highest id (S019)
    fill(app, **GOOD)
    submit(app)
    assert not app.main.error
    comparison = app.main.dataframe[1].value
    assert list(comparison["When"]) == ["Before", "After"]
    assert list(comparison["status"]) == ["considering", "declined"]
    before = ledger.read_bytes()
    next(b for b in app.main.button if b.label == "Save to the ledger").click().run()
    assert f"Saved {new_id}" in app.main.success[0].value
    after = ledger.read_bytes()
    assert after.startswith(before)
    statements = load_dataset(ledger).statements.set_index("statement_id")
    assert statements.loc[new_id, "status"] == "declined"
    assert statements.loc[new_id, "conditions"] == ("no_disarmament",)


def test_a_wrong_password_writes_nothing(ledger, monkeypatch):
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "password": "guess"})
    submit(app)
    before = ledger.read_bytes()
    next(b for b in app.main.button if b.label == "Save to the ledger").click().run()
    assert app.main.error[0].value.replace("\\", "") == "Wrong password: nothing was written."
    assert ledger.read_bytes() == before


def test_password_comparison():
    assert editing.password_matches("secret", "secret")
    assert not editing.password_matches("Secret", "secret")
    assert not editing.password_matches("", None)
    assert not editing.password_matches("", "")


def test_changes_between_two_dates_worked_by_hand(write_ledger):
    idn, pak, alb = (
        {"iso3": c, "country": n} for c, n in (("IDN", "Indonesia"), ("PAK", "Pakistan"), ("ALB", "Albania"))
    )
    blank = {"troops_min": "", "troops_max": "", "troops_as_stated": "", "conditions": "", "roles": ""}
    rows = [
        row(
            statement_id="A",
            date="2026-01-10",
            status="considering",
            troops_min="20000",
            troops_max="20000",
            troops_as_stated="20,000",
            disarmament="rules_out_combat",
            conditions="no_combat",
            roles="",
            **idn,
        ),
        row(
            statement_id="B",
            date="2026-01-12",
            status="conditional",
            disarmament="refuses",
            **{**pak, **blank},
        ),
        row(
            statement_id="C",
            date="2026-02-20",
            status="committed",
            disarmament="refuses",
            conditions="no_disarmament",
            roles="headquarters_staff",
            **{**idn, "troops_min": "", "troops_max": "", "troops_as_stated": ""},
        ),
        row(
            statement_id="D",
            date="2026-03-17",
            status="on_hold",
            troops_min="",
            troops_max="8000",
            troops_as_stated="up to 8,000",
            disarmament="unstated",
            conditions="",
            roles="",
            **idn,
        ),
        row(
            statement_id="E",
            date="2026-02-19",
            status="committed",
            disarmament="unstated",
            **{**alb, **blank},
        ),
        row(
            statement_id="F",
            date="2026-02-19",
            status="considering",
            disarmament="unstated",
            conditions="no_disarmament",
            **{**pak, "troops_min": "", "troops_max": "", "troops_as_stated": ""},
        ),
    ]
    data = load_dataset(write_ledger(csv_text(rows)))
    table = changes_between(
        data.statements,
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 31),
        {"conditions": data.conditions, "roles": data.roles},
    )
    got = {(r.iso3, r.change, r.before, r.after, r.statement_id) for r in table.itertuples()}
    assert got == {
        ("IDN", "Status", "Considering", "On hold", "D"),
        ("IDN", "Troops", "20,000", '8,000 · "up to 8,000"', "D"),  # words only where they add
        (
            "IDN",
            "Stance on disarming Hamas",
            "Ruled out combat (refusal inferred)",
            "Ruled it out explicitly",
            "C",
        ),
        # Conditions accumulate: C adds one; Pakistan's F restates one it had not, so it is added.
        ("IDN", "Condition added", "", "No role in disarming Hamas", "C"),
        ("IDN", "Role added", "", "Headquarters staff", "C"),
        ("PAK", "Status", "Conditional offer", "Considering", "F"),
        ("PAK", "Condition added", "", "No role in disarming Hamas", "F"),
        ("ALB", "Appeared", "", "Committed, troops: not stated", "E"),
    }


def test_changes_page_reads_from_and_to_from_the_link(ledger):
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["country"] = ["IDN", "JOR"]
    app.run()
    app.query_params["from"] = "2026-01-01"
    app.query_params["to"] = "2026-03-31"
    app.switch_page(str(paths.pages_dir() / "changes.py")).run()
    assert not app.exception
    assert [str(d.value) for d in app.main.date_input] == ["2026-01-01", "2026-03-31"]
    listed = [m.value.replace("\\", "") for m in app.main.markdown if m.value.startswith("**")]
    assert [text.split("**")[1] for text in listed] == ["Indonesia", "Jordan"]  # newest change first
    ids = sorted(re.findall(r" — (S\d{3}) · ", "\n".join(listed)))
    assert set(ids) == {"S010", "S012", "S013", "S014"}  # the statements of the period, none before it
    assert not app.main.dataframe  # the table is built when its expander is opened
    app.session_state["table-changes"] = True
    table = app.run().main.dataframe[0].value
    assert sorted(table["Statement"]) == ids


def test_a_correction_replaces_the_statement_it_supersedes(ledger):
    text = ledger.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("S007,"))
    corrected = row.replace("S007,", "S900,", 1).replace(",3500,3500,", ",3000,3000,", 1)
    assert corrected.endswith(",")
    ledger.write_text(text + corrected + "S007\n", encoding="utf-8")
    data = load_dataset(ledger)
    assert data.problems == ()
    positions = changes_between(data.statements, dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    pak = positions[(positions["iso3"] == "PAK") & (positions["change"] == "Troops")].iloc[0]
    assert (pak["after"], pak["statement_id"]) == ('3,000 · "around 3,500 troops"', "S900")
    assert data.statements.set_index("statement_id").loc["S007", "superseded_by"] == "S900"


def test_a_range_upside_down_and_a_missing_country_are_named(ledger, monkeypatch):
    before = ledger.read_bytes()
    app = open_add(monkeypatch)
    fill(app, **{**GOOD, "troops_min": "5000", "troops_max": "3000"})
    app.main.selectbox(key="add_iso3").set_value(None)
    submit(app)
    errors = [e.value.replace("\\", "") for e in app.main.error]
    assert "troops_max is smaller than troops_min (5000)" in errors
    assert "iso3 is required but empty" in errors
    assert not any(e.startswith("country ") for e in errors)
    assert ledger.read_bytes() == before


def test_a_quote_not_in_english_needs_its_english_which_is_saved_beside_it(ledger, monkeypatch):
    app = open_add(monkeypatch)
    quote = "Rencana pengiriman pasukan perdamaian ke Gaza saat ini ditunda"
    fill(app, **{**GOOD, "quote": quote})
    submit(app)
    errors = [e.value.replace("\\", "") for e in app.main.error]
    assert errors == ["quote is not in English: give its English (our translation) and its language below"]
    fill(app, english="The plan to send peacekeepers to Gaza is now postponed", language="id")
    submit(app)
    assert not app.main.error
    translations_before = (ledger.parent / "translations.csv").read_bytes()
    next(b for b in app.main.button if b.label == "Save to the ledger").click().run()
    assert "Saved S020" in app.main.success[0].value
    data = load_dataset(ledger)
    assert data.problems == ()
    rendering = data.translations[("S020", "quote")]
    assert (rendering.english, rendering.language, rendering.translated_by.value) == (
        "The plan to send peacekeepers to Gaza is now postponed",
        "id",
        "project",
    )
    assert (ledger.parent / "translations.csv").read_bytes().startswith(translations_before)


def test_a_refused_append_takes_its_english_back(ledger):
    from isf_tracker.writer import append_statements

    translations = ledger.parent / "translations.csv"
    before = (ledger.read_bytes(), translations.read_bytes())
    bad = {**dict(zip(POSITION_COLUMNS, [""] * len(POSITION_COLUMNS), strict=True)), "statement_id": "S999"}
    english = [{"statement_id": "S999", "field": "quote", "language": "id", "english": "x",
                "translated_by": "project"}]  # fmt: skip
    result = append_statements(ledger, [bad], renderings=english)
    assert not result.ok and result.problems
    assert (ledger.read_bytes(), translations.read_bytes()) == before  # nothing is left half-written
