"""Readers' suggested corrections: checked, limited per client, stored beside the ledger (never in
it), listed for the editor, and turned into a statement through the same form and checks."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from isf_tracker import editing, paths, suggestions
from isf_tracker.schema import SUGGESTION_LIMITS

APP = str(paths.NAVIGATION_SCRIPT)
GOOD = {
    "source_url": "https://example.org/correction",
    "quote": "We have not decided.",
    "note": "Newer source.",
}
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(suggestions, "LIMIT", suggestions.RateLimit(clock=ticking))
    return ticking


@pytest.mark.parametrize(
    ("typed", "field", "said"),
    [
        ({**GOOD, "note": "x" * 20_000}, "note", "is 20,000 characters long; at most 1,000"),
        ({**GOOD, "quote": "y" * 20_000}, "quote", "at most 1,000"),
        ({**GOOD, "source_url": "https://example.org/" + "a" * 600}, "source_url", "at most 500"),
        ({**GOOD, "note": "<script>alert(1)</script>"}, "note", "markup"),
        ({**GOOD, "quote": "<img src=x onerror=alert(1)>"}, "quote", "markup"),
        ({**GOOD, "note": "&lt;b&gt;"}, "note", "markup"),
        ({**GOOD, "source_url": "javascript:alert(1)"}, "source_url", "starting with http:// or https://"),
        ({**GOOD, "source_url": "data:text/html,hi"}, "source_url", "starting with http:// or https://"),
        ({**GOOD, "source_url": ""}, "source_url", "starting with http:// or https://"),
        ({**GOOD, "quote": "", "note": ""}, "note", "is empty"),
    ],
)
def test_hostile_or_empty_input_is_refused_with_a_reason(typed, field, said):
    assert said in suggestions.problems(typed)[field]


def test_a_plain_suggestion_passes_and_its_row_fits_the_data_package():
    assert suggestions.problems(GOOD) == {}
    row = suggestions.record(GOOD, "IDN", "S013", NOW)
    assert row["received"] == "2026-12-03T12:00:00Z" and row["suggestion_id"].startswith("20261203T120000-")
    assert set(SUGGESTION_LIMITS) <= set(row)


def test_five_a_minute_per_client_then_a_wait_that_ends(clock):
    keys = ("session:a", "address:1.2.3.4")
    assert [suggestions.LIMIT.wait_s(keys) for _ in range(5)] == [0.0] * 5
    clock.now += 10
    assert suggestions.LIMIT.wait_s(keys) == pytest.approx(50.0)
    assert suggestions.LIMIT.wait_s(("session:b", "address:1.2.3.4")) > 0  # a new session, same address
    assert suggestions.LIMIT.wait_s(("session:c", "address:5.6.7.8")) == 0.0  # someone else
    clock.now += 50
    assert suggestions.LIMIT.wait_s(keys) == 0.0


def test_saved_beside_the_ledger_newest_first_and_the_ledger_untouched(ledger):
    before = ledger.read_bytes()
    path = suggestions.path_beside(ledger)
    first = suggestions.record(GOOD, "IDN", "S013", NOW)
    second = suggestions.record({**GOOD, "note": "Another"}, "PAK", "", NOW + dt.timedelta(minutes=1))
    assert suggestions.save(path, first) is None and suggestions.save(path, second) is None
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(suggestions.COLUMNS)
    assert [row["suggestion_id"] for row in suggestions.listed(path)] == [
        second["suggestion_id"],
        first["suggestion_id"],
    ]
    assert ledger.read_bytes() == before


def open_page(page: str, query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    app.switch_page(str(paths.pages_dir() / f"{page}.py")).run()
    assert not app.exception
    return app


def suggest(app: AppTest, key: str, **typed: str) -> AppTest:
    app.session_state[key] = True  # the popover opened: its form is built only now
    app.run()
    for name, value in typed.items():
        widget = app.main.text_input if name == "source_url" else app.main.text_area
        next(w for w in widget if w.key == f"{key}-{name}").input(value)
    next(b for b in app.main.button if b.label == "Send the suggestion").click().run()
    assert not app.exception
    return app


def test_a_reader_suggests_a_correction_of_a_statement_and_the_editor_uses_it(ledger, clock, monkeypatch):
    ledger_bytes = ledger.read_bytes()
    app = open_page("country", {"country": "IDN"})
    assert app.session_state["suggest-IDN-S013"] is False and app.session_state["suggest-IDN-"] is False
    assert not [w for w in app.main.text_input if str(w.key).startswith("suggest-")]  # built when opened
    app = suggest(app, "suggest-IDN-S013", **GOOD)
    assert [s.value for s in app.main.success] == [
        "Thank you: your suggestion is saved for an editor to check."
    ]
    stored = suggestions.listed(suggestions.path_beside(ledger))
    assert [(r["iso3"], r["statement_id"], r["source_url"], r["note"]) for r in stored] == [
        ("IDN", "S013", GOOD["source_url"], GOOD["note"])
    ]
    assert ledger.read_bytes() == ledger_bytes

    monkeypatch.setenv(editing.PASSWORD_KEY, "pw")
    editor = open_page("add")
    assert any("Readers' suggestions (1)" in h.value for h in editor.main.subheader)
    assert any(GOOD["note"].replace(".", "\\.") in m.value for m in editor.main.markdown)
    next(b for b in editor.main.button if b.label == "Use it in the form above").click().run()
    assert editor.session_state["add_source_url"] == GOOD["source_url"]
    assert (editor.session_state["add_iso3"], editor.session_state["add_supersedes"]) == ("IDN", "S013")
    next(b for b in editor.main.button if b.label == "Check and preview").click().run()
    errors = " ".join(e.value for e in editor.main.error)
    assert "date" in errors and "speaker" in errors  # the same checks as any row: the editor completes it
    assert ledger.read_bytes() == ledger_bytes


def test_hostile_suggestions_are_refused_with_a_message_and_nothing_is_lost(ledger, clock):
    ledger_bytes = ledger.read_bytes()
    path = suggestions.path_beside(ledger)
    app = open_page("country", {"country": "IDN"})
    key = "suggest-IDN-"
    for typed, said in [
        ({**GOOD, "note": "n" * 20_000}, "at most 1,000"),
        ({**GOOD, "quote": "<b>bold</b> [x](javascript:alert(1))"}, "markup"),
        ({**GOOD, "source_url": "javascript:alert(1)"}, "starting with http"),
    ]:
        app = suggest(app, key, **typed)
        assert said in " ".join(e.value.replace("\\", "") for e in app.main.error)
        assert "your text is kept below" in app.main.error[0].value
        kept = next(w for w in app.main.text_area if w.key == f"{key}-note")
        assert kept.value == typed["note"]  # nothing the reader typed is lost
        assert not path.exists()
    app = suggest(app, key, **GOOD)
    for _ in range(49):  # 50 in a minute: 5 are kept, the others refused with the wait
        next(b for b in app.main.button if b.label == "Send the suggestion").click().run()
    assert len(suggestions.listed(path)) == 5
    assert "in the last minute: please wait 60 s" in app.main.error[0].value
    assert ledger.read_bytes() == ledger_bytes
    clock.now += 60
    next(b for b in app.main.button if b.label == "Send the suggestion").click().run()
    assert len(suggestions.listed(path)) == 6 and app.main.success


def test_the_editors_list_shows_reader_text_as_text(ledger):
    path = suggestions.path_beside(ledger)
    note = "**bold** [link](https://evil.example)"
    hostile = {"suggestion_id": "x1", "received": "2026-12-03T12:00:00Z", "iso3": "PAK", "statement_id": "",
               "source_url": "https://example.org/a", "quote": "", "note": note}  # fmt: skip
    suggestions.save(path, hostile)
    app = open_page("add")
    shown = next(m.value for m in app.main.markdown if "bold" in m.value)
    assert "\\*\\*bold\\*\\*" in shown and "\\[link\\]" in shown
