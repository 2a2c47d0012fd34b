"""Add a statement: a form checked by the ledger's own model, a preview of what the row
changes, and a save that appends it atomically. Off unless the operator sets a password;
wrong passwords are slowed down and then locked out (editing.THROTTLE)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from isf_tracker import clock, editing, tables
from isf_tracker import vocabulary as words
from isf_tracker.paths import positions_path
from isf_tracker.schema import WITHDRAWN, DatePrecision, Reliability, Stance, Statement, Status
from isf_tracker.ui import suggest
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context, client_keys, context
from isf_tracker.writer import append_statements

PREFIX = "add_"
PROBLEMS, CHECKED, RESULT, SESSION = "add__problems", "add__checked", "add__result", "add__session"
COLUMNS = tuple(Statement.model_fields)  # positions.csv's, the optional ones included
#: The form's widgets (keyed PREFIX + field): the row's columns but the country's name (the code gives it),
#: the quote's English and language, and the password. Each starts at its widget's default.
FIELDS = (*(column for column in COLUMNS if column != "country"), "english", "language", "password")
#: Help beside a field's label, where the label alone does not say enough.
HELP = {
    "conditions": "Conditions this statement states. A condition it drops: choose its 'Withdrawn:' entry.",
    "roles": "Roles this statement offers. A role it drops: choose its 'Withdrawn:' entry.",
    "english": "Saved beside the quote in translations.csv; the quote stays verbatim.",
    "supersedes": "Only for a correction of an earlier row.",
}
#: What the preview shows of the country's position before and after the new row.
COMPARED = ["status", "troops_low", "troops_high", "troops_as_stated", "disarmament", "conditions", "roles"]
log = logging.getLogger(__name__)


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file: editing stays off unless the environment enables it
        return {}


def _entered(key: str) -> Any:
    return st.session_state.get(PREFIX + key)


def _check(ctx: Context) -> None:
    """The form's row checked; kept, with the English of its quote, for the preview and the save."""
    row = editing.blank_to_empty({column: _entered(column) for column in COLUMNS})
    row["country"] = _names(ctx).get(row["iso3"], "")
    english, language = (str(_entered(key) or "").strip() for key in ("english", "language"))
    problems = editing.rendering_problems(row["quote"], english, language) | editing.check_row(row, ctx.data)
    st.session_state[PROBLEMS] = problems
    st.session_state[CHECKED] = (
        None if problems else (row, editing.rendering_row(row["statement_id"], english, language))
    )
    st.session_state[RESULT] = None


def _save(ctx: Context) -> None:
    if not (checked := st.session_state.get(CHECKED)):
        return
    keys = client_keys(SESSION)  # who is trying
    if (wait := editing.THROTTLE.wait_s(keys)) > 0:
        message = f"Too many wrong passwords: try again in {editing.wait_text(wait)}. Nothing was written."
        st.session_state[RESULT] = ("error", message)
        return
    if not editing.password_matches(_entered("password") or "", editing.configured_password(_secrets())):
        failures = editing.THROTTLE.failed(keys)
        log.warning("wrong edit password from %s (%d in a row)", keys[1].removeprefix("address:"), failures)
        wait = editing.wait_after(failures)
        later = f" The next try is possible in {editing.wait_text(wait)}." if wait else ""
        st.session_state[RESULT] = ("error", f"Wrong password: nothing was written.{later}")
        return
    editing.THROTTLE.succeeded(keys)
    row, renderings = checked
    result = append_statements(positions_path(), [row], source_name="the form", renderings=renderings)
    if result.ok:
        st.session_state[RESULT] = ("success", f"Saved {row['statement_id']}: appended to the ledger.")
        st.session_state[CHECKED], st.session_state[PROBLEMS] = None, {}
        for column in FIELDS:  # the next run empties the form and finds the next free id in the new ledger
            del st.session_state[PREFIX + column]
    else:
        told = "; ".join(f"{p.column or 'row'} {p.message}" for p in result.problems)
        st.session_state[RESULT] = ("error", result.storage_error or f"Nothing was written: {told}")


def _problem(column: str) -> None:
    if message := st.session_state.get(PROBLEMS, {}).get(column):
        st.error(escape_markdown(f"{column} {message}"), icon=":material/error:")


def _field(widget: Callable[..., Any], column: str, label: str, **options: Any) -> None:
    """A widget of the form, with its column's problem, if any, right beside it."""
    widget(label, key=PREFIX + column, help=HELP.get(column), **options)
    _problem(column)


def _names(ctx: Context) -> dict[str, str]:
    return dict(zip(ctx.data.countries["iso3"], ctx.data.countries["name"], strict=True))


