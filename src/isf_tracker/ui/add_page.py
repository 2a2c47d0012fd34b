"""Add a statement: a form checked by the ledger's own model, a preview of what the row
changes, and a save that appends it atomically. Off unless the operator sets a password;
wrong passwords are slowed down and then locked out (editing.THROTTLE)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

import pandas as pd
import streamlit as st

from isf_tracker import clock, editing, tables
from isf_tracker import vocabulary as words
from isf_tracker.paths import positions_path
from isf_tracker.schema import (
    POSITION_COLUMNS,
    POSITION_OPTIONAL_COLUMNS,
    WITHDRAWN,
    DatePrecision,
    Reliability,
    Stance,
    Status,
)
from isf_tracker.ui.safe import escape_markdown
from isf_tracker.ui.shell import Context, context
from isf_tracker.writer import append_statements

PREFIX = "add_"
PROBLEMS, CHECKED, RESULT, SESSION = "add__problems", "add__checked", "add__result", "add__session"
FORM_COLUMNS = [c for c in (*POSITION_COLUMNS, *POSITION_OPTIONAL_COLUMNS) if c != "country"]
#: Every field of the form and its empty value: the form starts so, and is reset so after a save.
EMPTY: dict[str, Any] = {
    **dict.fromkeys(FORM_COLUMNS, ""),
    "date": None,
    "iso3": None,
    "date_precision": DatePrecision.DAY.value,
    "disarmament": Stance.UNSTATED.value,
    "reliability": Reliability.ON_RECORD.value,
    "conditions": [],
    "roles": [],
    "password": "",
    "english": "",
    "language": "",
}
log = logging.getLogger(__name__)


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets file: editing stays off unless the environment enables it
        return {}


def _values(ctx: Context) -> dict[str, str]:
    raw = {column: st.session_state.get(PREFIX + column) for column in FORM_COLUMNS}
    values = editing.blank_to_empty(raw)
    names = dict(zip(ctx.data.countries["iso3"], ctx.data.countries["name"], strict=True))
    values["country"] = names.get(values["iso3"], "")
    return {column: values.get(column, "") for column in (*POSITION_COLUMNS, *POSITION_OPTIONAL_COLUMNS)}


def _check(ctx: Context) -> None:
    values = _values(ctx)
    english, language = (str(st.session_state.get(PREFIX + k) or "").strip() for k in ("english", "language"))
    problems = {
        **editing.rendering_problems(values["quote"], english, language),
        **editing.check_row(values, ctx.data),
    }
    values = {**values, "__english": english, "__language": language}
    st.session_state[PROBLEMS] = problems
    st.session_state[CHECKED] = None if problems else values
    st.session_state[RESULT] = None


def _reset(statements: pd.DataFrame) -> None:
    """An empty form, the password included, and the next free statement id."""
    for column, empty in EMPTY.items():
        st.session_state[PREFIX + column] = list(empty) if isinstance(empty, list) else empty
    st.session_state[PREFIX + "statement_id"] = editing.next_statement_id(statements)


def _throttle_keys() -> tuple[str, ...]:
    """Who is trying: this browser session, and the address it connects from."""
    session = st.session_state.setdefault(SESSION, secrets.token_hex(8))
    address = st.context.ip_address
    return (f"session:{session}", f"address:{address if isinstance(address, str) else 'unknown'}")


def _save(ctx: Context) -> None:
    values = st.session_state.get(CHECKED)
    if not values:
        return
    keys = _throttle_keys()
    wait = editing.THROTTLE.wait_s(keys)
    if wait > 0:
        st.session_state[RESULT] = (
            "error",
            f"Too many wrong passwords: try again in {editing.wait_text(wait)}. Nothing was written.",
        )
        return
    given = st.session_state.get(PREFIX + "password") or ""
    if not editing.password_matches(given, editing.configured_password(_secrets())):
        failures = editing.THROTTLE.failed(keys)
        log.warning("wrong edit password from %s (%d in a row)", keys[1].removeprefix("address:"), failures)
        wait = editing.wait_after(failures)
        later = f" The next try is possible in {editing.wait_text(wait)}." if wait else ""
        st.session_state[RESULT] = ("error", f"Wrong password: nothing was written.{later}")
        return
    editing.THROTTLE.succeeded(keys)
    english, language = values.get("__english", ""), values.get("__language", "")
    row = {k: v for k, v in values.items() if not k.startswith("__")}
    renderings = editing.rendering_row(row["statement_id"], english, language)
    result = append_statements(positions_path(), [row], source_name="the form", renderings=renderings)
    if result.ok:
        st.session_state[RESULT] = ("success", f"Saved {values['statement_id']}: appended to the ledger.")
        st.session_state[CHECKED] = None
        st.session_state[PROBLEMS] = {}
        _reset(result.dataset.statements if result.dataset else ctx.data.statements)
    elif result.storage_error:
        st.session_state[RESULT] = ("error", result.storage_error)
    else:
        st.session_state[RESULT] = (
            "error",
            "Nothing was written: " + "; ".join(f"{p.column or 'row'} {p.message}" for p in result.problems),
        )


def _problem(column: str) -> None:
    message = st.session_state.get(PROBLEMS, {}).get(column)
    if message:
        st.error(escape_markdown(f"{column} {message}"), icon=":material/error:")


def _form(ctx: Context) -> None:
    data = ctx.data
    names = dict(zip(data.countries["iso3"], data.countries["name"], strict=True))
    if PREFIX + "statement_id" not in st.session_state:
        _reset(data.statements)
    codes = {"conditions": data.conditions, "roles": data.roles}
    with_withdrawals = {kind: [*vocab, *(WITHDRAWN + c for c in vocab)] for kind, vocab in codes.items()}
    with st.form("add_statement"):
        left, right = st.columns(2)
        with left:
            st.text_input("Statement ID (new, never reused)", key=PREFIX + "statement_id")
            _problem("statement_id")
            st.date_input(  # no max_value: a future date gets the model's own message, not a blank
                "Date of the statement",
                min_value=dt.date(2000, 1, 1),
                max_value=clock.today() + dt.timedelta(days=3650),
                key=PREFIX + "date",
                format="YYYY-MM-DD",
            )
            _problem("date")
            st.selectbox(
                "How sure is the date", [p.value for p in DatePrecision], key=PREFIX + "date_precision"
            )
            _problem("date_precision")
            st.selectbox(
                "Country",
                list(names),
                format_func=names.get,
                key=PREFIX + "iso3",
                placeholder="Choose a country",
            )
            _problem("iso3")
            _problem("country")
            st.selectbox(
                "Status stated",
                ["", *(s.value for s in Status)],
                format_func=lambda c: tables.status_label(c, missing="(not stated)"),
                key=PREFIX + "status",
            )
            _problem("status")
            st.text_input("Troops, lower bound (blank if none)", key=PREFIX + "troops_min")
            _problem("troops_min")
            st.text_input("Troops, upper bound (blank if none)", key=PREFIX + "troops_max")
            _problem("troops_max")
            st.text_input("Troops as stated by the source", key=PREFIX + "troops_as_stated")
            st.selectbox(
                "Stance on disarming Hamas",
                list(words.CURRENT_STANCES),
                format_func=tables.stance_label,
                key=PREFIX + "disarmament",
            )
            _problem("disarmament")
        with right:
            st.multiselect(
                "Conditions",
                with_withdrawals["conditions"],
                format_func=lambda c: tables.label(c, data.conditions),
                key=PREFIX + "conditions",
                help="Conditions this statement states. A condition it drops: choose its 'Withdrawn:' entry.",
            )
            _problem("conditions")
            st.multiselect(
                "Roles",
                with_withdrawals["roles"],
                format_func=lambda c: tables.label(c, data.roles),
                key=PREFIX + "roles",
                help="Roles this statement offers. A role it drops: choose its 'Withdrawn:' entry.",
            )
            _problem("roles")
            st.text_input("Speaker, with title", key=PREFIX + "speaker")
            _problem("speaker")
            st.text_area("Short verbatim quote", key=PREFIX + "quote", height=80)
            _problem("quote")
            st.text_area(
                "The quote in English, if it is not in English (our translation)",
                key=PREFIX + "english",
                height=68,
                help="Saved beside the quote in translations.csv; the quote stays verbatim.",
            )
            _problem("english")
            st.text_input("Language of the quote (a code: id, it, ar …)", key=PREFIX + "language")
            _problem("language")
            st.text_input("Source URL (http or https)", key=PREFIX + "source_url")
            _problem("source_url")
            st.text_input("Outlet", key=PREFIX + "source_outlet")
            _problem("source_outlet")
            st.selectbox(
                "Reliability",
                [r.value for r in Reliability],
                format_func=tables.reliability_label,
                key=PREFIX + "reliability",
            )
            st.selectbox(
                "Corrects (supersedes) statement",
                ["", *data.statements["statement_id"]],
                key=PREFIX + "supersedes",
                help="Only for a correction of an earlier row.",
            )
            _problem("supersedes")
            st.text_input("Notes", key=PREFIX + "notes")
            st.text_input("Edit password", type="password", key=PREFIX + "password")
        st.form_submit_button("Check and preview", on_click=_check, args=(ctx,), type="primary")


def _preview(ctx: Context, values: dict[str, str]) -> None:
    st.subheader("Preview")
    st.caption("The row as it will be appended:")
    row = {k: v for k, v in values.items() if not k.startswith("__")}
    st.dataframe(pd.DataFrame([row]), hide_index=True, width="stretch")
    if values.get("__english"):
        english = escape_markdown(values["__english"])
        st.caption(f"Its English, saved beside it (our translation): “{english}”")
    before, after = editing.preview(values, ctx.data)
    columns = [
        "status",
        "troops_low",
        "troops_high",
        "troops_as_stated",
        "disarmament",
        "conditions",
        "roles",
    ]
    comparison = pd.concat([before[columns].assign(When="Before"), after[columns].assign(When="After")])
    comparison["conditions"] = comparison["conditions"].map(lambda c: tables.labels(c, ctx.data.conditions))
    comparison["roles"] = comparison["roles"].map(lambda r: tables.labels(r, ctx.data.roles))
    st.caption(f"{values['country']}'s position before and after this statement:")
    st.dataframe(comparison[["When", *columns]], hide_index=True, width="stretch")
    st.button("Save to the ledger", on_click=_save, args=(ctx,), type="primary", icon=":material/save:")


def render() -> None:
    ctx = context("add")
    st.title("Add a statement")
    if not editing.configured_password(_secrets()):
        st.info(
            "Editing is off. The operator enables it by setting a password in the environment "
            "variable `ISF_TRACKER_EDIT_PASSWORD` (or the same key in `.streamlit/secrets.toml`). "
            "Reading needs nothing. Without it, statements are added by appending a row to "
            "`data/positions.csv` or with `isf-tracker append ROWS.csv`.",
            icon=":material/lock:",
        )
        return
    st.markdown(
        "Every statement is appended as a new row; nothing is overwritten. A correction is "
        "a new row that names the statement it corrects."
    )
    if result := st.session_state.get(RESULT):
        kind, message = result
        (st.success if kind == "success" else st.error)(escape_markdown(message))
    _form(ctx)
    if values := st.session_state.get(CHECKED):
        _preview(ctx, values)
