"""The landing page under AppTest: it answers in words, on the fixture ledger, on small ledgers,
on a broken one and on an empty one, without a traceback."""

from __future__ import annotations

import datetime as dt

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
        "None of the 17 countries will take part in disarming Hamas: 5 refuse (Azerbaijan, Egypt, "
        "Indonesia, Jordan and Pakistan), 2 would only on conditions (Saudi Arabia and Turkey) and 10 have "
        "not said. Troops available for demilitarising Gaza: 0 of the 3,600–3,650 offered."
    )
    assert paragraphs(app)[1].startswith("As of 31 March 2026, 17 countries have stated a position")
    assert [s.value for s in app.main.subheader] == [
        "Troops available for each task of the mandate",
        "Who stands where on disarming Hamas",
        "Latest statements",
        "Current positions",
    ]
    positions = open_on_demand(app, "table-positions").main.dataframe[0].value
    assert list(positions.columns[:3]) == ["Country", "Status", "Disarming Hamas"]
    assert len(positions) == 17


def test_the_record_says_how_current_it_is():
    caption = plain(run_app().main.caption[0].value)
    assert caption.startswith("Latest statement in the record: 18 June 2026 (")
    assert (
        "Last checked against the sources on 2 December 2026; the sources searched reach about 1 July 2026."
        in (caption)
    )


def test_a_small_ledger_drives_the_answer(write_ledger, monkeypatch):
    rows = [
        row(statement_id="A", troops_min="3500", troops_max="3500"),
        row(statement_id="B", iso3="IDN", country="Indonesia", status="offered", troops_min="",
            troops_max="20000", disarmament="unstated", conditions=""),
        row(statement_id="C", iso3="JOR", country="Jordan", status="declined", troops_min="", troops_max="",
            disarmament="unstated", conditions=""),
    ]  # fmt: skip
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows))))
    app = run_app({"as_of": "2026-01-01"})
    assert answer(app) == (
        "None of the 3 countries will take part in disarming Hamas: 1 refuses (Pakistan) and 2 have not "
        "said. Troops available for demilitarising Gaza: 0 of the 23,500 offered."
    )
    stated = "Stated troop figures add up to 23,500, from both countries offering"
    assert f"{stated} (Indonesia 20,000; Pakistan 3,500)." in paragraphs(app)[2]
    assert not app.warning


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


def test_an_edit_on_disk_shows_on_the_next_run(write_ledger, monkeypatch):
    path = write_ledger(csv_text([row(statement_id="A")]))
    monkeypatch.setenv("ISF_TRACKER_DATA", str(path))
    app = run_app()
    assert "0 of the 3,500 offered" in answer(app)
    later = row(statement_id="B", date="2025-12-30", troops_min="5000", troops_max="5000")
    path.write_text(csv_text([row(statement_id="A"), later]))
    app.run()
    assert "0 of the 5,000 offered" in answer(app)


def test_an_empty_ledger_says_so(write_ledger, monkeypatch):
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger("")))
    app = run_app()
    assert "empty" in app.dataframe[0].value["problem"][0]
    assert answer(app).startswith(f"No country had stated a position on the force by {dt.date.today().day} ")
