"""E-mail verification of a new account: the link it receives, and what
opening that link does."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User

logger = logging.getLogger(__name__)


def send_activation_email(request: HttpRequest, user: User) -> None:
    """Send the link that activates `user`, in the language they chose."""
    with translation.override(user.language):
        context = {
            "user": user,
            "activation_url": request.build_absolute_uri(activation_path(user)),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        }
        subject = render_to_string("accounts/email/activation_subject.txt", context)
        body = render_to_string("accounts/email/activation_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def resend_activation_links(request: HttpRequest, email: str) -> None:
    """Send a new link to each account of `email` that was never activated
    (its first link may have expired or been lost)."""
    waiting = User.objects.filter(
        email__iexact=email, is_active=False, last_login__isnull=True
    )
    for user in waiting:
        try:
            send_activation_email(request, user)
        except (SMTPException, OSError):
            logger.exception("new activation link for user %s not sent", user.pk)


def activation_path(user: User) -> str:
    """The activation link's path, in the current language."""
    return reverse(
        "accounts:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def activate(uidb64: str, token: str) -> User | None:
    """Activate the account the link was made for; None when the link is
    invalid, expired or already used.

    The token covers the last login, which the log-in that follows the
    activation changes: a link works once.
    """
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
    except (TypeError, ValueError, OverflowError):
        return None
    with transaction.atomic():
        try:
            # Locked: two clicks at once activate (and log in) only once.
            user = User.objects.select_for_update().get(pk=pk)
        except (User.DoesNotExist, ValueError, ValidationError):
            return None
        if user.is_active or not default_token_generator.check_token(user, token):
            return None
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
