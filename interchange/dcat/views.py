"""The catalogue as DCAT-AP: the whole catalogue, one component, and the
/id/ resolver. Harvesters poll these: a cached body and its validators
(ConditionalGetMiddleware adds the ETag and answers 304s)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue.filters import ComponentApiFilter
from catalogue.models import Component
from interchange.dcat import graph as dcat
from reuse_portal.page_cache import catalogue_stamp
from reuse_portal.rest import PROBLEM_CONTENT_TYPE, api_language, problem

MEDIA_TYPES = {media_type: ext for ext, (media_type, _f) in dcat.SERIALISATIONS.items()}
# The server's preference, for Accept: */*: Turtle, the most readable.
OFFERED = list(MEDIA_TYPES)


class Refusal(Exception):
    def __init__(self, status: int, detail: str, errors: dict | None = None):
        self.status, self.detail, self.errors = status, detail, errors


def _problem(refusal: Refusal) -> JsonResponse:
    response = JsonResponse(
        problem(refusal.status, refusal.detail, refusal.errors),
        status=refusal.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _extension(request: HttpRequest, extension: str | None) -> str:
    """The serialisation asked for: by suffix, else by the Accept header."""
    if extension:
        return extension
    preferred = request.get_preferred_type(OFFERED)
    if preferred is None:
        raise Refusal(
            406,
            _(
                "This resource is available as %(types)s. Ask for one of them in "
                "the Accept header, or add .ttl, .jsonld or .rdf to the address."
            )
            % {"types": ", ".join(OFFERED)},
        )
    return MEDIA_TYPES[preferred]


def _modified_since(request: HttpRequest):
    """?modified_since=, read as the API's component list reads it."""
    raw = request.GET.get("modified_since")
    if raw is None:
        return None
    filterset = ComponentApiFilter(data={"modified_since": raw})
    if not filterset.is_valid():
        raise Refusal(
            400,
            _("The request has invalid parameters or fields."),
            {
                name: [str(message) for message in messages]
                for name, messages in filterset.errors.items()
            },
        )
    return filterset.form.cleaned_data["modified_since"]


def _respond(key: str, build, extension: str, *, vary: bool) -> HttpResponse:
    """The serialised graph, from the cache while the catalogue is unchanged
    (every content change sets a new stamp; see reuse_portal.page_cache)."""
    cache_key = (
        "dcat:"
        + hashlib.sha256(f"{catalogue_stamp()} {key} {extension}".encode()).hexdigest()
    )
    cached = cache.get(cache_key)
    if cached is None:
        graph, modified = build()
        cached = (dcat.serialise(graph, extension), modified)
        cache.set(cache_key, cached, settings.PAGE_CACHE_SECONDS)
    body, modified = cached
    media_type = dcat.SERIALISATIONS[extension][0]
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    # Harvesters may keep it, but ask again (cheaply, with the validators).
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    if vary:
        patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def catalogue(request: HttpRequest, extension: str | None = None) -> HttpResponse:
    """The whole published catalogue as one dcat:Catalog;
    ?modified_since= keeps only the records changed since then."""
    with translation.override(api_language(request)):
        try:
            chosen = _extension(request, extension)
            since = _modified_since(request)
        except Refusal as refusal:
            return _problem(refusal)

    def build():
        components = dcat.catalogue_components(modified_since=since)
        return dcat.catalogue_graph(components), dcat.last_modified()

    key = f"catalogue {since.isoformat() if since else ''}"
    return _respond(key, build, chosen, vary=extension is None)


@require_safe
def component(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """One published component as DCAT-AP."""
    found = dcat.catalogue_components().filter(slug=slug).first()
    if found is None:
        with translation.override(api_language(request)):
            refusal = Refusal(404, _("There is no resource at this address."))
        return _problem(refusal)

    def build():
        return dcat.component_graph(found), found.updated_at

    return _respond(f"component {slug}", build, extension, vary=False)


@require_safe
def resolve(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """/id/component/<slug>: 303 See Other to the RDF description for RDF
    clients, else to the page in the reader's language."""
    get_object_or_404(Component.objects.published(), slug=slug)
    preferred = request.get_preferred_type(["text/html", *OFFERED])
    if preferred in MEDIA_TYPES:
        target = dcat.component_dcat_path(slug, MEDIA_TYPES[preferred])
    else:
        target = reverse("catalogue:component-detail", args=[slug])
    response = HttpResponseRedirect(target, status=303)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response
