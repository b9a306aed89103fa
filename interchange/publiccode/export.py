"""A published component as a publiccode.yml document (`mapping` says how)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from catalogue.licences import LICENCES
from catalogue.models import (
    Component,
    ComponentOrganisation,
    Language,
    LinkKind,
    OrganisationRole,
)
from interchange.publiccode import mapping

OPEN_LICENCES = frozenset(
    code for code, _name in LICENCES if not code.startswith("LicenseRef-")
)
ELLIPSIS = "…"


class MissingData(Exception):
    """The component lacks what a valid publiccode.yml requires; `problems`
    holds the messages by publiccode.yml key."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def exportable() -> QuerySet[Component]:
    """Published components with everything the document says, in a fixed
    number of queries."""
    return (
        Component.objects.published()
        .select_related("building_block", "domain")
        .prefetch_related(
            "tags",
            "links",
            Prefetch(
                "organisation_roles",
                queryset=ComponentOrganisation.objects.select_related("organisation"),
            ),
            Prefetch("depends_on", queryset=Component.objects.published()),
        )
    )


def international_name(instance, field: str = "name") -> str:
    """A name for an international document: English, else Dutch, else French."""
    return next(
        (
            value
            for code in ("en", "nl", "fr")
            if (value := getattr(instance, f"{field}_{code}", ""))
        ),
        "",
    )


def short_description(summary: str) -> str:
    """The summary within publiccode.yml's 150 characters: cut at a word,
    with an ellipsis, when it is longer."""
    limit = mapping.SHORT_DESCRIPTION_MAX
    if len(summary) <= limit:
        return summary
    cut = summary[: limit - len(ELLIPSIS)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + ELLIPSIS


def organisation_names(component: Component, role: str) -> str:
    return mapping.ORGANISATION_SEPARATOR.join(
        international_name(part.organisation)
        for part in component.organisation_roles.all()
        if part.role == role
    )


def document_for(component: Component) -> dict:
    """The publiccode.yml document of `component` (read from `exportable()`),
    or MissingData listing every key it cannot fill."""
    problems: dict[str, list[str]] = defaultdict(list)
    links = list(component.links.all())
    source = next((link for link in links if link.kind == LinkKind.SOURCE_CODE), None)
    website = next((link for link in links if link.kind == LinkKind.WEBSITE), None)
    if source is None:
        problems["url"].append(
            _("The component has no source code link (its repository).")
        )
    status = mapping.DEVELOPMENT_STATUS.get(component.lifecycle_status)
    if status is None:
        problems["developmentStatus"].append(_("The lifecycle status is not stated."))
    software_type = mapping.SOFTWARE_TYPE.get(component.kind)
    if software_type is None:
        problems["softwareType"].append(
            _("A “%(kind)s” is not software.") % {"kind": component.get_kind_display()}
        )
    if not component.licence:
        problems["legal.license"].append(_("The licence is not known."))
    if not component.support_name:
        problems["maintenance.contacts"].append(
            _("The component has no support contact.")
        )
    if not component.languages:
        problems["localisation.availableLanguages"].append(
            _("The languages the component supports are not stated.")
        )
    description = _descriptions(component, links, problems)
    if problems:
        raise MissingData(dict(problems))

    document = {
        "publiccodeYmlVersion": mapping.VERSION,
        "name": international_name(component),
        "url": source.url,
    }
    if website is not None:
        document["landingURL"] = website.url
    document |= {
        "platforms": list(mapping.PLATFORMS),
        "categories": list(
            mapping.BUILDING_BLOCK_CATEGORIES.get(
                component.building_block.slug, ["other"]
            )
        ),
        "developmentStatus": status,
        "softwareType": software_type,
        "intendedAudience": {"countries": [mapping.COUNTRY]},
        "description": description,
        "legal": {"license": component.licence},
        "maintenance": {"type": "internal", "contacts": [_contact(component)]},
        "localisation": {
            "localisationReady": len(component.languages) > 1,
            "availableLanguages": [
                code for code in Language.values if code in component.languages
            ],
        },
    }
    scope = mapping.DOMAIN_SCOPE.get(component.domain.slug)
    if scope:
        document["intendedAudience"]["scope"] = [scope]
    for key, role in (
        ("mainCopyrightOwner", OrganisationRole.OWNER),
        ("repoOwner", OrganisationRole.DEVELOPER),
    ):
        if names := organisation_names(component, role):
            document["legal"][key] = names
    if dependencies := _dependencies(component):
        document["dependsOn"] = dependencies
    return document


def _descriptions(component: Component, links: list, problems: dict) -> dict:
    tags = sorted(component.tags.all(), key=lambda tag: tag.slug)
    descriptions = {}
    for code in mapping.DESCRIPTION_LANGUAGES:
        summary = getattr(component, f"summary_{code}")
        if not summary:
            continue
        path = f"description.{code}"
        texts = {}
        if name := getattr(component, f"name_{code}"):
            texts["localisedName"] = name
        texts["shortDescription"] = short_description(summary)
        long = getattr(component, f"description_{code}")
        if len(long) < mapping.LONG_DESCRIPTION_MIN:
            problems[f"{path}.longDescription"].append(
                _("The description is shorter than %(min)d characters.")
                % {"min": mapping.LONG_DESCRIPTION_MIN}
            )
        elif len(long) > mapping.LONG_DESCRIPTION_MAX:
            problems[f"{path}.longDescription"].append(
                _("The description is longer than %(max)d characters.")
                % {"max": mapping.LONG_DESCRIPTION_MAX}
            )
        texts["longDescription"] = long
        for key, kind in (
            ("documentation", LinkKind.DOCUMENTATION),
            ("apiDocumentation", LinkKind.API_SPECIFICATION),
        ):
            if link := _link_in(links, kind, code):
                texts[key] = link.url
        if tags:
            texts["features"] = [
                getattr(tag, f"name_{code}") or international_name(tag) for tag in tags
            ]
        descriptions[code] = texts
    return descriptions


def _link_in(links: list, kind: str, language: str):
    """The link of `kind` in `language`, else one for every language."""
    of_kind = [link for link in links if link.kind == kind]
    return next(
        (link for link in of_kind if link.language == language),
        next((link for link in of_kind if not link.language), None),
    )


def _contact(component: Component) -> dict:
    contact = {"name": component.support_name}
    if component.support_email:
        contact["email"] = component.support_email
    if component.support_phone:
        contact["phone"] = component.support_phone
    if operators := organisation_names(component, OrganisationRole.OPERATOR):
        contact["affiliation"] = operators
    return contact


def _dependencies(component: Component) -> dict:
    """Catalogue components this one needs, by name: open when their
    licence is an open one, proprietary otherwise (unknown included)."""
    grouped: dict[str, list] = {}
    for dependency in sorted(component.depends_on.all(), key=international_name):
        kind = "open" if dependency.licence in OPEN_LICENCES else "proprietary"
        grouped.setdefault(kind, []).append({"name": international_name(dependency)})
    return {kind: grouped[kind] for kind in mapping.DEPENDENCY_KINDS if kind in grouped}
