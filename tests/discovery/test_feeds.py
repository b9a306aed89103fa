"""Atom feeds of new and updated components: valid Atom, only published
components, the latest change first, in the language of the address."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from catalogue.models import Component, ComponentOrganisation, OrganisationRole
from discovery.feeds import MAX_ENTRIES
from publishing import services
from publishing.models import Action
from tests.factories import (
    make_building_block,
    make_component,
    make_network,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> tuple[ET.Element, list[ET.Element]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed, feed.findall(f"{ATOM}entry")


def titles(client, url: str) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in entries(client, url)[1]]


def test_the_feed_is_atom_with_what_a_reader_needs(client):
    component = make_component(name_fr="Signature électronique", summary_fr="Signer.")

    feed, [entry] = entries(client, "/fr/feeds/components/")

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "ReUse"
    assert entry.findtext(f"{ATOM}title") == "Signature électronique"
    assert entry.findtext(f"{ATOM}summary") == "Signer."
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/fr/service/{component.slug}/"
    assert entry.findtext(f"{ATOM}updated").startswith(
        component.updated_at.strftime("%Y-%m-%d")
    )


def test_each_language_has_its_own_texts_and_links(client):
    component = make_component(name_nl="Handtekening", name_en="Signature")

    assert titles(client, "/nl/feeds/components/") == ["Handtekening"]
    _feed, [entry] = entries(client, "/en/feeds/components/")
    assert entry.findtext(f"{ATOM}title") == "Signature"
    assert (
        entry.find(f"{ATOM}link").get("href").endswith(f"/en/service/{component.slug}/")
    )


def test_only_published_components_latest_change_first(client):
    older = make_component(name_nl="Ouder")
    newer = make_component(name_nl="Nieuwer")
    for state in ("draft", "submitted", "rejected", "archived"):
        make_component(name_nl=f"Niet publiek {state}", publication_state=state)
    # A change to the older one brings it to the top.
    Component.objects.filter(pk=older.pk).update(
        updated_at=timezone.now() + timedelta(minutes=1)
    )

    assert titles(client, "/nl/feeds/components/") == [older.name_nl, newer.name_nl]


def test_a_published_component_appears_in_the_feed(client):
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    component = make_component(
        provider=organisation, publication_state="draft", name_nl="Tijdstempel"
    )
    services.move(entry=component, action=Action.SUBMIT, actor=supplier)
    assert titles(client, "/nl/feeds/components/") == []
    assert titles(client, f"/nl/feeds/components/provider/{organisation.slug}/") == []

    moderator = make_user(is_staff=True, is_superuser=True)
    services.move(entry=component, action=Action.PUBLISH, actor=moderator)

    assert titles(client, "/nl/feeds/components/") == ["Tijdstempel"]
    assert titles(client, f"/nl/feeds/components/provider/{organisation.slug}/") == [
        "Tijdstempel"
    ]


def test_a_provider_feed_has_what_it_provides_and_takes_part_in(client):
    provider = make_provider()
    make_component(provider=provider, name_nl="Eigen")
    joint = make_component(name_nl="Samen")
    ComponentOrganisation.objects.create(
        component=joint, organisation=provider, role=OrganisationRole.CO_SUPPORTER
    )
    make_component(name_nl="Van een ander")

    url = f"/nl/feeds/components/provider/{provider.slug}/"
    assert sorted(titles(client, url)) == ["Eigen", "Samen"]


def test_a_building_block_feed_has_its_components(client):
    block = make_building_block()
    make_component(building_block=block, name_nl="In het blok")
    make_component(name_nl="Elders")

    url = f"/nl/feeds/components/building-block/{block.slug}/"
    assert titles(client, url) == ["In het blok"]


def test_a_network_feed_has_its_published_components_and_only_public_networks(
    client,
):
    network = make_network()
    network.components.add(
        make_component(name_nl="In het netwerk"),
        make_component(name_nl="Ontwerp", publication_state="draft"),
    )
    make_component(name_nl="Elders")
    hidden = make_network(publication_state="draft")

    url = f"/nl/feeds/components/network/{network.slug}/"
    assert titles(client, url) == ["In het netwerk"]
    assert client.get(f"/nl/feeds/components/network/{hidden.slug}/").status_code == 404
    assert client.get("/nl/feeds/components/provider/nobody/").status_code == 404


def test_at_most_50_entries_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    provider = make_provider()
    block = make_building_block()
    domain = make_component(provider=provider, building_block=block).domain
    Component.objects.bulk_create(
        Component(
            slug=f"bulk-{n}",
            name_nl=f"Component {n}",
            summary_nl="Samenvatting",
            kind="api",
            building_block=block,
            domain=domain,
            provider=provider,
            publication_state="published",
            published_at=timezone.now(),
        )
        for n in range(MAX_ENTRIES + 10)
    )

    # The provider, then the components with their provider and block.
    with django_assert_max_num_queries(2):
        _feed, found = entries(
            client, f"/nl/feeds/components/provider/{provider.slug}/"
        )
    assert len(found) == MAX_ENTRIES


def test_the_pages_announce_their_feeds(client):
    provider = make_provider()
    block = make_building_block()
    network = make_network()
    make_component(provider=provider, building_block=block)

    pages = {
        "/nl/catalogue/": "/nl/feeds/components/",
        f"/nl/providers/{provider.slug}/": (
            f"/nl/feeds/components/provider/{provider.slug}/"
        ),
        "/nl/building-blocks/": f"/nl/feeds/components/building-block/{block.slug}/",
        f"/nl/networks/{network.slug}/": (
            f"/nl/feeds/components/network/{network.slug}/"
        ),
    }
    for page, feed in pages.items():
        soup = BeautifulSoup(client.get(page).content, "html.parser")
        assert soup.head.find(
            "link", rel="alternate", type="application/atom+xml", href=feed
        ), page
        # And a link people see: browsers no longer show the head's.
        assert soup.main.find("a", type="application/atom+xml", href=feed), page
