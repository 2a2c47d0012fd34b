"""A dashboard page's view read from a request, for the views that leave the app (snapshots,
embeds, images): the shared filters and the page's own options, parsed strictly like the API
(`params.read`), and every URL of the view (`Urls`, on `share.address`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from isf_tracker import clock, derived, filters, share
from isf_tracker.derived import ViewKey
from isf_tracker.filters import Filter
from isf_tracker.web import http, params

#: Nothing a snapshot, an embed or an image brings may run, load from elsewhere or style itself
#: inline: its only stylesheet is the site's own file.
CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'"
SAFETY_HEADERS = {**http.SAFETY_HEADERS, "Content-Security-Policy": CSP}
CACHE_CONTROL = http.CACHE_CONTROL


@dataclass(frozen=True)
class PageView(derived.OfView):
    """One page of the dashboard for one view: the view's key (data version, shared filters,
    today) and the page's own options, parsed. Hashable: rendered pages and images are cached on it."""

    page: str
    key: ViewKey
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, key: str) -> Any:
        return dict(self.options)[key]

    @property
    def shared_query(self) -> dict[str, list[str]]:
        """The shared filters in URL form (what the API takes)."""
        return {key: list(values) for key, values in self.key.query}

    def query(self) -> dict[str, list[str]]:
        """The page's URL parameters, canonical: the shared filters in registry order, then the
        page's options that are not at their default."""
        query = filters.to_query(derived.state(self.key))
        for option in filters.PAGE_OPTIONS.get(self.page, ()):
            if option.key in dict(self.options) and (encoded := option.to_url(self.option(option.key))):
                query[option.key] = encoded
        return query


def read_view(
    page: str,
    query: Mapping[str, Sequence[str]],
    version: derived.Version,
    today: dt.date,
    extra: Sequence[Filter] = (),
) -> tuple[PageView, dict[str, Any]]:
    """The page's view for `query`, and the values of `extra` (parameters of the route itself);
    anything else refuses the whole query (BadQuery names each parameter)."""
    own = filters.PAGE_OPTIONS.get(page, ())
    state, values = params.read(query, derived.choices(version, today), (*own, *extra), where="page")
    key = ViewKey.of(version, filters.to_query(state), today)
    return PageView(page, key, tuple((o.key, values[o.key]) for o in own)), {
        o.key: values[o.key] for o in extra
    }


def lenient_view(
    page: str, query: Mapping[str, Sequence[str]], version: derived.Version, today: dt.date
) -> PageView:
    """The view the dashboard shows for `query`: as it reads a link, values it cannot use are
    dropped (`filters.parse`), never refused, so a link with a bad value still previews."""
    choices = derived.choices(version, today)
    own = filters.PAGE_OPTIONS.get(page, ())
    values = filters.parse(query, own, choices)[0]
    key = ViewKey.of(version, filters.to_query(filters.state_from_query(query, choices)), today)
    return PageView(page, key, tuple((o.key, values[o.key]) for o in own))


def read(asked: http.Asked, page: str, extra: Sequence[Filter] = ()) -> tuple[PageView, dict[str, Any]]:
    """`read_view` for a request, on the current data and today."""
    return read_view(page, asked.query(), derived.current_version(), clock.today(), extra)


def prepared(view: PageView, url: str, build: Callable[[], http.Body], *more: str) -> http.Prepared:
    """A view's answer, validated by its data version, its day, its canonical `url` and `more`."""
    return http.Prepared(view.key.version, (view.key.today.isoformat(), url, *more), build)


@dataclass(frozen=True)
class Urls:
    """Every address of a view, absolute on the public site (`share.address`)."""

    site: str

    def _with(self, path: str, query: Mapping[str, Sequence[str]]) -> str:
        return share.address(self.site, path, query)

    def live(self, view: PageView) -> str:
        """The interactive page in the dashboard."""
        return self._with(share.live_path(view.page), view.query())

    def snapshot(self, view: PageView, page: str | None = None) -> str:
        """The view's snapshot, or another page's with the same shared filters."""
        page = page or view.page
        return self.snapshot_of(page, view.query() if page == view.page else view.shared_query)

    def snapshot_of(self, page: str, query: Mapping[str, Sequence[str]]) -> str:
        """The snapshot of `page` for another query (a country's profile from the list)."""
        return self._with(f"{share.SNAPSHOT_PREFIX}/{page}", query)

    def embed(self, view: PageView) -> str:
        return self._with(f"{share.EMBED_PREFIX}/{view.page}", view.query())

    def image(
        self, view: PageView, chart: str, suffix: str, width: int | str | None = None, download: bool = False
    ) -> str:
        """The chart as an image (`suffix` png or svg) with its source drawn in."""
        query = view.query()
        if width is not None:
            query["width"] = [str(width)]
        if download:
            query["download"] = ["1"]
        return self._with(f"{share.IMAGE_PREFIX}/{view.page}/{chart}.{suffix}", query)

    def csv(self, view: PageView, kind: str) -> str:
        """The open data API's CSV of the view's statements or positions (every row)."""
        return self._with(f"{share.API_PREFIX}/{kind}.csv", view.shared_query)
