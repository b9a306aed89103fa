"""Saved searches: a signed-in user saves the catalogue search she is looking
at, lists and deletes her own, and gets one daily e-mail listing the
components newly published that match them, each component once."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discovery import services
from discovery.models import SavedSearch
from publishing import services as publishing
from publishing.models import Action, Notification
from tests.factories import make_component, make_provider, make_user

pytestmark = pytest.mark.django_db

SAVE = "/nl/account/saved-searches/new/"
LIST = "/nl/account/saved-searches/"


@pytest.fixture
def user():
    return make_user(email="an@example.org", language="fr")


def save(user, query: str) -> SavedSearch:
    return services.save_search(user=user, query=QueryDict(query))


def test_a_signed_in_user_saves_the_search_she_is_looking_at(client, user):
    provider = make_provider(slug="smals", name_nl="Smals", acronym_nl="Smals")
    make_component(provider=provider)
    client.force_login(user)

    page = client.get("/nl/catalogue/?q=eid&kind=api&provider=smals&page=2")
    assert 'name="query" value="q=eid&amp;kind=api&amp;provider=smals&amp;page=2"' in (
        page.content.decode()
    )
    response = client.post(
        SAVE, {"query": "q=eid&kind=api&provider=smals&page=2"}, follow=True
    )

    search = SavedSearch.objects.get(user=user)
    # Normalised: sorted, without the page.
    assert search.query == "kind=api&provider=smals&q=eid"
    # In the saver's language, the facets in the page's order.
    assert search.name == "“eid” · Aanbieder: Smals · Type: API"
    assert response.redirect_chain[-1][0] == LIST
    html = response.content.decode()
    assert "Smals" in html
    assert f'href="/nl/catalogue/?{search.query.replace("&", "&amp;")}"' in html


def test_visitors_see_no_save_button_and_cannot_save(client):
    assert "saved-searches/new" not in client.get("/nl/catalogue/").content.decode()

    response = client.post(SAVE, {"query": "kind=api"})

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


def test_an_invalid_or_repeated_search_is_refused_with_a_reason(client, user):
    client.force_login(user)

    response = client.post(SAVE, {"query": "kind=bogus"}, follow=True)
    assert 'role="alert"' in response.content.decode()
    assert "bogus is geen beschikbare keuze" in response.content.decode()
    assert not SavedSearch.objects.exists()

    client.post(SAVE, {"query": "kind=api"})
    response = client.post(SAVE, {"query": "kind=api&page=3"}, follow=True)
    with translation.override("nl"):
        assert _("You have already saved this search.") in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_an_empty_search_follows_every_new_component(user):
    with translation.override("nl"):
        assert save(user, "").name == _("All components")


def test_each_user_sees_and_deletes_only_her_own_searches(client, user):
    mine = save(user, "kind=api")
    other = make_user()
    theirs = save(other, "kind=service")
    client.force_login(user)

    html = client.get(LIST).content.decode()
    assert f"saved-searches/{mine.pk}/delete/" in html
    assert f"saved-searches/{theirs.pk}/delete/" not in html

    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()
    # Deleting is a POST: a link followed by a mail scanner deletes nothing.
    assert client.get(f"{LIST}{mine.pk}/delete/").status_code == 405

    client.post(f"{LIST}{mine.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()


def test_the_digest_lists_new_matches_once_in_the_users_language(user):
    provider = make_provider()
    make_component(provider=provider, kind="api", name_fr="Déjà là")
    search = save(user, f"kind=api&provider={provider.slug}")
    new = make_component(
        provider=provider, kind="api", name_fr="Nouveau", name_nl="Nieuw"
    )
    make_component(provider=provider, kind="service", name_fr="Autre sorte")
    make_component(kind="api", name_fr="Autre fournisseur")

    [notification] = [services.send_digest(user, now=new.published_at)]

    assert notification.recipient == user
    with translation.override("fr"):
        assert notification.subject == ngettext(
            "ReUse: %(n)s new component matches your saved searches",
            "ReUse: %(n)s new components match your saved searches",
            1,
        ) % {"n": 1}
    assert "Nouveau" in notification.body
    assert f"/fr/service/{new.slug}/" in notification.body
    assert "/fr/account/saved-searches/" in notification.body
    assert search.name in notification.body
    for other in ("Déjà là", "Autre sorte", "Autre fournisseur", "Nieuw"):
        assert other not in notification.body
    # The next day: nothing new, no mail.
    assert services.send_digest(user, now=new.published_at) is None
    assert Notification.objects.count() == 1


def test_unpublished_matches_wait_for_their_publication(user):
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    save(user, "kind=api")
    component = make_component(
        provider=organisation, kind="api", publication_state="draft", name_fr="Bientôt"
    )
    publishing.move(entry=component, action=Action.SUBMIT, actor=supplier)

    assert services.send_digests() == 0

    moderator = make_user(is_staff=True, is_superuser=True)
    publishing.move(entry=component, action=Action.PUBLISH, actor=moderator)

    assert services.send_digests() == 1
    assert "Bientôt" in Notification.objects.get(recipient=user).body
    assert services.send_digests() == 0


def test_one_mail_per_user_for_all_her_searches(user):
    save(user, "kind=api")
    save(user, "kind=service")
    api = make_component(kind="api")
    service = make_component(kind="service")

    assert services.send_digests() == 1

    body = Notification.objects.get(recipient=user).body
    assert f"/fr/service/{api.slug}/" in body
    assert f"/fr/service/{service.slug}/" in body


def test_a_search_whose_filter_value_has_gone_sends_nothing(user):
    provider = make_provider()
    save(user, f"provider={provider.slug}")
    provider.slug = "renamed"
    provider.save()
    make_component(name_fr="Sans rapport")

    assert services.send_digests() == 0


@pytest.mark.django_db(transaction=True)
def test_the_daily_command_mails_the_digest():
    user = make_user(email="daily@example.org", language="nl")
    save(user, "kind=api")
    make_component(kind="api", name_nl="Nieuwe API")

    call_command("send_search_digests", stdout=StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    [message] = mail.outbox
    assert message.to == ["daily@example.org"]
    assert "Nieuwe API" in message.body
    call_command("send_search_digests", stdout=StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert len(mail.outbox) == 1
