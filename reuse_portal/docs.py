"""The API documentation page: Swagger UI inside the portal's own layout, over a
server-rendered list of the endpoints that also serves readers without
JavaScript."""

from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from reuse_portal.schema import PortalSchemaGenerator

# The operations of a path item; its other keys (parameters, servers...) are not.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    # Anyone may call it: its security requirements include the empty one.
    anonymous: bool


@dataclass(frozen=True)
class Documentation:
    title: str
    version: str
    description: str
    endpoints: tuple[Endpoint, ...]


@cache
def documentation() -> Documentation:
    """The public schema's title, version, description and operations, in the
    schema's order.

    Cached for the life of the process: the schema only changes with the code.
    In English, as the page and the schema are.
    """
    schema = PortalSchemaGenerator(api_version="v1").get_schema(
        request=None, public=True
    )
    return Documentation(
        title=schema["info"]["title"],
        version=schema["info"]["version"],
        description=schema["info"].get("description", ""),
        endpoints=tuple(
            Endpoint(
                method=method.upper(),
                path=path,
                summary=summary(operation),
                anonymous={} in operation.get("security", [{}]),
            )
            for path, item in schema["paths"].items()
            for method, operation in item.items()
            if method in HTTP_METHODS
        ),
    )


def summary(operation: dict) -> str:
    """The operation's summary; the schema gives none for most operations, so
    then its operation id in words ("components_list" → "Components list")."""
    if operation.get("summary"):
        return operation["summary"]
    return operation["operationId"].replace("_", " ").capitalize()


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    # The API's URLs carry no language prefix, so neither does this page: it is
    # in English, like the schema it documents.
    with translation.override("en"):
        response = render(
            request,
            "api/docs.html",
            {
                "api": documentation(),
                # Every language would lead back to this same English page.
                "language_alternates": [],
            },
        )
    # Otherwise LanguageMiddleware would name the visitor's language.
    response["Content-Language"] = "en"
    return response


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English whatever the request's language."""

    generator_class = PortalSchemaGenerator
    api_version = "v1"

    def finalize_response(self, request, response, *args, **kwargs) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Otherwise LanguageMiddleware would name the visitor's language.
        response["Content-Language"] = "en"
        return response
