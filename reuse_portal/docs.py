"""The API documentation page: Swagger UI inside the portal's own layout, over a
server-rendered list of the endpoints that also serves readers without
JavaScript."""

from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

# The operations of a path item; its other keys (parameters, servers...) are not.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str


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
    In English, as the page is, whatever the language of the first request.
    """
    with translation.override("en"):
        schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return Documentation(
        title=schema["info"]["title"],
        version=schema["info"]["version"],
        description=schema["info"].get("description", ""),
        endpoints=tuple(
            Endpoint(method=method.upper(), path=path, summary=summary(operation))
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
    # Otherwise LocaleMiddleware would name the visitor's language.
    response["Content-Language"] = "en"
    return response
