import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from catalogue.models import Component, LifecycleStatus, PublicationState, Reuse
from tests.factories import make_component, make_provider, make_reuse

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
def test_a_hidden_component_hides_its_reuses(state):
    make_reuse(component=make_component(publication_state=state))

    assert not Reuse.objects.published().exists()


def test_reuse_count_counts_only_published_reuses():
    component = make_component()
    make_reuse(component=component)
    make_reuse(component=component, publication_state=PublicationState.SUBMITTED)

    assert Component.objects.for_listing().get().reuse_count == 1


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
        make_reuse(estimated_saving_eur=-1)
