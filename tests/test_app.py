"""The app runs under AppTest on the shipped data and on a broken ledger without a traceback."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from isf_tracker import paths
from tests.ledger_rows import FIXTURE, csv_text, row

APP = str(paths.NAVIGATION_SCRIPT)


def run_app(timeout: float = 30) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.run()
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_overview_shows_headline_figures_and_the_ledger():
    app = run_app()
    assert not app.exception
    figures = metrics(app)
    assert set(figures) == {
        "Countries offering",
        "Troops offered",
        "Troops committed",
        "Troops offered for disarmament",
    }
    assert figures["Troops offered for disarmament"] == "0"
    ledger = app.dataframe[2].value
    shipped = FIXTURE.read_text(encoding="utf-8")
    assert len(ledger) == len(shipped.strip().splitlines()) - 1
    assert ledger["Source"].str.match(r"^https?://").all()


def test_a_small_ledger_drives_the_figures(write_ledger, monkeypatch):
    rows = [
        row(statement_id="A", troops_min="3500", troops_max="3500"),
        row(
            statement_id="B",
            iso3="IDN",
            country="Indonesia",
            status="offered",
            troops_min="",
            troops_max="20000",
            disarmament="unstated",
            conditions="",
        ),
        row(
            statement_id="C",
            iso3="JOR",
            country="Jordan",
            status="declined",
            troops_min="",
            troops_max="",
            disarmament="unstated",
            conditions="",
        ),
    ]
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows))))
    app = run_app()
    assert not app.exception
    figures = metrics(app)
    assert figures["Countries offering"] == "2 of 3"
    assert figures["Troops offered"] == "23,500"
    assert figures["Troops committed"] == "0"
    assert figures["Troops offered for disarmament"] == "0"
    assert not app.warning


def test_a_broken_ledger_shows_the_problems_and_the_valid_rows(write_ledger, monkeypatch):
    rows = [row(statement_id="A"), row(statement_id="B", status="offerd"), row(statement_id="A")]
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger(csv_text(rows))))
    app = run_app()
    assert not app.exception
    assert "2 problems" in app.warning[0].value
    assert "partial" in app.warning[0].value
    problems = app.dataframe[0].value
    assert list(zip(problems["line"], problems["column"], strict=True)) == [
        (3, "status"),
        (4, "statement_id"),
    ]
    ledger = app.dataframe[3].value
    assert list(ledger["ID"]) == ["A"]


def test_an_edit_on_disk_shows_on_the_next_run(write_ledger, monkeypatch):
    path = write_ledger(csv_text([row(statement_id="A")]))
    monkeypatch.setenv("ISF_TRACKER_DATA", str(path))
    app = run_app()
    assert metrics(app)["Troops offered"] == "3,500"
    path.write_text(
        csv_text(
            [
                row(statement_id="A"),
                row(statement_id="B", date="2025-12-30", troops_min="5000", troops_max="5000"),
            ]
        )
    )
    app.run()
    assert metrics(app)["Troops offered"] == "5,000"


def test_an_empty_ledger_says_so(write_ledger, monkeypatch):
    monkeypatch.setenv("ISF_TRACKER_DATA", str(write_ledger("")))
    app = run_app()
    assert not app.exception
    assert "empty" in app.dataframe[0].value["problem"][0]
    assert "no valid statements" in app.info[0].value
