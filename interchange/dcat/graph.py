"""The published catalogue as DCAT-AP 3.0.1, with ADMS-AP's vocabularies: the
one mapping from the portal's model to RDF. Change the model, change this.

Classes. A component is a `dcat:Dataset` (ADMS-AP models interoperability
solutions as datasets; `dct:type` says which kind), except an API or a
service whose address is known: that is a `dcat:DataService`, whose
`dcat:endpointURL` DCAT-AP requires. The catalogue records no API base URL
(a link has no "endpoint" kind), so the component's website link stands for
the place where the service is reached, and its API-specification link is
the `dcat:endpointDescription`.

Every node that a shape constrains by class is typed in the graph itself
(languages, concepts of external vocabularies...): validators and harvesters
do not fetch those vocabularies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from catalogue.licences import LICENCES
from catalogue.models import (
    BuildingBlock,
    Component,
    ComponentKind,
    LifecycleStatus,
    LinkKind,
    Provider,
    ProviderKind,
)
from publishing.models import PublicationState
from reuse_portal.addresses import slug_address

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
ADMS_STATUS = Namespace("http://purl.org/adms/status/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
SPDX_LICENCE = Namespace("http://spdx.org/licenses/")

# The portal's metadata languages, and the languages a component can be used in.
METADATA_LANGUAGES = ("nl", "fr", "en")
EU_LANGUAGES = {"nl": "NLD", "fr": "FRA", "de": "DEU", "en": "ENG"}

# The ADMS status vocabulary (purl.org/adms/status) has four values: a
# component whose status nobody stated gets none.
STATUSES = {
    LifecycleStatus.CONCEPT: ("UnderDevelopment", "Under development"),
    LifecycleStatus.IN_DEVELOPMENT: ("UnderDevelopment", "Under development"),
    LifecycleStatus.AVAILABLE: ("Completed", "Completed"),
    LifecycleStatus.DEPRECATED: ("Deprecated", "Deprecated"),
    LifecycleStatus.WITHDRAWN: ("Withdrawn", "Withdrawn"),
}

# The ADMS publisher types (purl.org/adms/publishertype). Federal services,
# social-security and public-benefit institutions act for the whole country;
# Smals-like ICT associations and health networks are non-profit bodies.
PUBLISHER_TYPES = {
    ProviderKind.FEDERAL_PUBLIC_SERVICE: ("NationalAuthority", "National authority"),
    ProviderKind.SOCIAL_SECURITY_INSTITUTION: (
        "NationalAuthority",
        "National authority",
    ),
    ProviderKind.PUBLIC_INSTITUTION: ("NationalAuthority", "National authority"),
    ProviderKind.REGIONAL_ADMINISTRATION: ("RegionalAuthority", "Regional authority"),
    ProviderKind.GOVERNMENT_ICT_ASSOCIATION: (
        "NonProfitOrganisation",
        "Non-profit organisation",
    ),
    ProviderKind.HEALTH_NETWORK: ("NonProfitOrganisation", "Non-profit organisation"),
    ProviderKind.PRIVATE_COMPANY: ("Company", "Company"),
}

# The ADMS licence types (purl.org/adms/licencetype): one per licence, its
# main condition.
COPYLEFT = ("ViralEffect-ShareAlike", "Viral effect (share-alike)")
ATTRIBUTION = ("Attribution", "Attribution")
LICENCE_TYPES = {
    "EUPL-1.2": COPYLEFT,
    "Apache-2.0": ATTRIBUTION,
    "MIT": ATTRIBUTION,
    "BSD-2-Clause": ATTRIBUTION,
    "BSD-3-Clause": ATTRIBUTION,
    "MPL-2.0": COPYLEFT,
    "GPL-2.0-or-later": COPYLEFT,
    "GPL-3.0-or-later": COPYLEFT,
    "LGPL-2.1-or-later": COPYLEFT,
    "LGPL-3.0-or-later": COPYLEFT,
    "AGPL-3.0-or-later": COPYLEFT,
    "CC-BY-4.0": ATTRIBUTION,
    "CC0-1.0": ("PublicDomain", "Public domain"),
    "LicenseRef-proprietary": ("OtherRestrictiveClauses", "Other restrictive clauses"),
}

# Kinds that are services when their address is known.
SERVICE_KINDS = (ComponentKind.API, ComponentKind.SERVICE)

LICENCE_NAMES = dict(LICENCES)

CATALOGUE_TITLE = _("ReUse: reusable public-sector software")
CATALOGUE_DESCRIPTION = _(
    "The catalogue of components, services and APIs that Belgian public "
    "institutions offer for reuse."
)
KINDS_TITLE = _("Kinds of reusable components")
BUILDING_BLOCKS_TITLE = _("Building blocks of a public service")

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "skos": SKOS,
    "vcard": VCARD,
    "adms": ADMS,
    "xsd": XSD,
    "rdfs": RDFS,
}


# Identifiers. `/id/...` URIs name the things, apart from any page about them
# (the EU's persistent-URI guidelines, W3C "Cool URIs"): they never change
# with the language, the page layout or the API version, and /id/ answers
# with a 303 to the page or, for RDF clients, to the DCAT description.
def _id(*parts: str) -> URIRef:
    return URIRef("/".join([settings.SITE_URL, "id", *parts]))


def catalogue_uri() -> URIRef:
    return _id("catalogue")


def component_uri(slug: str) -> URIRef:
    return _id("component", slug)


def organisation_uri(slug: str) -> URIRef:
    return _id("organisation", slug)


def building_block_uri(slug: str) -> URIRef:
    return _id("building-block", slug)


def kind_uri(kind: str) -> URIRef:
    return _id("kind", kind)


def site_url(path: str) -> URIRef:
    return URIRef(settings.SITE_URL + path)


def landing_page(component: Component) -> URIRef:
    """The component's page without a language prefix: the site sends each
    reader to it in their own language (one landing page, as ADMS-AP allows)."""
    with translation.override("en"):
        path = component.get_absolute_url()
    return site_url(path.removeprefix("/en"))


def catalogue_components(*, modified_since: datetime | None = None) -> QuerySet:
    """The published components and everything the graph says of them, in a
    fixed number of queries whatever their number."""
    published = Component.objects.published()
    components = published.select_related(
        "provider", "building_block", "successor"
    ).prefetch_related(
        "tags",
        "links",
        Prefetch("depends_on", queryset=published.only("slug")),
    )
    if modified_since is not None:
        components = components.filter(updated_at__gte=modified_since)
    return components.order_by("slug")


def last_modified() -> datetime | None:
    """When the published catalogue last changed (components and publishers)."""
    component = Component.objects.published().aggregate(last=Max("updated_at"))
    provider = Provider.objects.filter(
        components__publication_state=PublicationState.PUBLISHED
    ).aggregate(last=Max("updated_at"))
    dates = [date for date in (component["last"], provider["last"]) if date]
    return max(dates, default=None)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def catalogue_graph(components: Iterable[Component]) -> Graph:
    """The whole catalogue: one dcat:Catalog with `components`."""
    components = list(components)
    graph = new_graph()
    catalogue = catalogue_uri()
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _add_texts(graph, catalogue, DCTERMS.title, _translations(CATALOGUE_TITLE))
    _add_texts(
        graph, catalogue, DCTERMS.description, _translations(CATALOGUE_DESCRIPTION)
    )
    graph.add((catalogue, DCTERMS.publisher, _portal_agent(graph)))
    graph.add((catalogue, DCAT.contactPoint, _portal_contact(graph)))
    homepage = site_url("/")
    graph.add((catalogue, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    for code in METADATA_LANGUAGES:
        graph.add((catalogue, DCTERMS.language, _language(graph, code)))
    belgium = EU_COUNTRY.BEL
    graph.add((catalogue, DCTERMS.spatial, belgium))
    graph.add((belgium, RDF.type, DCTERMS.Location))
    graph.add((belgium, RDFS.label, Literal("Belgium", lang="en")))
    graph.add((catalogue, DCAT.themeTaxonomy, _building_blocks(graph)))
    if components:
        modified = max(component.updated_at for component in components)
        graph.add((catalogue, DCTERMS.modified, _date_time(modified)))
    for component in components:
        resource, is_service = _add_component(graph, component)
        graph.add((catalogue, DCAT.service if is_service else DCAT.dataset, resource))
    return graph


def component_graph(component: Component) -> Graph:
    """One component and what it refers to, without the catalogue."""
    graph = new_graph()
    _add_component(graph, component)
    return graph


def _add_component(graph: Graph, component: Component) -> tuple[URIRef, bool]:
    resource = component_uri(component.slug)
    links = list(component.links.all())
    endpoint = _first_link(links, LinkKind.WEBSITE)
    is_service = component.kind in SERVICE_KINDS and endpoint is not None
    graph.add((resource, RDF.type, DCAT.DataService if is_service else DCAT.Dataset))
    graph.add((resource, DCTERMS.identifier, Literal(str(resource))))
    for code in METADATA_LANGUAGES:
        name = getattr(component, f"name_{code}")
        summary = getattr(component, f"summary_{code}")
        description = getattr(component, f"description_{code}")
        if name:
            graph.add((resource, DCTERMS.title, Literal(name, lang=code)))
        text = "\n\n".join(part for part in (summary, description) if part)
        if text:
            graph.add((resource, DCTERMS.description, Literal(text, lang=code)))
    if component.acronym:
        graph.add((resource, SKOS.altLabel, Literal(component.acronym)))
    graph.add((resource, DCTERMS.type, _kind(graph, component.kind)))
    graph.add(
        (
            resource,
            DCAT.theme,
            _building_block(graph, component.building_block),
        )
    )
    for tag in component.tags.all():
        for code in METADATA_LANGUAGES:
            name = getattr(tag, f"name_{code}")
            if name:
                graph.add((resource, DCAT.keyword, Literal(name, lang=code)))
    if component.published_at:
        graph.add((resource, DCTERMS.issued, _date_time(component.published_at)))
    graph.add((resource, DCTERMS.modified, _date_time(component.updated_at)))
    page = landing_page(component)
    graph.add((resource, DCAT.landingPage, page))
    graph.add((page, RDF.type, FOAF.Document))
    # Until an organisation is confirmed, the ReUse programme answers for the
    # entry (ADMS-AP requires a publisher), as the page sends readers to it.
    if component.provider is not None:
        publisher = _agent(graph, component.provider)
    else:
        publisher = _portal_agent(graph)
    graph.add((resource, DCTERMS.publisher, publisher))
    graph.add((resource, DCAT.contactPoint, _contact_point(graph, component)))
    status = STATUSES.get(component.lifecycle_status)
    if status is not None:
        graph.add((resource, ADMS.status, _status(graph, *status)))
    for code in component.languages:
        graph.add((resource, DCTERMS.language, _language(graph, code)))
    for link in links:
        if link.kind == LinkKind.DOCUMENTATION:
            graph.add((resource, FOAF.page, URIRef(link.url)))
            graph.add((URIRef(link.url), RDF.type, FOAF.Document))
    for other in component.depends_on.all():
        graph.add((resource, DCTERMS.requires, component_uri(other.slug)))
    successor = component.successor
    if successor is not None and successor.is_public:
        graph.add((resource, DCTERMS.isReplacedBy, component_uri(successor.slug)))
    licence = _licence(graph, component.licence)
    if is_service:
        graph.add((resource, DCAT.endpointURL, URIRef(endpoint.url)))
        specification = _first_link(links, LinkKind.API_SPECIFICATION)
        if specification is not None:
            graph.add((resource, DCAT.endpointDescription, URIRef(specification.url)))
        if licence is not None:
            graph.add((resource, DCTERMS.license, licence))
    elif licence is not None:
        _add_distribution(graph, resource, component, links, licence)
    return resource, is_service


def _add_distribution(
    graph: Graph, resource: URIRef, component: Component, links: list, licence
) -> None:
    """Where the software is obtained, under its licence (DCAT-AP puts a
    dataset's licence on its distributions)."""
    access = _first_link(links, LinkKind.SOURCE_CODE) or _first_link(
        links, LinkKind.WEBSITE
    )
    distribution = URIRef(f"{resource}#distribution")
    graph.add((resource, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add(
        (
            distribution,
            DCAT.accessURL,
            URIRef(access.url) if access else landing_page(component),
        )
    )
    graph.add((distribution, DCTERMS.license, licence))


def _first_link(links: list, kind: str):
    return next((link for link in links if link.kind == kind), None)


def _translations(text) -> dict[str, str]:
    result = {}
    for code in METADATA_LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result


def _add_texts(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    for code, text in texts.items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=code)))


def _date_time(value: datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _concept(graph: Graph, concept: URIRef, labels: dict[str, str], scheme) -> URIRef:
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    _add_texts(graph, concept, SKOS.prefLabel, labels)
    return concept


def _external_scheme(graph: Graph, scheme: URIRef, title: str) -> URIRef:
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(title, lang="en")))
    return scheme


