"""Descriptions are Markdown: rendered to HTML that can hold nothing active."""

import re
import threading

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# What a description needs: text structure, lists, links, code, tables.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Headings inside a component page start below its own h1 and h2s.
SHIFTED_HEADINGS = {"h1": "h3", "h2": "h4"}

# Active content has no place in a description; refused with a message rather
# than silently dropped, so that the submitter knows what happened.
ACTIVE_CONTENT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|svg)\b"
    r"|\b(java|vb)script\s*:"
    r"|\bon[a-z]+\s*=",
    re.IGNORECASE,
)


def refuse_active_content(text: str) -> None:
    """Validator of Markdown texts: no scripts, frames or event handlers."""
    if text and ACTIVE_CONTENT.search(text):
        raise ValidationError(
            _(
                "Write the text in Markdown: scripts, frames, event handlers "
                "and javascript: links are not allowed."
            ),
            code="active_content",
        )


# One converter per thread, reset between texts: making one (its extensions
# and processors) costs more than converting a description.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    if not hasattr(_converters, "markdown"):
        _converters.markdown = markdown.Markdown(extensions=["tables", "sane_lists"])
    return _converters.markdown.reset()


def render_markdown(text: str) -> SafeString:
    html = _converter().convert(text or "")
    for heading, shifted in SHIFTED_HEADINGS.items():
        html = html.replace(f"<{heading}>", f"<{shifted}>").replace(
            f"</{heading}>", f"</{shifted}>"
        )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
