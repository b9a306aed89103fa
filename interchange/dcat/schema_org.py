"""A component as schema.org JSON-LD, for search engines: the facts its page
shows, in the page's language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from catalogue.models import Component, ComponentKind, LinkKind
from interchange.dcat.graph import SPDX_LICENCE, component_uri


def schema_org(component: Component) -> dict:
    """Reads the relations ComponentQuerySet.for_page() reads with the
    component."""
    data = {
        "@context": "https://schema.org",
        "@type": (
            "WebAPI" if component.kind == ComponentKind.API else "SoftwareApplication"
        ),
        "@id": str(component_uri(component.slug)),
        "url": settings.SITE_URL + component.get_absolute_url(),
        "name": component.name,
        "description": component.summary,
        "inLanguage": get_language(),
        "dateModified": component.updated_at.isoformat(),
    }
    if component.acronym:
        data["alternateName"] = component.acronym
    if component.published_at:
        data["datePublished"] = component.published_at.isoformat()
    if component.provider is not None:
        provider = component.provider
        data["provider"] = {
            "@type": "Organization",
            "name": provider.name,
            "url": settings.SITE_URL + provider.get_absolute_url(),
        }
    if component.licence and not component.licence.startswith("LicenseRef-"):
        data["license"] = str(SPDX_LICENCE[component.licence])
    tags = [tag.name for tag in component.listed("tags")]
    if tags:
        data["keywords"] = ", ".join(tags)
    if component.kind == ComponentKind.API:
        documentation = [
            link.url
            for link in component.listed("links")
            if link.kind in (LinkKind.API_SPECIFICATION, LinkKind.DOCUMENTATION)
        ]
        if documentation:
            data["documentation"] = documentation[0]
    else:
        data["applicationCategory"] = component.building_block.name
    if component.languages:
        data["availableLanguage"] = list(component.languages)
    return data
