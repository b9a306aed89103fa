"""Joining an organisation: a user asks, a manager of the organisation or a
moderator decides, the user hears about it by e-mail."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import MembershipRequest, MembershipState, OrganisationRole
from catalogue.models import Provider, ProviderKind
from tests.factories import make_provider, make_user


def english(name: str) -> str:
    """The back office in English, the language these messages are read in."""
    with translation.override("en"):
        return reverse(name)


pytestmark = pytest.mark.django_db

MANAGER = OrganisationRole.MANAGER
MEMBER = OrganisationRole.MEMBER


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"accounts:{name}", kwargs=kwargs or None)


def title_of(response) -> str:
    return response.content.decode().split("<title>")[1].split("</title>")[0]


@pytest.fixture
def provider():
    return make_provider(
        name_en="Federal Service of Tests", acronym_nl="", acronym_fr="", acronym_en=""
    )


@pytest.fixture
def manager(provider):
    return make_user(username="boss", organisation=provider, organisation_role=MANAGER)


@pytest.fixture
def requester():
    return make_user(username="newcomer", email="newcomer@example.org", language="en")


def ask(requester, provider, role=MEMBER) -> MembershipRequest:
    return services.request_membership(user=requester, provider=provider, role=role)


def propose(requester, name="Acme Software") -> MembershipRequest:
    return services.request_membership(
        user=requester,
        proposed_name=name,
        proposed_website="https://acme.example",
        proposed_contact_email="info@acme.example",
        role=MANAGER,
    )


def test_a_user_asks_to_join_a_listed_organisation(client, requester, provider):
    client.force_login(requester)

    response = client.post(
        url("organisation"),
        {"form": "join", "join-provider": provider.pk, "join-role": "member"},
        follow=True,
    )

    membership = MembershipRequest.objects.get(user=requester)
    assert membership.provider == provider
    assert membership.state == MembershipState.PENDING
    assert membership.role == MEMBER
    page = response.content.decode()
    assert "Your request was sent" in page
    assert "You asked to join Federal Service of Tests" in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]


def test_a_manager_approves_and_the_requester_is_told(
    client, requester, provider, manager, django_capture_on_commit_callbacks
):
    membership = ask(requester, provider)
    client.force_login(manager)

    listing = client.get(url("organisation-requests"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("membership-approve", pk=membership.pk),
            {f"approve-{membership.pk}-role": "member"},
        )

    assert "newcomer@example.org" in listing.content.decode()
    assert response["Location"] == url("organisation-requests")
    requester.refresh_from_db()
    assert requester.organisation == provider
    assert requester.organisation_role == MEMBER
    membership.refresh_from_db()
    assert membership.state == MembershipState.APPROVED
    assert membership.decided_by == manager
    assert membership.decided_at is not None
    [message] = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert message.subject == "[ReUse] You joined Federal Service of Tests"
    assert "/en/account/organisation/" in message.body


def test_the_manager_may_grant_another_role_than_asked(requester, provider, manager):
    membership = ask(requester, provider, role=MEMBER)

    services.approve_membership(membership=membership, actor=manager, role=MANAGER)

    requester.refresh_from_db()
    assert requester.organisation_role == MANAGER


def test_declining_needs_a_reason(client, requester, provider, manager):
    membership = ask(requester, provider)
    client.force_login(manager)

    response = client.post(
        url("membership-decline", pk=membership.pk),
        {f"decline-{membership.pk}-reason": "  "},
    )

    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    page = response.content.decode()
    assert f'id="id_decline-{membership.pk}-reason_error"' in page
    assert 'aria-invalid="true"' in page
    membership.refresh_from_db()
    assert membership.state == MembershipState.PENDING
    assert mail.outbox == []
    with pytest.raises(services.Refused):
        services.decline_membership(membership=membership, actor=manager, reason=" ")


def test_a_declined_requester_reads_the_reason_and_may_ask_again(
    client, requester, provider, manager, django_capture_on_commit_callbacks
):
    membership = ask(requester, provider)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("membership-decline", pk=membership.pk),
            {f"decline-{membership.pk}-reason": "We do not know you."},
        )
    client.force_login(requester)

    page = client.get(url("organisation")).content.decode()

    membership.refresh_from_db()
    assert membership.state == MembershipState.DECLINED
    assert membership.reason == "We do not know you."
    [message] = mail.outbox
    assert message.subject == (
        "[ReUse] Your request to join Federal Service of Tests was declined"
    )
    assert "We do not know you." in message.body
    assert "We do not know you." in page
    assert 'name="form" value="join"' in page
    requester.refresh_from_db()
    assert requester.organisation is None


def test_the_decision_email_is_in_the_requesters_language(
    requester, provider, manager, django_capture_on_commit_callbacks
):
    requester.language = "fr"
    requester.save()
    membership = ask(requester, provider)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_membership(membership=membership, actor=manager)

    assert "/fr/account/organisation/" in mail.outbox[0].body


def test_nothing_is_sent_when_the_decision_rolls_back(
    requester, provider, manager, django_capture_on_commit_callbacks
):
    membership = ask(requester, provider)

    def approve_then_fail() -> None:
        with transaction.atomic():
            services.approve_membership(membership=membership, actor=manager)
            raise RuntimeError("something after the decision failed")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        approve_then_fail()

    assert mail.outbox == []
    membership.refresh_from_db()
    assert membership.is_pending


def test_nobody_decides_their_own_request(client, provider, moderator):
    membership = ask(moderator, provider)

    with pytest.raises(services.NotAllowed):
        services.approve_membership(membership=membership, actor=moderator)
    with pytest.raises(services.NotAllowed):
        services.decline_membership(membership=membership, actor=moderator, reason="x")
    client.force_login(moderator)
    response = client.post(url("membership-approve", pk=membership.pk))

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_pending


def test_a_manager_cannot_decide_another_organisations_request(
    client, requester, manager
):
    other = ask(requester, make_provider())
    client.force_login(manager)

    listing = client.get(url("organisation-requests"))
    approve = client.post(
        url("membership-approve", pk=other.pk), {f"approve-{other.pk}-role": "member"}
    )
    decline = client.post(
        url("membership-decline", pk=other.pk),
        {f"decline-{other.pk}-reason": "No."},
    )

    assert "newcomer" not in listing.content.decode()
    assert approve.status_code == 404
    assert decline.status_code == 404
    with pytest.raises(services.NotAllowed):
        services.approve_membership(membership=other, actor=manager)
    other.refresh_from_db()
    assert other.is_pending


def test_a_manager_of_one_organisation_cannot_see_anothers_requests(
    client, requester, provider, manager
):
    ask(requester, provider)
    other_manager = make_user(organisation=make_provider(), organisation_role=MANAGER)
    client.force_login(other_manager)

    page = client.get(url("organisation-requests")).content.decode()

    assert "newcomer" not in page
    assert "No request is waiting for an answer." in page


def test_a_member_who_is_not_a_manager_has_no_requests_page(
    client, requester, provider
):
    membership = ask(requester, provider)
    member = make_user(organisation=provider, organisation_role=MEMBER)
    client.force_login(member)

    assert client.get(url("organisation-requests")).status_code == 404
    assert client.post(url("membership-approve", pk=membership.pk)).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.approve_membership(membership=membership, actor=member)


def test_a_user_proposes_a_new_organisation(client, requester):
    client.force_login(requester)

    client.post(
        url("organisation"),
        {
            "form": "propose",
            "propose-proposed_name": "Acme Software",
            "propose-proposed_website": "acme.example",
            "propose-proposed_contact_email": "info@acme.example",
            "propose-role": "manager",
        },
    )

    membership = MembershipRequest.objects.get(user=requester)
    assert membership.provider is None
    assert membership.proposed_name == "Acme Software"
    assert membership.proposed_website == "https://acme.example"
    assert membership.role == MANAGER
    assert not Provider.objects.filter(slug="acme-software").exists()


def test_a_proposal_approved_by_a_moderator_creates_a_private_partner(
    moderator_client, requester, django_capture_on_commit_callbacks
):
    membership = propose(requester)
    make_provider(slug="acme-software")

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            english("admin:accounts_membershiprequest_changelist"),
            {"action": "approve_selected", "_selected_action": [membership.pk]},
            follow=True,
        )

    assert "1 request(s) approved." in response.content.decode()
    created = Provider.objects.get(slug="acme-software-2")
    assert created.kind == ProviderKind.PRIVATE_COMPANY
    assert created.get_kind_display() == "Private partner"
    assert (created.name_nl, created.name_fr, created.name_en) == ("Acme Software",) * 3
    assert created.website_url == "https://acme.example"
    assert created.contact_email == "info@acme.example"
    requester.refresh_from_db()
    assert requester.organisation == created
    assert requester.organisation_role == MANAGER
    membership.refresh_from_db()
    assert membership.provider == created
    assert membership.is_proposal
    assert mail.outbox[0].subject == "[ReUse] You joined Acme Software"


def test_a_manager_cannot_approve_a_proposal(requester, manager):
    membership = propose(requester)

    with pytest.raises(services.NotAllowed):
        services.approve_membership(membership=membership, actor=manager)
    assert not Provider.objects.filter(slug="acme-software").exists()


def test_a_listed_organisation_cannot_be_proposed_again(client, requester, provider):
    client.force_login(requester)

    response = client.post(
        url("organisation"),
        {
            "form": "propose",
            "propose-proposed_name": "federal service of TESTS",
            "propose-proposed_website": "https://example.org",
            "propose-role": "member",
        },
    )

    page = response.content.decode()
    assert "is already listed: choose it in the list above." in page
    assert title_of(response).startswith("Error: ")
    assert 'href="#id_propose-proposed_name"' in page
    assert not MembershipRequest.objects.exists()


def test_a_line_break_in_a_proposed_name_is_refused(client, requester):
    client.force_login(requester)

    client.post(
        url("organisation"),
        {
            "form": "propose",
            "propose-proposed_name": "Acme\nBcc: someone@example.org",
            "propose-proposed_website": "https://acme.example",
            "propose-role": "member",
        },
    )

    assert not MembershipRequest.objects.exists()


def test_one_pending_request_per_user(client, requester, provider):
    ask(requester, provider)

    with pytest.raises(services.Refused):
        ask(requester, make_provider())
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(user=requester, provider=make_provider())
    client.force_login(requester)
    response = client.post(
        url("organisation"),
        {"form": "join", "join-provider": make_provider().pk, "join-role": "member"},
    )
    assert response.status_code == 302
    assert MembershipRequest.objects.filter(user=requester).count() == 1


def test_a_member_of_an_organisation_cannot_ask_to_join_another(manager):
    with pytest.raises(services.Refused):
        ask(manager, make_provider())


def test_a_request_names_one_organisation(requester, provider):
    with pytest.raises(services.Refused):
        services.request_membership(user=requester)
    with pytest.raises(services.Refused):
        services.request_membership(
            user=requester, provider=provider, proposed_name="Acme"
        )
    with pytest.raises(services.Refused):
        ask(requester, provider, role="owner")


def test_a_request_is_decided_once(requester, provider, manager, moderator):
    membership = ask(requester, provider)
    services.decline_membership(membership=membership, actor=manager, reason="No.")

    with pytest.raises(services.Refused):
        services.approve_membership(membership=membership, actor=moderator)


def test_no_approval_once_the_requester_joined_elsewhere(requester, provider, manager):
    membership = ask(requester, provider)
    requester.organisation = make_provider()
    requester.save()

    with pytest.raises(services.Refused):
        services.approve_membership(membership=membership, actor=manager)


def test_providers_are_listed_by_name_in_the_page_language(client, requester):
    make_provider(name_en="Zeta", name_fr="Alpha")
    make_provider(name_en="alpha", name_fr="Zèbre")
    client.force_login(requester)

    english = client.get(url("organisation")).content.decode()
    french = client.get(url("organisation", "fr")).content.decode()

    assert english.index(">alpha") < english.index(">Zeta")
    assert french.index(">Alpha") < french.index(">Zèbre")


def test_the_account_page_shows_the_organisation_role_and_links(client, manager):
    client.force_login(manager)

    page = client.get(url("account")).content.decode()

    assert "Federal Service of Tests" in page
    assert "Manager" in page
    assert f'href="{url("organisation")}"' in page
    assert f'href="{url("organisation-requests")}"' in page
    assert f'href="{url("password-change")}"' in page
    assert "API token" in page


@pytest.mark.parametrize("name", ["organisation", "organisation-requests"])
def test_organisation_pages_need_a_login_and_are_never_cached(client, manager, name):
    anonymous = client.get(url(name))
    client.force_login(manager)

    assert anonymous.status_code == 302
    assert "no-store" in client.get(url(name))["Cache-Control"]


def test_a_moderator_declines_in_the_admin_with_a_reason(
    moderator_client, requester, django_capture_on_commit_callbacks
):
    membership = propose(requester)
    decline = reverse("admin:accounts_membershiprequest_decline", args=[membership.pk])

    empty = moderator_client.post(decline, {"reason": ""})
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(decline, {"reason": "Not a software supplier."})

    assert empty.status_code == 200
    membership.refresh_from_db()
    assert membership.state == MembershipState.DECLINED
    assert membership.reason == "Not a software supplier."
    assert len(mail.outbox) == 1


def test_the_admin_action_reports_each_refusal(moderator_client, provider):
    decided = ask(make_user(), provider)
    services.decline_membership(
        membership=decided,
        actor=make_user(is_staff=True, is_superuser=True),
        reason="x",
    )
    pending = ask(make_user(), provider)

    response = moderator_client.post(
        english("admin:accounts_membershiprequest_changelist"),
        {"action": "approve_selected", "_selected_action": [decided.pk, pending.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "This request was already decided." in page
    assert "1 request(s) approved." in page


def test_a_proposed_organisation_gets_a_free_slug():
    make_provider(slug="acme")
    make_provider(slug="acme-2")

    def free(name: str) -> str:
        return Provider.objects.free_slug(name, fallback="organisation")

    assert free("ACME") == "acme-3"
    assert free("Nouvelle Société") == "nouvelle-societe"
    assert free("!!!") == "organisation"


def test_the_admin_lists_filters_and_offers_the_decline_button(
    moderator_client, requester
):
    membership = propose(requester)
    changelist = reverse("admin:accounts_membershiprequest_changelist")

    proposals = moderator_client.get(changelist, {"kind": "proposal"})
    listed = moderator_client.get(changelist, {"kind": "listed", "state": "pending"})
    change = moderator_client.get(
        reverse("admin:accounts_membershiprequest_change", args=[membership.pk])
    )

    assert "Acme Software" in proposals.content.decode()
    assert "Acme Software" not in listed.content.decode()
    decline = reverse("admin:accounts_membershiprequest_decline", args=[membership.pk])
    assert f'href="{decline}"' in change.content.decode()
