"""Each request's language, as Django's LocaleMiddleware would choose it,
and each page's address in the other languages, as Django's translate_url()
would give it.

The portal's LanguageMiddleware reads the path's language once per request
instead of three times; what a visitor gets must not change: the language of
the answer, its Content-Language and Vary headers, and the redirect of an
address that lacks its language prefix. The language switcher swaps the
path's language prefix instead of resolving and reversing it: that holds
only while no route is translated.
"""

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.urls import (
    LocalePrefixPattern,
    Resolver404,
    URLResolver,
    get_resolver,
    resolve,
    translate_url,
)
from django.utils import translation

from reuse_portal.context_processors import in_language
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


def route_texts(patterns: list) -> list[str]:
    """Every route of `patterns` and of what they include, as the active
    language reads them, the language prefix left out."""
    texts = []
    for pattern in patterns:
        if not isinstance(pattern.pattern, LocalePrefixPattern):
            texts.append(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            texts.extend(route_texts(pattern.url_patterns))
    return texts


def test_no_route_is_translated():
    routes = {}
    for language in ("nl", "fr", "en"):
        with translation.override(language):
            routes[language] = route_texts(get_resolver().url_patterns)

    assert len(routes["nl"]) > 50
    assert routes["nl"] == routes["fr"] == routes["en"]


PAGES = [
    "/nl/",
    "/nl/catalogue/",
    "/nl/service/any-component/",
    "/nl/providers/",
    "/nl/networks/",
    "/nl/admin/",
    "/nl/account/login/",
    "/nl/service/any-component/publiccode.yml",
    "/nl/impact/declare/any-component/",
    "/healthz",
    "/api/v1/components/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("code", ["nl", "fr", "en"])
def test_a_page_in_another_language_is_where_django_puts_it(path, code):
    request = RequestFactory().get(path)
    with translation.override("nl"):
        resolve(path)
        assert in_language(request, code) == translate_url(path, code)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/nl/no-such-page/", "/fr/no-such-page/"),
        ("/no-such-page/", "/no-such-page/"),
        ("/nl-be/catalogue/", "/nl-be/catalogue/"),
    ],
)
def test_an_address_that_leads_nowhere_keeps_its_path(path, expected):
    # A 404 under the language's prefix is offered under the other prefix
    # (the page may exist there); any other stays as it is.
    request = RequestFactory().get(path)
    with translation.override("nl"):
        assert in_language(request, "fr") == expected


def test_a_page_served_under_a_script_prefix_keeps_it():
    request = RequestFactory().get("/nl/catalogue/", SCRIPT_NAME="/portal")
    assert request.path == "/portal/nl/catalogue/"
    with translation.override("nl"):
        assert in_language(request, "fr") == "/portal/fr/catalogue/"
