"""Joining a network: a signed-in user asks on the network's page, a
coordinator (or a moderator) accepts or declines, the requester hears of it
by e-mail, and only members see the members' contacts."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from networks.models import JoinRequest, JoinRequestState, Membership
from publishing.models import Notification
from tests.factories import make_network, make_provider, make_user

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def network():
    return make_network(slug="archiving", name_en="Archiving network")


@pytest.fixture
def coordinator(network):
    user = make_user(
        username="coordinator", first_name="Cora", last_name="Dinator", language="en"
    )
    Membership.objects.create(
        network=network,
        user=user,
        person_name="Cora Dinator",
        role=Membership.Role.COORDINATOR,
    )
    return user


@pytest.fixture
def member(network):
    user = make_user(username="member", email="mia@example.org")
    Membership.objects.create(network=network, user=user, person_name="Mia Member")
    return user


def ask(client, user, network, message: str = ""):
    client.force_login(user)
    return client.post(url("networks:join", network.slug), {"message": message})


def test_a_signed_in_user_asks_to_join_from_the_network_page(client, network):
    user = make_user(username="newcomer")
    client.force_login(user)

    form = soup(client.get(network.get_absolute_url())).select_one(
        "form[action$='/join/']"
    )
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")

    response = client.post(form["action"], {"message": "I run archiving at FOD."})

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.network) == (user, network)
    assert join_request.message == "I run archiving at FOD."
    page = soup(client.get(network.get_absolute_url()))
    asked = translation.gettext(
        "You asked to join on %(date)s. The coordinator's answer will reach you by "
        "e-mail."
    )
    assert asked.split("%(date)s")[0] in page.select_one("main").text
    assert not page.select("form[action$='/join/']")


def test_the_coordinators_hear_of_a_new_request(client, network, coordinator):
    coordinator.email = "cora@example.org"
    coordinator.save()

    ask(client, make_user(username="newcomer", first_name="Nina"), network, "Hi!")

    notification = Notification.objects.get(recipient=coordinator)
    assert "Nina" in notification.subject
    assert "Hi!" in notification.body
    assert "/networks/archiving/requests/" in notification.body


def test_asking_twice_creates_no_second_request(client, network):
    user = make_user()

    ask(client, user, network)
    ask(client, user, network)

    assert JoinRequest.objects.filter(user=user, network=network).count() == 1


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_recorded(client, network):
    page = soup(client.get(network.get_absolute_url()))
    assert not page.select("form[action$='/join/']")
    assert page.select_one("a[href*='/account/login/']")

    response = client.post(url("networks:join", network.slug))

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not JoinRequest.objects.exists()


def test_a_too_long_message_is_refused_and_kept(client, network):
    response = ask(client, make_user(), network, message="x" * 1001)

    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".errors[role=alert]")
    assert page.select_one("textarea[name=message]").text.strip() == "x" * 1001
    assert not JoinRequest.objects.exists()


def test_an_unpublished_network_takes_no_request(client):
    draft = make_network(publication_state="draft")

    response = ask(client, make_user(), draft)

    assert response.status_code == 404
    assert not JoinRequest.objects.exists()


def test_the_coordinator_sees_the_waiting_requests_and_accepts_one(
    client, network, coordinator
):
    requester = make_user(username="newcomer", email="new@example.org", language="en")
    ask(client, requester, network, message="Hello")
    client.force_login(coordinator)

    network_page = soup(client.get(network.get_absolute_url()))
    link = network_page.select_one("a[href$='/requests/']")
    assert "1 request to join is waiting" in link.text
    requests_page = soup(client.get(link["href"]))
    card = requests_page.select_one("section.card")
    assert "new@example.org" in card.text
    accept_form = card.select_one("form[action$='/accept/']")

    response = client.post(accept_form["action"])

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.state == JoinRequestState.ACCEPTED
    assert join_request.decided_by == coordinator
    assert network.memberships.filter(user=requester, role="member").exists()
    notification = Notification.objects.get(recipient=requester)
    assert "Archiving network" in notification.subject
    assert "accepted" in notification.body


def test_a_declined_user_hears_why_and_may_ask_again(client, network, coordinator):
    requester = make_user(username="newcomer", language="fr")
    ask(client, requester, network)
    join_request = JoinRequest.objects.get()
    client.force_login(coordinator)

    client.post(
        url("networks:join-decline", network.slug, join_request.pk),
        {f"decline-{join_request.pk}-reason": "Réservé aux archivistes."},
    )

    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.DECLINED
    assert not network.memberships.filter(user=requester).exists()
    notification = Notification.objects.get(recipient=requester)
    assert "Réservé aux archivistes." in notification.body
    # Written in the requester's language, French: the network's French
    # name and page.
    assert "Réseau" in notification.subject
    assert "/fr/networks/archiving/" in notification.body

    ask(client, requester, network)

    assert JoinRequest.objects.filter(user=requester, state="pending").count() == 1


@pytest.mark.parametrize("who", ["requester", "member", "stranger", "staff_only"])
def test_only_a_coordinator_or_a_moderator_decides(client, network, member, who):
    requester = make_user()
    ask(client, requester, network)
    join_request = JoinRequest.objects.get()
    actor = {
        "requester": requester,
        "member": member,
        "stranger": make_user(),
        # Staff without the right to change join requests is no moderator.
        "staff_only": make_user(is_staff=True),
    }[who]
    client.force_login(actor)

    assert client.get(url("networks:join-requests", network.slug)).status_code == 403
    for action in ("networks:join-accept", "networks:join-decline"):
        response = client.post(url(action, network.slug, join_request.pk))
        assert response.status_code == 403

    join_request.refresh_from_db()
    assert join_request.is_pending
    assert not network.memberships.filter(user=requester).exists()


def test_a_moderator_decides_for_a_network_without_coordinator(
    client, network, moderator
):
    requester = make_user()
    ask(client, requester, network)
    join_request = JoinRequest.objects.get()
    client.force_login(moderator)

    client.post(url("networks:join-accept", network.slug, join_request.pk))

    assert network.memberships.filter(user=requester).exists()


def test_a_coordinator_of_another_network_decides_nothing_here(
    client, network, coordinator
):
    other = make_network()
    requester = make_user()
    ask(client, requester, other)
    join_request = JoinRequest.objects.get()
    client.force_login(coordinator)

    assert client.get(url("networks:join-requests", other.slug)).status_code == 403
    # Nor through this network's address.
    response = client.post(url("networks:join-accept", network.slug, join_request.pk))
    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_a_decided_request_is_not_decided_again(client, network, coordinator):
    requester = make_user()
    ask(client, requester, network)
    join_request = JoinRequest.objects.get()
    client.force_login(coordinator)
    client.post(url("networks:join-accept", network.slug, join_request.pk))

    response = client.post(
        url("networks:join-decline", network.slug, join_request.pk), follow=True
    )

    assert "already decided" in soup(response).select_one(".messages").text
    join_request.refresh_from_db()
    assert join_request.state == JoinRequestState.ACCEPTED


def test_a_member_asks_no_more(client, network, member):
    client.force_login(member)
    page = soup(client.get(network.get_absolute_url()))
    assert not page.select("form[action$='/join/']")

    ask(client, member, network)

    assert not JoinRequest.objects.exists()


def contacts_section(client, network):
    return soup(client.get(network.get_absolute_url())).select_one(
        "section[aria-labelledby=contacts-title]"
    )


def test_members_see_each_others_names_and_e_mail_addresses(
    client, network, coordinator, member
):
    coordinator.email = "cora@example.org"
    coordinator.save()
    client.force_login(member)

    section = contacts_section(client, network)

    addresses = {a["href"] for a in section.select("a[href^=mailto]")}
    assert addresses == {"mailto:cora@example.org", "mailto:mia@example.org"}
    assert "Cora Dinator" in section.text


@pytest.mark.parametrize("who", ["anonymous", "non_member", "pending", "declined"])
def test_the_contacts_are_hidden_from_everyone_else(client, network, member, who):
    if who != "anonymous":
        visitor = make_user()
        if who in ("pending", "declined"):
            JoinRequest.objects.create(network=network, user=visitor, state=who)
        client.force_login(visitor)

    response = client.get(network.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert contacts_section(client, network) is None
    assert "mia@example.org" not in html
    # Personal members are counted, not named, in public.
    assert "Mia Member" not in html
    joined = translation.ngettext(
        "%(counter)s person has joined through the portal.",
        "%(counter)s people have joined through the portal.",
        1,
    )
    assert joined % {"counter": 1} in html


def test_a_members_page_is_never_stored_by_a_cache(client, network, member):
    client.force_login(member)

    response = client.get(network.get_absolute_url())

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_public_member_list_still_names_the_recorded_organisations(client, network):
    organisation = make_provider(name_en="Archive Agency")
    Membership.objects.create(network=network, organisation=organisation)

    members = soup(client.get(network.get_absolute_url())).select_one(
        "section[aria-labelledby=members-title]"
    )

    assert members.select_one(f"a[href='{organisation.get_absolute_url()}']")


@pytest.mark.django_db(transaction=True)
def test_the_decision_e_mail_is_sent_by_the_worker(client):
    network = make_network(name_nl="Archiefnetwerk")
    coordinator = make_user()
    Membership.objects.create(
        network=network, user=coordinator, person_name="C", role="coordinator"
    )
    requester = make_user(email="nora@example.org", language="nl")
    ask(client, requester, network)
    client.force_login(coordinator)

    client.post(url("networks:join-accept", network.slug, JoinRequest.objects.get().pk))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    [decision] = [m for m in mail.outbox if m.to == ["nora@example.org"]]
    assert "Archiefnetwerk" in decision.subject
    assert "/nl/networks/" in decision.body
    # The coordinator had heard of the request.
    assert [m.to for m in mail.outbox if m is not decision] == [[coordinator.email]]


@pytest.mark.parametrize("others", [1, 12])
def test_a_members_page_makes_a_fixed_number_of_queries(
    client, network, member, django_assert_max_num_queries, others
):
    for _ in range(others):
        Membership.objects.create(
            network=network,
            user=make_user(organisation=make_provider()),
            person_name="Someone",
        )
    client.force_login(member)

    # session and user; the network, its components and memberships; the
    # events; the contacts.
    with django_assert_max_num_queries(9):
        response = client.get(network.get_absolute_url())

    assert len(soup(response).select("section.contacts li")) == others + 1
