"""publiccode.yml of published components: the page, the API resource, and
their conformance to the official schema."""

import json

import pytest
import yaml

from catalogue.models import (
    Component,
    ComponentDependency,
    ComponentKind,
    ComponentLink,
    ComponentOrganisation,
    LifecycleStatus,
    LinkKind,
    OrganisationRole,
    PublicationState,
)
from interchange.publiccode.export import document_for, exportable
from tests.factories import make_component, make_provider

pytestmark = pytest.mark.django_db
LONG = "A long description of the component, in Markdown. " * 4


def page(slug: str, language: str = "en") -> str:
    return f"/{language}/service/{slug}/publiccode.yml"


def api(slug: str) -> str:
    return f"/api/v1/components/{slug}/publiccode.yml"


@pytest.fixture
def component(complete):
    owner = make_provider(name_en="Owner Agency", slug="owner-agency")
    developer = make_provider(name_en="Code Works", slug="code-works")
    operator = make_provider(name_en="Run Ops", slug="run-ops")
    needed = make_component(
        name_en="Needed Service", licence="EUPL-1.2", provider=owner
    )
    component = complete(
        make_component(
            description_nl=LONG,
            description_fr=LONG,
            description_en=LONG,
            summary_en="Sends letters. " * 12,
            provider=owner,
            kind=ComponentKind.API,
            lifecycle_status=LifecycleStatus.AVAILABLE,
        )
    )
    for position, (organisation, role) in enumerate(
        [
            (owner, OrganisationRole.OWNER),
            (developer, OrganisationRole.DEVELOPER),
            (operator, OrganisationRole.OPERATOR),
        ]
    ):
        ComponentOrganisation.objects.create(
            component=component, organisation=organisation, role=role, position=position
        )
    ComponentDependency.objects.create(component=component, depends_on=needed)
    ComponentLink.objects.create(
        component=component,
        kind=LinkKind.DOCUMENTATION,
        url="https://docs.example.be/fr",
        language="fr",
    )
    return component


def test_the_page_serves_the_document_as_yaml(client, component):
    response = client.get(page(component.slug))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == "inline; filename=publiccode.yml"
    document = yaml.safe_load(response.content)
    assert document["publiccodeYmlVersion"] == "0.4"
    assert document["url"] == f"https://git.example.be/{component.slug}"
    assert document["intendedAudience"]["countries"] == ["BE"]
    assert document["legal"] == {
        "license": "EUPL-1.2",
        "mainCopyrightOwner": "Owner Agency",
        "repoOwner": "Code Works",
    }
    assert document["maintenance"] == {
        "type": "internal",
        "contacts": [
            {
                "name": "Helpdesk",
                "email": "helpdesk@example.be",
                "affiliation": "Run Ops",
            }
        ],
    }
    assert document["localisation"] == {
        "localisationReady": True,
        "availableLanguages": ["nl", "fr"],
    }
    assert document["dependsOn"] == {"open": [{"name": "Needed Service"}]}
    assert document["developmentStatus"] == "stable"
    assert document["softwareType"] == "standalone/backend"
    assert set(document["description"]) == {"nl", "fr", "en"}
    assert (
        document["description"]["fr"]["documentation"] == "https://docs.example.be/fr"
    )
    assert "documentation" not in document["description"]["nl"]


def test_a_summary_longer_than_the_standard_allows_is_cut_at_a_word(client, component):
    short = yaml.safe_load(client.get(page(component.slug)).content)["description"][
        "en"
    ]["shortDescription"]

    assert len(short) <= 150
    assert short.endswith("Sends…")
    assert component.summary_en.startswith(short.removesuffix("…") + " ")


def test_the_api_serves_the_same_document(client, component):
    from_page = client.get(page(component.slug, "fr"))
    from_api = client.get(api(component.slug))

    assert from_api.status_code == 200
    assert from_api["Content-Type"] == "application/yaml; charset=utf-8"
    assert from_api.content == from_page.content


def test_an_unpublished_component_is_not_found(client, complete):
    draft = complete(make_component(publication_state=PublicationState.SUBMITTED))

    assert client.get(page(draft.slug)).status_code == 404
    response = client.get(api(draft.slug))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_missing_data_is_listed_instead_of_an_invalid_file(client):
    bare = make_component(lifecycle_status=LifecycleStatus.NOT_STATED)

    response = client.get(api(bare.slug))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = json.loads(response.content)["errors"]
    assert set(errors) == {
        "url",
        "developmentStatus",
        "legal.license",
        "maintenance.contacts",
        "localisation.availableLanguages",
        "description.nl.longDescription",
        "description.fr.longDescription",
        "description.en.longDescription",
    }
    text = client.get(page(bare.slug)).content.decode()
    assert client.get(page(bare.slug)).status_code == 422
    assert "legal.license: The licence is not known." in text


def test_a_guideline_is_not_software(client, complete):
    guideline = complete(
        make_component(kind=ComponentKind.GUIDELINE, description_en=LONG)
    )

    response = client.get(api(guideline.slug))

    assert response.status_code == 422
    assert "softwareType" in json.loads(response.content)["errors"]


def test_one_component_costs_a_fixed_number_of_queries(
    client, component, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        assert client.get(api(component.slug)).status_code == 200


@pytest.mark.conformance
def test_every_fixture_component_with_complete_data_validates(
    seeded_catalogue, standards_dir, complete
):
    import jsonschema

    schema = json.loads((standards_dir / "publiccode.schema.json").read_text())
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    software = Component.objects.published().exclude(
        kind__in=[
            ComponentKind.GUIDELINE,
            ComponentKind.TENDER_SPECIFICATION,
            ComponentKind.PROCESS,
        ]
    )
    assert software.count() > 90
    for component in software:
        complete(component)
    checked = 0
    for component in exportable().filter(pk__in=software.values("pk")):
        # What is served, parsed back as a harvester reads it.
        document = yaml.safe_load(
            yaml.safe_dump(document_for(component), allow_unicode=True)
        )
        errors = [
            f"{'.'.join(map(str, error.path))}: {error.message}"
            for error in validator.iter_errors(document)
        ]
        assert errors == [], component.slug
        checked += 1
    assert checked == software.count()
