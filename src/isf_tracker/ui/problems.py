"""The panel that says the view is partial and lists each problem of the data files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from isf_tracker.ledger import Dataset


def problem_panel(data: Dataset) -> None:
    if not data.problems:
        return
    count = len(data.problems)
    st.warning(
        f"The data files have {count} problem{'s' if count != 1 else ''}. "
        "This view is partial: it shows only the rows that passed the checks. "
        "Fix the lines listed below (or run `isf-tracker validate`).",
        icon="⚠️",
    )
    with st.expander("Problems in the data files", expanded=count <= 10):
        st.dataframe(
            pd.DataFrame([p.as_row() for p in data.problems]),
            hide_index=True,
            width="stretch",
        )
