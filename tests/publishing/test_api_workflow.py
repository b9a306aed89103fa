"""Suppliers' writes through the API go through the same workflow: one
service call per request, refusals as clear 4xx, nothing unpublished leaked."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from catalogue.models import Component, Tag
from publishing import services
from publishing.models import Revision, Transition
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_provider,
    make_token,
    make_user,
)

pytestmark = pytest.mark.django_db

# A supplier's PATCH of a field, by the component's state: what the workflow
# says happens (status, resulting state).
PATCH_BY_OWNER = {
    "draft": (200, "submitted"),
    "submitted": (200, "submitted"),
    "changes_requested": (200, "submitted"),
    "published": (202, "published"),
    "rejected": (400, "rejected"),
    "archived": (400, "archived"),
}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def client_of(organisation) -> APIClient:
    user = make_user(organisation=organisation)
    client = APIClient()
    # Messages in English, which the assertions read.
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {make_token(user)}", HTTP_ACCEPT_LANGUAGE="en"
    )
    return client


@pytest.fixture
def organisation():
    return make_provider()


def submission() -> dict:
    return {
        "name_fr": "Signature électronique",
        "name_nl": "Elektronische handtekening",
        "summary_nl": "Onderteken documenten.",
        "kind": "service",
        "building_block": make_building_block().slug,
        "domain": make_domain().slug,
    }


def test_a_submission_is_created_located_and_seen_only_by_its_organisation(
    organisation,
):
    supplier = client_of(organisation)

    created = supplier.post("/api/v1/components/", submission(), format="json")

    assert created.status_code == 201
    location = created["Location"]
    assert location == "/api/v1/components/elektronische-handtekening/"
    own = supplier.get(location)
    assert own.status_code == 200
    assert own["Vary"].count("Authorization") == 1
    assert APIClient().get(location).status_code == 404
    assert client_of(make_provider()).get(location).status_code == 404
    listed = APIClient().get("/api/v1/components/").json()["results"]
    assert listed == []
    component = Component.objects.get(slug="elektronische-handtekening")
    assert component.publication_state == "submitted"
    assert [step.action for step in Transition.objects.all()] == ["create", "submit"]


@pytest.mark.parametrize(("state", "expected"), PATCH_BY_OWNER.items())
def test_a_patch_by_the_owner_follows_the_table(organisation, state, expected):
    component = make_component(
        slug="mine", provider=organisation, publication_state=state, summary_nl="Oud."
    )
    status, resulting_state = expected

    response = client_of(organisation).patch(
        "/api/v1/components/mine/", {"summary_nl": "Nieuw."}, format="json"
    )

    assert response.status_code == status, response.json()
    component.refresh_from_db()
    assert component.publication_state == resulting_state
    if status == 202:
        assert component.summary_nl == "Oud."
        assert response.json()["proposed_changes"] == {"summary_nl": "Nieuw."}
    elif status == 200:
        assert component.summary_nl == "Nieuw."
    else:
        assert component.summary_nl == "Oud."
        assert "not possible" in str(response.json())


@pytest.mark.parametrize("state", PATCH_BY_OWNER)
def test_another_organisation_cannot_patch(organisation, state):
    make_component(slug="theirs", provider=organisation, publication_state=state)

    response = client_of(make_provider()).patch(
        "/api/v1/components/theirs/", {"summary_nl": "x"}, format="json"
    )

    # Published: visible, so forbidden; unpublished: not even there.
    assert response.status_code == (403 if state == "published" else 404)
    assert Component.objects.get(slug="theirs").summary_nl != "x"


@pytest.mark.parametrize("state", ["draft", "published"])
@pytest.mark.parametrize(
    "body", [{}, {"slug": "renamed"}, {"provider": "x", "publication_state": "p"}]
)
def test_a_patch_that_changes_nothing_is_a_400_not_an_empty_revision(
    organisation, state, body
):
    make_component(slug="mine", provider=organisation, publication_state=state)

    response = client_of(organisation).patch(
        "/api/v1/components/mine/", body, format="json"
    )

    assert response.status_code == 400
    assert "Nothing was changed" in str(response.json()["errors"])
    assert not Revision.objects.exists()
    assert not Transition.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000],
    ids=["list", "object"],
)
def test_a_deeply_nested_body_is_a_400(organisation, body):
    response = client_of(organisation).generic(
        "POST", "/api/v1/components/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description_nl", "x" * 2_300_000),
        ("description_fr", "woord " * 4_000),
        ("languages", ["nl"] * 100_000),
    ],
)
def test_oversized_texts_and_lists_are_refused_with_a_message(
    organisation, field, value
):
    response = client_of(organisation).post(
        "/api/v1/components/", {**submission(), field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Component.objects.exists()


def test_a_taken_name_gets_the_next_free_address(
    organisation,
):
    make_component(
        slug="elektronische-handtekening",
        provider=make_provider(),
        publication_state="draft",
    )

    created = client_of(organisation).post(
        "/api/v1/components/", submission(), format="json"
    )

    assert created.status_code == 201
    assert created["Location"].endswith("/elektronische-handtekening-2/")


def test_links_and_tags_are_written_and_revised(organisation):
    Tag.objects.create(slug="signature", name="signature")
    Tag.objects.create(slug="identity", name="identity")
    supplier = client_of(organisation)
    documentation = {"kind": "documentation", "url": "https://example.org/doc"}

    created = supplier.post(
        "/api/v1/components/",
        {**submission(), "tags": ["signature"], "links": [documentation]},
        format="json",
    )
    component = Component.objects.get()
    assert created.status_code == 201, created.json()
    assert [tag.slug for tag in component.tags.all()] == ["signature"]
    assert component.links.get().url == "https://example.org/doc"

    component.publication_state = "published"
    component.published_at = component.created_at
    component.save()
    url = created["Location"]
    source = {"kind": "source_code", "url": "https://example.org/git"}
    revised = supplier.patch(
        url,
        {"tags": ["signature", "identity"], "links": [documentation, source]},
        format="json",
    )
    tags_as_published = supplier.patch(url, {"tags": ["signature"]}, format="json")

    assert revised.status_code == 202, revised.json()
    assert revised.json()["proposed_changes"]["tags"] == ["identity", "signature"]
    assert component.links.count() == 1
    # Setting the tags back to the published ones takes them out of the revision.
    assert tags_as_published.status_code == 202
    assert list(tags_as_published.json()["proposed_changes"]) == ["links"]
    moderator = make_user(is_staff=True, is_superuser=True)
    services.accept_revision(revision=Revision.objects.get(), actor=moderator)
    assert [tag.slug for tag in component.tags.all()] == ["signature"]
    assert sorted(component.links.values_list("url", flat=True)) == [
        "https://example.org/doc",
        "https://example.org/git",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("links", [{"kind": "website", "url": "javascript:alert(1)"}]),
        ("links", [{"kind": "website", "url": "https://a.example"}] * 2),
        (
            "links",
            [{"kind": "website", "url": f"https://{n}.example"} for n in range(21)],
        ),
        ("tags", ["no-such-tag"]),
        ("tags", [f"tag-{n}" for n in range(21)]),
    ],
    ids=[
        "javascript-url",
        "duplicate-link",
        "too-many-links",
        "unknown-tag",
        "too-many-tags",
    ],
)
def test_bad_links_and_tags_are_refused_with_a_message(organisation, field, value):
    for n in range(21):
        Tag.objects.create(slug=f"tag-{n}", name=f"tag {n}")

    response = client_of(organisation).post(
        "/api/v1/components/", {**submission(), field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Component.objects.exists()
