"""The frame around every page: navigation, the shared sidebar filters and the address bar.

The URL is the view. On a session's first run the filters are read from the URL (bad values
are dropped with a notice); on every run they are written back, defaults left out, so the
address bar can always be copied and reproduces the page. Everything loops over the filter
registry (`filters.FILTERS`), so a new filter needs no change here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

from isf_tracker import clock, derived, filters, page_content, paths
from isf_tracker.derived import ViewKey
from isf_tracker.filters import Choices, Dropped, Filter, FilterState, View
from isf_tracker.ledger import Dataset
from isf_tracker.ui import widgets
from isf_tracker.ui.problems import problem_panel
from isf_tracker.ui.safe import escape_markdown, safe_url

SEEDED_KEY = "_url_seeded"
_local = threading.local()


@dataclass(frozen=True)
class PageSpec:
    """One page: the script in pages/, its title and its address."""

    script: str
    title: str
    url_path: str
    icon: str


#: Each page's icon in the navigation (its words come from the page registry).
ICONS = {"overview": ":material/dashboard:", "map": ":material/public:", "charts": ":material/bar_chart:",
         "conditions": ":material/grid_on:", "country": ":material/flag:", "statements": ":material/list:",
         "sources": ":material/link:", "changes": ":material/difference:"}  # fmt: skip
PAGES: tuple[PageSpec, ...] = (
    *(PageSpec(f"{p.name}.py", p.label, "" if p.name == "overview" else p.name, ICONS[p.name])
      for p in page_content.PAGES),
    PageSpec("add.py", "Add a statement", "add", ":material/edit_note:"),
)  # fmt: skip


def pages() -> list[Any]:
    """The app's pages for st.navigation; kept for this run so pages can link to each other."""
    folder = paths.pages_dir()
    made = {
        p.url_path: st.Page(folder / p.script, title=p.title, icon=p.icon, url_path=p.url_path or None,
                            default=not p.url_path)
        for p in PAGES
    }  # fmt: skip
    _local.pages = made
    return list(made.values())


def page(url_path: str) -> Any:
    """The page at `url_path` ("" for the landing page), for st.page_link."""
    made = getattr(_local, "pages", None) or {}
    if url_path in made:
        return made[url_path]
    spec = next(p for p in PAGES if p.url_path == url_path)
    return str(paths.pages_dir() / spec.script)


@dataclass
class Context:
    """What a page needs: the data, the filter choices and values, the filtered view, and the
    key every cached derivation of this view is looked up by (`derived`)."""

    key: ViewKey
    dropped: dict[str, list[Dropped]] = field(default_factory=dict)
    page_options: dict[str, tuple[Filter, Any]] = field(default_factory=dict)

    @property
    def data(self) -> Dataset:
        return derived.dataset(self.key.version)

    @property
    def choices(self) -> Choices:
        return derived.choices(self.key.version, self.key.today)

    @property
    def state(self) -> FilterState:
        return derived.state(self.key)

    @property
    def view(self) -> View:
        return derived.view(self.key)

    def query(self) -> dict[str, list[str]]:
        """The URL of this view: the shared filters and this page's options."""
        query = {key: list(values) for key, values in self.key.query}
        for key, (option, value) in self.page_options.items():
            if encoded := option.to_url(value):
                query[key] = encoded
        return query


def _url_values(key: str) -> list[str]:
    return st.query_params.get_all(key)


def _seed(options: Sequence[Filter], choices: Choices) -> dict[str, list[Dropped]]:
    """Put URL values into session state for widgets not created yet; return what was dropped."""
    dropped: dict[str, list[Dropped]] = {}
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
        else:
            st.query_params[option.key] = wanted if len(wanted) > 1 else wanted[0]


def _unknown_keys(known: set[str]) -> dict[str, list[Dropped]]:
    return {
        key: [Dropped(value, "not a setting of this page") for value in (_url_values(key) or [""])]
        for key in st.query_params
        if key not in known
    }


def _clear_filters() -> None:
    for option in filters.registry():
        st.session_state[option.key] = option.default


def _clean(choices: Choices) -> None:
    """Values from an older version of the data may have gone: each filter keeps what still exists."""
    for option in filters.registry():
        st.session_state[option.key] = option.clean(st.session_state[option.key], choices)


def _sidebar(choices: Choices) -> None:
    """One widget per filter of the registry; their values live in session state under the URL
    keys, so the page can be drawn from them before the widgets are (see shared_filters)."""
    with st.sidebar:
        st.header("Filters")
        for option in filters.registry():
            if option.behind:
                _widget_behind(option, choices)
            else:
                widgets.draw(option, choices)
        st.button("Clear filters", on_click=_clear_filters, width="stretch")


