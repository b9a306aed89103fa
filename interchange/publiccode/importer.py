"""A publiccode.yml file into the catalogue, through the publishing services.

A valid file becomes a new component (a draft, or submitted), or changes
the matching component the importer may edit: in place while it is
unpublished, as a revision for the moderators once it is published. All of
it in one transaction: a refusal leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue.models import (
    BuildingBlock,
    Component,
    Domain,
    Language,
    LinkKind,
    OrganisationRole,
    Provider,
    Tag,
)
from interchange.publiccode import mapping
from interchange.publiccode.documents import (
    FILE_KEY,
    MAX_BYTES,
    Refused,
    parse,
    too_large,
)
from interchange.publiccode.validation import validate
from publishing import services as publishing
from publishing.models import PublicationState, Revision

SOURCE_REFERENCE = "publiccode.yml"
# A file never changes these: it cannot say they should be changed.
NOT_MATCHED = (PublicationState.REJECTED, PublicationState.ARCHIVED)


@dataclass
class Imported:
    """What an import did: the component, the revision holding the changes
    of a published one, and what the file said that was not taken."""

    component: Component
    created: bool
    revision: Revision | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    name: str
    fields: dict
    links: list[dict]
    tags: list[Tag]
    organisations: list[tuple[Provider, str]]
    dependencies: list[Component]
    warnings: list[str]

    @property
    def related(self) -> dict:
        """The relations as the publishing services take them."""
        return {
            "tags": self.tags,
            "links": self.links,
            "organisations": self.organisations,
            "depends_on": self.dependencies,
        }


def read(raw: bytes | str) -> dict:
    """The validated document in `raw`, or Refused with every message."""
    document = parse(raw)
    validate(document)
    return document


def import_publiccode(
    raw: bytes | str | dict,
    *,
    actor,
    submit: bool = False,
    target: Component | None = None,
) -> Imported:
    """Import one file (its bytes, text, or parsed document) as `actor`.
    `target`: the component to change, instead of the one the file matches."""
    document = raw if isinstance(raw, dict) else read(raw)
    if isinstance(raw, dict):
        validate(document)
    with transaction.atomic():
        existing = target or _match(document, actor)
        plan = _plan(document, actor, existing)
        try:
            if existing is None:
                return _create(plan, actor=actor, submit=submit)
            return _change(existing, plan, actor=actor, submit=submit)
        except ValidationError as error:
            if isinstance(error, Refused) or not hasattr(error, "error_dict"):
                raise
            raise Refused(_as_paths(error.message_dict)) from error


def _as_paths(messages: dict[str, list[str]]) -> dict[str, list[str]]:
    """A model's refusal under the keys of the file the values came from."""
    errors: dict[str, list[str]] = defaultdict(list)
    for name, texts in messages.items():
        errors[mapping.FIELD_PATHS.get(name, name)].extend(texts)
    return dict(errors)


def _may_moderate(actor) -> bool:
    return bool(
        actor
        and actor.is_active
        and actor.is_staff
        and actor.has_perm("catalogue.change_component")
    )


def _match(document: dict, actor) -> Component | None:
    """The component the file describes, among those `actor` may change:
    by its repository, else by the address its name gives."""
    candidates = Component.objects.exclude(publication_state__in=NOT_MATCHED)
    if not _may_moderate(actor):
        organisation = getattr(actor, "organisation_id", None)
        if organisation is None:
            return None
        candidates = candidates.filter(provider=organisation)
    by_url = candidates.filter(
        links__kind=LinkKind.SOURCE_CODE, links__url=document["url"]
    ).first()
    if by_url is not None:
        return by_url
    # The address SlugQuerySet.free_slug() gives a new component.
    return candidates.filter(slug=slugify(document["name"])[:100].strip("-")).first()


def _descriptions(document: dict) -> dict[str, dict]:
    """The descriptions in the catalogue's languages ("nl-BE" is "nl")."""
    found = {}
    for key, texts in document["description"].items():
        code = str(key).split("-")[0].lower()
        if code in mapping.DESCRIPTION_LANGUAGES and code not in found:
            found[code] = texts
    return found


