"""HTML that the portal's tags write from many short values (result cards,
facet options, the links to a page in each language) without format_html().

Django's escape() first checks each of its arguments for a lazy translation:
format_html_join() took 20 µs for three language links, and most of a new
search's facet options and cards (catalogue/templatetags/portal.py).
"""

import html
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe


def escaped(value: object) -> str:
    """`value` as conditional_escape() writes it: HTML as it is, anything
    else as escaped text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def joined(fragments: Iterable[str], separator: str = "") -> SafeString:
    """Fragments of HTML whose every value was escaped(), as one."""
    return mark_safe(separator.join(fragments))  # noqa: S308 (escaped by the caller)
