"""CSV downloads: formula-looking cells are neutralised, everything else is kept as is."""

from __future__ import annotations

import csv
import io

import pandas as pd

from isf_tracker import export
from isf_tracker.ledger import load_dataset
from tests.ledger_rows import ROOT


def test_cells_that_spreadsheets_would_run_get_an_apostrophe():
    frame = pd.DataFrame({"quote": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "fine - ok", "3,500"],
                          "n": [1, 2, 3, 4, 5, 6, 7]})  # fmt: skip
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8"))))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx",
                                        "fine - ok", "3,500"]  # fmt: skip
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "4", "5", "6", "7"]


def test_ledger_rows_round_trip_to_the_ledger_columns():
    data = load_dataset(ROOT / "data" / "positions.csv")
    rows = export.ledger_rows(data.statements)
    text = export.csv_bytes(rows).decode("utf-8")
    header = text.splitlines()[0].split(",")
    shipped = (ROOT / "data" / "positions.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == shipped
    parsed = list(csv.DictReader(io.StringIO(text)))
    first = next(r for r in parsed if r["statement_id"] == "S014")
    assert first["conditions"] == "unsc_mandate;clear_mandate;no_disarmament;no_combat"
    assert first["date"] == "2025-11-29"
