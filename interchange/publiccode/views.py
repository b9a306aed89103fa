"""publiccode.yml of a published component: a page and an API resource."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from interchange.publiccode.documents import dump
from interchange.publiccode.export import MissingData, document_for, exportable
from reuse_portal.page_cache import cached_for_visitors
from reuse_portal.rest import PROBLEM_CONTENT_TYPE, api_language, problem

# RFC 9512's media type for YAML; UTF-8, as publiccode.yml requires.
CONTENT_TYPE = "application/yaml; charset=utf-8"
FILENAME = "publiccode.yml"


def _yaml(component, document: dict) -> HttpResponse:
    response = HttpResponse(dump(document), content_type=CONTENT_TYPE)
    # Shown in the browser, saved under the name tools look for.
    response["Content-Disposition"] = f"inline; filename={FILENAME}"
    response["Last-Modified"] = http_date(component.updated_at.timestamp())
    return response


def missing_data_text(problems: dict[str, list[str]]) -> str:
    lines = [
        _(
            "This component's publiccode.yml cannot be made yet: it lacks what "
            "the standard requires."
        ),
        "",
    ]
    lines += [f"{path}: {' '.join(messages)}" for path, messages in problems.items()]
    return "\n".join(lines) + "\n"


@require_safe
@cached_for_visitors
def component_publiccode(request: HttpRequest, slug: str) -> HttpResponse:
    """/<lang>/service/<slug>/publiccode.yml; 422 with the missing keys in
    plain text when the component lacks required data."""
    component = get_object_or_404(exportable(), slug=slug)
    try:
        document = document_for(component)
    except MissingData as missing:
        return HttpResponse(
            missing_data_text(missing.problems),
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    return _yaml(component, document)


@require_safe
def api_component_publiccode(request: HttpRequest, slug: str) -> HttpResponse:
    """/api/v1/components/<slug>/publiccode.yml; errors as problems
    (RFC 9457), like the rest of the API."""
    translation.activate(api_language(request))
    try:
        component = get_object_or_404(exportable(), slug=slug)
        document = document_for(component)
    except Http404:
        body, status = problem(404, _("There is no resource at this address.")), 404
    except MissingData as missing:
        body = problem(
            422,
            _("The component lacks data that publiccode.yml requires."),
            missing.problems,
        )
        status = 422
    else:
        return _yaml(component, document)
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    response["Content-Language"] = translation.get_language()
    return response
