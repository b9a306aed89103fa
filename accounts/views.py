"""A user's own account: the API token of their organisation's tools."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    token = AuthToken.objects.filter(user=request.user).first()
    return render(request, "accounts/account.html", {"token": token})


# The new token is in this answer only: never cached, never shown again.
@never_cache
@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    # One token per user: a new one replaces (and so revokes) the old one.
    AuthToken.objects.filter(user=request.user).delete()
    token, key = AuthToken.objects.create(user=request.user, expiry=None)
    messages.success(
        request, _("A new API token was created. The previous one no longer works.")
    )
    return render(request, "accounts/account.html", {"token": token, "new_key": key})


@login_required
@require_POST
def revoke_token(request: HttpRequest) -> HttpResponse:
    deleted, _rows = AuthToken.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:account")


def locked_out(request: HttpRequest, response, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out login, in the visitor's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