def _form(ctx: Context) -> None:
    data, names = ctx.data, _names(ctx)
    if PREFIX + "statement_id" not in st.session_state:  # an empty form: the next free statement id
        st.session_state[PREFIX + "statement_id"] = editing.next_statement_id(data.statements)
    conditions, roles = ([*codes, *(WITHDRAWN + c for c in codes)] for codes in (data.conditions, data.roles))
    # No max_value of today: a future date gets the model's own message, not a blank.
    dates = {"min_value": dt.date(2000, 1, 1), "max_value": clock.today() + dt.timedelta(days=3650)}
    with st.form("add_statement"):
        left, right = st.columns(2)
        with left:
            _field(st.text_input, "statement_id", "Statement ID (new, never reused)")
            _field(st.date_input, "date", "Date of the statement", value=None, format="YYYY-MM-DD", **dates)
            _field(
                st.selectbox, "date_precision", "How sure is the date", options=list(map(str, DatePrecision))
            )
            _field(st.selectbox, "iso3", "Country", options=list(names), format_func=names.get, index=None,
                   placeholder="Choose a country")  # fmt: skip
            _field(st.selectbox, "status", "Status stated", options=["", *map(str, Status)],
                   format_func=lambda code: tables.status_label(code, missing="(not stated)"))  # fmt: skip
            _field(st.text_input, "troops_min", "Troops, lower bound (blank if none)")
            _field(st.text_input, "troops_max", "Troops, upper bound (blank if none)")
            _field(st.text_input, "troops_as_stated", "Troops as stated by the source")
            _field(st.selectbox, "disarmament", "Stance on disarming Hamas",
                   options=words.CURRENT_STANCES, format_func=tables.stance_label,
                   index=words.CURRENT_STANCES.index(Stance.UNSTATED))  # fmt: skip
        with right:
            _field(st.multiselect, "conditions", "Conditions", options=conditions,
                   format_func=lambda code: tables.label(code, data.conditions))  # fmt: skip
            _field(st.multiselect, "roles", "Roles", options=roles,
                   format_func=lambda code: tables.label(code, data.roles))  # fmt: skip
            _field(st.text_input, "speaker", "Speaker, with title")
            _field(st.text_area, "quote", "Short verbatim quote", height=80)
            _field(st.text_area, "english", "The quote in English, if it is not in English (our translation)",
                   height=68)  # fmt: skip
            _field(st.text_input, "language", "Language of the quote (a code: id, it, ar …)")
            _field(st.text_input, "source_url", "Source URL (http or https)")
            _field(st.text_input, "source_outlet", "Outlet")
            _field(st.selectbox, "reliability", "Reliability", options=list(map(str, Reliability)),
                   format_func=tables.reliability_label)  # fmt: skip
            _field(st.selectbox, "supersedes", "Corrects (supersedes) statement",
                   options=["", *data.statements["statement_id"]])  # fmt: skip
            _field(st.text_input, "notes", "Notes")
            st.text_input("Edit password", type="password", key=PREFIX + "password")
        for column in st.session_state.get(PROBLEMS, {}):
            if (
                column not in FIELDS
            ):  # a problem of no one field (the row, the country's name): below them all
                _problem(column)
        st.form_submit_button("Check and preview", on_click=_check, args=(ctx,), type="primary")


def _preview(ctx: Context, row: dict[str, str], renderings: list[dict[str, str]]) -> None:
    st.subheader("Preview")
    st.caption("The row as it will be appended:")
    st.dataframe(pd.DataFrame([row]), hide_index=True, width="stretch")
    if renderings:
        english = escape_markdown(renderings[0]["english"])
        st.caption(f"Its English, saved beside it (our translation): “{english}”")
    before, after = editing.preview(row, ctx.data)
    comparison = pd.concat([before[COMPARED].assign(When="Before"), after[COMPARED].assign(When="After")])
    comparison["conditions"] = comparison["conditions"].map(lambda c: tables.labels(c, ctx.data.conditions))
    comparison["roles"] = comparison["roles"].map(lambda r: tables.labels(r, ctx.data.roles))
    st.caption(f"{row['country']}'s position before and after this statement:")
    st.dataframe(comparison[["When", *COMPARED]], hide_index=True, width="stretch")
    st.button("Save to the ledger", on_click=_save, args=(ctx,), type="primary", icon=":material/save:")


def _use_suggestion(ids: set[str], suggestion: dict[str, str]) -> None:
    """Fill the form with a reader's suggestion: a correction of its statement (one of `ids`), else a
    new row on its country; the editor completes it and it is checked like any row."""
    note = f"From reader suggestion {suggestion['suggestion_id']}: {suggestion['note']}".strip().rstrip(":")
    corrects = suggestion["statement_id"] if suggestion["statement_id"] in ids else ""
    given = {"iso3": suggestion["iso3"], "source_url": suggestion["source_url"], "quote": suggestion["quote"],
             "notes": note, "supersedes": corrects}  # fmt: skip
    st.session_state.update({PREFIX + field: value for field, value in given.items()})
    st.session_state[PROBLEMS], st.session_state[CHECKED], st.session_state[RESULT] = {}, None, None


def render() -> None:
    ctx = context()
    st.title("Add a statement")
    if not editing.configured_password(_secrets()):
        st.info(
            "Editing is off. The operator enables it by setting a password in the environment "
            "variable `ISF_TRACKER_EDIT_PASSWORD` (or the same key in `.streamlit/secrets.toml`). "
            "Reading needs nothing. Without it, statements are added by appending a row to "
            "`data/positions.csv` or with `isf-tracker append ROWS.csv`.",
            icon=":material/lock:",
        )
        suggest.editor_list(_names(ctx))
        return
    st.markdown(
        "Every statement is appended as a new row; nothing is overwritten. A correction is "
        "a new row that names the statement it corrects."
    )
    if result := st.session_state.get(RESULT):
        kind, message = result
        (st.success if kind == "success" else st.error)(escape_markdown(message))
    _form(ctx)
    if checked := st.session_state.get(CHECKED):
        _preview(ctx, *checked)
    ids = set(ctx.data.statements["statement_id"])
    suggest.editor_list(_names(ctx), prefill=functools.partial(_use_suggestion, ids))
