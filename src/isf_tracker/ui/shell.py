"""The frame around every page: navigation, the shared sidebar filters and the address bar.

The URL is the view. On a session's first run the filters are read from the URL
(bad values are dropped with a notice); on every run they are written back, defaults
left out, so the address bar can always be copied and reproduces the page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import streamlit as st

from isf_tracker import filters
from isf_tracker.filters import FILTERS, Choices, Filter, FilterState, View
from isf_tracker.ledger import Dataset
from isf_tracker.ui.data import Version, dataset_and_choices, derived
from isf_tracker.ui.data import view as cached_view
from isf_tracker.ui.problems import problem_panel
from isf_tracker.ui.safe import escape_markdown

SEEDED_KEY = "_url_seeded"
T = TypeVar("T")


@dataclass(frozen=True)
class PageSpec:
    """One page: the script in pages/, its title and its address."""

    script: str
    title: str
    url_path: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "", ":material/dashboard:"),
    PageSpec("pages/map.py", "Map", "map", ":material/public:"),
    PageSpec("pages/charts.py", "Charts", "charts", ":material/bar_chart:"),
    PageSpec("pages/conditions.py", "Condition matrix", "conditions", ":material/grid_on:"),
    PageSpec("pages/country.py", "Country profile", "country", ":material/flag:"),
    PageSpec("pages/sources.py", "Sources", "sources", ":material/link:"),
    PageSpec("pages/changes.py", "What changed", "changes", ":material/difference:"),
    PageSpec("pages/add.py", "Add a statement", "add", ":material/edit_note:"),
)


def pages() -> list[Any]:
    return [
        st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
        for p in PAGES
    ]


@dataclass
class Context:
    """What a page needs: the data, the filter choices and values, and the filtered view."""

    data: Dataset
    choices: Choices
    state: FilterState
    view: View
    version: Version = ()
    dropped: dict[str, list[str]] = field(default_factory=dict)
    page_options: dict[str, tuple[Filter, Any]] = field(default_factory=dict)

    def query(self) -> dict[str, list[str]]:
        query = filters.to_query(self.state)
        for key, (option, value) in self.page_options.items():
            if encoded := option.to_url(value):
                query[key] = encoded
        return query

    def memo(self, what: str, compute: Callable[[], T]) -> T:
        """`compute()` once for this version of the data and this view (filters and the page's
        options so far), shared by every session showing the same view. Never mutate the result."""
        return derived(self.version, what, view_key(self.query(), self.choices.today), compute)


def view_key(query: Mapping[str, Sequence[str]], today: Any) -> tuple:
    """The view as a hashable key: the URL's values, and today (defaults such as "as of" follow it)."""
    return (today, tuple(sorted((key, tuple(values)) for key, values in query.items())))


_local = threading.local()


def _url_values(key: str) -> list[str]:
    return st.query_params.get_all(key)


def _seed(options: Sequence[Filter], choices: Choices) -> dict[str, list[str]]:
    """Put URL values into session state for widgets not created yet; return what was dropped."""
    dropped: dict[str, list[str]] = {}
    for option in options:
        if option.key in st.session_state:
            continue
        value, rejected = option.parse(_url_values(option.key), choices)
        st.session_state[option.key] = value
        if rejected:
            dropped[option.key] = rejected
    return dropped


def _write_url(options: Sequence[Filter], values: Mapping[str, Any]) -> None:
    """Make the address bar say exactly `values`; touch only what differs."""
    for option in options:
        wanted = option.to_url(values[option.key])
        if _url_values(option.key) == wanted:
            continue
        if not wanted:
            del st.query_params[option.key]
        elif option.many:
            st.query_params[option.key] = wanted
        else:
            st.query_params[option.key] = wanted[0]


def _unknown_keys(known: set[str]) -> dict[str, list[str]]:
    return {key: _url_values(key) or [""] for key in st.query_params if key not in known}


def _clear_filters() -> None:
    for option in FILTERS:
        st.session_state[option.key] = option.default


def _sidebar(choices: Choices) -> None:
    """The widgets; their values live in session state under the URL keys."""
    for option in FILTERS:  # values from an older version of the data may have gone
        if option.many:
            allowed = option.options(choices) if option.options else {}
            st.session_state[option.key] = [v for v in st.session_state[option.key] if v in allowed]
    by_key = filters.FILTERS_BY_KEY
    with st.sidebar:
        st.header("Filters")
        for key in ("country", "region", "status", "stance", "condition"):
            option = by_key[key]
            labels = option.options(choices) if option.options else {}
            st.multiselect(
                option.label, list(labels), format_func=labels.get, key=key,
                help=option.help or None, placeholder="All",
            )  # fmt: skip
        st.number_input(
            by_key["min_troops"].label, min_value=0, step=500, key="min_troops",
            help=by_key["min_troops"].help,
        )  # fmt: skip
        st.radio(
            by_key["reliability"].label, list(filters.RELIABILITY_CHOICES),
            format_func=filters.RELIABILITY_CHOICES.get, key="reliability",
            help=by_key["reliability"].help,
        )  # fmt: skip
        st.date_input(
            by_key["as_of"].label, min_value=choices.first_date, max_value=choices.today,
            key="as_of", help=by_key["as_of"].help, format="YYYY-MM-DD",
        )  # fmt: skip
        st.button("Clear filters", on_click=_clear_filters, width="stretch")


