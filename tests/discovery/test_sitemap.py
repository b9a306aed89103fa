"""sitemap.xml: an index of sections listing every public page in nl, fr and
en with its hreflang alternates, dated by its record; nothing unpublished."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from catalogue.models import Component, ComponentOrganisation, OrganisationRole
from discovery.sitemaps import SITEMAPS, ComponentSitemap
from publishing import services
from publishing.models import Action
from tests.factories import (
    make_component,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
    make_user,
)
from tests.news.factories import make_article
from tests.plans import at_rest, plan_without

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sections(client) -> list[str]:
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [
        element.findtext(f"{SITEMAP}loc") for element in index.iter(f"{SITEMAP}sitemap")
    ]


def urls(client) -> dict[str, ET.Element]:
    """Every <url> of every section page, by its address."""
    found = {}
    for section in sections(client):
        urlset = xml(client, section.removeprefix("http://testserver"))
        assert urlset.tag == f"{SITEMAP}urlset"
        for url in urlset.iter(f"{SITEMAP}url"):
            found[url.findtext(f"{SITEMAP}loc")] = url
    return found


def canonical(document: str) -> str:
    """The XML with the whitespace between elements left out."""
    return ET.canonicalize(document, strip_text=True)


def test_the_index_lists_every_section_by_its_absolute_address(client):
    assert sections(client) == [
        f"http://testserver/sitemap-{name}.xml"
        for name in (
            "pages",
            "components",
            "providers",
            "networks",
            "events",
            "reuse-cases",
            "news",
            "news-pages",
        )
    ]


def test_every_public_page_in_three_languages_with_alternates(client):
    component = make_component()
    # The providers page lists the organisations with a part in a component.
    ComponentOrganisation.objects.create(
        component=component,
        organisation=component.provider,
        role=OrganisationRole.OWNER,
    )
    network = make_network()
    case = make_reuse_case(components=[component])

    found = urls(client)

    for path in (
        "/",
        "/catalogue/",
        "/building-blocks/",
        "/collaboration-models/",
        "/providers/",
        "/networks/",
        "/reuse-cases/",
        "/about/",
        "/about/how-to-reuse/",
        f"/service/{component.slug}/",
        f"/providers/{component.provider.slug}/",
        f"/networks/{network.slug}/",
        f"/reuse-cases/{case.slug}/",
    ):
        for language in ("nl", "fr", "en"):
            url = found[f"http://testserver/{language}{path}"]
            alternates = {
                link.get("hreflang"): link.get("href")
                for link in url.findall(f"{XHTML}link")
            }
            assert alternates == {
                "nl": f"http://testserver/nl{path}",
                "fr": f"http://testserver/fr{path}",
                "en": f"http://testserver/en{path}",
                "x-default": f"http://testserver{path}",
            }


def test_lastmod_is_the_records_last_change(client):
    component = make_component()
    changed = timezone.now() - timedelta(days=3)
    Component.objects.filter(pk=component.pk).update(updated_at=changed)

    url = urls(client)[f"http://testserver/fr/service/{component.slug}/"]

    # The day in the site's time zone (Europe/Brussels), as Django's sitemap
    # writes it: between 23:00 and midnight UTC it is already the next one.
    assert url.findtext(f"{SITEMAP}lastmod") == timezone.localdate(changed).isoformat()


def test_nothing_unpublished_is_listed(client):
    draft = make_component(publication_state="draft")
    submitted = make_component(publication_state="submitted")
    hidden_network = make_network(publication_state="draft")
    hidden_case = make_reuse_case(publication_state="submitted")
    # An organisation with nothing published has no place in the directory.
    lone = make_provider()

    addresses = "\n".join(urls(client))

    for slug in (draft.slug, submitted.slug, hidden_network.slug, hidden_case.slug):
        assert f"/{slug}/" not in addresses
    assert f"/providers/{lone.slug}/" not in addresses


def test_a_published_component_appears_in_the_sitemap(client):
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    component = make_component(provider=organisation, publication_state="draft")
    services.move(entry=component, action=Action.SUBMIT, actor=supplier)
    address = f"http://testserver/nl/service/{component.slug}/"
    assert address not in urls(client)

    moderator = make_user(is_staff=True, is_superuser=True)
    services.move(entry=component, action=Action.PUBLISH, actor=moderator)

    assert address in urls(client)


def test_large_sections_are_split_into_pages_read_one_at_a_time(
    client, monkeypatch, django_assert_max_num_queries
):
    # Three components to a page: nine addresses in three languages.
    monkeypatch.setattr(ComponentSitemap, "limit", 9)
    provider = make_provider()
    components = [make_component(provider=provider) for _ in range(7)]

    pages = [s for s in sections(client) if "sitemap-components" in s]
    assert pages == [
        "http://testserver/sitemap-components.xml",
        "http://testserver/sitemap-components.xml?p=2",
        "http://testserver/sitemap-components.xml?p=3",
    ]
    # The count and the one page of components (not the whole table).
    with django_assert_max_num_queries(2):
        last = xml(client, "/sitemap-components.xml?p=3")
    assert [u.findtext(f"{SITEMAP}loc") for u in last.iter(f"{SITEMAP}url")] == [
        f"http://testserver/{language}/service/{components[-1].slug}/"
        for language in ("nl", "fr", "en")
    ]
    assert client.get("/sitemap-components.xml?p=4").status_code == 404


def test_the_x_default_address_leads_each_visitor_to_her_language(client):
    component = make_component()

    response = client.get(
        f"/service/{component.slug}/", headers={"accept-language": "fr"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/fr/service/{component.slug}/"


@pytest.mark.parametrize("section", list(SITEMAPS))
def test_each_section_is_written_as_djangos_own_sitemap_writes_it(client, rf, section):
    # The portal writes the entries itself, faster (discovery/sitemaps.py,
    # discovery/templatetags/sitemap_entries.py): not a byte of meaning may
    # differ from Django's. One component changed at 23:30 UTC, already the
    # next day in Brussels, where its sitemap date is.
    late = make_component()
    Component.objects.filter(pk=late.pk).update(
        updated_at=timezone.now().replace(hour=23, minute=30) - timedelta(days=2)
    )
    component = make_component()
    ComponentOrganisation.objects.create(
        component=component,
        organisation=component.provider,
        role=OrganisationRole.OWNER,
    )
    make_event(network=make_network())
    make_reuse_case(components=[component])
    make_article()

    response = client.get(f"/sitemap-{section}.xml")

    sitemap = SITEMAPS[section]()
    django_urls = Sitemap.get_urls(
        sitemap, site=RequestSite(rf.get("/")), protocol="http"
    )
    assert django_urls, "the section lists nothing to compare"
    written_by_django = render_to_string("sitemap.xml", {"urlset": django_urls})
    assert canonical(response.content.decode()) == canonical(written_by_django)
    latest = getattr(sitemap, "latest_lastmod", None)
    assert response.get("Last-Modified") == (
        http_date(latest.timestamp()) if latest else None
    )


@pytest.mark.django_db(transaction=True)
def test_a_deep_page_of_components_is_read_from_an_index_alone(client):
    provider = make_provider()
    for _ in range(3):
        make_component(provider=provider)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-components.xml").status_code == 200
    (page,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "catalogue_component"."id"')
    ]
    at_rest("catalogue_component")
    # Page 40 read 80,000 whole rows to skip them: 124 ms at 100,000 components.
    plan = plan_without(f"{page} OFFSET 2", "seqscan", "sort", "bitmapscan")

    assert "Index Only Scan" in plan, plan
    assert "Sort" not in plan, plan
