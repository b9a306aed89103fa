"""A supplier manages the API token of their account."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_provider, make_user

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

    client.post(reverse("accounts:token-create"))
    first = Token.objects.get(user=user).key
    assert first in client.get(ACCOUNT).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/components/", {}, format="json").status_code == 400

    client.post(reverse("accounts:token-create"))
    second = Token.objects.get(user=user).key
    assert second != first
    assert api.post("/api/v1/components/", {}, format="json").status_code == 401

    client.post(reverse("accounts:token-revoke"))
    assert not Token.objects.filter(user=user).exists()


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
