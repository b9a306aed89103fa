import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from catalogue.models import (
    Component,
    ComponentOrganisation,
    LifecycleStatus,
    OrganisationRole,
    PublicationState,
    ReuseCase,
)
from tests.factories import make_component, make_provider, make_reuse_case

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    state for state in PublicationState if state != PublicationState.PUBLISHED
]


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_only_published_components_are_public(state):
    public = make_component()
    hidden = make_component(publication_state=state)

    assert list(Component.objects.published()) == [public]
    assert hidden not in Component.objects.for_listing()
    assert not Component.objects.for_detail().filter(slug=hidden.slug).exists()


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_a_case_never_shows_a_hidden_component(state):
    visible = make_component()
    hidden = make_component(publication_state=state)
    make_reuse_case(components=[visible, hidden])

    (case,) = ReuseCase.objects.for_listing()

    assert list(case.components.all()) == [visible]


def test_reuse_count_counts_only_published_cases():
    component = make_component()
    make_reuse_case(components=[component])
    make_reuse_case(
        components=[component], publication_state=PublicationState.SUBMITTED
    )

    assert Component.objects.for_listing().get().reuse_count == 1


def test_one_case_is_one_reuse_however_many_components_and_organisations():
    """My DIA reused six APIs in five institutions: one case for each API,
    not thirty reuses."""
    apis = [make_component() for _ in range(6)]
    institutions = [make_provider() for _ in range(5)]
    make_reuse_case(components=apis, organisations=institutions)

    counts = Component.objects.for_listing().values_list("reuse_count", flat=True)

    assert list(counts) == [1] * 6


def test_an_organisation_reusing_its_own_component_is_not_a_reuse():
    owner = make_provider()
    component = make_component(provider=owner)
    make_reuse_case(components=[component], organisations=[owner])
    assert Component.objects.for_listing().get().reuse_count == 0

    make_reuse_case(components=[component], organisations=[owner, make_provider()])
    assert Component.objects.for_listing().get().reuse_count == 1


def test_a_component_without_a_confirmed_provider_counts_its_cases():
    component = make_component(provider=None)
    make_reuse_case(components=[component])

    assert Component.objects.for_listing().get().reuse_count == 1


def test_an_organisation_has_each_role_once_per_component():
    component = make_component()
    organisation = component.provider
    ComponentOrganisation.objects.create(
        component=component, organisation=organisation, role=OrganisationRole.OWNER
    )
    ComponentOrganisation.objects.create(
        component=component,
        organisation=organisation,
        role=OrganisationRole.OPERATOR,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ComponentOrganisation.objects.create(
            component=component,
            organisation=organisation,
            role=OrganisationRole.OWNER,
        )


def test_a_quotation_needs_its_speaker_and_language():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reuse_case(quote="We saved a year.", quote_language="en")


def test_hidden_dependencies_do_not_show_on_a_public_component():
    component = make_component()
    visible = make_component()
    hidden = make_component(publication_state=PublicationState.DRAFT)
    component.depends_on.add(visible, hidden)
    hidden.depends_on.add(component)

    shown = Component.objects.for_detail().get(pk=component.pk)

    assert list(shown.depends_on.all()) == [visible]
    assert list(shown.used_by.all()) == []


def test_duplicate_slug_is_refused():
    make_component(slug="csam")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_component(slug="csam")


def test_deleting_a_provider_with_components_is_refused():
    provider = make_provider()
    make_component(provider=provider)

    with pytest.raises(ProtectedError):
        provider.delete()
    assert provider.components.count() == 1


def test_only_a_retired_component_can_have_a_successor():
    successor = make_component()
    component = make_component(
        successor=successor, lifecycle_status=LifecycleStatus.DEPRECATED
    )

    component.lifecycle_status = LifecycleStatus.AVAILABLE
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="deprecated or withdrawn"),
    ):
        component.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        component.save()


def test_a_published_component_needs_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_component(published_at=None)


def test_a_negative_saving_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reuse_case(estimated_saving_eur=-1)
