"""The panel that says the view is partial and lists each problem of the data files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from isf_tracker.filters import shorten
from isf_tracker.ledger import Dataset

#: The most problems the panel lists (`isf-tracker validate` prints them all).
PANEL_ROWS = 500
VALUE_CHARS = 200


def problem_panel(data: Dataset) -> None:
    if not (count := len(data.problems)):
        return
    st.warning(f"The data files have {count:,} problem{'s' if count != 1 else ''}. This view is partial: it "
               "shows only the rows that passed the checks. Fix the lines listed below (or run `isf-tracker "
               "validate`).", icon="⚠️")  # fmt: skip
    with st.expander("Problems in the data files", expanded=count <= 10):
        if count > PANEL_ROWS:
            st.caption(f"The first {PANEL_ROWS:,} of {count:,}; `isf-tracker validate` lists them all.")
        rows = pd.DataFrame([p.as_row() for p in data.problems[:PANEL_ROWS]])
        rows["value"] = rows["value"].map(lambda v: shorten(v, VALUE_CHARS) if isinstance(v, str) else v)
        st.dataframe(rows, hide_index=True, width="stretch")
