"""Each request's language, as Django's LocaleMiddleware would choose it.

The portal's LanguageMiddleware reads the path's language once per request
instead of three times; what a visitor gets must not change: the language of
the answer, its Content-Language and Vary headers, and the redirect of an
address that lacks its language prefix.
"""

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation

from reuse_portal.languages import LanguageMiddleware

PATHS = [
    "/nl/",
    "/fr/catalogue/",
    "/en/catalogue/?page=2",
    "/nl/no-such-page/",
    "/catalogue/",
    "/catalogue",
    "/no-such-page/",
    "/xx/catalogue/",
    "/nl-be/catalogue/",
    "/en-us/",
    "/api/v1/components/",
    "/healthz",
    "/",
]
VISITORS = {
    "no preference": {},
    "French browser": {"HTTP_ACCEPT_LANGUAGE": "fr-BE,fr;q=0.9,en;q=0.5"},
    "German browser": {"HTTP_ACCEPT_LANGUAGE": "de"},
    "English cookie": {"HTTP_COOKIE": "django_language=en"},
}


def the_portals_view(request: HttpRequest) -> HttpResponse:
    """200 where the portal has a page in the chosen language, else 404."""
    try:
        resolve(request.path_info)
    except Resolver404:
        return HttpResponse(status=404)
    return HttpResponse(translation.get_language())


def answer(middleware_class: type, path: str, headers: dict) -> dict:
    request = RequestFactory().get(path, **headers)
    with translation.override(None):
        response = middleware_class(the_portals_view)(request)
        return {
            "language": getattr(request, "LANGUAGE_CODE", None),
            "status": response.status_code,
            "location": response.get("Location"),
            "content-language": response.get("Content-Language"),
            "vary": response.get("Vary"),
        }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("path", PATHS)
def test_the_language_and_its_headers_are_djangos(path, visitor):
    headers = VISITORS[visitor]

    assert answer(LanguageMiddleware, path, headers) == answer(
        LocaleMiddleware, path, headers
    )


def test_an_address_without_its_language_is_redirected_to_the_visitors():
    got = answer(LanguageMiddleware, "/catalogue/", VISITORS["French browser"])

    assert (got["status"], got["location"]) == (302, "/fr/catalogue/")
