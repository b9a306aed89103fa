"""The networks page and the API's list of networks: each network with its
published components and its members, counted or listed right, in as many
queries for many networks as for one."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from networks.models import Membership
from publishing.models import PublicationState
from reuse_portal import page_cache
from tests.factories import make_component, make_network, make_provider, make_user

pytestmark = pytest.mark.django_db


def directory(client, language: str = "en"):
    with translation.override(language):
        return client.get(reverse("networks:network-list"))


def card_facts(response) -> dict[str, dict[str, str]]:
    """Each card's facts, by network name: {"Members": "3", ...}."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return {
        card.select_one(".card-title").get_text(strip=True): {
            fact.dt.get_text(strip=True): fact.dd.get_text(strip=True)
            for fact in card.select(".card-facts > div")
        }
        for card in page.select("li.card")
    }


def add_members(network, organisations: int, people: int = 0) -> None:
    for _ in range(organisations):
        Membership.objects.create(network=network, organisation=make_provider())
    for number in range(people):
        Membership.objects.create(
            network=network, user=make_user(), person_name=f"Person {number}"
        )


def test_each_network_shows_its_published_components_and_all_its_members(client):
    busy = make_network(name_en="Busy network")
    # Three published components, one in each hidden state, and four
    # members (two organisations, two people who joined through the portal).
    busy.components.add(*[make_component() for _ in range(3)])
    busy.components.add(
        *[
            make_component(publication_state=state)
            for state in PublicationState
            if state != PublicationState.PUBLISHED
        ]
    )
    add_members(busy, organisations=2, people=2)
    # The same published component in a second network counts in both.
    quiet = make_network(name_en="Quiet network")
    quiet.components.add(
        busy.components.filter(publication_state=PublicationState.PUBLISHED)[0]
    )
    make_network(name_en="Empty network")
    make_network(name_en="Draft network", publication_state=PublicationState.DRAFT)

    response = directory(client)

    assert response.status_code == 200
    assert card_facts(response) == {
        "Busy network": {"Members": "4", "Components": "3"},
        "Empty network": {"Members": "0", "Components": "0"},
        "Quiet network": {"Members": "0", "Components": "1"},
    }


@pytest.mark.parametrize("networks", [1, 10])
def test_the_networks_page_makes_one_query_however_many_networks(
    client, django_assert_num_queries, networks
):
    for _ in range(networks):
        network = make_network()
        network.components.add(make_component(), make_component())
        add_members(network, organisations=2, people=1)

    # The networks with their domains and both counts.
    with django_assert_num_queries(1):
        response = directory(client)

    assert len(card_facts(response)) == networks


def test_the_networks_are_in_the_order_of_their_names_in_the_page_language(client):
    make_network(name_nl="Archief", name_fr="Zonage", name_en="Archives")
    make_network(name_nl="Zorg", name_fr="Accueil", name_en="Care")

    dutch = [
        network.name_nl for network in directory(client, "nl").context["object_list"]
    ]
    french = [
        network.name_fr for network in directory(client, "fr").context["object_list"]
    ]

    assert dutch == ["Archief", "Zorg"]
    assert french == ["Accueil", "Zonage"]


@pytest.mark.parametrize("networks", [1, 10])
def test_the_api_list_names_components_and_members_in_a_fixed_number_of_queries(
    django_assert_num_queries, networks
):
    for number in range(networks):
        network = make_network(slug=f"network-{number:02}", coordinator=make_provider())
        network.components.add(
            make_component(slug=f"b-{number}"),
            make_component(slug=f"a-{number}"),
            make_component(
                slug=f"hidden-{number}", publication_state=PublicationState.ARCHIVED
            ),
        )
        add_members(network, organisations=2)

    # count; the networks with their domains and coordinators; their
    # published components; their members with their organisations.
    with django_assert_num_queries(4):
        body = APIClient().get("/api/v1/networks/?page_size=25").json()

    assert body["count"] == networks
    first = body["results"][0]
    assert first["slug"] == "network-00"
    assert first["components"] == ["a-0", "b-0"]
    assert [member["role"] for member in first["members"]] == ["member", "member"]
    assert all(len(network["members"]) == 2 for network in body["results"])


def test_the_api_list_is_kept_until_the_networks_change(django_assert_num_queries):
    network = make_network(slug="kept")
    add_members(network, organisations=1)
    client = APIClient()
    first = client.get("/api/v1/networks/")

    with django_assert_num_queries(0):
        again = client.get("/api/v1/networks/")
    assert again.json() == first.json()
    assert again["Last-Modified"] == first["Last-Modified"]

    add_members(network, organisations=1)
    changed = client.get("/api/v1/networks/").json()
    assert len(changed["results"][0]["members"]) == 2


def test_the_kept_api_list_holds_its_answer_and_no_rows_behind_it():
    # Every worker reads the kept answer back for each request: what it
    # holds is what it costs to read.
    for number in range(3):
        network = make_network(slug=f"network-{number}")
        network.components.add(*[make_component() for _ in range(3)])
        add_members(network, organisations=2)
    page_cache.forget_local_copies()
    body = APIClient().get("/api/v1/networks/").content

    (kept,) = [
        copy
        for key, copy in page_cache.local_copies._cache.items()
        if "kept-list:api-network-list" in key
    ]
    # The links once held the networks and members they name, with their
    # prefetched rows: the kept copy was 4.7 times the answer at 100,000
    # components, 4 times here.
    assert len(kept) < len(body)


def test_the_api_never_names_people_who_joined_through_the_portal():
    network = make_network(slug="open-network")
    add_members(network, organisations=1, people=1)

    client = APIClient()
    listed = client.get("/api/v1/networks/").json()["results"][0]["members"]
    detail = client.get("/api/v1/networks/open-network/").json()["members"]

    # As on the public page: the organisation the moderators recorded only.
    for members in (listed, detail):
        assert [member["person_name"] for member in members] == [""]
        assert members[0]["organisation"] is not None
