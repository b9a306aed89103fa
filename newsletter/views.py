"""Subscribing to the newsletter and leaving it. No page ever shows an
e-mail address: the links carry signed numbers, not addresses."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from newsletter import services
from newsletter.forms import SubscribeForm

GET_OR_POST = ["GET", "HEAD", "POST"]


@never_cache
@sensitive_post_parameters("email")
@require_http_methods(GET_OR_POST)
def subscribe(request: HttpRequest) -> HttpResponse:
    language = get_language()
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={"languages": [language]},
    )
    status = 200
    if request.method == "POST":
        if services.too_many_from(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Many subscriptions were asked from your connection in the "
                    "last hour. Please try again later."
                ),
            )
            status = 429
        elif form.is_valid():
            languages = form.cleaned_data["languages"]
            services.request_subscription(
                email=form.cleaned_data["email"],
                languages=languages,
                # The e-mails in the language of this page, if it is one of
                # the editions asked for.
                language=language if language in languages else languages[0],
            )
            return redirect("newsletter:subscribe-sent")
    return render(request, "newsletter/subscribe.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/subscribe_sent.html")


def _bad_link(request: HttpRequest, error: services.BadLink, kind: str) -> HttpResponse:
    return render(
        request,
        "newsletter/link_invalid.html",
        {"expired": error.expired, "kind": kind},
        status=400,
    )


@never_cache
@require_http_methods(GET_OR_POST)
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link shows a button; the button confirms. Mail scanners that
    open every link do not subscribe anybody."""
    try:
        if request.method == "POST":
            subscription = services.confirm(token)
            return render(
                request,
                "newsletter/confirmed.html",
                {"editions": subscription.edition_names()},
            )
        services.check_confirmation(token)
    except services.BadLink as error:
        return _bad_link(request, error, "confirm")
    return render(request, "newsletter/confirm.html")


@csrf_exempt
@never_cache
@require_http_methods(GET_OR_POST)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST unsubscribes, from the page's button or from a mail
    program's one-click request (RFC 8058), which carries no cookie and no
    CSRF token: the signed link is the proof."""
    try:
        if request.method == "POST":
            services.unsubscribe(token)
            return render(request, "newsletter/unsubscribed.html")
        services.check_unsubscribe(token)
    except services.BadLink as error:
        return _bad_link(request, error, "unsubscribe")
    return render(request, "newsletter/unsubscribe.html")
