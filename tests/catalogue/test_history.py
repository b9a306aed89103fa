import pytest
from django.urls import reverse

from catalogue.models import Component, Provider
from tests.factories import make_component, make_provider

pytestmark = pytest.mark.django_db


def submitted_form(response, **changes) -> dict:
    """What a moderator's browser would post back from an admin change form."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "languages":
            value = ",".join(value or [])
        elif isinstance(value, list):
            value = [getattr(item, "pk", item) for item in value]
        elif value is None:
            value = ""
        data[name] = value
    # The revert form of django-simple-history has no inlines.
    for formset in response.context.get("inline_admin_formsets", []):
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return data | changes


def test_an_admin_edit_records_who_and_what(moderator_client, moderator):
    component = make_component(summary_en="Before")
    url = reverse("admin:catalogue_component_change", args=[component.pk])

    response = moderator_client.post(
        url, submitted_form(moderator_client.get(url), summary_en="After")
    )

    assert response.status_code == 302
    latest = component.history.latest()
    assert latest.history_user == moderator
    assert latest.summary_en == "After"
    changes = latest.diff_against(latest.prev_record).changes
    assert [change.field for change in changes] == ["summary_en"]
    history_page = moderator_client.get(
        reverse("admin:catalogue_component_history", args=[component.pk])
    )
    assert moderator.username in history_page.content.decode()


def test_an_earlier_version_can_be_restored_from_the_admin(moderator_client, moderator):
    component = make_component(summary_en="Original")
    component.summary_en = "Vandalised"
    component.save()
    original = component.history.earliest()
    revert_url = reverse(
        "admin:catalogue_component_simple_history",
        args=[component.pk, original.history_id],
    )

    response = moderator_client.post(
        revert_url, submitted_form(moderator_client.get(revert_url))
    )

    assert response.status_code == 302
    assert Component.objects.get(pk=component.pk).summary_en == "Original"
    assert component.history.latest().history_user == moderator


def test_an_admin_deletion_records_who_made_it(moderator_client, moderator):
    # The admin names who saved an entry itself; a deletion is recorded with
    # whoever sent the request, which only the history middleware knows.
    provider = make_provider()
    url = reverse("admin:catalogue_provider_delete", args=[provider.pk])

    response = moderator_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    deleted = Provider.history.get(id=provider.pk, history_type="-")
    assert deleted.history_user == moderator