def behind_key(option: Filter) -> str:
    return f"behind-{option.key}"


def _widget_behind(option: Filter, choices: Choices) -> None:
    """The filter's widget inside an expander, drawn only while it is open (on_change="rerun"):
    a page opened from a link does not load the code of a widget few readers use (the date
    field's is about 200 KB in 20 files; measured: the chart pages open about 100 ms sooner).
    Open whenever the filter is set, so a view as of a day always shows the day. Its value
    lives in session state and the URL either way, so a closed expander changes no view."""
    box_key = behind_key(option)
    if option.is_set(st.session_state.get(option.key, option.default)):
        st.session_state[box_key] = True
    label = option.behind or option.label
    box = st.expander(label, key=box_key, on_change="rerun", icon=":material/history:")
    if box.open:
        with box:
            widgets.draw(option, choices)


def _build(page_keys: set[str]) -> Context:
    version, today = derived.current_version(), clock.today()
    choices = derived.choices(version, today)
    first_run = SEEDED_KEY not in st.session_state
    dropped = _seed(filters.registry(), choices)
    if first_run:
        st.session_state[SEEDED_KEY] = True
        known = {f.key for f in filters.registry()} | page_keys
        dropped |= {k: v for k, v in _unknown_keys(known).items() if k not in dropped}
    _clean(choices)
    state = FilterState({f.key: st.session_state[f.key] for f in filters.registry()})
    _write_url(filters.registry(), state.values)
    return Context(ViewKey.of(version, filters.to_query(state), today), dropped)


def _notices(ctx: Context) -> None:
    """Shown on the run that read the link: what was ignored, and any problem in the data."""
    if notice := filters.dropped_notice(ctx.dropped):
        st.warning(escape_markdown(notice), icon=":material/link_off:")
    problem_panel(ctx.data)


def _page_keys(url_path: str) -> set[str]:
    return {option.key for option in filters.PAGE_OPTIONS.get(url_path, ())}


@contextmanager
def shared_filters(page: Any) -> Iterator[Context]:
    """Used by the navigation script around `page.run()`: reads the filters, lets the page draw,
    then draws the sidebar's widgets and the link. The page goes first so that a reader gets
    the answer before the filters, and the browser, which loads the code for each kind of
    element when it first meets one, starts on the charts' code before the widgets'
    (measured: 10–65 ms sooner on every chart page). The widgets' values are in session
    state either way, set from the link or by the reader's last change."""
    url_path = getattr(page, "url_path", "") or ""
    context = _build(_page_keys(url_path))
    _notices(context)
    _local.context = context
    try:
        yield context
    finally:
        _local.context = None
    _sidebar(context.choices)
    _link(context, url_path)


def context(url_path: str) -> Context:
    """The context the navigation script built in this run, or (a page script run on its own)
    one built here, so a page never depends on how it was run."""
    current = getattr(_local, "context", None)
    if current is not None:
        return current
    built = _build(_page_keys(url_path))
    _notices(built)
    _sidebar(built.choices)
    return built


def page_option(ctx: Context, option: Filter) -> Any:
    """A view option of one page, kept in the URL under its own key."""
    dropped = _seed([option], ctx.choices)
    if dropped:
        st.warning(escape_markdown(filters.dropped_notice(dropped) or ""), icon=":material/link_off:")
    st.session_state[option.key] = option.clean(st.session_state[option.key], ctx.choices)
    widgets.draw(option, ctx.choices)
    value = st.session_state[option.key]
    _write_url([option], {option.key: value})
    ctx.page_options[option.key] = (option, value)
    return value


def view_url(ctx: Context, url_path: str) -> str:
    """The address that reproduces this view for anyone who opens it."""
    base = urlsplit(st.context.url or "http://localhost:8501/")
    query = urlencode(ctx.query(), doseq=True)
    return f"{base.scheme}://{base.netloc}/{url_path}" + (f"?{query}" if query else "")


#: The sidebar's link to the view, drawn last in every run (tests wait for it to match the page).
VIEW_LINK_KEY = "view-link"


def _link(ctx: Context, url_path: str) -> None:
    """A plain link, not a code block: a code block loads a syntax highlighter (1.5 MB) and a
    font on every page; the copy buttons are in the "Share and export" panel, built when opened."""
    target = safe_url(view_url(ctx, url_path))
    with st.sidebar, st.container(key=VIEW_LINK_KEY):
        st.markdown(f"[:material/link: Link to this view]({target})" if target else "")
        st.caption("Copy it to share exactly this view; more ways under **Share and export** below the page.")


def filter_line(ctx: Context) -> None:
    """The plain-words line saying what is filtered."""
    st.caption(escape_markdown(ctx.view.description))
