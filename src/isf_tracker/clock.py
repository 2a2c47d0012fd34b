"""Today, from one place: the operator (or a test) can fix it with ISF_TRACKER_TODAY=YYYY-MM-DD,
so a page, a check or a test that depends on the day gives the same answer on any day it runs."""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV_VAR = "ISF_TRACKER_TODAY"


def today() -> dt.date:
    fixed = os.environ.get(TODAY_ENV_VAR, "").strip()
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
