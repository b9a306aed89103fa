"""How the OpenAPI schema describes what every operation shares."""

from http import HTTPStatus

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import IsAuthenticated

from reuse_portal.rest import LANGUAGE_CODES, PROBLEM_CONTENT_TYPE, ProblemSerializer

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGE_CODES,
    description="Language of names and texts; otherwise Accept-Language, then nl.",
)


class PortalAutoSchema(AutoSchema):
    """Documents the error responses every operation can give."""

    ERROR_STATUSES = ("400", "404", "405", "406", "429")
    WRITE_ERROR_STATUSES = ("401", "403")

    def get_override_parameters(self) -> list:
        return [*super().get_override_parameters(), LANGUAGE_PARAMETER]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        reference = self.resolve_serializer(ProblemSerializer, "response").ref
        statuses = list(self.ERROR_STATUSES)
        if self.method not in ("GET", "HEAD", "OPTIONS") or self._needs_login():
            statuses += self.WRITE_ERROR_STATUSES
        for status in statuses:
            operation["responses"].setdefault(
                status,
                {
                    "description": HTTPStatus(int(status)).phrase,
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}},
                },
            )
        return operation

    def _needs_login(self) -> bool:
        return any(
            issubclass(permission, IsAuthenticated)
            for permission in self.view.permission_classes
        )
