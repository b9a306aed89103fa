"""What base.html shows around every page's content.

The stylesheet and icon links, the brand, the main navigation and the
footer: what every page shows the same way to everyone of a language and a
kind of reader (visitor or signed in), from templates/includes/site_chrome.html.
Their forty links and labels, a tag each, took 0.45 ms of every page's
0.74 ms of base.html. Each part is rendered once per process for each
language, script prefix, URLconf and kind of reader, then reused. What
they show changes only with the code, the templates, the translations or
the settings: a deployment restarts the processes, and the development
server's reloader and the tests' setting overrides empty the memory here.

The page in each language (hreflang links and the language switcher),
written here rather than as template loops: the two loops took 0.13 ms of
every page, for six links; these take 0.01.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from reuse_portal.addresses import reversal_state
from reuse_portal.html_fragments import escaped, joined

register = template.Library()

CHROME_TEMPLATE = "includes/site_chrome.html"


@register.simple_tag(takes_context=True)
def site_chrome(context: Context, part: str) -> SafeString:
    """The partial `part` of the chrome template, for this reader."""
    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    return _rendered(part, signed_in, *reversal_state())


@register.simple_tag(takes_context=True)
def alternate_links(context: Context) -> SafeString:
    """A <link rel="alternate" hreflang> for the page in each language."""
    return joined(
        (
            f'<link rel="alternate" hreflang="{escaped(alternate["code"])}" '
            f'href="{escaped(alternate["absolute_url"])}">'
            for alternate in context.get("language_alternates", ())
        ),
        "\n",
    )


@register.simple_tag(takes_context=True)
def language_switcher(context: Context) -> SafeString:
    """The switcher's items: the page in each language, the current one marked."""
    alternates = context.get("language_alternates", ())
    return joined((_switcher_item(alternate) for alternate in alternates), "\n")


def _switcher_item(alternate: dict) -> str:
    code = escaped(alternate["code"])
    current = ' aria-current="true"' if alternate["is_current"] else ""
    return (
        f'<li><a href="{escaped(alternate["url"])}" hreflang="{code}" lang="{code}"'
        f"{current}>{escaped(capfirst(alternate['name']))}</a></li>"
    )


# A few entries: four parts, two kinds of reader, three languages.
@lru_cache(maxsize=64)
def _rendered(
    part: str, signed_in: bool, language: str | None, prefix: str, urlconf: str
) -> SafeString:
    # The last three are part of the key only: the tags of the partial read
    # them from the thread.
    return get_template(f"{CHROME_TEMPLATE}#{part}").render(
        {"signed_in": signed_in, "contact_email": settings.CONTACT_EMAIL}
    )


@receiver(file_changed, dispatch_uid="site_chrome_file_changed")
@receiver(setting_changed, dispatch_uid="site_chrome_setting_changed")
def forget_rendered_chrome(**kwargs) -> None:
    _rendered.cache_clear()
