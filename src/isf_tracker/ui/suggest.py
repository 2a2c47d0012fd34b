"""Readers suggest a correction: a small form on each statement card and country, built only when
its popover is opened (a closed one costs a rerun nothing); and the editor's list of suggestions,
each of which fills the add form. The checks, limits and the file are `suggestions`'."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from isf_tracker import paths, suggestions
from isf_tracker.editing import wait_text
from isf_tracker.ui.safe import escape_markdown, link
from isf_tracker.ui.shell import client_keys

SESSION = "suggest__session"
LABELS = {"source_url": "Source URL (http or https)", "quote": "The words in the source",
          "note": "What is wrong or missing"}  # fmt: skip


def button(iso3: str, statement_id: str = "") -> None:
    """ "Suggest a correction" for a statement (or, without one, a country)."""
    key = f"suggest-{iso3}-{statement_id}"
    box = st.popover("Suggest a correction", icon=":material/rate_review:", type="tertiary", key=key,
                     on_change="rerun")  # fmt: skip
    if box.open:
        with box:
            _form(key, iso3, statement_id)


def _form(key: str, iso3: str, statement_id: str) -> None:
    about = f"statement {statement_id}" if statement_id else "this country"
    st.caption(f"Point us to a source on {about}. An editor checks it before anything changes; "
               "no account needed. Plain text only.")  # fmt: skip
    told = st.container()  # the answer above the form, where a short popover shows it first
    with st.form(f"{key}-form"):
        for name, label in LABELS.items():
            widget = st.text_input if name == "source_url" else st.text_area
            widget(label, key=f"{key}-{name}", **({} if name == "source_url" else {"height": 90}))
        sent = st.form_submit_button("Send the suggestion")
    if sent:
        with told:
            _send(key, iso3, statement_id)


def _send(key: str, iso3: str, statement_id: str) -> None:
    """Check, limit, append; every refusal says why and leaves the reader's text in the form."""
    typed = {name: st.session_state.get(f"{key}-{name}") or "" for name in LABELS}
    if found := suggestions.problems(typed):
        for name, message in found.items():
            st.error(escape_markdown(f"{LABELS[name]} {message}. Nothing was sent; your text is kept below."))
        return
    if (wait := suggestions.LIMIT.wait_s(client_keys(SESSION))) > 0:
        st.error(f"You have sent {suggestions.PER_WINDOW} suggestions in the last minute: please wait "
                 f"{wait_text(wait)} and send again. Nothing was sent; your text is kept below.")  # fmt: skip
        return
    row = suggestions.record(typed, iso3, statement_id, dt.datetime.now(dt.UTC))
    if why := suggestions.save(suggestions.path_beside(paths.positions_path()), row):
        st.error(escape_markdown(f"Nothing was sent: {why}. Your text is kept below."))
        return
    st.success("Thank you: your suggestion is saved for an editor to check.")


def editor_list(names: dict[str, str], prefill: object = None) -> None:
    """The suggestions, newest first, as plain text; with `prefill`, a button that fills the add
    form with one (the editor then checks it like any new row)."""
    rows = suggestions.listed(suggestions.path_beside(paths.positions_path()))
    st.subheader(f"Readers' suggestions ({len(rows)})")
    if not rows:
        st.caption("None yet. Readers send them from any statement or country.")
        return
    st.caption("Newest first. Plain text from readers: check the source before using any of it.")
    for row in rows[:50]:
        with st.container(border=True):
            about = row["statement_id"] or "the country"
            said = f"{row['received']} · {names.get(row['iso3'], row['iso3'])} · {about} · "
            st.markdown(escape_markdown(said) + link("source", row["source_url"]))
            for name in ("quote", "note"):
                if row[name]:
                    st.markdown(f"{LABELS[name]}: {escape_markdown(row[name])}")
            if prefill:
                st.button("Use it in the form above", key=f"use-{row['suggestion_id']}", on_click=prefill,
                          args=(row,), icon=":material/edit:")  # fmt: skip
