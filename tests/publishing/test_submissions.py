""" "My submissions", on the page and in the API: everything an organisation
has under review, with the moderators' reasons; nothing of anyone else's."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from publishing import services
from publishing.models import Action
from tests.factories import make_component, make_provider, make_token, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def organisation_with_work():
    """An organisation's components in every situation a submitter meets."""
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    moderator = make_user(is_staff=True, is_superuser=True)
    make_component(slug="draft", provider=organisation, publication_state="draft")
    returned = make_component(
        slug="returned", provider=organisation, publication_state="submitted"
    )
    services.move(
        action=Action.REQUEST_CHANGES,
        entry=returned,
        actor=moderator,
        reason="Add the licence.",
    )
    revised = make_component(slug="revised", provider=organisation)
    services.change(entry=revised, changes={"licence": "MIT"}, actor=supplier)
    make_component(slug="settled", provider=organisation)
    make_component(slug="elsewhere", publication_state="draft")
    return organisation, supplier


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


def test_the_api_lists_the_organisations_work_with_reasons(organisation_with_work):
    _organisation, supplier = organisation_with_work

    response = api_as(supplier).get("/api/v1/submissions/")

    items = {item["slug"]: item for item in response.json()["results"]}
    assert response.status_code == 200
    assert set(items) == {"draft", "returned", "revised", "settled"}
    assert items["settled"]["publication_state"] == "published"
    assert items["returned"]["publication_state"] == "changes_requested"
    assert items["returned"]["moderator_reason"] == "Add the licence."
    assert items["revised"]["revisions"][0]["proposed_changes"] == {"licence": "MIT"}


def test_the_api_needs_a_token_and_shows_no_other_organisation(
    organisation_with_work,
):
    outsider = make_user(organisation=make_provider())

    anonymous = APIClient().get("/api/v1/submissions/")
    other = api_as(outsider).get("/api/v1/submissions/")

    assert anonymous.status_code == 401
    assert other.json()["results"] == []


@pytest.mark.parametrize("rows", [1, 10])
def test_the_list_costs_the_same_whatever_its_length(django_assert_num_queries, rows):
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    for _row in range(rows):
        component = make_component(provider=organisation, publication_state="draft")
        services.move(action=Action.SUBMIT, entry=component, actor=supplier)
    client = api_as(supplier)

    # token and user, count, page (with its provider), transitions, revisions
    with django_assert_num_queries(5):
        response = client.get("/api/v1/submissions/")

    assert response.json()["count"] == rows


def test_the_page_shows_states_reasons_and_history(client, organisation_with_work):
    _organisation, supplier = organisation_with_work
    client.force_login(supplier)
    with translation.override("en"):
        url = reverse("catalogue:submission-list")

    page = client.get(url)

    text = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    # Newest change first.
    assert [c.slug for c in page.context["object_list"]] == [
        "settled",
        "revised",
        "returned",
        "draft",
    ]
    assert "Add the licence." in text
    assert "Changes requested" in text
    assert "Propose a revision" in text


def test_the_page_needs_a_login(client):
    response = client.get(reverse("catalogue:submission-list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
