from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalogue.markup import render_markdown

register = template.Library()


@register.simple_tag
def untranslated(obj, field: str) -> str:
    """A visible note when `field` falls back to another language on this page."""
    if getattr(obj, f"{field}_{get_language()}", None):
        return ""
    return format_html(
        ' <span class="untranslated">{}</span>', _("(not yet translated)")
    )


@register.filter
def markdown(text: str) -> str:
    """A description's Markdown as sanitised HTML."""
    return render_markdown(text)
