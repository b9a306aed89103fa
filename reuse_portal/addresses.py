"""Addresses of pages, reversed once and then reused.

Django's reverse() walks the URL patterns on every call: some 20 µs, paid
twice for each of the twenty cards of a catalogue page and for every row of
an API list. A view's address differs only by its slug, so it is reversed
once per language and script prefix with a placeholder, and each slug is
put in its place. Slugs are URL-safe ([-a-zA-Z0-9_]), so nothing needs
quoting. Pages without arguments (the site's navigation, some 20 links on
every page) are reversed once per language and script prefix.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLACEHOLDER = "__slug__"


@cache
def _address_parts(
    view_name: str,
    arguments: tuple[tuple[str, str], ...],
    language: str | None,
    prefix: str,
    urlconf: str,
) -> tuple[str, str]:
    # The arguments are the cache key: reverse() reads the last three from
    # the thread's state.
    head, _, tail = reverse(
        view_name, kwargs={"slug": PLACEHOLDER, **dict(arguments)}
    ).rpartition(PLACEHOLDER)
    return head, tail


def reversal_state() -> tuple[str | None, str, str]:
    """What reverse() reads from the thread besides its arguments: the
    language, the script prefix and the URLconf. The key of every address
    kept here (and of reuse_portal.context_processors' translations)."""
    return get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def slug_address(view_name: str, slug: str, **arguments: str) -> str:
    """reverse(view_name, kwargs={"slug": slug, **arguments}), in the active
    language. The other `arguments` take few values (a format, say): each
    set of them is reversed once."""
    head, tail = _address_parts(
        view_name, tuple(sorted(arguments.items())), *reversal_state()
    )
    return f"{head}{slug}{tail}"


@cache
def _address(view_name: str, language: str | None, prefix: str, urlconf: str) -> str:
    return reverse(view_name)


def address(view_name: str) -> str:
    """reverse(view_name), in the active language."""
    return _address(view_name, *reversal_state())
