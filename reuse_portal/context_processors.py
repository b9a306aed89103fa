from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from reuse_portal.addresses import reversal_state


def in_language(path: str, current: str, code: str) -> str:
    """`path` in the language `code`.

    translate_url() gives back a path it cannot resolve (a 404) unchanged, so
    there the language prefix is swapped by hand.
    """
    return _in_language(path, current, code, reversal_state())


# Every page asks for itself in three languages: resolving and reversing it
# three times costs more than a page kept in the cache takes to send.
@lru_cache(maxsize=4096)
def _in_language(path: str, current: str, code: str, state: tuple) -> str:
    # `state` is part of the cache key only: translate_url() reads it from
    # the thread.
    translated = translate_url(path, code)
    prefix = f"/{current}/"
    if translated == path and code != current and path.startswith(prefix):
        return f"/{code}/{path.removeprefix(prefix)}"
    return translated


def language_alternates(request: HttpRequest) -> dict:
    """The current page in every language: for the switcher and hreflang links
    (site_chrome's tags). Worked out when a template first asks for them:
    templates rendered with the request, such as the catalogue's results, get
    this processor too."""
    return {"language_alternates": SimpleLazyObject(lambda: _alternates(request))}


def _alternates(request: HttpRequest) -> list[dict]:
    query = request.GET.urlencode()
    current = get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        url = in_language(request.path, current, code)
        alternates.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": f"{url}?{query}" if query else url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return alternates


def contact(request: HttpRequest) -> dict:
    """The portal's contact point, offered wherever a reader is left without one."""
    return {"contact_email": settings.CONTACT_EMAIL}
