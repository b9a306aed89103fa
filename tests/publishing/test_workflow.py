"""The transition table, walked in full: every state, action and role, through
the services and through the admin. Each move either happens as the issue's
workflow says, with who, when and why recorded, or is refused with a message
and changes nothing."""

import pytest
from django.contrib.admin import site as admin_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component
from publishing import services
from publishing.models import Action, PublicationState, Transition
from tests.factories import make_component, make_provider, make_user

pytestmark = pytest.mark.django_db

# The workflow as the issue states it, written out independently of the code:
# (state, action) -> (roles allowed, resulting state). Anything else is refused.
WORKFLOW = {
    ("draft", "submit"): ({"supplier", "moderator"}, "submitted"),
    ("changes_requested", "submit"): ({"supplier", "moderator"}, "submitted"),
    ("submitted", "publish"): ({"moderator"}, "published"),
    ("submitted", "reject"): ({"moderator"}, "rejected"),
    ("submitted", "request_changes"): ({"moderator"}, "changes_requested"),
    ("published", "archive"): ({"moderator"}, "archived"),
}
STATES = [state.value for state in PublicationState]
ACTIONS = ["submit", "publish", "reject", "request_changes", "archive"]
ROLES = ["moderator", "supplier", "other"]


@pytest.fixture
def organisation():
    return make_provider()


def actor_for(role: str, organisation):
    if role == "moderator":
        return make_user(is_staff=True, is_superuser=True)
    if role == "supplier":
        return make_user(organisation=organisation)
    return make_user(organisation=make_provider())


def expected(state: str, action: str, role: str) -> str | None:
    roles, target = WORKFLOW.get((state, action), (set(), None))
    return target if role in roles else None


def snapshot(component) -> tuple:
    component.refresh_from_db()
    return (
        component.publication_state,
        component.published_at,
        component.history.count(),
        Transition.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_move_through_the_services(organisation, state, action, role):
    component = make_component(provider=organisation, publication_state=state)
    actor = actor_for(role, organisation)
    before = snapshot(component)
    target = expected(state, action, role)

    if target is None:
        with pytest.raises((ValidationError, PermissionDenied)) as refusal:
            services.move(
                entry=component, action=Action(action), actor=actor, reason="Why."
            )
        assert str(refusal.value).strip("[]'\" ")
        assert snapshot(component) == before
        return

    moved = services.move(
        entry=component, action=Action(action), actor=actor, reason="Why."
    )

    assert moved.publication_state == target
    step = services.history(component).last()
    assert (step.action, step.from_state, step.to_state) == (action, state, target)
    assert (step.actor, step.reason) == (actor, "Why.")
    latest = component.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (actor, "Why.")
    if target == "published":
        assert moved.published_at is not None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_move_through_the_admin(client, organisation, state, action, role):
    component = make_component(provider=organisation, publication_state=state)
    actor = actor_for(role, organisation)
    client.force_login(actor)
    before = snapshot(component)
    with translation.override("nl"):
        url = reverse("admin:catalogue_component_moderate", args=[component.pk, action])

    response = client.post(url, {"reason": "Why."}, follow=True)

    target = expected(state, action, role)
    if role != "moderator":
        # Suppliers and others are not staff: the admin sends them to log in.
        assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
        assert snapshot(component) == before
        return
    reported = [str(message) for message in response.context["messages"]]
    if target is None:
        assert snapshot(component) == before
        assert len(reported) == 1
        # In the moderator's language (Dutch, the admin's default here).
        assert "niet mogelijk" in reported[0]
        return
    component.refresh_from_db()
    assert component.publication_state == target
    assert services.history(component).last().reason == "Why."


@pytest.mark.parametrize("action", ["reject", "request_changes"])
def test_a_refusal_needs_a_reason_the_submitter_can_act_on(organisation, action):
    component = make_component(provider=organisation, publication_state="submitted")
    moderator = actor_for("moderator", organisation)
    before = snapshot(component)

    with pytest.raises(ValidationError) as refusal:
        services.move(entry=component, action=Action(action), actor=moderator)

    assert "reason" in refusal.value.message_dict
    assert snapshot(component) == before


def test_the_admin_asks_for_the_reason_and_keeps_the_entry_until_given(
    client, organisation
):
    component = make_component(provider=organisation, publication_state="submitted")
    client.force_login(actor_for("moderator", organisation))
    url = reverse(
        "admin:catalogue_component_moderate", args=[component.pk, "request_changes"]
    )

    form = client.get(url)
    empty = client.post(url, {"reason": "  "})
    given = client.post(url, {"reason": "Add a documentation link."})

    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    assert 'aria-invalid="true"' in empty.content.decode()
    assert given.status_code == 302
    component.refresh_from_db()
    assert component.publication_state == "changes_requested"
    page = client.get(reverse("admin:catalogue_component_change", args=[component.pk]))
    assert "Add a documentation link." in page.content.decode()


def test_the_change_form_shows_the_state_read_only_and_only_allowed_buttons(
    client, organisation
):
    component = make_component(provider=organisation, publication_state="submitted")
    client.force_login(actor_for("moderator", organisation))
    change_url = reverse("admin:catalogue_component_change", args=[component.pk])

    page = client.get(change_url).content.decode()

    assert 'name="publication_state"' not in page
    for action in ("publish", "reject", "request_changes"):
        assert f"/moderate/{action}/" in page
    for action in ("submit", "archive"):
        assert f"/moderate/{action}/" not in page


def test_saving_content_in_the_admin_never_changes_the_state(rf, organisation):
    component = make_component(provider=organisation, publication_state="submitted")
    request = rf.post("/")
    request.user = actor_for("moderator", organisation)
    # What a reverted history record or a crafted form would bring back.
    component.publication_state = "published"
    component.summary_nl = "Nieuwe samenvatting"

    admin_site._registry[Component].save_model(
        request, component, form=None, change=True
    )

    component.refresh_from_db()
    assert component.summary_nl == "Nieuwe samenvatting"
    assert component.publication_state == "submitted"


# The web form's "Submit" on a component, by its state: the resulting state,
# or None where the form is refused and nothing changes.
FORM_SUBMIT = {
    "draft": "submitted",
    "submitted": "submitted",
    "changes_requested": "submitted",
    "published": "published",  # the change waits in a revision
    "rejected": None,
    "archived": None,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_every_state_through_the_web_form(client, organisation, state, role):
    component = make_component(
        provider=organisation, publication_state=state, summary_en="Old."
    )
    actor = actor_for(role, organisation)
    client.force_login(actor)
    before = snapshot(component)
    with translation.override("en"):
        url = reverse("catalogue:component-edit", args=[component.slug])
    data = {
        "name_en": component.name_en,
        "summary_en": "New.",
        "kind": component.kind,
        "building_block": component.building_block.pk,
        "domain": component.domain.pk,
        "lifecycle_status": component.lifecycle_status,
        "government_level": component.government_level,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "action": "submit",
    }

    response = client.post(url, data)

    target = FORM_SUBMIT[state] if role == "supplier" else None
    if role != "supplier":
        # Not their organisation's component: not even there.
        assert response.status_code == 404
        assert snapshot(component) == before
        return
    if target is None:
        assert response.status_code == 400
        assert "can no longer be changed" in response.content.decode()
        assert snapshot(component) == before
        return
    assert response.status_code == 302
    component.refresh_from_db()
    assert component.publication_state == target
    public_summary = "Old." if state == "published" else "New."
    assert component.summary_en == public_summary