def _plan(document: dict, actor, existing: Component | None) -> _Plan:
    errors: dict[str, list[str]] = defaultdict(list)
    warnings: list[str] = []
    descriptions = _descriptions(document)
    fields: dict = {}
    for code in mapping.DESCRIPTION_LANGUAGES:
        texts = descriptions.get(code, {})
        fields[f"name_{code}"] = (
            texts.get("localisedName") or document["name"] if texts else ""
        )
        fields[f"summary_{code}"] = texts.get("shortDescription", "")
        fields[f"description_{code}"] = texts.get("longDescription", "")

    software_type = document["softwareType"]
    fields["kind"] = (
        existing.kind
        if existing and mapping.SOFTWARE_TYPE.get(existing.kind) == software_type
        else mapping.KIND_OF_SOFTWARE_TYPE[software_type]
    )
    status = document["developmentStatus"]
    fields["lifecycle_status"] = (
        existing.lifecycle_status
        if existing
        and mapping.DEVELOPMENT_STATUS.get(existing.lifecycle_status) == status
        else mapping.LIFECYCLE_OF_STATUS[status]
    )
    fields["building_block"] = _building_block(document, existing, errors)
    fields["domain"] = _domain(document, errors)
    fields["licence"] = document["legal"]["license"]
    available = [
        str(code).split("-")[0].lower()
        for code in document["localisation"]["availableLanguages"]
    ]
    fields["languages"] = [code for code in Language.values if code in available]
    contacts = document["maintenance"].get("contacts") or []
    first = contacts[0] if contacts else {}
    fields["support_name"] = first.get("name", "")
    fields["support_email"] = first.get("email", "")
    fields["support_phone"] = first.get("phone", "")

    organisations = _organisations(document, errors, warnings)
    if errors:
        raise Refused(dict(errors))
    return _Plan(
        name=document["name"],
        fields=fields,
        links=_links(document, descriptions, existing),
        tags=_tags(descriptions),
        organisations=organisations,
        dependencies=_dependencies(document, warnings),
        warnings=warnings,
    )


def _building_block(document: dict, existing, errors) -> BuildingBlock | None:
    categories = document.get("categories") or []
    if existing is not None:
        own = mapping.BUILDING_BLOCK_CATEGORIES.get(existing.building_block.slug)
        if own and own[0] in categories:
            return existing.building_block
    wanted = [
        mapping.BUILDING_BLOCK_OF_CATEGORY[category]
        for category in categories
        if category in mapping.BUILDING_BLOCK_OF_CATEGORY
    ]
    blocks = BuildingBlock.objects.in_bulk(
        [*wanted, mapping.FALLBACK_BUILDING_BLOCK], field_name="slug"
    )
    block = next(
        (blocks[slug] for slug in wanted if slug in blocks),
        blocks.get(mapping.FALLBACK_BUILDING_BLOCK),
    )
    if block is None:
        errors["categories"].append(
            _("None of these categories matches a building block of the catalogue.")
        )
    return block


def _domain(document: dict, errors) -> Domain | None:
    scopes = (document.get("intendedAudience") or {}).get("scope") or []
    wanted = [
        mapping.DOMAIN_OF_SCOPE[scope]
        for scope in scopes
        if scope in mapping.DOMAIN_OF_SCOPE
    ]
    domains = Domain.objects.in_bulk(
        [*wanted, mapping.FALLBACK_DOMAIN], field_name="slug"
    )
    domain = next(
        (domains[slug] for slug in wanted if slug in domains),
        domains.get(mapping.FALLBACK_DOMAIN),
    )
    if domain is None:
        errors["intendedAudience.scope"].append(
            _("None of these scopes matches a policy domain of the catalogue.")
        )
    return domain


def _names(value: str | None) -> list[str]:
    return [
        name.strip()
        for name in (value or "").split(mapping.ORGANISATION_SEPARATOR.strip())
        if name.strip()
    ]


def _index(objects, fields: tuple[str, ...]) -> dict[str, set]:
    """Objects by each of their names, case-insensitively."""
    index: dict[str, set] = defaultdict(set)
    for obj in objects:
        for name in fields:
            if value := getattr(obj, name, ""):
                index[value.casefold()].add(obj)
    return index


def _organisations(document: dict, errors, warnings) -> list[tuple[Provider, str]]:
    """(organisation, role) in the file's order: owners, developers, then
    the contacts' organisations as operators."""
    index = _index(
        Provider.objects.all(),
        (
            "slug",
            *(f"{f}_{c}" for f in ("name", "acronym") for c in ("nl", "fr", "en")),
        ),
    )
    legal = document["legal"]
    named = [
        (mapping.OWNER_KEY, name, True)
        for name in _names(legal.get("mainCopyrightOwner"))
    ]
    named += [
        (mapping.DEVELOPER_KEY, name, True) for name in _names(legal.get("repoOwner"))
    ]
    for contact in document["maintenance"].get("contacts") or []:
        named += [
            (mapping.OPERATOR_KEY, name, False)
            for name in _names(contact.get("affiliation"))
        ]
    found: list[tuple[Provider, str]] = []
    for key, name, required in named:
        matches = index.get(name.casefold(), set())
        if len(matches) == 1:
            pair = (next(iter(matches)), mapping.ROLE_OF_KEY[key])
            if pair not in found:
                found.append(pair)
            continue
        message = (
            _("“%(name)s” names several organisations of the catalogue.")
            if matches
            else _("No organisation of the catalogue is called “%(name)s”.")
        ) % {"name": name}
        if required:
            errors[key.replace(".affiliation", "")].append(message)
        else:
            warnings.append(f"{key}: {message}")
    return found


