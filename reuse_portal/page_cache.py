"""Whole pages kept for anonymous visitors, until the catalogue changes.

Every cached page's key carries the catalogue's "last change" stamp. Any
save or delete of catalogue, network or programme content (a publication, an
edit in the admin, a fixture load) sets a new stamp, so every page cached
before it is simply never asked for again and expires on its own. Signed-in
people, whose pages show their own state, always get a fresh page.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from reuse_portal.clients import signed_in

STAMP_KEY = "page-cache:catalogue-stamp"
# The apps whose content public pages show.
CONTENT_APPS = ("catalogue", "networks", "programme", "publishing", "impact", "news")
# Derived from the content, never shown: rebuilding it changes no page.
DERIVED_MODELS = ("catalogue.SearchWord", "networks.JoinRequest")


def catalogue_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, str(time.time_ns()), timeout=None)
        stamp = cache.get(STAMP_KEY)
    return stamp


def until_content_changes[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the shared cache until the catalogue changes:
    for what is the same for every visitor and costs more to compute than
    to read (counts and rankings over the whole catalogue)."""
    key = f"{name}:{catalogue_stamp()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.CATALOGUE_COUNTS_SECONDS)
    return value


def new_stamp() -> None:
    cache.set(STAMP_KEY, str(time.time_ns()), timeout=None)


def content_changed(**kwargs) -> None:
    """A new stamp now, and again once the change is committed: a page
    rendered in between, from the data before the commit, is not served
    after it."""
    new_stamp()
    transaction.on_commit(new_stamp)


def watch_content() -> None:
    """Called once at start-up: every save and delete of content changes
    the stamp. Bulk updates that bypass signals call content_changed()."""
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


def cached_for_visitors(view: Callable) -> Callable:
    """Serve a GET from the page cache to visitors who are not signed in."""

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or signed_in(request)
        ):
            return view(request, *args, **kwargs)
        address = f"{get_language()} {request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"page-cache:{catalogue_stamp()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)

        def keep(rendered: HttpResponse) -> None:
            # Only a complete, public answer: never one that sets a cookie.
            if rendered.status_code == 200 and not rendered.cookies:
                cache.set(key, rendered, settings.PAGE_CACHE_SECONDS)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(keep)
        else:
            keep(response)
        return response

    return serve
