"""Security headers Django does not send itself, on every response.

Django's SecurityMiddleware sends HSTS (over HTTPS), X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy; its CSP and clickjacking
middleware send Content-Security-Policy and X-Frame-Options. This one adds
Permissions-Policy and Cross-Origin-Resource-Policy, and gives the responses
that never reach the CSP and clickjacking middleware (static files, answered
by WhiteNoise further up the list) the site's policy and X-Frame-Options too.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP, build_policy


def permissions_policy(features: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> "camera=(), fullscreen=(self)"."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items()
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        # The CSP middleware marks each request it sees; one it never saw was
        # answered before it (a static file). A view exempted from CSP was
        # seen, and keeps its exemption.
        if not hasattr(request, "_csp_nonce"):
            if settings.SECURE_CSP and CSP.HEADER_ENFORCE not in response:
                # As a plain str: wsgiref (runserver) refuses an enum as a name.
                response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(
                    settings.SECURE_CSP
                )
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
