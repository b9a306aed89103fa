"""The single sign-on hook: off by default, complete or refused when on."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from reuse_portal.sso import OIDC_BACKEND, oidc_settings

PROVIDER = {
    "OIDC_ENABLED": "1",
    "OIDC_RP_CLIENT_ID": "reuse-portal",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/certs",
}


@pytest.mark.parametrize("enabled", [None, "", "0", "false", "no", "off"])
def test_off_by_default(enabled):
    environ = {**PROVIDER}
    if enabled is None:
        del environ["OIDC_ENABLED"]
    else:
        environ["OIDC_ENABLED"] = enabled

    assert oidc_settings(environ) == {}


def test_off_needs_nothing_else():
    assert oidc_settings({}) == {}


@pytest.mark.parametrize("enabled", ["1", "true", "TRUE", "yes", " on "])
def test_on_gives_every_setting_and_the_backend(enabled):
    settings = oidc_settings({**PROVIDER, "OIDC_ENABLED": enabled})

    assert settings == {
        "OIDC_RP_CLIENT_ID": "reuse-portal",
        "OIDC_RP_CLIENT_SECRET": "s3cret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/certs",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_AUTHENTICATION_BACKEND": OIDC_BACKEND,
    }
    assert OIDC_BACKEND == "mozilla_django_oidc.auth.OIDCAuthenticationBackend"


@pytest.mark.parametrize(
    "name",
    [
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ],
)
def test_a_missing_value_stops_the_start_up_and_is_named(name):
    environ = {**PROVIDER, name: " "}

    with pytest.raises(ImproperlyConfigured, match=name):
        oidc_settings(environ)


def test_hs256_checks_tokens_with_the_secret_and_needs_no_keys_endpoint():
    environ = {**PROVIDER, "OIDC_RP_SIGN_ALGO": "HS256"}
    del environ["OIDC_OP_JWKS_ENDPOINT"]

    settings = oidc_settings(environ)

    assert settings["OIDC_RP_SIGN_ALGO"] == "HS256"
    assert "OIDC_OP_JWKS_ENDPOINT" not in settings


def test_the_client_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "oidc-secret"
    secret.write_text("from-a-file\n")
    environ = {**PROVIDER, "OIDC_RP_CLIENT_SECRET_FILE": str(secret)}
    del environ["OIDC_RP_CLIENT_SECRET"]

    assert oidc_settings(environ)["OIDC_RP_CLIENT_SECRET"] == "from-a-file"
