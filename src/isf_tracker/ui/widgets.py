"""Each kind of filter of the registry (`filters`) as a Streamlit widget: the registry says what a
filter is, this module how it is drawn. A widget's value lives in session state under the
filter's URL key."""

from __future__ import annotations

import streamlit as st

from isf_tracker.filters import AtLeast, Choices, Day, Filter, MultiChoice, OneChoice


def draw(option: Filter, choices: Choices) -> None:
    help_text = option.help or None
    match option:
        case MultiChoice():
            labels = option.options(choices)
            st.multiselect(option.label, list(labels), format_func=labels.get, key=option.key,
                           help=help_text, placeholder="All")  # fmt: skip
        case OneChoice(style="segmented"):
            labels = option.options(choices)
            st.segmented_control(option.label, list(labels), format_func=labels.get, key=option.key,
                                 selection_mode="single", required=True, help=help_text)  # fmt: skip
        case OneChoice():
            labels = option.options(choices)
            st.radio(option.label, list(labels), format_func=labels.get, key=option.key, help=help_text)
        case AtLeast():
            st.number_input(option.label, min_value=0, max_value=option.maximum, step=option.step,
                            key=option.key, help=help_text)  # fmt: skip
        case Day():
            st.date_input(option.label, min_value=choices.earliest_day, max_value=choices.today,
                          key=option.key, help=help_text, format="YYYY-MM-DD")  # fmt: skip
        case _:
            raise TypeError(f"no widget for a {type(option).__name__} filter ({option.key})")