def _status(graph: Graph, name: str, label: str) -> URIRef:
    scheme = _external_scheme(
        graph, URIRef("http://purl.org/adms/status/1.0"), "ADMS status"
    )
    return _concept(graph, ADMS_STATUS[name], {"en": label}, scheme)


def _language(graph: Graph, code: str) -> URIRef:
    language = EU_LANGUAGE[EU_LANGUAGES[code]]
    graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    return language


def _kind(graph: Graph, kind: str) -> URIRef:
    scheme = _id("kinds")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    _add_texts(graph, scheme, DCTERMS.title, _translations(KINDS_TITLE))
    return _concept(
        graph, kind_uri(kind), _translations(ComponentKind(kind).label), scheme
    )


def _building_blocks(graph: Graph) -> URIRef:
    """The portal's own theme taxonomy: every building block, used or not."""
    scheme = _id("building-blocks")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    _add_texts(graph, scheme, DCTERMS.title, _translations(BUILDING_BLOCKS_TITLE))
    for block in BuildingBlock.objects.all():
        # skos:topConceptOf, not its inverse hasTopConcept, which Joinup's
        # ADMS-AP validator wrongly wants as a literal (its rule 99).
        graph.add((_building_block(graph, block), SKOS.topConceptOf, scheme))
    return scheme


