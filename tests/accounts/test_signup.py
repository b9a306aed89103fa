"""Signing up with e-mail verification, and changing or resetting a password."""

import re
from smtplib import SMTPException

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-42"


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"accounts:{name}", kwargs=kwargs or None)


def signup_data(**overrides) -> dict:
    return {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "language": "en",
        **overrides,
    }


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def title_of(response) -> str:
    return response.content.decode().split("<title>")[1].split("</title>")[0]


def test_signing_up_creates_an_inactive_account_and_sends_the_link(client):
    response = client.post(url("signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == url("signup-done")
    user = User.objects.get(username="newcomer")
    assert not user.is_active
    assert user.email == "newcomer@example.org"
    assert user.language == "en"
    assert user.check_password(NEW_PASSWORD)
    [message] = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert message.subject == "[ReUse] Activate your account"
    assert link_in(message).startswith("http://testserver/en/account/activate/")
    assert "_auth_user_id" not in client.session


def test_the_activation_link_activates_logs_in_and_shows_the_account(client):
    client.post(url("signup"), signup_data())
    link = link_in(mail.outbox[0])

    response = client.get(link, follow=True)

    assert response.redirect_chain == [(url("account"), 302)]
    assert response.status_code == 200
    assert "Your account is active" in response.content.decode()
    user = User.objects.get(username="newcomer")
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_activation_link_works_once(client):
    client.post(url("signup"), signup_data())
    link = link_in(mail.outbox[0])
    client.get(link)
    client.post(url("logout"))

    again = client.get(link)

    assert again.status_code == 400
    assert "This activation link does not work" in again.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("MTIzNDU2", "cbbtfa-0123456789abcdef"), ("%%%", "x"), ("bm90YW5pbnQ", "x")],
)
def test_a_made_up_activation_link_is_refused(client, uidb64, token):
    response = client.get(url("activate", uidb64=uidb64, token=token))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_wrong_token_leaves_the_account_inactive(client):
    client.post(url("signup"), signup_data())
    link = link_in(mail.outbox[0])
    tampered = link.rstrip("/")[:-2] + "zz/"

    response = client.get(tampered)

    assert response.status_code == 400
    assert not User.objects.get(username="newcomer").is_active


def test_the_activation_email_is_in_the_language_of_the_account(client):
    client.post(url("signup"), signup_data(language="fr"))

    [message] = mail.outbox

    assert link_in(message).startswith("http://testserver/fr/account/activate/")


def test_the_language_defaults_to_the_page_language(client):
    page = client.get(url("signup", "fr")).content.decode()

    assert '<option value="fr" selected>' in page


