"""Changes to a published entry wait as a revision: the public keeps the
published version until a moderator accepts the diff."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component
from catalogue.search import Vocabulary
from publishing import services
from publishing.models import Revision
from tests.factories import make_component, make_provider, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The services' messages, which the assertions read, in English.
    with translation.override("en"):
        yield


@pytest.fixture
def published():
    organisation = make_provider()
    component = make_component(provider=organisation, summary_nl="Oud.")
    supplier = make_user(organisation=organisation)
    moderator = make_user(is_staff=True, is_superuser=True)
    return component, supplier, moderator


def test_a_revision_waits_and_then_applies(published):
    component, supplier, moderator = published

    outcome = services.change(
        entry=component, changes={"summary_nl": "Nieuw."}, actor=supplier
    )
    component.refresh_from_db()
    assert component.summary_nl == "Oud."
    assert outcome.revision.proposed_changes == {"summary_nl": "Nieuw."}

    services.accept_revision(revision=outcome.revision, actor=moderator)

    component.refresh_from_db()
    outcome.revision.refresh_from_db()
    assert component.summary_nl == "Nieuw."
    assert component.publication_state == "published"
    assert outcome.revision.state == "accepted"
    assert [step.action for step in services.history(component)] == [
        "propose_revision",
        "accept_revision",
    ]


def test_later_proposals_merge_into_the_open_revision(published):
    component, supplier, _moderator = published

    services.change(entry=component, changes={"summary_nl": "Een."}, actor=supplier)
    services.change(entry=component, changes={"licence": "EUPL-1.2"}, actor=supplier)

    revision = Revision.objects.get()
    assert revision.proposed_changes == {"summary_nl": "Een.", "licence": "EUPL-1.2"}


@pytest.mark.parametrize(
    "changes", [{}, {"summary_nl": "Oud."}], ids=["empty", "same-value"]
)
def test_a_revision_that_changes_nothing_is_refused(published, changes):
    component, supplier, _moderator = published

    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.change(entry=component, changes=changes, actor=supplier)

    assert not Revision.objects.exists()


def test_a_revision_that_would_break_the_entry_is_refused_when_proposed(published):
    component, supplier, _moderator = published
    component.lifecycle_status = "deprecated"
    component.successor = make_component()
    component.save()

    with pytest.raises(ValidationError):
        services.change(
            entry=component, changes={"lifecycle_status": "available"}, actor=supplier
        )

    assert not Revision.objects.exists()


def test_a_revision_invalid_against_the_current_entry_is_refused_when_accepted(
    published,
):
    component, supplier, moderator = published
    component.lifecycle_status = "deprecated"
    component.save()
    successor = make_component()
    outcome = services.change(
        entry=component, changes={"successor": successor}, actor=supplier
    )
    # Meanwhile a moderator finds the component is still available after all.
    component.lifecycle_status = "available"
    component.save()

    with pytest.raises(ValidationError):
        services.accept_revision(revision=outcome.revision, actor=moderator)

    component.refresh_from_db()
    outcome.revision.refresh_from_db()
    assert (component.lifecycle_status, component.successor) == ("available", None)
    assert outcome.revision.state == "submitted"


def test_a_decided_revision_cannot_be_decided_again(published):
    component, supplier, moderator = published
    outcome = services.change(
        entry=component, changes={"summary_nl": "Nieuw."}, actor=supplier
    )
    services.reject_revision(revision=outcome.revision, actor=moderator, reason="Nee.")

    with pytest.raises(ValidationError, match="already decided"):
        services.accept_revision(revision=outcome.revision, actor=moderator)

    component.refresh_from_db()
    assert component.summary_nl == "Oud."


def test_only_a_moderator_decides_and_only_the_owner_proposes(published):
    component, supplier, _moderator = published
    outsider = make_user(organisation=make_provider())
    outcome = services.change(
        entry=component, changes={"summary_nl": "Nieuw."}, actor=supplier
    )

    with pytest.raises(PermissionDenied):
        services.accept_revision(revision=outcome.revision, actor=supplier)
    with pytest.raises(PermissionDenied):
        services.change(entry=component, changes={"licence": "MIT"}, actor=outsider)


def test_the_admin_shows_the_diff_and_decides(client, published):
    component, supplier, moderator = published
    outcome = services.change(
        entry=component, changes={"summary_nl": "Nieuw."}, actor=supplier
    )
    client.force_login(moderator)
    page_url = reverse("admin:publishing_revision_change", args=[outcome.revision.pk])

    page = client.get(page_url).content.decode()
    refused = client.post(
        reverse(
            "admin:publishing_revision_decide", args=[outcome.revision.pk, "reject"]
        ),
        {"reason": ""},
    )
    accepted = client.post(
        reverse(
            "admin:publishing_revision_decide", args=[outcome.revision.pk, "accept"]
        )
    )

    assert "<td>Oud.</td><td>Nieuw.</td>" in page
    assert refused.status_code == 200  # asked again for the reason
    assert accepted.status_code == 302
    component.refresh_from_db()
    assert component.summary_nl == "Nieuw."


def test_the_admin_home_lists_what_waits_oldest_first(client, published):
    component, supplier, moderator = published
    waiting = make_component(publication_state="submitted", name_en="Waiting")
    services.change(entry=component, changes={"summary_nl": "Nieuw."}, actor=supplier)
    client.force_login(moderator)

    page = client.get(reverse("admin:index")).content.decode()

    queue = page.split('id="moderation-queue"')[1].split("</div>")[0]
    assert queue.index("Waiting") < queue.index(component.name_en)
    assert reverse("admin:catalogue_component_change", args=[waiting.pk]) in queue


def test_a_word_an_accepted_revision_brings_is_known_to_search(published):
    component, supplier, moderator = published
    # Its tags and organisations, which the revision leaves as they are.
    Component.objects.refresh_related_terms()

    outcome = services.change(
        entry=component, changes={"summary_nl": "Zorgkluis."}, actor=supplier
    )
    services.accept_revision(revision=outcome.revision, actor=moderator)

    # Known, so that a search for a typo of it ("zorgkluiss") is read as it.
    assert Vocabulary.look_up(["zorgkluis"]).known == {"zorgkluis"}