def _building_block(graph: Graph, block: BuildingBlock) -> URIRef:
    concept = _concept(
        graph,
        building_block_uri(block.slug),
        {code: getattr(block, f"name_{code}") for code in METADATA_LANGUAGES},
        _id("building-blocks"),
    )
    for code in METADATA_LANGUAGES:
        definition = getattr(block, f"description_{code}")
        if definition:
            graph.add((concept, SKOS.definition, Literal(definition, lang=code)))
    return concept


def _agent(graph: Graph, provider: Provider) -> URIRef:
    agent = organisation_uri(provider.slug)
    graph.add((agent, RDF.type, FOAF.Agent))
    _add_texts(
        graph,
        agent,
        FOAF.name,
        {code: getattr(provider, f"name_{code}") for code in METADATA_LANGUAGES},
    )
    graph.add((agent, DCTERMS.type, _publisher_type(graph, provider.kind)))
    if provider.website_url:
        graph.add((agent, FOAF.homepage, URIRef(provider.website_url)))
    return agent


def _publisher_type(graph: Graph, kind: str) -> URIRef:
    name, label = PUBLISHER_TYPES[kind]
    scheme = _external_scheme(
        graph, URIRef("http://purl.org/adms/publishertype/1.0"), "ADMS publisher type"
    )
    return _concept(graph, ADMS_PUBLISHER_TYPE[name], {"en": label}, scheme)