def test_an_account_cannot_log_in_before_it_is_activated(client):
    client.post(url("signup"), signup_data())

    response = client.post(
        url("login"), {"username": "newcomer", "password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_duplicate_email_is_refused_whatever_its_case(client):
    make_user(email="Newcomer@Example.org")

    response = client.post(url("signup"), signup_data(email="NEWCOMER@example.ORG"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "An account with this e-mail address already exists" in page
    assert title_of(response).startswith("Error: ")
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert 'href="#id_email"' in page
    assert not User.objects.filter(username="newcomer").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("field", ["username", "email"], ids=["username", "email"])
def test_line_breaks_that_could_forge_headers_are_refused(client, field):
    value = {"username": "new\ncomer", "email": "a@example.org\nBcc: b@example.org"}

    response = client.post(url("signup"), signup_data(**{field: value[field]}))

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_the_username_field_says_why_a_line_break_is_refused(client):
    response = client.post(url("signup"), signup_data(username="new\rcomer"))

    assert "Line breaks are not allowed here." in response.content.decode()


def test_a_taken_username_is_refused_whatever_its_case(client):
    make_user(username="Newcomer")

    response = client.post(url("signup"), signup_data())

    assert response.status_code == 200
    assert 'id="id_username_error"' in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password1", "password2"),
    [("password", "password"), ("12345678901", "12345678901"), (PASSWORD, "other")],
    ids=["common", "numeric", "mismatch"],
)
def test_weak_or_mismatched_passwords_are_refused(client, password1, password2):
    response = client.post(
        url("signup"), signup_data(password1=password1, password2=password2)
    )

    assert response.status_code == 200
    assert 'id="id_password2_error"' in response.content.decode()
    assert not User.objects.exists()


def test_no_account_is_left_behind_when_the_email_cannot_be_sent(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr("accounts.activation.send_mail", refuse)

    response = client.post(url("signup"), signup_data())

    assert response.status_code == 200
    assert "We could not send you the e-mail" in response.content.decode()
    assert not User.objects.exists()


def test_a_signed_in_user_is_sent_to_their_account(client):
    client.force_login(make_user())

    response = client.get(url("signup"))

    assert response.status_code == 302
    assert response["Location"] == url("account")


def test_a_new_activation_link_can_be_asked_for(client):
    client.post(url("signup"), signup_data())
    mail.outbox.clear()

    response = client.post(url("activation-resend"), {"email": "NEWCOMER@example.org"})

    assert response["Location"] == url("signup-done")
    [message] = mail.outbox
    client.get(link_in(message))
    assert User.objects.get(username="newcomer").is_active


def test_no_new_activation_link_for_an_active_account(client):
    make_user(email="active@example.org")

    response = client.post(url("activation-resend"), {"email": "active@example.org"})

    assert response["Location"] == url("signup-done")
    assert mail.outbox == []


def test_the_signup_page_has_one_heading_and_a_label_for_each_field(client):
    page = client.get(url("signup")).content.decode()

    assert page.count("<h1>") == 1
    for field in ("username", "email", "password1", "password2", "language"):
        assert f'<label for="id_{field}">' in page
    assert "no-store" in client.get(url("signup"))["Cache-Control"]


def test_the_login_page_links_to_password_reset_and_signup(client):
    page = client.get(url("login")).content.decode()

    assert f'href="{url("password-reset")}"' in page
    assert f'href="{url("signup")}"' in page


def test_a_forgotten_password_is_reset_through_the_emailed_link(client):
    user = make_user(username="supplier", email="supplier@example.org", language="en")

    asked = client.post(url("password-reset"), {"email": "SUPPLIER@example.org"})
    [message] = mail.outbox
    link = link_in(message)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    reused = client.get(link, follow=True)
    login = client.post(
        url("login"), {"username": "supplier", "password": NEW_PASSWORD}
    )

    assert asked["Location"] == url("password-reset-done")
    assert message.to == ["supplier@example.org"]
    assert message.subject == "[ReUse] Choose a new password"
    assert link.startswith("http://testserver/en/account/password/reset/")
    assert "Choose a new password" in form.content.decode()
    assert done["Location"] == url("password-reset-complete")
    assert "This password reset link does not work" in reused.content.decode()
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_reset_email_is_in_the_language_of_the_account(client):
    make_user(email="supplier@example.org", language="fr")

    client.post(url("password-reset"), {"email": "supplier@example.org"})

    assert link_in(mail.outbox[0]).startswith("http://testserver/fr/account/")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(url("password-reset"), {"email": "nobody@example.org"})

    assert response["Location"] == url("password-reset-done")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_accessible_errors(client):
    make_user(email="supplier@example.org", language="en")
    client.post(url("password-reset"), {"email": "supplier@example.org"})
    form = client.get(link_in(mail.outbox[0]), follow=True)

    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "password", "new_password2": "password"},
    )

    page = response.content.decode()
    assert title_of(response).startswith("Error: ")
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert 'id="id_new_password2_error"' in page


def test_a_user_changes_their_password(client):
    user = make_user()
    client.force_login(user)

    response = client.post(
        url("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == url("password-change-done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_is_refused(client):
    user = make_user()
    client.force_login(user)

    response = client.post(
        url("password-change"),
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert title_of(response).startswith("Error: ")
    assert 'id="id_old_password_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_needs_a_login(client):
    response = client.get(url("password-change"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))


@pytest.mark.parametrize(
    "name",
    ["signup-done", "activation-resend", "password-reset", "password-reset-done"],
)
def test_account_pages_are_never_cached(client, name):
    assert "no-store" in client.get(url(name))["Cache-Control"]
