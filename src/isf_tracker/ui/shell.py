"""The frame around every page: navigation, the shared sidebar filters and the address bar. The
URL is the view: a session's first run reads the filters from it (bad values dropped with a
notice) and every run writes them back, defaults left out, so the address bar always reproduces
the page. Everything loops over the filter registry, so a new filter needs no change here."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from isf_tracker import clock, derived, filters, page_content, paths, proxies, share
from isf_tracker.derived import ViewKey
from isf_tracker.filters import Choices, Dropped, Filter, FilterState
from isf_tracker.ui import widgets
from isf_tracker.ui.problems import problem_panel
from isf_tracker.ui.safe import escape_markdown, safe_url

SEEDED_KEY = "_url_seeded"
#: The sidebar's link to the view, drawn last in every run (tests wait for it to match the page).
VIEW_LINK_KEY = "view-link"
_local = threading.local()


@dataclass(frozen=True)
class PageSpec:
    """One page: the script in pages/, its title and its address; `hidden` keeps it out of the
    readers' navigation (st.Page's documented visibility), reached by its address or a link."""

    script: str
    title: str
    url_path: str
    icon: str
    hidden: bool = False


#: Each page's icon in the navigation (its words come from the page registry).
ICONS = {"overview": ":material/dashboard:", "map": ":material/public:", "charts": ":material/bar_chart:",
         "conditions": ":material/grid_on:", "country": ":material/flag:", "statements": ":material/list:",
         "sources": ":material/link:", "changes": ":material/difference:"}  # fmt: skip
PAGES: tuple[PageSpec, ...] = (
    *(PageSpec(f"{p.name}.py", p.label, "" if p.name == "overview" else p.name, ICONS[p.name])
      for p in page_content.PAGES),
    PageSpec("add.py", "Add a statement", "add", ":material/edit_note:", hidden=True),
)  # fmt: skip
#: The editors' page, out of the readers' navigation: linked from every page's footer.
EDITORS_PAGE = PAGES[-1]


def pages() -> list[Any]:
    """The app's pages for st.navigation, and the landing page's second address (`home`)."""
    return [*(st.Page(paths.pages_dir() / p.script, title=p.title, icon=p.icon, url_path=p.url_path or None,
                      default=not p.url_path) for p in PAGES), _home()]  # fmt: skip


def _home() -> Any:
    landing = PAGES[0]
    return st.Page(paths.pages_dir() / landing.script, title=landing.title, icon=landing.icon,
                   url_path=share.HOME_ALIAS)  # fmt: skip


def leave_alias(page: Any) -> None:
    """/home is "/": the reader is sent on there with the link's query (st.switch_page)."""
    if page.url_path == share.HOME_ALIAS:
        st.switch_page(str(paths.pages_dir() / PAGES[0].script), query_params=_url())


def footer() -> None:
    """Under every page: the editors' way to their page, which readers' navigation leaves out."""
    st.divider()
    st.page_link(str(paths.pages_dir() / EDITORS_PAGE.script), label="For editors: add a statement",
                 icon=":material/edit_note:")  # fmt: skip


@dataclass
class Context(derived.OfView):
    """What a page needs: the key every cached derivation of its view is looked up by (which
    gives the data, the filters' choices and the view: `derived.OfView`) and the page's options."""

    key: ViewKey
    page_query: dict[str, list[str]] = field(default_factory=dict)  # the page's options set, in URL form

    def query(self) -> dict[str, list[str]]:
        """The URL of this view: the shared filters (in the registry's order, as the address bar
        has them) and this page's options."""
        return {**self.shared_query(), **self.page_query}

    def shared_query(self) -> dict[str, list[str]]:
        return filters.to_query(derived.state(self.key))


def _url() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _sync(
    options: Sequence[Filter], choices: Choices, later: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, list[Dropped]]]:
    """The options' values, and the URL values dropped. Each lives in session state under its URL
    key (so a page is drawn from it before its widget is): read from the URL until its widget
    exists, made valid for the data at hand (a value of an older version may have gone), and
    written back to the address bar, touching only what differs."""
    url, state = _url(), st.session_state
    values, dropped = filters.parse(url, [o for o in options if o.key not in state], choices)
    state.update(values)
    for option in options:
        value = option.applied(option.clean(state[option.key], choices), choices, later)
        state[option.key] = values[option.key] = value
        if (wanted := option.link_values(value, choices, later)) == url.get(option.key, []):
            continue
        if wanted:
            st.query_params[option.key] = wanted if len(wanted) > 1 else wanted[0]
        else:
            del st.query_params[option.key]
    return values, dropped


def _warn(dropped: Mapping[str, Sequence[Dropped]]) -> None:
    if notice := filters.dropped_notice(dropped):
        st.warning(escape_markdown(notice), icon=":material/link_off:")


#: The readers' pages in the navigation ("Add a statement" is reached at /add, not from here).
NAV_PAGES = tuple(p for p in PAGES if not p.hidden)


def _nav(ctx: Context, url_path: str) -> None:
    """The navigation, our own: every link's address carries the view (`/map?country=PAK`), so a
    page opened in a new tab keeps it. st.navigation's own links drop the query
    (streamlit/streamlit#7982); st.page_link takes it (`query_params`, streamlit/streamlit#8112),
    so st.navigation is hidden and these links are drawn instead. A page link's address is the
    page's url_path and the query, which for the landing page ("") is relative to the page it is
    on: from another page, its link goes to /home (`leave_alias`)."""
    shared = ctx.shared_query()
    for p in NAV_PAGES:
        target = str(paths.pages_dir() / p.script) if p.url_path == url_path or p.url_path else _home()
        st.page_link(target, label=p.title, icon=p.icon,
                     query_params=ctx.query() if p.url_path == url_path else shared)  # fmt: skip


