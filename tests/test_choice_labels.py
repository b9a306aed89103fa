"""Choice labels, translated once per language and process: each page still
shows them in its own language."""

import pytest
from django.utils import translation

from catalogue.models import Component, ComponentKind, LifecycleStatus


@pytest.mark.parametrize(
    ("language", "kind", "status"),
    [
        ("nl", "Softwarecomponent", "Beschikbaar"),
        ("fr", "Composant logiciel", "Disponible"),
        ("en", "Software component", "Available"),
    ],
)
def test_a_component_shows_its_kind_and_status_in_each_language(language, kind, status):
    component = Component(
        kind=ComponentKind.COMPONENT, lifecycle_status=LifecycleStatus.AVAILABLE
    )

    # Each language after the others: none of them answers for another.
    for other in ("nl", "fr", "en"):
        with translation.override(other):
            component.get_kind_display()

    with translation.override(language):
        assert component.get_kind_display() == kind
        assert component.get_lifecycle_status_display() == status


def test_a_value_outside_the_choices_is_shown_as_it_is():
    component = Component(kind="retired-kind")

    assert component.get_kind_display() == "retired-kind"
