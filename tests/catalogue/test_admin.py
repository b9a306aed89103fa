import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Component, Tag
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalogue_component_changelist")


@pytest.mark.parametrize("rows", [10, 100])
def test_the_component_changelist_makes_a_fixed_number_of_queries(
    moderator_client, django_assert_num_queries, rows
):
    block, domain = make_building_block(), make_domain()
    for _ in range(rows):
        make_component(building_block=block, domain=domain, provider=make_provider())
    moderator_client.get(CHANGELIST)  # warm the session and content types

    # The user (the session is in the cache); the choices of four list filters
    # (building block, domain, collaboration model, provider); two counts
    # (filtered and total); the page of components joined with their
    # providers; two for the date hierarchy (range, then days).
    with django_assert_num_queries(10):
        response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize(
    "query",
    ["Gestion des processus", "Procesbeheer", "Process management", "PROC", "ONSS"],
)
def test_search_finds_components_by_name_and_acronym_in_every_language(
    moderator_client, query
):
    make_component(
        slug="procesbeheer",
        acronym="PROC",
        name_nl="Procesbeheer",
        name_fr="Gestion des processus",
        name_en="Process management",
        provider=make_provider(acronym_nl="RSZ", acronym_fr="ONSS", acronym_en="NSSO"),
    )
    make_component(
        name_nl="Iets anders", name_fr="Autre chose", name_en="Something else"
    )

    response = moderator_client.get(CHANGELIST, {"q": query})

    assert [c.slug for c in response.context["cl"].result_list] == ["procesbeheer"]


@pytest.mark.parametrize(
    ("action", "allowed_from", "refused_from", "state"),
    [
        ("publish_selected", "submitted", "published", "published"),
        ("archive_selected", "published", "submitted", "archived"),
    ],
)
def test_bulk_actions_move_what_the_table_allows_and_report_the_rest(
    moderator_client, moderator, action, allowed_from, refused_from, state
):
    movable = make_component(publication_state=allowed_from)
    stuck = make_component(publication_state=refused_from)

    response = moderator_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [movable.pk, stuck.pk]},
        follow=True,
    )

    movable.refresh_from_db()
    stuck.refresh_from_db()
    reported = [str(message) for message in response.context["messages"]]
    assert (movable.publication_state, stuck.publication_state) == (
        state,
        refused_from,
    )
    assert movable.published_at is not None
    assert movable.history.latest().history_user == moderator
    assert any(message.startswith(f"{stuck}:") for message in reported), reported


def test_a_non_staff_user_cannot_reach_the_admin(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "admin_name",
    [
        "catalogue_provider",
        "catalogue_reusecase",
        "programme_programmefigure",
        "catalogue_collaborationmodel",
        "catalogue_buildingblock",
        "catalogue_domain",
        "catalogue_tag",
        "networks_network",
        "networks_event",
        "accounts_user",
        "knox_authtoken",
    ],
)
def test_every_back_office_list_and_add_form_opens(moderator_client, admin_name):
    for view in ("changelist", "add"):
        response = moderator_client.get(reverse(f"admin:{admin_name}_{view}"))
        assert response.status_code == 200, (admin_name, view)


def test_the_component_change_form_opens_with_its_inlines(moderator_client):
    component = make_component()
    component.depends_on.add(make_component())

    response = moderator_client.get(
        reverse("admin:catalogue_component_change", args=[component.pk])
    )

    assert response.status_code == 200
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert prefixes == {"organisation_roles", "links", "dependency_links"}
    assert Component.objects.count() == 2


@pytest.mark.parametrize(
    ("admin_name", "make_row"),
    [
        ("catalogue_reusecase", make_reuse_case),
        ("catalogue_provider", make_provider),
        ("networks_network", lambda: make_network(coordinator=make_provider())),
        ("networks_event", make_event),
    ],
)
def test_other_changelists_make_as_many_queries_for_many_rows_as_for_few(
    moderator_client, admin_name, make_row
):
    url = reverse(f"admin:{admin_name}_changelist")
    counts = []
    for rows in (3, 30):
        while row_count(admin_name) < rows:
            make_row()
        moderator_client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert moderator_client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def row_count(admin_name: str) -> int:
    app_label, model_name = admin_name.split("_", 1)
    return apps.get_model(app_label, model_name).objects.count()


def test_the_back_office_speaks_dutch_to_the_end(moderator_client):
    component = make_component()

    home = moderator_client.get(reverse("admin:index")).content.decode()
    history = moderator_client.get(
        reverse("admin:catalogue_component_history", args=[component.pk])
    ).content.decode()

    assert "ReUse-moderatie" in home
    for app_name in ("Aanmeldbeveiliging", "API-tokens", "Achtergrondtaken"):
        assert app_name in home
    # django-simple-history's own columns, which it ships no Dutch for.
    assert "Gewijzigd door" in history
    assert "Changed by" not in history


def row_versions(components) -> dict[int, int]:
    """Each component row's version (PostgreSQL's xmin): a new one whenever
    the row is written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, xmin::text::bigint FROM catalogue_component WHERE id = ANY(%s)",
            [[component.pk for component in components]],
        )
        return dict(cursor.fetchall())


def save_tag_in_admin(client, tag, **names) -> None:
    response = client.post(
        reverse("admin:catalogue_tag_change", args=[tag.pk]),
        {
            "slug": tag.slug,
            "name_nl": tag.name_nl,
            "name_fr": tag.name_fr,
            "name_en": tag.name_en,
            **names,
        },
    )
    assert response.status_code == 302, response.content[:2000]


def test_a_tag_renamed_in_the_admin_finds_its_components_by_the_new_name(
    moderator_client,
):
    tag = Tag.objects.create(
        slug="archief", name_nl="Archief", name_fr="Archives", name_en="Archive"
    )
    tagged = make_component()
    tagged.tags.add(tag)
    make_component()

    save_tag_in_admin(moderator_client, tag, name_nl="Bewaring")

    found = Component.objects.published().search("bewaring")
    assert list(found.values_list("pk", flat=True)) == [tagged.pk]


def test_saving_a_tag_unchanged_rewrites_none_of_its_components(moderator_client):
    tag = Tag.objects.create(
        slug="archief", name_nl="Archief", name_fr="Archives", name_en="Archive"
    )
    components = [make_component() for _ in range(3)]
    for component in components:
        component.tags.add(tag)
    Component.objects.refresh_related_terms()
    before = row_versions(components)

    save_tag_in_admin(moderator_client, tag)

    assert row_versions(components) == before
    assert Component.objects.published().search("archief").count() == 3
