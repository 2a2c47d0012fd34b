"""The landing page under AppTest: it answers in words, on the fixture ledger, on small ledgers,
on a broken one and on an empty one, without a traceback."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from isf_tracker import paths
from tests.ledger_rows import csv_text, row
from tests.test_pages import open_on_demand

APP = str(paths.NAVIGATION_SCRIPT)


def run_app(query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def plain(text: str) -> str:
    return text.replace("\\", "").replace("**", "")


def answer(app: AppTest) -> str:
    """The landing page's answer: its bold first paragraph."""
    return plain(next(m.value for m in app.main.markdown if m.value.startswith("**")))


def paragraphs(app: AppTest) -> list[str]:
    return [plain(m.value) for m in app.main.markdown]


def test_the_landing_page_answers_the_question_first():
    app = run_app({"as_of": "2026-03-31"})
    assert answer(app) == (
        "As of 31 March 2026, 1 of the 7 countries taking part in the force or considering it has said it "
        "would take part in disarming Hamas. Kazakhstan has said it would take part only on conditions. "
        "Indonesia and Pakistan have ruled it out explicitly. Egypt has ruled out combat or peace "
        "enforcement, which disarming would need. Jordan has said it will send no troops. Turkey has spoken "
        "only of when Hamas should disarm, not of its own part. Morocco has not addressed it."
    )
    assert paragraphs(app)[1].startswith("Not joining the force: Azerbaijan")
    assert [s.value for s in app.main.subheader] == [
        "Troops for each task of the mandate",
        "Who stands where on disarming Hamas",
        "Latest statements",
        "Current positions",
    ]
    assert "The record as it stood on 31 March 2026" in app.info[0].value  # the chosen day, not today
    positions = open_on_demand(app, "table-positions").main.dataframe[0].value
    assert list(positions.columns[:3]) == ["Country", "Troops", "Status"]  # the number leads, on a phone too
    assert len(positions) == 8  # Kosovo's first statement is later


def test_the_record_says_how_current_it_is_in_body_text_and_that_it_is_old():
    notice = plain(run_app().main.warning[0].value)
    assert notice.startswith("Record as of 18 June 2026, its latest statement (")
    assert "sources searched to about 1 July 2026; checked against them on 3 December 2026." in notice
    assert notice.endswith("Positions may have changed since.")


def test_a_small_ledger_drives_the_answer(write_ledger, monkeypatch):
    rows = [
        row(statement_id="A", troops_min="3500", troops_max="3500"),
        row(statement_id="B", iso3="IDN", country="Indonesia", status="offered", troops_min="",
            troops_max="20000", troops_as_stated="", disarmament="unstated", conditions=""),
        row(statement_id="C", iso3="JOR", country="Jordan", status="declined", troops_min="", troops_max="",
            disarmament="unstated", conditions=""),
    ]  # fmt: skip
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows))))
    app = run_app({"as_of": "2026-01-01"})
    assert answer(app) == (
        "As of 1 January 2026, none of the 2 countries taking part in the force or considering it has said "
        "it would take part in disarming Hamas. Pakistan has ruled it out explicitly. Indonesia has not "
        "addressed it."
    )
    figures = 'Troop figures, by how they are known: Indonesia 20,000, on record, offered; Pakistan "around '
    assert any(figures in text for text in paragraphs(app))
    assert not any("problem" in w.value for w in app.warning)


def test_an_edit_on_disk_shows_on_the_next_run(write_ledger, monkeypatch):
    path = write_ledger(csv_text([row(statement_id="A")]))
    monkeypatch.setenv("ISF_TRACKER_DATA", str(path))
    app = run_app()
    assert "29 November 2025" in answer(app)
    later = row(statement_id="B", date="2025-12-30", troops_min="5000", troops_max="5000")
    path.write_text(csv_text([row(statement_id="A"), later]))
    app.run()
    assert "30 December 2025" in answer(app)


def test_a_broken_ledger_shows_the_problems_and_the_valid_rows(write_ledger, monkeypatch):
    rows = [row(statement_id="A"), row(statement_id="B", status="offerd"), row(statement_id="A")]
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows))))
    app = run_app()
    assert "2 problems" in app.warning[0].value
    assert "partial" in app.warning[0].value
    problems = app.dataframe[0].value
    assert list(zip(problems["line"], problems["column"], strict=True)) == [
        (3, "status"),
        (4, "statement_id"),
    ]
    positions = open_on_demand(app, "table-positions").main.dataframe[-1].value
    assert list(positions["Country"]) == ["Pakistan"]  # row A still counts


def test_an_empty_ledger_says_so(write_ledger, monkeypatch):
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger("")))
    app = run_app()
    assert "empty" in app.dataframe[0].value["problem"][0]
    # Nothing in the ledger: the answer is dated by today, the day tests/conftest.py fixes.
    assert answer(app) == "No country had stated a position on the force by 3 December 2026."
