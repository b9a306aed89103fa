from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info


def in_language(request: HttpRequest, code: str) -> str:
    """The request's path in the language `code`.

    No route is translated (tests/test_languages.py holds every pattern to
    that), so a path under the current language's prefix reads the same in
    every language but for the prefix: swapping it gives what Django's
    translate_url() gives for every page, without resolving and reversing
    the path three times (200 µs for a page seen for the first time). An
    address that leads nowhere gets the other prefix too (the page may exist
    there), where translate_url() would leave it unchanged. A path outside
    the prefixed patterns is the same in every language.
    """
    own_prefix = f"/{get_language()}/"
    if not request.path_info.startswith(own_prefix):
        return request.path
    script_name = request.path.removesuffix(request.path_info)
    return f"{script_name}/{code}/{request.path_info.removeprefix(own_prefix)}"


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
        url = in_language(request, code)
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
