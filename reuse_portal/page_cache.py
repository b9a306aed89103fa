"""Whole pages kept until the catalogue changes: for anonymous visitors,
and for people signed in where a page shows nothing of its reader.

Every cached page's key carries the catalogue's "last change" stamp. Any
save or delete of catalogue, network or programme content (a publication, an
edit in the admin, a fixture load) sets a new stamp, so every page cached
before it is simply never asked for again and expires on its own. Signed-in
people, whose pages show their own state, get a fresh page, except for the
pages that show nothing of it (cached_for_everyone): they get a copy kept for
everyone signed in.

Each process keeps its own copy of what it reads from the shared cache, in
front of it: a page served from there costs no round trip to the database
(or Redis). Their keys carry the stamp, so a copy is never stale; the stamp
itself is read from the shared cache again after STAMP_RECHECK_SECONDS, so
a change made by another worker or server shows within that time, and at
once in the process that made it. What each of many pages needs for itself
alone (a component's page), and what is kept for one of many addresses seldom
asked for again (a search's), is kept by the process only, never shared.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
)
from django.http import HttpRequest, HttpResponse
from django.utils.cache import set_response_etag
from django.utils.translation import get_language

from reuse_portal.clients import signed_in

STAMP_KEY = "page-cache:catalogue-stamp"
# The apps whose content public pages show.
CONTENT_APPS = ("catalogue", "networks", "programme", "publishing", "impact", "news")
# Derived from the content, never shown: rebuilding it changes no page.
DERIVED_MODELS = (
    "catalogue.SearchWord",
    "catalogue.RenderedComponentPage",
    "networks.JoinRequest",
)


# This process's copies (pickled, so every reader gets its own response).
# Bounded: the least recently used go first; pages are some 40 KB.
local_copies = LocMemCache(
    "page-cache-local", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 1000}}
)
# The stamp as last read from the shared cache, and when (time.monotonic()).
_known_stamp: tuple[str, float] = ("", -math.inf)
# Values nobody modifies, as this process last read them: name -> (stamp, value).
_read_only_values: dict[str, tuple[str, object]] = {}


def _remember_stamp(stamp: str) -> str:
    global _known_stamp
    _known_stamp = (stamp, time.monotonic())
    return stamp


def catalogue_stamp() -> str:
    stamp, read_at = _known_stamp
    if time.monotonic() - read_at < settings.STAMP_RECHECK_SECONDS:
        return stamp
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, str(time.time_ns()), timeout=None)
        stamp = cache.get(STAMP_KEY)
    return _remember_stamp(stamp)


def forget_local_copies() -> None:
    """Drop this process's copies and its stamp: after the shared cache was
    emptied (tests do), nothing read before is served again."""
    global _known_stamp
    _known_stamp = ("", -math.inf)
    local_copies.clear()
    _read_only_values.clear()


@dataclass
class _Together:
    """The shared copies read ahead by read_together() (None for those the
    shared cache does not hold), and the writes it holds back, by their
    timeouts."""

    read: dict[str, object | None]
    writes: dict[int, dict[str, object]]

    def written(self, key: str) -> object | None:
        for values in self.writes.values():
            if key in values:
                return values[key]
        return None


_together: ContextVar[_Together | None] = ContextVar("together", default=None)


def _key(name: str) -> str:
    """The key until_content_changes() keeps `name` under: its stamp's."""
    return f"{name}:{catalogue_stamp()}"


@contextmanager
def read_together(names: list[str]) -> Iterator[None]:
    """Within it, until_content_changes() finds the shared copies of `names`
    (those this process holds no copy of) read in one round trip, and
    writes those it computes in one more, at the end: one by one, a
    catalogue page's values took a round trip each to read, and another to
    write."""
    keys = [_key(name) for name in names]
    missing = [key for key in keys if not local_copies.has_key(key)]
    found = cache.get_many(missing) if missing else {}
    together = _Together({key: found.get(key) for key in missing}, writes={})
    token = _together.set(together)
    try:
        yield
    finally:
        _together.reset(token)
    for seconds, values in together.writes.items():
        cache.set_many(values, seconds)


def _read(key: str, *, local_copy: bool = True, shared: bool = True) -> object | None:
    """The local copy, else the shared one (then kept locally too)."""
    value = local_copies.get(key) if local_copy else None
    if value is None and shared:
        together = _together.get()
        if together is None or key not in together.read:
            value = cache.get(key)
        else:
            # Read ahead, else written since (without a local copy).
            value = together.read[key]
            if value is None:
                value = together.written(key)
        if value is not None and local_copy:
            local_copies.set(key, value)
    return value


def _keep(
    key: str,
    value: object,
    seconds: int,
    *,
    local_copy: bool = True,
    shared: bool = True,
) -> None:
    together = _together.get()
    # Only what was read ahead waits: anything else is written as it is now,
    # not as the rest of the request may leave it (a value's cached
    # properties, filled as the page uses it, would be stored too).
    if shared and together is not None and key in together.read:
        together.writes.setdefault(seconds, {})[key] = value
    elif shared:
        cache.set(key, value, seconds)
    if local_copy:
        local_copies.set(key, value, seconds)


def until_content_changes[T](
    name: str,
    compute: Callable[[], T],
    *,
    local_copy: bool = True,
    shared: bool = True,
) -> T:
    """`compute()`, kept in the shared cache until the catalogue changes:
    for what is the same for every visitor and costs more to compute than
    to read (counts and rankings over the whole catalogue). With
    `local_copy`, the process keeps a pickled copy too; without `shared`,
    only that copy."""
    key = _key(name)
    value = _read(key, local_copy=local_copy, shared=shared)
    if value is None:
        value = compute()
        _keep(
            key,
            value,
            settings.CATALOGUE_COUNTS_SECONDS,
            local_copy=local_copy,
            shared=shared,
        )
    return value


