"""A user's own account: signing up, the organisation they belong to, and
the API token of their organisation's tools."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from accounts import services
from accounts.activation import activate as activate_account
from accounts.activation import resend_activation_links, send_activation_email
from accounts.forms import (
    ApproveForm,
    DeclineForm,
    JoinForm,
    ProposeForm,
    ResendActivationForm,
    SignupForm,
)
from accounts.models import MembershipRequest, MembershipState, User
from accounts.requests import report_decision

logger = logging.getLogger(__name__)

# The activation link logs in without a password: through this backend,
# not django-axes' (which only guards passwords).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    token = AuthToken.objects.filter(user=request.user).first()
    return render(request, "accounts/account.html", _account_context(request, token))


def _account_context(request: HttpRequest, token) -> dict:
    user = request.user
    return {
        "token": token,
        "pending_request": _pending_request(user),
        **_requests_to_decide(user),
    }


def _requests_to_decide(user: User) -> dict:
    count = _managed_requests(user).count() if user.is_organisation_manager else 0
    return {"requests_to_decide": count}


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
    context = {**_account_context(request, token), "new_key": key}
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
@require_POST
def revoke_token(request: HttpRequest) -> HttpResponse:
    deleted, _rows = AuthToken.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:account")


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an inactive account and send the link that activates it."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    data = request.POST if request.method == "POST" else None
    form = SignupForm(data, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.is_active = False
        try:
            # No account without its e-mail: nobody could activate it.
            with transaction.atomic():
                user.save()
                send_activation_email(request, user)
        except (SMTPException, OSError):
            logger.exception("activation e-mail not sent; sign-up undone")
            form.add_error(
                None,
                _("We could not send you the e-mail just now. Please try again later."),
            )
        else:
            return redirect("accounts:signup-done")
    return render(request, "accounts/signup.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD"])
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@never_cache
@require_http_methods(["GET", "HEAD"])
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = activate_account(uidb64, token)
    if user is None:
        return render(request, "accounts/activation_invalid.html", status=400)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Your account is active. Welcome!"))
    return redirect("accounts:account")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resend_activation(request: HttpRequest) -> HttpResponse:
    form = ResendActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        resend_activation_links(request, form.cleaned_data["email"])
        # The same answer whether an account waits or not.
        return redirect("accounts:signup-done")
    return render(request, "accounts/activation_resend.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation(request: HttpRequest) -> HttpResponse:
    """The user's organisation; without one, their request to join one, or
    the forms to ask."""
    user = request.user
    pending = _pending_request(user)
    if user.organisation_id is not None or pending is not None:
        if request.method == "POST":
            messages.error(request, _("You cannot send another request now."))
            return redirect("accounts:organisation")
        context = {"pending": pending, **_requests_to_decide(user)}
        return render(request, "accounts/organisation.html", context)
    return _ask_to_join(request)


def _ask_to_join(request: HttpRequest) -> HttpResponse:
    """The two ways to ask: join a listed organisation, or propose one."""
    forms = {"join": JoinForm(prefix="join"), "propose": ProposeForm(prefix="propose")}
    if request.method == "POST":
        kind = "propose" if request.POST.get("form") == "propose" else "join"
        submitted = forms[kind] = type(forms[kind])(request.POST, prefix=kind)
        if submitted.is_valid():
            try:
                services.request_membership(user=request.user, **submitted.cleaned_data)
            except services.Refused as refusal:
                submitted.add_error(None, refusal)
            else:
                messages.success(
                    request,
                    _("Your request was sent. You will receive the answer by e-mail."),
                )
                return redirect("accounts:organisation")
    declined = request.user.membership_requests.filter(
        state=MembershipState.DECLINED
    ).first()
    context = {
        "join_form": forms["join"],
        "propose_form": forms["propose"],
        "last_declined": declined,
    }
    return render(request, "accounts/organisation.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def organisation_requests(request: HttpRequest) -> HttpResponse:
    return _render_requests(request)


@never_cache
@login_required
@require_POST
def approve_request(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(_managed_requests(request.user), pk=pk)
    form = ApproveForm(request.POST, prefix=f"approve-{pk}")
    if not form.is_valid():
        return _render_requests(request, bound={pk: form})
    report_decision(
        request,
        lambda: services.approve_membership(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        ),
        decided=membership,
        done=_("%(user)s is now in your organisation."),
    )
    return redirect("accounts:organisation-requests")


@never_cache
@login_required
@require_POST
def decline_request(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(_managed_requests(request.user), pk=pk)
    form = DeclineForm(request.POST, prefix=f"decline-{pk}")
    if not form.is_valid():
        return _render_requests(request, bound={pk: form})
    report_decision(
        request,
        lambda: services.decline_membership(
            membership=membership,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        decided=membership,
        done=_("The request of %(user)s was declined."),
    )
    return redirect("accounts:organisation-requests")


def _render_requests(
    request: HttpRequest, *, bound: dict | None = None
) -> HttpResponse:
    """The manager's list of pending requests; `bound` holds the one form
    (by request id) that was sent with errors."""
    bound = bound or {}
    rows = []
    for membership in _managed_requests(request.user):
        pk = membership.pk
        approve = ApproveForm(prefix=f"approve-{pk}", initial={"role": membership.role})
        decline = DeclineForm(prefix=f"decline-{pk}")
        sent = bound.get(pk)
        if isinstance(sent, ApproveForm):
            approve = sent
        elif isinstance(sent, DeclineForm):
            decline = sent
        rows.append((membership, approve, decline))
    context = {"rows": rows, "has_errors": bool(bound)}
    return render(request, "accounts/organisation_requests.html", context)


def _managed_requests(user: User):
    """The pending requests to join the organisation `user` manages; other
    people's requests do not exist for them."""
    if not user.is_organisation_manager:
        raise Http404
    return (
        MembershipRequest.objects.pending()
        .filter(provider_id=user.organisation_id)
        .exclude(user=user)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def _pending_request(user: User) -> MembershipRequest | None:
    return user.membership_requests.pending().select_related("provider").first()


def locked_out(request: HttpRequest, response, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out login, in the visitor's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
