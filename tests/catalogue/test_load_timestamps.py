"""Loading the fixtures keeps their dates: "Last update" tells when the content
changed, not when `load_catalogue` ran."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component, Provider, ReuseCase
from networks.models import Event, Network

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_catalogue")]

# The date every entry of fixtures/catalogue.json carries (tools/build_fixtures.py).
SEEDED_AT = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.mark.parametrize("model", [Component, Provider, ReuseCase, Network, Event])
def test_loaded_entries_keep_the_fixture_dates(model):
    stamps = set(model.objects.values_list("created_at", "updated_at"))

    assert stamps == {(SEEDED_AT, SEEDED_AT)}


def test_the_component_page_shows_the_fixture_date_as_last_update(client):
    component = Component.objects.published().get(slug="werkomgeving")
    with translation.override("en"):
        url = reverse("catalogue:component-detail", args=[component.slug])

    response = client.get(url)

    assert response.status_code == 200
    shown = re.search(
        r"Last update</dt>\s*<dd><time datetime=\"([^\"]+)\">([^<]+)</time>",
        response.content.decode(),
    )
    assert shown is not None
    assert datetime.fromisoformat(shown[1]) == SEEDED_AT
    assert shown[2] == "25 November 2026"


def test_loading_is_still_recorded_in_the_history():
    component = Component.objects.get(slug="werkomgeving")

    first = component.history.earliest()

    assert first.history_change_reason == "Loaded from the catalogue fixtures"
