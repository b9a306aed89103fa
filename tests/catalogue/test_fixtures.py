"""The catalogue fixtures: the real components the seed documents name."""

import csv
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F, Q

from catalogue.models import Component, Provider
from networks.models import Network

pytestmark = pytest.mark.django_db

SOURCE_LIST = settings.BASE_DIR.parent / "shared" / "data" / "component-sources.csv"
CATALOGUE_FITS = {"ict-reuse-url", "g-cloud", "reuse-ecosystem"}


@pytest.fixture
def source_rows() -> list[dict[str, str]]:
    with SOURCE_LIST.open(encoding="utf-8") as source:
        return [
            row
            for row in csv.DictReader(source)
            if row["catalogue_fit"] in CATALOGUE_FITS
        ]


@pytest.fixture
def loaded(seeded_catalogue, db) -> str:
    return seeded_catalogue


def test_the_catalogue_holds_at_least_104_published_components(loaded, source_rows):
    assert Component.objects.published().count() >= 104
    assert Component.objects.published().count() == len(source_rows)


def test_every_ict_reuse_slug_is_kept_exactly(loaded, source_rows):
    old_links = {
        row["slug"] for row in source_rows if row["catalogue_fit"] == "ict-reuse-url"
    }

    assert len(old_links) == 23
    assert old_links <= set(
        Component.objects.published().values_list("slug", flat=True)
    )
    assert (
        Component.objects.published()
        .filter(slug="dsp-document-service-provider")
        .exists()
    )


def test_every_component_is_classified_and_described_in_three_languages(loaded):
    for component in Component.objects.all():
        assert component.building_block_id, component.slug
        assert component.domain_id, component.slug
        assert component.kind, component.slug
        for language in ("nl", "fr", "en"):
            assert getattr(component, f"name_{language}").strip(), component.slug
            assert getattr(component, f"summary_{language}").strip(), component.slug


def test_summaries_are_written_for_each_language_not_copied(loaded):
    copied = Component.objects.filter(
        Q(summary_nl=F("summary_fr"))
        | Q(summary_nl=F("summary_en"))
        | Q(summary_fr=F("summary_en"))
    )

    assert list(copied.values_list("slug", flat=True)) == []


def test_the_provider_is_set_wherever_the_source_names_one(loaded, source_rows):
    named = [row["slug"] for row in source_rows if row["provider"]]
    without = Component.objects.filter(slug__in=named, provider__isnull=True)

    assert named
    assert list(without.values_list("slug", flat=True)) == []


def test_uncertain_providers_are_left_unconfirmed(loaded, source_rows):
    uncertain = [
        row["slug"]
        for row in source_rows
        if not row["provider"] and "uncertain" in row["provider_guess"].lower()
    ]

    assert uncertain
    assert not Component.objects.filter(
        slug__in=uncertain, provider__isnull=False
    ).exists()


def test_providers_have_names_in_three_languages(loaded):
    assert Provider.objects.count() >= 15
    for provider in Provider.objects.all():
        for language in ("nl", "fr", "en"):
            assert getattr(provider, f"name_{language}").strip(), provider.slug


def test_the_networks_the_seeds_name_are_there(loaded):
    slugs = set(Network.objects.published().values_list("slug", flat=True))

    assert {"sit4dev", "g-cloud-archiving", "g-cloud-trust-services"} <= slugs


def test_loading_twice_creates_nothing_new(loaded):
    counts = (
        Component.objects.count(),
        Provider.objects.count(),
        Network.objects.count(),
    )

    out = StringIO()
    call_command("load_catalogue", stdout=out)

    assert "0 objects created" in out.getvalue()
    assert (
        Component.objects.count(),
        Provider.objects.count(),
        Network.objects.count(),
    ) == counts


def test_loading_again_keeps_a_moderators_edit(loaded):
    Component.objects.filter(slug="csam").update(summary_en="Edited by a moderator")

    call_command("load_catalogue", stdout=StringIO())

    assert Component.objects.get(slug="csam").summary_en == "Edited by a moderator"


def test_loaddata_twice_makes_no_duplicates(loaded):
    fixture = settings.BASE_DIR / "fixtures" / "catalogue.json"
    call_command("loaddata", fixture, verbosity=0)
    counts = (Component.objects.count(), Provider.objects.count())

    call_command("loaddata", fixture, verbosity=0)

    assert (Component.objects.count(), Provider.objects.count()) == counts
