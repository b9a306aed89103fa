from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalogue.filters import Facet
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


@register.simple_tag
def facet_options(facet: Facet) -> str:
    """A facet's checkboxes, each with its label and count. Written here
    rather than as a template loop: the catalogue page's some 70 options
    took a third of its rendering time that way."""
    invalid = (
        format_html(
            ' aria-invalid="true" aria-describedby="facet-error-{}"', facet.name
        )
        if facet.errors
        else ""
    )
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="{0}" value="{1}" id="f-{0}-{2}"{3}{4}>'
        ' <label for="f-{0}-{2}">{5} <span class="count">{6}</span></label></li>',
        (
            (
                facet.name,
                option.value,
                number,
                " checked" if option.selected else "",
                invalid,
                option.label,
                option.count,
            )
            for number, option in enumerate(facet.options, start=1)
        ),
    )
