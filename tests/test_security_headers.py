"""The security headers on every kind of response, as production serves them:
gunicorn, DEBUG off, behind a TLS proxy (X-Forwarded-Proto: https)."""

import urllib.error
import urllib.request
from email.message import Message
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.core.wsgi import get_wsgi_application

from reuse_portal.security_headers import permissions_policy

BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}


def get(url: str, headers: dict[str, str]) -> tuple[int, Message]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def directives(policy: str) -> dict[str, list[str]]:
    """ "default-src 'self'; img-src 'self' data:" -> {"default-src": ["'self'"], …}"""
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        pytest.param("/nl/", 200, "text/html", id="page"),
        pytest.param("/nl/no-such-page/", 404, "text/html", id="404 page"),
        pytest.param("/api/v1/components/", 200, "application/json", id="api"),
        pytest.param(
            "/api/v1/components/no-such-component/",
            404,
            "application/problem+json",
            id="api problem",
        ),
        pytest.param("/static/css/portal.css", 200, "text/css", id="static file"),
        pytest.param("/nl/admin/login/", 200, "text/html", id="admin login"),
        pytest.param("/healthz", 200, "application/json", id="healthz"),
    ],
)
def test_every_response_carries_the_security_headers(
    portal_url, path, status, content_type
):
    code, headers = get(f"{portal_url}{path}", BEHIND_TLS_PROXY)

    assert code == status
    assert headers["Content-Type"].startswith(content_type)
    csp = directives(headers["Content-Security-Policy"])
    scripts = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert (
        headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    features = headers["Permissions-Policy"].split(", ")
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in features
    assert headers["X-Request-ID"]


def test_hsts_is_only_sent_over_https(portal_url):
    # Browsers ignore it over plain HTTP; /healthz is probed that way.
    _, headers = get(f"{portal_url}/healthz", {})

    assert "Strict-Transport-Security" not in headers
    assert headers["Permissions-Policy"]


def test_permissions_policy_syntax():
    policy = permissions_policy({"camera": [], "fullscreen": ["self"]})

    assert policy == "camera=(), fullscreen=(self)"


# The WSGI handler checks the database connections at each request's start:
# without the mark, the test fails after any test that opened one.
@pytest.mark.django_db
def test_every_header_name_is_a_plain_string_for_any_wsgi_server():
    # wsgiref's server (`make run`'s runserver) answers 500 to a header name
    # that is not exactly a str; the CSP added to answers the CSP middleware
    # never saw (static files, a fault in an early middleware) was an enum.
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        # Answered before the CSP middleware, as a static file is.
        "PATH_INFO": "/static/css/portal.css",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    setup_testing_defaults(environ)
    answered = []

    def start_response(status, headers, exc_info=None):
        answered.append((status, dict(headers)))
        return lambda data: None

    result = validator(get_wsgi_application())(environ, start_response)
    b"".join(result)
    result.close()

    status, headers = answered[0]
    assert status.startswith("200")
    assert headers["Content-Security-Policy"]
