"""The catalogue fixtures: true, complete and written for the reader.

Everything here reads the repository only (the built `fixtures/catalogue.json`
and `fixtures/source/`), so it runs the same on a clone without `../shared`.
"""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q

from catalogue.models import (
    Component,
    ComponentKind,
    ComponentOrganisation,
    LifecycleStatus,
    OrganisationRole,
    Provider,
    ReuseCase,
    key_figures,
)
from networks.models import Event, Network
from programme.models import ProgrammeFigure
from tools.fixture_rules import SEED_REFERENCE, problems, text_problems

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "en")
SOURCES = settings.BASE_DIR / "fixtures" / "source"
# The addresses ict-reuse.be published (and the seed deck links to): they
# must keep opening the same component.
ICT_REUSE_SLUGS = {
    "archivemanager",
    "cms-web-content-management-systeem",
    "coda-reader",
    "csam",
    "dataqualityimprovement-bij-adres-en-telefoonnummer",
    "document-orchestration-services-dos",
    "dsp-document-service-provider",
    "e-box-elektronische-mailbox",
    "eacademy",
    "ehealthbox",
    "eventnotification",
    "forms",
    "govapp-en-zijn-integratiedienst-voor-berichten-smis",
    "iam-identity-and-access-management-social-security",
    "iam-integration-acces-management",
    "oplossing-voor-de-beheerscomites",
    "printmanager",
    "procesbeheer",
    "sepiadocumentsigner",
    "taakbeheer",
    "timestamping",
    "uam-user-access-management-social-security",
    "werkomgeving",
}


@pytest.fixture
def loaded(seeded_catalogue, db) -> str:
    return seeded_catalogue


def test_the_sources_obey_their_rules():
    broken = [p for path in sorted(SOURCES.glob("*.yaml")) for p in problems(path)]

    assert broken == []


def test_the_rules_catch_source_talk_and_forbidden_spellings():
    assert list(text_problems("Het staat op de dia van de presentatie.", "nl"))
    assert list(text_problems("The sources give no further details.", "en"))
    assert list(text_problems("Pendant la crise du Covid-19.", "fr"))
    assert list(text_problems("Een dienst van het eHealthplatform.", "nl"))
    assert list(text_problems("A service of the ONSS.", "en"))
    assert not list(text_problems("Een dienst van het eHealth-platform.", "nl"))


def test_the_catalogue_holds_at_least_104_published_components(loaded):
    assert Component.objects.published().count() >= 104


def test_every_ict_reuse_slug_is_kept_exactly(loaded):
    published = set(Component.objects.published().values_list("slug", flat=True))

    assert published >= ICT_REUSE_SLUGS


def test_every_component_speaks_to_the_reader_in_three_languages(loaded):
    for component in Component.objects.all():
        assert SEED_REFERENCE.match(component.source_reference), component.slug
        for language in LANGUAGES:
            for field in ("name", "summary", "description"):
                text = getattr(component, f"{field}_{language}")
                assert text.strip(), (component.slug, field, language)
                assert list(text_problems(text, language)) == [], (
                    component.slug,
                    field,
                    language,
                )


def test_every_text_of_every_other_record_follows_the_glossary(loaded):
    records = [
        (Provider.objects.all(), ("name", "description")),
        (Network.objects.all(), ("name", "description")),
        (Event.objects.all(), ("title", "description")),
        (ReuseCase.objects.all(), ("title", "summary", "description")),
        (ProgrammeFigure.objects.all(), ("label", "scope")),
    ]
    for queryset, fields in records:
        for record in queryset:
            for field in fields:
                for language in LANGUAGES:
                    text = getattr(record, f"{field}_{language}") or ""
                    assert list(text_problems(text, language)) == [], (
                        record,
                        field,
                        language,
                    )


def test_summaries_are_written_for_each_language_not_copied(loaded):
    copied = Component.objects.filter(
        Q(summary_nl=F("summary_fr"))
        | Q(summary_nl=F("summary_en"))
        | Q(summary_fr=F("summary_en"))
    )

    assert list(copied.values_list("slug", flat=True)) == []


def test_no_organisation_is_asserted_without_a_seed_line(loaded):
    confirmed = ComponentOrganisation.objects.filter(confirmed=True)

    assert confirmed.exists()
    for role in confirmed.select_related("component", "organisation"):
        assert SEED_REFERENCE.match(role.source_reference), role
    # The lead organisation shown as "provider" is always a confirmed one.
    for component in Component.objects.exclude(provider=None):
        assert component.organisation_roles.filter(
            organisation=component.provider_id, confirmed=True
        ).exists(), component.slug
    unconfirmed_leads = Component.objects.filter(
        provider=None, organisation_roles__confirmed=True
    )
    assert not unconfirmed_leads.exists()


def test_guesses_stay_unconfirmed_and_are_never_the_provider(loaded):
    guessed = ComponentOrganisation.objects.filter(confirmed=False)

    assert guessed.exists()
    for role in guessed.select_related("component"):
        assert role.component.provider_id != role.organisation_id or (
            role.component.organisation_roles.filter(
                organisation=role.organisation_id, confirmed=True
            ).exists()
        )


@pytest.mark.parametrize(
    ("slug", "at_least"),
    [("service-platform", 5), ("housing", 4), ("social-security-portal", 2)],
)
def test_joint_offers_name_every_body(loaded, slug, at_least):
    roles = ComponentOrganisation.objects.filter(component__slug=slug, confirmed=True)

    assert roles.values("organisation").distinct().count() >= at_least