def _portal_agent(graph: Graph) -> URIRef:
    """The portal's own team, which publishes the catalogue."""
    agent = organisation_uri("reuse")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal("ReUse")))
    publisher_type = _publisher_type(graph, ProviderKind.FEDERAL_PUBLIC_SERVICE)
    graph.add((agent, DCTERMS.type, publisher_type))
    graph.add((agent, FOAF.homepage, site_url("/")))
    return agent


def _portal_contact(graph: Graph) -> URIRef:
    contact = URIRef(f"{catalogue_uri()}#contact")
    _vcard(graph, contact, "ReUse", settings.CONTACT_EMAIL)
    return contact


def _contact_point(graph: Graph, component: Component) -> URIRef:
    """Whom to ask, as the component's page says: its support contact, else
    its provider's address, else the ReUse programme, which puts people in
    touch (ADMS-AP wants an e-mail address on every contact point)."""
    contact = URIRef(f"{component_uri(component.slug)}#contact")
    provider = component.provider
    if component.support_email or component.support_name:
        name = component.support_name or (provider.name if provider else "ReUse")
        email = component.support_email or (provider.contact_email if provider else "")
    elif provider is not None and provider.contact_email:
        name, email = provider.name, provider.contact_email
    else:
        name, email = "ReUse", ""
    _vcard(graph, contact, name, email or settings.CONTACT_EMAIL)
    if component.support_phone:
        # A literal, as ADMS-AP wants it.
        graph.add((contact, VCARD.hasTelephone, Literal(component.support_phone)))
    return contact


def _vcard(graph: Graph, contact: URIRef, name: str, email: str) -> None:
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(name)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))


def _licence(graph: Graph, licence: str):
    """An SPDX licence by its SPDX URI; a licence of the portal's own
    (LicenseRef-...) by its name."""
    if not licence:
        return None
    if licence.startswith("LicenseRef-"):
        document = BNode()
        _add_texts(
            graph,
            document,
            RDFS.label,
            _translations(LICENCE_NAMES.get(licence, licence)),
        )
    else:
        document = SPDX_LICENCE[licence]
        graph.add((document, RDFS.label, Literal(LICENCE_NAMES.get(licence, licence))))
    graph.add((document, RDF.type, DCTERMS.LicenseDocument))
    name, label = LICENCE_TYPES.get(licence, LICENCE_TYPES["LicenseRef-proprietary"])
    scheme = _external_scheme(
        graph, URIRef("http://purl.org/adms/licencetype/1.0"), "ADMS licence type"
    )
    licence_type = _concept(graph, ADMS_LICENCE_TYPE[name], {"en": label}, scheme)
    graph.add((document, DCTERMS.type, licence_type))
    return document


SERIALISATIONS = {
    # Suffix: (media type, rdflib format).
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "pretty-xml"),
}


def serialise(graph: Graph, extension: str) -> bytes:
    _media_type, rdf_format = SERIALISATIONS[extension]
    options = {}
    if rdf_format == "json-ld":
        options = {
            "context": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
            "auto_compact": True,
        }
    return graph.serialize(format=rdf_format, encoding="utf-8", **options)


def component_dcat_path(slug: str, extension: str) -> str:
    return slug_address("api:component-dcat", slug, extension=extension)
