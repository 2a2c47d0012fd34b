"""What changed: every change in the window statement by statement (a stage passed through is
listed), the window shown in its date boxes, and its presets."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from isf_tracker import paths
from isf_tracker.changes import changes_between, every_change
from isf_tracker.ledger import load_dataset

APP = str(paths.NAVIGATION_SCRIPT)


def status_moves(frame, iso3="IDN"):
    moved = frame[(frame["iso3"] == iso3) & (frame["change"] == "Status")]
    return list(zip(moved["before"], moved["after"], moved["statement_id"], strict=True))


def test_every_change_lists_the_stage_between_the_two_ends():
    statements = load_dataset().statements
    start, end = dt.date(2025, 12, 1), dt.date(2026, 12, 3)
    assert status_moves(changes_between(statements, start, end)) == [("Considering", "On hold", "S013")]
    assert status_moves(every_change(statements, start, end)) == [
        ("Considering", "Committed", "S012"),  # 10 Feb 2026: between the two ends
        ("Committed", "On hold", "S013"),
    ]
    listed = every_change(statements, start, end)
    assert list(listed["date"]) == sorted(listed["date"])  # in date order
    assert every_change(statements, end, end).empty


def open_changes(query: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    app.switch_page(str(paths.pages_dir() / "changes.py")).run()
    assert not app.exception
    return app


def listed_text(app: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in app.main.markdown if m.value.startswith("**"))


def test_the_window_applied_is_in_the_date_boxes_and_out_of_the_link():
    app = open_changes()
    # The record's latest statement is of 18 Jun 2026: its last 90 days, shown, not an empty box.
    assert [d.value for d in app.main.date_input] == [dt.date(2026, 3, 20), dt.date(2026, 6, 18)]
    assert "from" not in app.query_params and "to" not in app.query_params
    said = "Every change after 2026-03-20, up to and including 2026-06-18"
    assert any(said in caption.value.replace("\\", "") for caption in app.main.caption)


def test_presets_put_their_window_in_the_boxes_and_the_link():
    app = open_changes({"country": "IDN"})
    labels = [b.label for b in app.main.button]
    assert "The record's last 90 days" in labels
    release = next(label for label in labels if label.startswith("Since the last data release"))
    assert (
        release == "Since the last data release (2.0.0, 3 Dec 2026)"
    )  # the data's Data Package and changelog
    next(b for b in app.main.button if b.label == release).click().run()
    assert [d.value for d in app.main.date_input] == [dt.date(2026, 12, 3), dt.date(2026, 12, 3)]
    assert app.query_params["from"] in ("2026-12-03", ["2026-12-03"])
    assert "No change in the positions shown between these dates" in app.main.info[0].value.replace("\\", "")
    app.query_params["from"] = "2025-12-01"  # a reader widens the window by hand: every stage shows
    app.session_state["from"] = dt.date(2025, 12, 1)
    app.run()
    text = listed_text(app)
    assert text.index("Considering → Committed — S012") < text.index("Committed → On hold — S013")
    next(b for b in app.main.button if b.label == "The record's last 90 days").click().run()
    assert [d.value for d in app.main.date_input] == [dt.date(2026, 3, 20), dt.date(2026, 6, 18)]
    assert "from" not in app.query_params  # the default window stays out of the link


def test_an_early_to_day_keeps_from_inside_its_box():
    """90 days before an early To falls before the date box's first day: From stops there, and
    the page opens (hypothesis found the traceback in test_links)."""
    app = open_changes({"to": "2025-01-01"})
    assert not app.exception
    assert [box.value for box in app.date_input] == [dt.date(2025, 1, 1), dt.date(2025, 1, 1)]