def test_rina_has_an_owner_at_eu_and_at_federal_level(loaded):
    owners = ComponentOrganisation.objects.filter(
        component__slug="rina", role=OrganisationRole.OWNER, confirmed=True
    ).values_list("organisation__slug", flat=True)

    assert "european-commission" in owners
    assert len(owners) >= 2


def test_assets_that_are_not_software_are_typed_as_such(loaded):
    assert Component.objects.get(slug="rest-style-guide").kind == (
        ComponentKind.GUIDELINE
    )
    sumehr = Component.objects.get(slug="sumehr")
    assert sumehr.kind == ComponentKind.GUIDELINE
    assert not sumehr.organisation_roles.filter(
        organisation__slug="ehealth-platform", confirmed=True
    ).exists()


def test_the_extranet_is_not_a_g_cloud_layer(loaded):
    extranet = Component.objects.get(slug="extranet-social-security")

    assert extranet.building_block.family != "g_cloud"


def test_a_status_is_stated_only_where_a_source_gives_one(loaded):
    not_stated = Component.objects.filter(lifecycle_status=LifecycleStatus.NOT_STATED)

    assert not_stated.count() >= 10


def test_one_project_is_one_reuse_case(loaded):
    """My DIA reused six APIs in five institutions: one case, not thirty."""
    mydia = ReuseCase.objects.annotate(
        components_reused=Count("components", distinct=True),
        reusers=Count("organisations", distinct=True),
    ).get(title_en__icontains="MyDIA")

    assert (mydia.components_reused, mydia.reusers) == (6, 5)
    for component in Component.objects.published().filter(reuse_cases=mydia):
        cases_with_another_reuser = [
            case
            for case in component.reuse_cases.published()
            if any(o.pk != component.provider_id for o in case.organisations.all())
        ]
        assert component.reuse_count == len(cases_with_another_reuser)


def test_every_case_cites_its_source_and_names_real_reusers(loaded):
    for case in ReuseCase.objects.published().prefetch_related("components"):
        assert SEED_REFERENCE.match(case.source_reference), case.slug
        assert case.components.exists(), case.slug
        assert case.organisations.exists(), case.slug


def test_quotations_are_attributed(loaded):
    for case in ReuseCase.objects.exclude(quote=""):
        assert case.quote_speaker, case.slug
        assert case.quote_language, case.slug


def test_the_month_dated_events_are_back(loaded):
    assert Event.objects.filter(precision=Event.Precision.MONTH).count() >= 3


def test_programme_figures_are_quoted_with_their_source(loaded):
    figures = {f.slug: f for f in ProgrammeFigure.objects.all()}

    assert len(figures) >= 8
    for figure in figures.values():
        assert SEED_REFERENCE.match(figure.source_reference), figure.slug

    def values(unit: str) -> set:
        return {f.value for f in figures.values() if f.unit == unit}

    # The deck's split of the code (66% reused, 6% reusable, 28% specific),
    # its average ROI per reused component and its catalogue size.
    assert {66, 6, 28} <= values(ProgrammeFigure.Unit.PERCENT)
    assert 27000 in values(ProgrammeFigure.Unit.EUR)
    assert 104 in values(ProgrammeFigure.Unit.COUNT)


def test_the_home_page_figures_are_what_the_rows_give(loaded, client):
    figures = client.get("/en/").context["figures"]

    assert figures == key_figures()
    assert figures["components"] == Component.objects.published().count()
    assert figures["reuse_cases"] == ReuseCase.objects.published().count()
    assert figures["reusing_organisations"] == (
        Provider.objects.filter(reuse_cases__publication_state="published")
        .distinct()
        .count()
    )


def test_no_text_shows_markdown_that_the_page_would_not_render(loaded):
    for component in Component.objects.all():
        for language in LANGUAGES:
            text = getattr(component, f"description_{language}")
            assert not re.search(r"<\s*script", text, re.IGNORECASE), component.slug


def test_loading_twice_creates_nothing_new(loaded):
    counts = (
        Component.objects.count(),
        Provider.objects.count(),
        Network.objects.count(),
        ReuseCase.objects.count(),
        ComponentOrganisation.objects.count(),
    )

    out = StringIO()
    call_command("load_catalogue", stdout=out)

    assert "0 objects created" in out.getvalue()
    assert (
        Component.objects.count(),
        Provider.objects.count(),
        Network.objects.count(),
        ReuseCase.objects.count(),
        ComponentOrganisation.objects.count(),
    ) == counts


def test_loading_again_keeps_a_moderators_edit(loaded):
    Component.objects.filter(slug="csam").update(summary_en="Edited by a moderator")

    call_command("load_catalogue", stdout=StringIO())

    assert Component.objects.get(slug="csam").summary_en == "Edited by a moderator"


def test_loaddata_twice_makes_no_duplicates(loaded):
    fixture = settings.BASE_DIR / "fixtures" / "catalogue.json"
    call_command("loaddata", fixture, verbosity=0)
    counts = (Component.objects.count(), ReuseCase.objects.count())

    call_command("loaddata", fixture, verbosity=0)

    assert (Component.objects.count(), ReuseCase.objects.count()) == counts
