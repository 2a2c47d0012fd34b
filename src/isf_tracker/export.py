"""CSV downloads that are safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel
and LibreOffice; quotes from the ledger are data, so such cells get a leading
apostrophe (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def ledger_rows(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements back in the ledger's own columns, codes joined with ';'."""
    from isf_tracker.ledger import STATEMENT_FRAME_COLUMNS

    columns = [c for c in STATEMENT_FRAME_COLUMNS if c != "line"]
    out = statements[columns].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    for column in ("conditions", "roles"):
        out[column] = out[column].map(";".join)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with formula-looking cells neutralised."""
    safe = frame.apply(lambda column: column.map(neutralise))
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")
