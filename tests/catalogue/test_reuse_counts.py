"""The stored reuse count of a component follows every change of its reuse
cases, whichever way the change is made: the catalogue's "most reused"
sort, its cards, the API and the exports all read it."""

import pytest

from catalogue.models import Component, PublicationState, ReuseCase
from publishing import services
from publishing.models import Action
from tests.factories import make_component, make_provider, make_reuse_case

pytestmark = pytest.mark.django_db


def stored_count(component: Component) -> int:
    return Component.objects.values_list("reuse_count", flat=True).get(pk=component.pk)


def test_publishing_a_case_counts_it_and_archiving_it_does_not(moderator):
    component = make_component()
    case = make_reuse_case(
        components=[component], publication_state=PublicationState.SUBMITTED
    )
    assert stored_count(component) == 0

    services.move(entry=case, action=Action.PUBLISH, actor=moderator)
    assert stored_count(component) == 1

    services.move(entry=case, action=Action.ARCHIVE, actor=moderator, reason="Ended.")
    assert stored_count(component) == 0


def test_a_component_taken_off_a_case_or_put_on_one_from_either_side():
    kept, removed = make_component(), make_component()
    case = make_reuse_case(components=[kept, removed])
    assert (stored_count(kept), stored_count(removed)) == (1, 1)

    case.components.remove(removed)
    assert (stored_count(kept), stored_count(removed)) == (1, 0)

    # django-simple-history cannot record a case's components from this
    # side (it would write fields the components' history leaves out): its
    # documented switch turns its recording off for this instance.
    removed.skip_history_when_saving = True
    removed.reuse_cases.add(case)
    assert stored_count(removed) == 1

    removed.reuse_cases.clear()
    assert stored_count(removed) == 0

    case.components.clear()
    assert stored_count(kept) == 0


def test_a_case_counts_only_while_it_names_someone_other_than_the_provider():
    owner, reuser = make_provider(), make_provider()
    component = make_component(provider=owner)
    case = make_reuse_case(components=[component], organisations=[owner, reuser])
    assert stored_count(component) == 1

    case.organisations.remove(reuser)
    assert stored_count(component) == 0

    reuser.reuse_cases.add(case)
    assert stored_count(component) == 1

    reuser.reuse_cases.clear()
    assert stored_count(component) == 0

    case.organisations.add(reuser)
    case.organisations.clear()
    assert stored_count(component) == 0


def test_a_deleted_case_or_reusing_organisation_no_longer_counts():
    component = make_component()
    deleted_case = make_reuse_case(components=[component])
    reuser = make_provider()
    make_reuse_case(components=[component], organisations=[reuser])
    assert stored_count(component) == 2

    deleted_case.delete()
    assert stored_count(component) == 1

    reuser.delete()
    assert stored_count(component) == 0


def test_a_component_whose_provider_becomes_the_reuser_loses_the_reuse():
    reuser = make_provider()
    component = make_component()
    make_reuse_case(components=[component], organisations=[reuser])
    assert stored_count(component) == 1

    component.provider = reuser
    component.save()

    assert stored_count(component) == 0


def test_saving_a_component_read_before_a_reuse_keeps_the_reuse():
    """An editor's form holds the count it read; saving it later must not
    write that old count over the reuse published in between."""
    component = make_component()
    read_by_the_form = Component.objects.get(pk=component.pk)
    make_reuse_case(components=[component])

    read_by_the_form.save()

    assert stored_count(component) == 1


def test_the_count_is_the_one_the_catalogue_shows_and_sorts_by(client):
    once, twice, never = make_component(), make_component(), make_component()
    make_reuse_case(components=[once, twice])
    make_reuse_case(components=[twice])
    make_reuse_case(components=[never], publication_state=PublicationState.REJECTED)

    listed = client.get("/en/catalogue/", {"sort": "most_reused"})

    shown = [(c.slug, c.reuse_count) for c in listed.context["component_list"]]
    assert shown == [(twice.slug, 2), (once.slug, 1), (never.slug, 0)]
    assert ReuseCase.objects.published().count() == 2
