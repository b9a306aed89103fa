"""POST /api/v1/components/ with a publiccode.yml body."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from catalogue.serializers import RevisionSerializer
from interchange.publiccode.documents import MAX_BYTES, too_large
from interchange.publiccode.importer import import_publiccode

MEDIA_TYPES = ("application/yaml", "application/x-yaml")


@dataclass(frozen=True)
class Upload:
    """A publiccode.yml body, still unread: the importer parses it."""

    raw: bytes


class PubliccodeParser(BaseParser):
    """Reads at most MAX_BYTES: a larger body is refused before parsing."""

    media_type = MEDIA_TYPES[0]

    def parse(self, stream, media_type=None, parser_context=None) -> Upload:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request else None
        if declared and declared.isdigit() and int(declared) > MAX_BYTES:
            raise too_large()
        raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise too_large()
        return Upload(raw)


class LegacyPubliccodeParser(PubliccodeParser):
    """The media type many tools still send for YAML."""

    media_type = MEDIA_TYPES[1]


def create(view, request) -> Response:
    """Import the body as the request's user, for review: 201 with the new
    component, 200 with a changed unpublished one, 202 with the revision of
    a published one."""
    imported = import_publiccode(request.data.raw, actor=request.user, submit=True)
    if imported.revision is not None:
        return Response(RevisionSerializer(imported.revision).data, status=202)
    data = view.get_serializer(imported.component).data
    if not imported.created:
        return Response(data)
    return Response(data, status=201, headers=view.get_success_headers(data))
