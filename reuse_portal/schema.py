"""How the OpenAPI schema describes what every operation shares."""

from http import HTTPStatus

from django.utils import translation
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from reuse_portal.rest import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODES,
    PROBLEM_CONTENT_TYPE,
    ProblemSerializer,
)

# The schema's language, whatever the language active when it is built.
SCHEMA_LANGUAGE = "en"

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGE_CODES,
    description=(
        "Language of names, texts, labels and error messages. Without it, the "
        f"first language of the Accept-Language header that the portal has; "
        f"without either, `{DEFAULT_LANGUAGE}`. A text missing in the language "
        "comes in another one; `Content-Language` names the language used."
    ),
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        "The `ETag` of an earlier answer. If the answer would be the same, it is "
        "`304 Not Modified`, without a body: keep the copy you have."
    ),
)
IF_MODIFIED_SINCE_PARAMETER = OpenApiParameter(
    "If-Modified-Since",
    str,
    OpenApiParameter.HEADER,
    description=(
        "The `Last-Modified` of an earlier answer: `304 Not Modified` while no "
        "entry shown changed since."
    ),
)
ETAG_HEADER = {
    "description": (
        "Identifies this answer; send it back in `If-None-Match` to get a 304 "
        "while nothing changed."
    ),
    "required": True,
    "schema": {"type": "string"},
}
LAST_MODIFIED_HEADER = {
    "description": (
        "When the newest of the entries shown last changed, where entries have "
        "a change date."
    ),
    "schema": {"type": "string"},
}


def deprecated_ordering_parameter(
    aliases: dict[str, tuple[str, bool]],
) -> OpenApiParameter:
    """?ordering=, the old name of ?sort=, with the sort each value stands for."""
    meanings = "; ".join(
        f"`{value}` is `sort={sort}`" + (" reversed" if reverse else "")
        for value, (sort, reverse) in aliases.items()
    )
    return OpenApiParameter(
        "ordering",
        str,
        enum=list(aliases),
        deprecated=True,
        description=(
            "Deprecated, and gone in the next release: use `sort`, which wins when "
            f"both are given. {meanings}. Ties are broken as `sort` breaks them; a "
            "reversed value reverses the whole list, ties included."
        ),
    )


class PortalTokenScheme(KnoxTokenScheme):
    """The API's token (reuse_portal.rest.TokenAuthentication), described as
    drf-spectacular describes knox's, which it is."""

    target_class = "reuse_portal.rest.TokenAuthentication"


class PortalSchemaGenerator(SchemaGenerator):
    """The schema in English, whatever the language active when it is built: a
    request's, or the site's LANGUAGE_CODE in `manage.py spectacular`.

    The whole build, not each operation: filter labels, help texts and choice
    names are translated strings, and the enum names of ENUM_NAME_OVERRIDES
    are found by a hash of the choices' labels, computed after the operations.
    """

    def get_schema(self, request=None, public=False) -> dict:
        with translation.override(SCHEMA_LANGUAGE):
            return super().get_schema(request=request, public=public)


class PortalAutoSchema(AutoSchema):
    """Documents in English what every operation shares: its language, its
    error responses, its cache validators and who may call it."""

    ERROR_STATUSES = ("400", "404", "405", "406", "429")
    WRITE_ERROR_STATUSES = ("401", "403")

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        reference = self.resolve_serializer(ProblemSerializer, "response").ref
        statuses = list(self.ERROR_STATUSES)
        if self.method not in SAFE_METHODS or self._needs_login():
            statuses += self.WRITE_ERROR_STATUSES
        for status in statuses:
            operation["responses"].setdefault(
                status,
                {
                    "description": HTTPStatus(int(status)).phrase,
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}},
                },
            )
        if self.method == "GET":
            self._add_cache_validators(operation)
        return operation

    def get_override_parameters(self) -> list:
        parameters = [*super().get_override_parameters(), LANGUAGE_PARAMETER]
        if self.method == "GET":
            parameters += [IF_NONE_MATCH_PARAMETER, IF_MODIFIED_SINCE_PARAMETER]
        return parameters

    def get_auth(self) -> list[dict]:
        # An operation anyone may call lists no security requirement but the
        # empty one: documentation tools then show no lock on it.
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} in auths:
            return [{}]
        return auths

    def _add_cache_validators(self, operation: dict) -> None:
        """ConditionalGetMiddleware gives every GET answer an ETag and answers
        a conditional request with 304."""
        headers = {"ETag": ETAG_HEADER, "Last-Modified": LAST_MODIFIED_HEADER}
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                response.setdefault("headers", {}).update(headers)
        operation["responses"]["304"] = {
            "description": (
                "Not Modified: the answer is the one whose ETag came in "
                "If-None-Match (or has not changed since If-Modified-Since)."
            ),
            "headers": headers,
        }

    def _needs_login(self) -> bool:
        return any(
            issubclass(permission, IsAuthenticated)
            for permission in self.view.permission_classes
        )