def _links(document: dict, descriptions: dict, existing) -> list[dict]:
    """Repository, landing page, and each language's documentation; the
    existing component's other links and titles stay."""
    wanted: list[tuple[str, str, set[str]]] = [
        (LinkKind.SOURCE_CODE, document["url"], set())
    ]
    if document.get("landingURL"):
        wanted.append((LinkKind.WEBSITE, document["landingURL"], set()))
    for code, texts in descriptions.items():
        for key, kind in (
            ("documentation", LinkKind.DOCUMENTATION),
            ("apiDocumentation", LinkKind.API_SPECIFICATION),
        ):
            if url := texts.get(key):
                same = next((w for w in wanted if w[:2] == (kind, url)), None)
                if same is None:
                    wanted.append((kind, url, {code}))
                else:
                    same[2].add(code)
    kept = existing.related_value("links") if existing is not None else []
    titles = {link["url"]: link["title"] for link in kept}
    links, urls = [], set()
    for kind, url, languages in wanted:
        if url in urls:
            continue
        urls.add(url)
        # Written in one language only: that language; in several: all.
        language = next(iter(languages)) if len(languages) == 1 else ""
        links.append(
            {
                "kind": kind,
                "url": url,
                "title": titles.get(url, ""),
                "language": language,
            }
        )
    links += [
        link
        for link in kept
        if link["kind"] == LinkKind.OTHER and link["url"] not in urls
    ]
    return links


def _tags(descriptions: dict) -> list[Tag]:
    """The features that are tags of the catalogue (others are free text)."""
    tags = list(Tag.objects.all())
    found: list[Tag] = []
    for code, texts in descriptions.items():
        by_own_name = _index(tags, (f"name_{code}",))
        by_any_name = _index(tags, ("slug", "name_nl", "name_fr", "name_en"))
        for feature in texts.get("features") or []:
            matches = by_own_name.get(feature.casefold()) or by_any_name.get(
                feature.casefold(), set()
            )
            if len(matches) == 1 and (tag := next(iter(matches))) not in found:
                found.append(tag)
    return found


def _dependencies(document: dict, warnings: list[str]) -> list[Component]:
    """The published components the file's dependencies name."""
    depends_on = document.get("dependsOn") or {}
    names = [
        (kind, dependency["name"])
        for kind in mapping.DEPENDENCY_KINDS
        for dependency in depends_on.get(kind) or []
    ]
    if not names:
        return []
    index = _index(
        Component.objects.published().only(
            "slug", "acronym", "name_nl", "name_fr", "name_en"
        ),
        ("slug", "acronym", "name_nl", "name_fr", "name_en"),
    )
    found: list[Component] = []
    for kind, name in names:
        matches = index.get(name.casefold(), set())
        if len(matches) == 1:
            if (component := next(iter(matches))) not in found:
                found.append(component)
        else:
            warnings.append(
                _(
                    "dependsOn.%(kind)s: “%(name)s” is not a component of the "
                    "catalogue; it is not recorded."
                )
                % {"kind": kind, "name": name}
            )
    return found


def _create(plan: _Plan, *, actor, submit: bool) -> Imported:
    fields = dict(plan.fields)
    organisation = getattr(actor, "organisation_id", None)
    if organisation is None:
        owners = [p for p, role in plan.organisations if role == OrganisationRole.OWNER]
        organisation = owners[0].pk if owners else None
    entry = Component(
        **fields,
        # From the file's own name, as _match() finds it again.
        slug=Component.objects.free_slug(plan.name),
        provider_id=organisation,
        source_reference=SOURCE_REFERENCE,
    )
    entry = publishing.create(
        entry=entry, related=plan.related, actor=actor, submit=submit
    )
    return Imported(component=entry, created=True, warnings=plan.warnings)


def _change(existing: Component, plan: _Plan, *, actor, submit: bool) -> Imported:
    outcome = publishing.change(
        entry=existing,
        changes={**plan.fields, **plan.related},
        actor=actor,
        submit=submit,
    )
    return Imported(
        component=outcome.entry,
        created=False,
        revision=outcome.revision,
        warnings=plan.warnings,
    )


class FilesRefused(Exception):
    """Some files were refused, so none was imported: messages by file."""

    def __init__(self, errors: dict[Path, dict[str, list[str]]]) -> None:
        super().__init__(errors)
        self.errors = errors


def import_files(
    paths: list[Path], *, actor, submit: bool = False
) -> list[tuple[Path, Imported]]:
    """Every file, or none of them (FilesRefused, with each one's messages)."""
    errors: dict[Path, dict[str, list[str]]] = {}
    documents = []
    for path in paths:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise too_large()
            documents.append((path, read(path.read_bytes())))
        except OSError as error:
            errors[path] = {FILE_KEY: [error.strerror or str(error)]}
        except Refused as refusal:
            errors[path] = refusal.message_dict
    if errors:
        raise FilesRefused(errors)
    imported = []
    with transaction.atomic():
        for path, document in documents:
            try:
                imported.append(
                    (path, import_publiccode(document, actor=actor, submit=submit))
                )
            except ValidationError as refusal:
                errors[path] = (
                    refusal.message_dict
                    if hasattr(refusal, "error_dict")
                    else {FILE_KEY: refusal.messages}
                )
            except PermissionDenied as refusal:
                errors[path] = {FILE_KEY: [str(refusal)]}
        if errors:
            # Leaves the transaction: the files imported before go too.
            raise FilesRefused(errors)
    return imported
