"""A user's own account: API token for their organisation's tools."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/account.html", {"token": token})


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    # One token per user: a new one replaces (and so revokes) the old one.
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(
        request, _("A new API token was created. The previous one no longer works.")
    )
    return redirect("accounts:account")


@login_required
@require_POST
def revoke_token(request: HttpRequest) -> HttpResponse:
    deleted, _rows = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:account")
