"""Reuse declarations: who may declare, what is refused, how moderators
decide, and what the public sees of an organisation that did not consent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import PublicationState, ReuseCase, ReuseStage
from impact.selectors import reuses_by_component, savings_by_component
from publishing import services as publishing
from publishing.models import Action, Revision
from tests.factories import make_component, make_provider, make_reuse_case, make_user

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def component():
    return make_component(slug="e-box", name_en="e-Box")


@pytest.fixture
def member(client):
    user = make_user(organisation=make_provider(slug="city-of-ghent"))
    client.force_login(user)
    return user


def form_data(**overrides) -> dict:
    data = {
        "title": "Digital mailbox for citizens",
        "summary": "Sends the city's letters to the citizens' e-Box.",
        "stage": ReuseStage.PRODUCTION,
        "year": "2023",
        "since": "",
        "estimated_saving_eur": "",
        "estimated_saving_days": "",
        "quote": "",
        "quote_speaker": "",
        "quote_language": "en",
    }
    data.update(overrides)
    return data


def declare(client, component, **overrides):
    return client.post(
        url("impact:declaration-create", component.slug), form_data(**overrides)
    )


def test_visitors_must_sign_in_to_declare(client, component):
    response = client.get(url("impact:declaration-create", component.slug))
    assert response.status_code == 302
    assert url("accounts:login") in response["Location"]


def test_only_members_of_an_organisation_may_declare(client, component):
    client.force_login(make_user())
    response = client.get(url("impact:declaration-create", component.slug))
    assert response.status_code == 403
    assert "Only members of an organisation" in response.content.decode()
    assert declare(client, component).status_code == 403
    assert not ReuseCase.objects.exists()


def test_a_member_declares_and_the_declaration_awaits_moderation(
    client, member, component
):
    response = declare(client, component, organisation_public="on")
    assert response.status_code == 302
    assert response["Location"] == url("impact:declaration-list")

    case = ReuseCase.objects.get()
    assert case.publication_state == PublicationState.SUBMITTED
    assert case.declared_by == member.organisation
    assert list(case.components.all()) == [component]
    assert list(case.organisations.all()) == [member.organisation]
    assert case.title_en == "Digital mailbox for citizens"
    assert (case.year, case.stage, case.organisation_public) == (
        2023,
        "production",
        True,
    )
    steps = [step.action for step in publishing.history(case)]
    assert steps == [Action.CREATE, Action.SUBMIT]
    # Listed for the organisation, not counted anywhere yet.
    listing = client.get(url("impact:declaration-list")).content.decode()
    assert "Digital mailbox for citizens" in listing
    assert reuses_by_component().rows == []


def test_published_counts_and_archived_no_longer_does(
    client, member, component, moderator
):
    declare(client, component)
    case = ReuseCase.objects.get()
    publishing.move(entry=case, action=Action.PUBLISH, actor=moderator)
    assert reuses_by_component().rows == [("e-Box", 1)]
    publishing.move(entry=case, action=Action.ARCHIVE, actor=moderator)
    assert reuses_by_component().rows == []


def test_a_rejected_declaration_never_counts(client, member, component, moderator):
    declare(client, component)
    case = ReuseCase.objects.get()
    publishing.move(
        entry=case, action=Action.REJECT, actor=moderator, reason="Not a reuse."
    )
    assert reuses_by_component().rows == []
    # Once rejected, the organisation may declare it again.
    assert declare(client, component, title="Second try").status_code == 302


def test_person_days_are_converted_at_the_configured_day_rate(
    client, member, component, moderator, settings
):
    settings.REUSE_DAY_RATE_EUR = 650
    page = client.get(url("impact:declaration-create", component.slug))
    assert "Converted at €650 a day" in page.content.decode()
    declare(client, component, estimated_saving_days="12")
    case = ReuseCase.objects.get()
    assert (case.estimated_saving_days, case.estimated_saving_eur) == (12, None)
    publishing.move(entry=case, action=Action.PUBLISH, actor=moderator)
    [row] = savings_by_component().rows
    assert row == ("e-Box", 1, 1, Decimal("7800.00"), Decimal("7800.00"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"estimated_saving_eur": "-5"}, "estimated_saving_eur", "greater than or"),
        ({"estimated_saving_days": "-1"}, "estimated_saving_days", "greater than or"),
        (
            {"estimated_saving_eur": "1000", "estimated_saving_days": "3"},
            "estimated_saving_days",
            "not both",
        ),
        ({"year": "", "since": "2999-01-01"}, "since", "in the future"),
        ({"year": str(timezone.localdate().year + 1)}, "year", "in the future"),
        ({"year": "2020", "since": "2021-05-01"}, "year", "disagree"),
        ({"year": ""}, "year", "Say since when"),
        ({"quote": "It works.", "quote_speaker": ""}, "quote_speaker", "Say who"),
        ({"title": ""}, "title", "required"),
        ({"stage": "forever"}, "stage", "valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_lost(
    client, member, component, overrides, field, message
):
    response = declare(client, component, **overrides)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'href="#id_{field}"' in html
    # What was typed comes back.
    assert 'value="Digital mailbox for citizens"' in html or field == "title"
    assert not ReuseCase.objects.exists()


def test_a_date_sets_the_year(client, member, component):
    yesterday = timezone.localdate() - timedelta(days=1)
    declare(client, component, year="", since=yesterday.isoformat())
    case = ReuseCase.objects.get()
    assert (case.since, case.year) == (yesterday, yesterday.year)


def test_an_organisation_cannot_declare_reuse_of_its_own_component(client, member):
    own = make_component(provider=member.organisation)
    response = declare(client, own)
    assert response.status_code == 400
    assert "using it is not reuse" in response.content.decode()
    assert not ReuseCase.objects.exists()


def test_the_same_reuse_cannot_be_declared_twice(client, member, component):
    declare(client, component)
    response = declare(client, component, title="Again")
    assert response.status_code == 400
    assert "already declared this reuse" in response.content.decode()
    assert ReuseCase.objects.count() == 1


def test_a_submitted_declaration_is_updated_in_place(client, member, component):
    declare(client, component)
    case = ReuseCase.objects.get()
    edit = url("impact:declaration-edit", case.slug)
    page = client.get(edit)
    assert 'value="Digital mailbox for citizens"' in page.content.decode()
    response = client.post(edit, form_data(stage="trial", estimated_saving_eur="2500"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.estimated_saving_eur) == ("trial", Decimal("2500.00"))
    assert case.publication_state == PublicationState.SUBMITTED


def test_an_unchanged_form_proposes_nothing(client, member, component):
    declare(client, component, estimated_saving_eur="2500")
    case = ReuseCase.objects.get()
    response = client.post(
        url("impact:declaration-edit", case.slug),
        form_data(estimated_saving_eur="2500.00"),
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()


def test_a_published_declaration_changes_through_a_revision(
    client, member, component, moderator
):
    declare(client, component, estimated_saving_eur="1000")
    case = ReuseCase.objects.get()
    publishing.move(entry=case, action=Action.PUBLISH, actor=moderator)
    response = client.post(
        url("impact:declaration-edit", case.slug),
        form_data(estimated_saving_eur="3000", since="2023-02-01"),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    # The public figures stay as published until a moderator accepts.
    assert case.estimated_saving_eur == Decimal("1000.00")
    revision = Revision.objects.get()
    assert revision.proposed_changes == {
        "since": "2023-02-01",
        "estimated_saving_eur": "3000.00",
    }
    publishing.accept_revision(revision=revision, actor=moderator)
    case.refresh_from_db()
    assert case.estimated_saving_eur == Decimal("3000.00")
    assert str(case.since) == "2023-02-01"


def test_other_organisations_declarations_are_out_of_reach(client, member):
    theirs = make_reuse_case(declared_by=make_provider())
    assert client.get(url("impact:declaration-edit", theirs.slug)).status_code == 404
    withdraw = url("impact:declaration-withdraw", theirs.slug)
    assert client.post(withdraw).status_code == 404
    assert (
        theirs.title not in client.get(url("impact:declaration-list")).content.decode()
    )


def test_the_organisation_withdraws_its_declaration_and_it_stops_counting(
    client, member, component, moderator
):
    declare(client, component)
    case = ReuseCase.objects.get()
    publishing.move(entry=case, action=Action.PUBLISH, actor=moderator)
    listing = client.get(url("impact:declaration-list")).content.decode()
    assert url("impact:declaration-withdraw", case.slug) in listing
    response = client.post(url("impact:declaration-withdraw", case.slug))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.publication_state == PublicationState.ARCHIVED
    assert reuses_by_component().rows == []


def test_withdrawing_is_refused_when_the_rules_do_not_allow_it(
    client, member, component
):
    """A withdrawal goes through the publishing rules: when they refuse, the
    member is told and nothing changes."""
    declare(client, component)
    case = ReuseCase.objects.get()
    publishing.move(
        entry=case,
        action=Action.REJECT,
        actor=make_user(is_staff=True, is_superuser=True),
        reason="No.",
    )
    response = client.post(url("impact:declaration-withdraw", case.slug), follow=True)
    case.refresh_from_db()
    assert case.publication_state == PublicationState.REJECTED
    assert "is not possible" in response.content.decode() or (
        "Only a moderator" in response.content.decode()
    )


def test_an_organisation_page_does_not_list_a_reuse_it_keeps_quiet(client):
    quiet_city = make_provider()
    quiet = make_reuse_case(organisations=[quiet_city], organisation_public=False)
    page = client.get(url("catalogue:provider-detail", quiet_city.slug))
    assert quiet.get_absolute_url() not in page.content.decode()


def test_consent_decides_whether_the_organisation_is_named(client, moderator):
    component = make_component()
    named = make_provider(name_en="Named City")
    anonymous = make_provider(name_en="Quiet City")
    make_reuse_case(components=[component], organisations=[named])
    quiet = make_reuse_case(
        components=[component], organisations=[anonymous], organisation_public=False
    )
    pages = [
        url("catalogue:component-detail", component.slug),
        url("catalogue:reuse-case-list"),
        url("catalogue:reuse-case-detail", quiet.slug),
        url("api:reuse-case-list"),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert "Quiet City" not in html, page
    assert "Named City" in client.get(pages[0]).content.decode()
    # It still counts, anonymously.
    assert reuses_by_component().rows == [(component.name, 2)]


def test_an_organisation_named_in_two_cases_is_hidden_only_where_it_did_not_consent(
    client,
):
    city = make_provider()
    make_reuse_case(organisations=[city], slug="public-case")
    make_reuse_case(organisations=[city], slug="quiet-case", organisation_public=False)
    cases = {
        case.slug: [o.pk for o in case.organisations.all()]
        for case in ReuseCase.objects.for_listing()
    }
    assert cases == {"public-case": [city.pk], "quiet-case": []}


def test_the_component_page_offers_to_declare_a_reuse(client, member, component):
    html = client.get(url("catalogue:component-detail", component.slug)).content
    assert url("impact:declaration-create", component.slug) in html.decode()
    own = make_component(provider=member.organisation)
    html = client.get(url("catalogue:component-detail", own.slug)).content
    assert url("impact:declaration-create", own.slug) not in html.decode()


def test_moderators_see_the_declaration_fields_in_the_admin(
    moderator_client, component
):
    case = make_reuse_case(
        components=[component],
        estimated_saving_days=4,
        stage=ReuseStage.TRIAL,
        publication_state=PublicationState.SUBMITTED,
    )
    response = moderator_client.get(
        url("admin:catalogue_reusecase_change", case.pk, language="en")
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("since", "stage", "estimated_saving_days", "organisation_public"):
        assert f'name="{field}"' in html
    assert "Accept and publish" in html
    changelist = moderator_client.get(url("admin:catalogue_reusecase_changelist"))
    assert changelist.status_code == 200
