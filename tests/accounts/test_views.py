"""A supplier manages the API token of their account."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import make_provider, make_token, make_user

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")


def test_the_account_page_needs_a_login(client):
    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logging_in_leads_to_the_account_page(client):
    make_user(username="supplier", password="a-long-test-password")

    response = client.post(
        reverse("accounts:login"),
        {"username": "supplier", "password": "a-long-test-password"},
    )

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT


def test_a_supplier_creates_uses_replaces_and_revokes_a_token(client):
    user = make_user(organisation=make_provider())
    client.force_login(user)

    created = client.post(reverse("accounts:token-create"))
    first = created.context["new_key"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/components/", {}, format="json").status_code == 400

    replaced = client.post(reverse("accounts:token-create"))
    second = replaced.context["new_key"]
    assert second != first
    assert api.post("/api/v1/components/", {}, format="json").status_code == 401

    client.post(reverse("accounts:token-revoke"))
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.post("/api/v1/components/", {}, format="json").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_token_is_stored_hashed_and_shown_only_once(client):
    user = make_user(organisation=make_provider())
    client.force_login(user)

    created = client.post(reverse("accounts:token-create"))
    key = created.context["new_key"]
    later = client.get(ACCOUNT)

    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert "no-store" in later["Cache-Control"]
    assert key not in later.content.decode()
    stored = AuthToken.objects.get(user=user)
    assert key not in (stored.digest, stored.token_key)
    assert key.startswith(stored.token_key)


def test_a_token_in_the_query_string_is_not_accepted():
    key = make_token(make_user(organisation=make_provider()))

    response = APIClient().post(f"/api/v1/components/?token={key}", {}, format="json")

    assert response.status_code == 401


def test_tokens_change_only_by_post(client):
    client.force_login(make_user())

    assert client.get(reverse("accounts:token-create")).status_code == 405
    assert client.get(reverse("accounts:token-revoke")).status_code == 405


def test_a_failed_login_says_so_in_the_title_and_on_the_fields(client):
    make_user(username="supplier", password="a-long-test-password")

    response = client.post(
        reverse("accounts:login"), {"username": "supplier", "password": "wrong"}
    )

    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Fout:")
    assert page.count('aria-invalid="true" aria-describedby="login-error"') == 2
    assert 'id="login-error"' in page


def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(client):
    make_user(username="supplier", password="a-long-test-password")
    login = reverse("accounts:login")
    wrong = {"username": "supplier", "password": "wrong"}

    attempts = [client.post(login, wrong) for _attempt in range(5)]
    locked = client.post(
        login, {"username": "supplier", "password": "a-long-test-password"}
    )

    assert [response.status_code for response in attempts[:4]] == [200] * 4
    assert locked.status_code == 429
    assert "15 minuten" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_protected_too(client):
    make_user(username="moderator", password="a-long-test-password", is_staff=True)
    login = reverse("admin:login")

    for _attempt in range(5):
        client.post(login, {"username": "moderator", "password": "wrong"})
    locked = client.post(
        login, {"username": "moderator", "password": "a-long-test-password"}
    )

    assert locked.status_code == 429