def _build(page_keys: set[str]) -> Context:
    data, choices, version = dataset_and_choices()
    first_run = SEEDED_KEY not in st.session_state
    dropped = _seed(FILTERS, choices)
    if first_run:
        st.session_state[SEEDED_KEY] = True
        known = {f.key for f in FILTERS} | page_keys
        dropped |= {k: v for k, v in _unknown_keys(known).items() if k not in dropped}
    _sidebar(choices)
    state = FilterState({f.key: st.session_state[f.key] for f in FILTERS})
    _write_url(FILTERS, state.values)
    key = view_key(filters.to_query(state), choices.today)
    view = cached_view(version, key, lambda: filters.apply(data.statements, state, choices))
    return Context(data, choices, state, view, version, dropped)


def _notices(ctx: Context) -> None:
    """Shown on the run that read the link: what was ignored, and any problem in the data."""
    if notice := filters.dropped_notice(ctx.dropped):
        st.warning(escape_markdown(notice), icon=":material/link_off:")
    problem_panel(ctx.data)


def _page_keys(url_path: str) -> set[str]:
    return {option.key for option in filters.PAGE_OPTIONS.get(url_path, ())}


@contextmanager
def shared_filters(page: Any) -> Iterator[Context]:
    """Used by app.py around `page.run()`: builds the sidebar, then shows the link."""
    url_path = getattr(page, "url_path", "") or ""
    context = _build(_page_keys(url_path))
    _notices(context)
    _local.context = context
    try:
        yield context
    finally:
        _local.context = None
    _link(context, url_path)


def _leave_pages_folder_mode() -> None:
    """Make a deep link on a fresh server run the entry point, not the page file alone.

    Streamlit treats an app with a `pages/` folder as an old-style multipage app until
    `st.navigation` first runs, so the first visit to e.g. /map runs pages/map.py without
    app.py: no shared filters, and a sidebar listing the raw files. Switching the flag
    off and rerunning makes Streamlit run app.py, whose st.navigation resolves the same
    page (the url paths match the file names). AppTest is left alone: it never serves
    deep links, and it resets the flag itself.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not _running_under_apptest():
        PagesManager.uses_pages_directory = False
        st.rerun()


def _running_under_apptest() -> bool:
    from streamlit.runtime import Runtime

    return not Runtime.exists()


def context(url_path: str) -> Context:
    """The context the entrypoint built in this run, or (a page run on its own, as AppTest
    does for files in pages/) one built here, so a page never depends on how it was run."""
    current = getattr(_local, "context", None)
    if current is not None:
        return current
    _leave_pages_folder_mode()
    built = _build(_page_keys(url_path))
    _notices(built)
    return built


def page_option(ctx: Context, option: Filter, widget: str = "segmented") -> Any:
    """A view option of one page, kept in the URL under its own key."""
    dropped = _seed([option], ctx.choices)
    if dropped:
        st.warning(escape_markdown(filters.dropped_notice(dropped) or ""), icon=":material/link_off:")
    labels = option.options(ctx.choices) if option.options else {}
    if widget == "date":
        st.date_input(
            option.label, min_value=ctx.choices.first_date, max_value=ctx.choices.today,
            key=option.key, help=option.help or None, format="YYYY-MM-DD",
        )  # fmt: skip
    elif widget == "segmented":
        st.segmented_control(
            option.label, list(labels), format_func=labels.get, key=option.key,
            selection_mode="single", required=True,
        )  # fmt: skip
    else:
        st.radio(option.label, list(labels), format_func=labels.get, key=option.key, horizontal=True)
    value = st.session_state[option.key]
    _write_url([option], {option.key: value})
    ctx.page_options[option.key] = (option, value)
    return value


def view_url(ctx: Context, url_path: str) -> str:
    """The address that reproduces this view for anyone who opens it."""
    base = urlsplit(st.context.url or "http://localhost:8501/")
    query = urlencode(ctx.query(), doseq=True)
    return f"{base.scheme}://{base.netloc}/{url_path}" + (f"?{query}" if query else "")


def _link(ctx: Context, url_path: str) -> None:
    with st.sidebar:
        st.caption("Link to this view (copy with the icon):")
        st.code(view_url(ctx, url_path), language=None, wrap_lines=True)


def filter_line(ctx: Context) -> None:
    """The plain-words line saying what is filtered."""
    st.caption(escape_markdown(ctx.view.description))