def filter_chips(ctx: Context) -> None:
    """The view's filters as chips under the title, one per set filter, each worded by the
    registry (`Filter.chip`): clicking one clears that filter (the URL follows, `_sync`)."""
    state = derived.state(ctx.key)
    chosen = [option for option in filters.FILTERS if option.is_set(state[option.key])]
    if not chosen:
        return
    with st.container(horizontal=True, key="filter-chips"):
        for option in chosen:
            st.button(escape_markdown(option.chip(state[option.key], ctx.choices)), key=f"chip-{option.key}",
                      on_click=st.session_state.update, args=({option.key: option.default},))  # fmt: skip


def _sidebar(ctx: Context, url_path: str) -> None:
    """The navigation, then one widget per filter of the registry, drawn after the page (see
    shared_filters)."""
    choices = ctx.choices
    with st.sidebar:
        _nav(ctx, url_path)
        st.header("Filters")
        for option in filters.FILTERS:
            if option.behind:
                _widget_behind(option, choices)
            else:
                widgets.draw(option, choices)
        defaults = {option.key: option.default for option in filters.FILTERS}
        st.button("Clear filters", on_click=st.session_state.update, args=(defaults,), width="stretch")


def behind_key(option: Filter) -> str:
    return f"behind-{option.key}"


def _widget_behind(option: Filter, choices: Choices) -> None:
    """The widget in an expander drawn only while open (on_change="rerun"), so a page opened from a
    link does not load the code of a widget few readers use (the date field's 200 KB: the chart
    pages opened 100 ms sooner). Open whenever the filter is set, so a view as of a day shows it."""
    if option.is_set(st.session_state.get(option.key, option.default)):
        st.session_state[behind_key(option)] = True
    box = st.expander(option.behind or option.label, key=behind_key(option), on_change="rerun",
                      icon=":material/history:")  # fmt: skip
    if box.open:
        with box:
            widgets.draw(option, choices)


def _build(url_path: str) -> Context:
    version, today = derived.current_version(), clock.today()
    values, dropped = _sync(filters.FILTERS, derived.choices(version, today))
    if SEEDED_KEY not in st.session_state:  # the session's first run: name what the link asked in vain
        st.session_state[SEEDED_KEY] = True
        known = {f.key for f in (*filters.FILTERS, *filters.PAGE_OPTIONS.get(url_path, ()))}
        for key, given in _url().items():
            if key not in known and key not in dropped:
                dropped[key] = [Dropped(value, "not a setting of this page") for value in given or [""]]
    _warn(dropped)
    problem_panel(derived.dataset(version))
    return Context(ViewKey.of(version, filters.to_query(FilterState(values)), today))


@contextmanager
def shared_filters(page: Any) -> Iterator[Context]:
    """Around `page.run()`: reads the filters, lets the page draw, then draws the sidebar's widgets
    and the link. The page goes first so that a reader gets the answer before the filters, and the
    browser, which loads the code for a kind of element when it first meets one, starts on the
    charts' code before the widgets' (measured: 10–65 ms sooner on every chart page)."""
    built = _local.context = _build(page.url_path)  # every run sets it before its page reads it
    yield built
    _sidebar(built, page.url_path)
    _link(built, page.url_path)


def context() -> Context:
    """The context the navigation script built for this run (`shared_filters`)."""
    return _local.context


def page_options(ctx: Context, name: str) -> dict[str, Any]:
    """The page's own view options as widgets side by side, each kept in the URL under its own key;
    their values."""
    own = filters.PAGE_OPTIONS.get(name, ())
    if not own:
        return {}
    values: dict[str, Any] = {}
    for option in reversed(own):  # last first: a fallback may follow a later option (From, To)
        synced, dropped = _sync([option], ctx.choices, values)
        _warn(dropped)
        values[option.key] = synced[option.key]
        if encoded := option.link_values(values[option.key], ctx.choices, values):
            ctx.page_query[option.key] = encoded
    for column, option in zip(st.columns(len(own)), own, strict=True):
        with column:
            widgets.draw(option, ctx.choices)
    return {option.key: values[option.key] for option in own}


def client_keys(session_key: str) -> tuple[str, str]:
    """Who is acting, for the throttles: this browser session, and the client's address (behind a
    trusted proxy, the one it forwarded). st.context.ip_address is None for a loopback peer (its docs)."""
    peer = ip if isinstance(ip := st.context.ip_address, str) else "127.0.0.1"
    address = proxies.client_address(peer, st.context.headers.get("X-Forwarded-For"), proxies.trusted())
    return f"session:{st.session_state.setdefault(session_key, secrets.token_hex(8))}", f"address:{address}"


def site() -> str:
    """scheme://host the reader opened: links' base unless one is configured (`share.address`)."""
    base = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{base.scheme}://{base.netloc}"


def _link(ctx: Context, url_path: str) -> None:
    """A plain link, not a code block: a code block loads a syntax highlighter (1.5 MB) and a
    font on every page; the copy buttons are in the "Share and export" panel, built when opened."""
    target = safe_url(share.address(site(), share.live_path(share.page_name(url_path)), ctx.query()))
    with st.sidebar, st.container(key=VIEW_LINK_KEY):
        st.markdown(f"[:material/link: Link to this view]({target})" if target else "")
        st.caption(
            "Copy it to share exactly this view; more ways under **Share and export** at the top of the page."
        )