def in_this_process_until_content_changes[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept by this process only (a pickled copy) until the
    catalogue changes: for what each of many pages needs for itself alone,
    such as a component's page. Looking for it in the shared cache and then
    writing it there cost two round trips on every first view, for a copy
    another process seldom reads: over 100,000 component pages, the bench
    served 407 of them a second without those trips, 350 with them. Another
    process computes its own copy again (a component's page: read from its
    stored rendering, 1.6 ms)."""
    return until_content_changes(name, compute, shared=False)


def read_only_until_content_changes[T](name: str, compute: Callable[[], T]) -> T:
    """until_content_changes() for a value no caller modifies: this process
    keeps the value itself, not a pickled copy, so reading a large one again
    costs nothing (unpickling every facet value's label at 100,000
    components took 0.8 ms, and a page read them once per facet)."""
    stamp = catalogue_stamp()
    held = _read_only_values.get(name)
    if held is not None and held[0] == stamp:
        return held[1]
    # No pickled copy besides the value held here: at 100,000 components the
    # facet labels are 344 KB a language, which each process kept for nothing.
    value = until_content_changes(name, compute, local_copy=False)
    _read_only_values[name] = (stamp, value)
    return value


def new_stamp() -> None:
    stamp = str(time.time_ns())
    cache.set(STAMP_KEY, stamp, timeout=None)
    _remember_stamp(stamp)


def content_changed(**kwargs) -> None:
    """A new stamp now, and again once the change is committed: a page
    rendered in between, from the data before the commit, is not served
    after it."""
    new_stamp()
    transaction.on_commit(new_stamp)


def code_changed(**kwargs) -> None:
    """After `migrate`, which every deploy runs: the pages and values kept
    by the code before it (its templates, its rules) are not served after
    it, as they were until they expired (PAGE_CACHE_SECONDS,
    CATALOGUE_COUNTS_SECONDS)."""
    new_stamp()


def watch_content() -> None:
    """Called once at start-up: every save and delete of content changes
    the stamp, and so does every `migrate`. Bulk updates that bypass
    signals call content_changed()."""
    post_migrate.connect(
        code_changed,
        sender=apps.get_app_config("catalogue"),
        dispatch_uid="page-cache:migrate",
    )
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in DERIVED_MODELS:
                continue
            uid = f"page-cache:{model._meta.label}"
            post_save.connect(content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    content_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}.{field.name}",
                )


def address_digest(request: HttpRequest) -> str:
    """What an answer's content depends on: its language and its address,
    host included (the API's links are absolute)."""
    address = f"{get_language()} {request.build_absolute_uri()}"
    return hashlib.sha256(address.encode()).hexdigest()


def _kept_pages(
    view: Callable,
    *,
    for_signed_in: bool = False,
    shared: Callable[[HttpRequest], bool] = lambda request: True,
) -> Callable:
    """Serve a GET from the page cache: to visitors who are not signed in,
    and with `for_signed_in` to people who are, from a copy of their own.
    Where `shared(request)` does not hold, each process keeps its own copy
    only."""

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        reader = "signed-in" if signed_in(request) else "visitor"
        if reader == "signed-in" and not for_signed_in:
            return view(request, *args, **kwargs)
        key = f"page-cache:{catalogue_stamp()}:{reader}:{address_digest(request)}"
        sharing = shared(request)
        cached = _read(key, shared=sharing)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)

        def keep(rendered: HttpResponse) -> None:
            # Only a complete, public answer: never one that sets a cookie.
            if rendered.status_code == 200 and not rendered.cookies:
                # Its ETag once, not at every hit (ConditionalGetMiddleware
                # keeps one that is there).
                set_response_etag(rendered)
                _keep(key, rendered, settings.PAGE_CACHE_SECONDS, shared=sharing)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(keep)
        else:
            keep(response)
        return response

    return serve


def cached_for_visitors(view: Callable) -> Callable:
    """Serve a GET from the page cache to visitors who are not signed in."""
    return _kept_pages(view)


def cached_for_visitors_by_each_process(view: Callable) -> Callable:
    """cached_for_visitors(), but each process keeps its own copies and
    none goes to the shared cache: for one of many pages that is stored
    already, and read back with one query by any process (a component's
    page: catalogue/rendered_pages.py). At 100,000 components, writing a
    shared copy at each first view cost the bench a fifth of its component
    pages a second (672 against 861 with no page cache), and a crawler's
    walk through them all would fill the shared cache past its limit, which
    culls the counts every catalogue page reads."""
    return _kept_pages(view, shared=lambda request: False)


def cached_for_visitors_shared_unless(
    by_each_process: Callable[[HttpRequest], bool],
) -> Callable[[Callable], Callable]:
    """cached_for_visitors(), but as cached_for_visitors_by_each_process()
    for the requests `by_each_process` names: addresses among so many that
    another process seldom asks for the same (a search's)."""
    return lambda view: _kept_pages(
        view, shared=lambda request: not by_each_process(request)
    )


def cached_for_everyone(view: Callable) -> Callable:
    """cached_for_visitors(), and a second copy for everyone signed in: for
    a page that shows nothing of the person reading it but base.html's links
    for signed-in people, the same for all of them (no form, no message, no
    check of who they are). At 100,000 components, the directories served
    61-97 signed-in requests a second, rendered each time. The same for the
    documents machines read (sitemaps, feeds, calendars), which show nothing
    of anyone: a browser signed in that opens one sends its session cookie,
    and the last page of the components' sitemap, rendered for it each time,
    served 23 a second."""
    return _kept_pages(view, for_signed_in=True)
