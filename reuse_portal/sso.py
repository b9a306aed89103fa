"""Single sign-on through an OpenID Connect provider, with mozilla-django-oidc.

Off unless OIDC_ENABLED is set: the portal then works with its own accounts
only, and mozilla-django-oidc need not be installed. `oidc_settings` reads
the provider's configuration from the environment and returns the settings
to add, so that a half-configured sign-on stops the start-up instead of
failing at someone's first log-in.
"""

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

OIDC_BACKEND = "mozilla_django_oidc.auth.OIDCAuthenticationBackend"
# What identity providers use nowadays; mozilla-django-oidc's own default is
# HS256, which signs with the client secret.
DEFAULT_SIGN_ALGO = "RS256"
REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)
JWKS = "OIDC_OP_JWKS_ENDPOINT"


def oidc_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The settings for mozilla-django-oidc when OIDC_ENABLED is true in
    `environ`, else {}.

    Besides mozilla-django-oidc's settings, the result holds the dotted path
    of its authentication backend under OIDC_AUTHENTICATION_BACKEND, to be
    appended to AUTHENTICATION_BACKENDS (not a setting of its own).
    Raises ImproperlyConfigured when a value it needs is missing.
    """
    if not _is_true(environ.get("OIDC_ENABLED", "")):
        return {}
    values = {name: _read(environ, name) for name in (*REQUIRED, JWKS)}
    values["OIDC_RP_SIGN_ALGO"] = _read(environ, "OIDC_RP_SIGN_ALGO") or (
        DEFAULT_SIGN_ALGO
    )
    # Only HS* tokens are checked with the client secret; the others with
    # the provider's published keys.
    needed = (
        REQUIRED
        if values["OIDC_RP_SIGN_ALGO"].startswith("HS")
        else (
            *REQUIRED,
            JWKS,
        )
    )
    missing = [name for name in needed if not values[name]]
    if missing:
        raise ImproperlyConfigured(
            f"OIDC_ENABLED is on, but these are not set: {', '.join(missing)}."
        )
    if not values[JWKS]:
        del values[JWKS]
    return {**values, "OIDC_AUTHENTICATION_BACKEND": OIDC_BACKEND}


def _is_true(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _read(environ: Mapping[str, str], name: str) -> str:
    """NAME, or the content of the file named by NAME_FILE (Docker and
    Kubernetes secrets), as settings.env_secret reads them."""
    path = environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return environ.get(name, "").strip()
