"""The catalogue as DCAT-AP for harvesters, and the component page's linked
data for search engines: formats, what is public, languages, negotiation,
changes since a date, cache validators and query counts."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from catalogue.models import (
    Component,
    ComponentKind,
    ComponentLink,
    LifecycleStatus,
    LinkKind,
    ProviderKind,
    PublicationState,
)
from interchange.dcat import urls as dcat_urls
from interchange.dcat.graph import (
    ADMS,
    DCAT,
    DCTERMS,
    FOAF,
    RDF,
    VCARD,
    component_uri,
)
from reuse_portal import urls as root_urls
from tests.factories import make_component, make_provider

pytestmark = pytest.mark.django_db

SERIALISATIONS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def fetch_graph(client, path: str, **headers) -> Graph:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.content
    media_type = response["Content-Type"].split(";")[0]
    rdf_format = {media: fmt for media, fmt in SERIALISATIONS.values()}[media_type]
    return Graph().parse(data=response.content, format=rdf_format)


def make_api(**overrides) -> Component:
    """A published API with its address and its specification."""
    component = make_component(kind=ComponentKind.API, **overrides)
    ComponentLink.objects.create(
        component=component, kind=LinkKind.WEBSITE, url="https://api.example.be/v1"
    )
    ComponentLink.objects.create(
        component=component,
        kind=LinkKind.API_SPECIFICATION,
        url="https://api.example.be/v1/openapi.json",
    )
    return component


def test_the_catalogue_is_the_same_graph_in_all_three_serialisations(client):
    make_api(licence="EUPL-1.2")
    make_component(
        kind=ComponentKind.COMPONENT,
        licence="LicenseRef-proprietary",
        languages=["nl", "de"],
    )
    graphs = {}
    for extension, (media_type, _format) in SERIALISATIONS.items():
        response = client.get(f"/api/v1/catalogue.{extension}")
        assert response["Content-Type"] == f"{media_type}; charset=utf-8"
        graphs[extension] = fetch_graph(client, f"/api/v1/catalogue.{extension}")
    assert len(graphs["ttl"]) > 50
    assert isomorphic(graphs["ttl"], graphs["jsonld"])
    assert isomorphic(graphs["ttl"], graphs["rdf"])
    assert len(list(graphs["ttl"].subjects(RDF.type, DCAT.Catalog))) == 1


@pytest.mark.parametrize(
    "state", [s for s in PublicationState if s != PublicationState.PUBLISHED]
)
def test_only_published_components_are_harvested(client, state):
    public = make_component()
    hidden = make_component(publication_state=state)
    graph = fetch_graph(client, "/api/v1/catalogue.ttl")
    catalogue_members = set(graph.objects(None, DCAT.dataset)) | set(
        graph.objects(None, DCAT.service)
    )
    assert component_uri(public.slug) in catalogue_members
    assert component_uri(hidden.slug) not in catalogue_members
    assert hidden.slug not in graph.serialize(format="turtle")
    assert client.get(f"/api/v1/components/{hidden.slug}.ttl").status_code == 404
    assert client.get(f"/api/v1/components/{public.slug}.ttl").status_code == 200


def test_texts_are_in_dutch_french_and_english_with_language_tags(client):
    component = make_component(
        description_nl="Lang verhaal.",
        description_fr="Longue histoire.",
        description_en="Long story.",
    )
    graph = fetch_graph(client, f"/api/v1/components/{component.slug}.jsonld")
    subject = component_uri(component.slug)
    titles = set(graph.objects(subject, DCTERMS.title))
    assert titles == {
        Literal(component.name_nl, lang="nl"),
        Literal(component.name_fr, lang="fr"),
        Literal(component.name_en, lang="en"),
    }
    descriptions = {
        d.language: str(d) for d in graph.objects(subject, DCTERMS.description)
    }
    assert descriptions["fr"] == f"{component.summary_fr}\n\nLongue histoire."
    assert set(descriptions) == {"nl", "fr", "en"}


def test_an_api_with_an_address_is_a_data_service_with_its_description(client):
    api = make_api()
    no_address = make_component(kind=ComponentKind.API)
    graph = fetch_graph(client, "/api/v1/catalogue.ttl")
    service = component_uri(api.slug)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef("https://api.example.be/v1")
    assert graph.value(service, DCAT.endpointDescription) == URIRef(
        "https://api.example.be/v1/openapi.json"
    )
    # DCAT-AP requires an endpoint of a data service: without one, a dataset.
    assert (component_uri(no_address.slug), RDF.type, DCAT.Dataset) in graph


def test_publisher_contact_status_licence_languages_and_dates(client, settings):
    provider = make_provider(
        kind=ProviderKind.REGIONAL_ADMINISTRATION, contact_email="help@region.be"
    )
    component = make_component(
        kind=ComponentKind.COMPONENT,
        provider=provider,
        lifecycle_status=LifecycleStatus.DEPRECATED,
        licence="EUPL-1.2",
        languages=["nl", "fr"],
    )
    graph = fetch_graph(client, f"/api/v1/components/{component.slug}.rdf")
    subject = component_uri(component.slug)
    publisher = graph.value(subject, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert Literal(provider.name_fr, lang="fr") in set(
        graph.objects(publisher, FOAF.name)
    )
    assert graph.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/RegionalAuthority"
    )
    contact = graph.value(subject, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:help@region.be")
    assert graph.value(subject, ADMS.status) == URIRef(
        "http://purl.org/adms/status/Deprecated"
    )
    distribution = graph.value(subject, DCAT.distribution)
    assert graph.value(distribution, DCTERMS.license) == URIRef(
        "http://spdx.org/licenses/EUPL-1.2"
    )
    assert set(graph.objects(subject, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/NLD"),
        URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
    }
    modified = graph.value(subject, DCTERMS.modified)
    assert modified.datatype == URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
    assert modified.toPython() == component.updated_at
    landing = graph.value(subject, DCAT.landingPage)
    assert str(landing) == f"{settings.SITE_URL}/service/{component.slug}/"


def test_the_landing_page_sends_each_reader_to_their_language(client):
    component = make_component()
    response = client.get(
        f"/service/{component.slug}/", headers={"accept-language": "fr"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/service/{component.slug}/"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("*/*", "text/turtle"),
        (None, "text/turtle"),
        ("text/html;q=0.9, application/rdf+xml;q=0.5", "application/rdf+xml"),
    ],
)
def test_the_catalogue_answers_in_the_format_asked_for(client, accept, media_type):
    make_component()
    headers = {"accept": accept} if accept else {}
    response = client.get("/api/v1/catalogue", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert "Accept" in response["Vary"]
    fetch_graph(client, "/api/v1/catalogue", **headers)


def test_a_format_the_catalogue_does_not_have_is_a_406_that_says_which_it_has(client):
    response = client.get("/api/v1/catalogue", headers={"accept": "text/html"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    detail = response.json()["detail"]
    for media_type in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        assert media_type in detail
    assert ".ttl" in detail


def test_harvesters_poll_with_validators_and_get_304s(client):
    make_component()
    first = client.get("/api/v1/catalogue.ttl")
    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get(
        "/api/v1/catalogue.ttl", headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304


def backdate(component: Component, days: int) -> None:
    Component.objects.filter(pk=component.pk).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def test_modified_since_returns_what_changed_since_then(client):
    old = make_component()
    recent = make_component()
    backdate(old, 30)
    backdate(recent, 2)
    since = (timezone.now() - timedelta(days=10)).date().isoformat()

    listed = client.get("/api/v1/components/", {"modified_since": since}).json()
    assert [item["slug"] for item in listed["results"]] == [recent.slug]
    assert listed["results"][0]["updated_at"]

    moment = (timezone.now() - timedelta(days=40)).isoformat()
    listed = client.get("/api/v1/components/", {"modified_since": moment}).json()
    assert {item["slug"] for item in listed["results"]} == {old.slug, recent.slug}

    graph = fetch_graph(client, f"/api/v1/catalogue.ttl?modified_since={since}")
    assert (component_uri(recent.slug), RDF.type, DCAT.Dataset) in graph
    assert (component_uri(old.slug), None, None) not in graph


@pytest.mark.parametrize("path", ["/api/v1/components/", "/api/v1/catalogue.ttl"])
@pytest.mark.parametrize("value", ["yesterday", "2026-13-45", "01/11/2026", ""])
def test_a_bad_modified_since_is_a_400_that_says_how_to_write_it(client, path, value):
    response = client.get(path, {"modified_since": value})
    if value == "":
        # An empty parameter is no filter, as for every other filter.
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    message = response.json()["errors"]["modified_since"][0]
    assert "ISO 8601" in message


@pytest.mark.parametrize("rows", [1, 12])
def test_the_catalogue_makes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    for n in range(rows):
        component = make_api(licence="MIT", languages=["nl"])
        other = make_component()
        component.depends_on.add(other)
        component.tags.create(slug=f"tag-{n}", name_nl="t", name_fr="t", name_en="t")
    # Components, their tags, links and dependencies, the building blocks,
    # and the last change of components and of publishers.
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/catalogue.ttl")
    assert response.status_code == 200


def component_page(client, component: Component, language: str = "en"):
    response = client.get(f"/{language}/service/{component.slug}/")
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def linked_data(soup: BeautifulSoup) -> dict:
    (block,) = soup.find_all("script", type="application/ld+json")
    return json.loads(block.string)


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (ComponentKind.API, "WebAPI"),
        (ComponentKind.COMPONENT, "SoftwareApplication"),
        (ComponentKind.PLATFORM, "SoftwareApplication"),
    ],
)
def test_the_component_page_describes_itself_for_search_engines(
    client, kind, schema_type
):
    component = make_component(kind=kind, licence="EUPL-1.2")
    _response, soup = component_page(client, component, "fr")
    data = linked_data(soup)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["name"] == component.name_fr
    assert data["inLanguage"] == "fr"
    assert data["license"] == "http://spdx.org/licenses/EUPL-1.2"
    assert data["url"].endswith(f"/fr/service/{component.slug}/")


def test_texts_cannot_break_out_of_the_linked_data_block(client):
    hostile = '</script><script>alert("x")</script><!-- & '
    component = make_component(name_en=hostile, summary_en="<b>bold</b>")
    response, soup = component_page(client, component)
    assert b"</script><script>alert" not in response.content
    assert len(soup.find_all("script", type="application/ld+json")) == 1
    data = linked_data(soup)
    assert data["name"] == hostile
    assert data["description"] == "<b>bold</b>"


def test_the_component_page_links_its_publiccode_and_dcat_representations(client):
    component = make_component()
    response, soup = component_page(client, component, "nl")
    expected = {
        f"/nl/service/{component.slug}/publiccode.yml": "application/yaml",
        f"/api/v1/components/{component.slug}.ttl": "text/turtle",
        f"/api/v1/components/{component.slug}.jsonld": "application/ld+json",
        f"/api/v1/components/{component.slug}.rdf": "application/rdf+xml",
    }
    in_head = {
        link["href"]: link["type"]
        for link in soup.head.find_all("link", rel="alternate")
        if link.get("type")
    }
    assert in_head == expected
    header = response["Link"]
    for href, media_type in expected.items():
        assert f'<{href}>; rel="alternate"; type="{media_type}"' in header
    for href in list(expected)[1:]:
        assert client.get(href).status_code == 200


# The /id/ resolver, as reuse_portal/urls.py includes it at the root.
urlpatterns = [*root_urls.urlpatterns, *dcat_urls.id_patterns]


@pytest.mark.urls(__name__)
def test_an_identifier_leads_to_the_page_or_to_the_rdf(client):
    component = make_component()
    hidden = make_component(publication_state=PublicationState.DRAFT)
    uri = f"/id/component/{component.slug}"
    for accept, location in [
        ("text/turtle", f"/api/v1/components/{component.slug}.ttl"),
        ("application/ld+json", f"/api/v1/components/{component.slug}.jsonld"),
        ("text/html,*/*;q=0.8", f"/fr/service/{component.slug}/"),
    ]:
        response = client.get(uri, headers={"accept": accept, "accept-language": "fr"})
        assert response.status_code == 303
        assert response["Location"] == location
    assert client.get(f"/id/component/{hidden.slug}").status_code == 404
