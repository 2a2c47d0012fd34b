"""Each kind of filter of the registry (`filters`) as a Streamlit widget: the registry says what a
filter is, this module how it is drawn (its value in session state under the filter's URL key)."""

from __future__ import annotations

import streamlit as st

from isf_tracker.filters import AtLeast, Choices, Day, Filter, MultiChoice, OneChoice


def draw(option: Filter, choices: Choices) -> None:
    given = {"label": option.label, "key": option.key, "help": option.help or None}
    if isinstance(option, MultiChoice | OneChoice):
        labels = option.options(choices)
        given |= {"options": list(labels), "format_func": labels.get}
    match option:
        case MultiChoice():
            st.multiselect(**given, placeholder="All")
        case OneChoice(style="segmented"):
            st.segmented_control(**given, selection_mode="single", required=True)
        case OneChoice():
            st.radio(**given)
        case AtLeast():
            st.number_input(**given, min_value=0, max_value=option.maximum, step=option.step)
        case Day():
            st.date_input(
                **given, min_value=choices.earliest_day, max_value=choices.today, format="YYYY-MM-DD"
            )
        case _:
            raise TypeError(f"no widget for a {type(option).__name__} filter ({option.key})")
