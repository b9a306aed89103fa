"""The pages of the networks: the public pages, a member's view of them,
asking to join, a coordinator's answers, and the events with their
calendars."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from accounts.requests import report_decision
from networks import services
from networks.calendar import calendar_of, ics_response
from networks.forms import DeclineForm, JoinForm
from networks.models import Event, Membership, Network
from reuse_portal.page_cache import cached_for_everyone


@method_decorator(cached_for_everyone, name="dispatch")
class NetworkListView(ListView):
    def get_queryset(self):
        # By name in the language of each request: built per request.
        return Network.objects.for_directory().by_name()


class NetworkDetailView(DetailView):
    """One network. Signed in, a visitor also sees where they stand: the
    button to ask to join, their waiting request, or (as a member) the
    members' contacts."""

    queryset = Network.objects.for_detail()
    join_form: JoinForm | None = None

    def get_context_data(self, **kwargs) -> dict:
        network = self.object
        events = Event.objects.filter(network=network)
        memberships = list(network.memberships.all())
        return super().get_context_data(
            upcoming_events=events.upcoming(),
            past_events=events.past(),
            # People who joined through the portal are named to members
            # only (in the contacts); the public list shows the members the
            # moderators record.
            listed_members=[m for m in memberships if m.user_id is None],
            joined_people=sum(1 for m in memberships if m.user_id is not None),
            **viewer_context(self.request.user, network, memberships, self.join_form),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if self.request.user.is_authenticated:
            # A member's page holds other people's e-mail addresses.
            add_never_cache_headers(response)
        return response


def viewer_context(
    user, network: Network, memberships: list[Membership], join_form: JoinForm | None
) -> dict:
    """What the signed-in visitor sees of their own standing; nothing (and
    no query) for anonymous visitors."""
    if not user.is_authenticated:
        return {}
    own = next((m for m in memberships if m.user_id == user.pk), None)
    is_coordinator = own is not None and own.role == Membership.Role.COORDINATOR
    context = {"own_membership": own, "can_decide": False}
    if own is not None:
        context["contacts"] = network.memberships.contacts()
    else:
        context["pending_request"] = (
            network.join_requests.pending().filter(user=user).first()
        )
        context["join_form"] = join_form or JoinForm()
    if is_coordinator or services.is_moderator(user):
        context["can_decide"] = True
        context["requests_waiting"] = network.join_requests.pending().count()
    return context


def published_network(slug: str) -> Network:
    return get_object_or_404(Network.objects.published(), slug=slug)


@never_cache
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    network = published_network(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(network.get_absolute_url())
    form = JoinForm(request.POST)
    if not form.is_valid():
        # The page again, with the form's errors and the text as sent.
        view = NetworkDetailView(join_form=form)
        view.setup(request, slug=slug)
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(object=view.object))
        response.status_code = 400
        return response
    try:
        join_request = services.request_to_join(
            network=network, user=request.user, message=form.cleaned_data["message"]
        )
    except services.Refused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            _(
                "Your request to join was sent on %(date)s. You will receive "
                "the answer by e-mail."
            )
            % {"date": join_request.created_at.date().isoformat()},
        )
    return redirect(network)


def decidable_network(request: HttpRequest, slug: str) -> Network:
    """The network whose requests `request.user` may decide: a coordinator
    of it, or a moderator."""
    network = published_network(slug)
    if not (
        network.is_coordinator(request.user) or services.is_moderator(request.user)
    ):
        raise PermissionDenied
    return network


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def join_requests(request: HttpRequest, slug: str) -> HttpResponse:
    return render_requests(request, decidable_network(request, slug))


def render_requests(
    request: HttpRequest,
    network: Network,
    *,
    bound: tuple[int, DeclineForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The waiting requests with their answer forms; `bound` is the one
    form (by request id) that was sent with errors."""
    waiting = (
        network.join_requests.pending()
        .exclude(user=request.user)
        .select_related("user", "user__organisation")
    )
    rows = [
        (
            join_request,
            bound[1]
            if bound and bound[0] == join_request.pk
            else DeclineForm(prefix=f"decline-{join_request.pk}"),
        )
        for join_request in waiting
    ]
    context = {"network": network, "rows": rows, "has_errors": bound is not None}
    return render(request, "networks/join_requests.html", context, status=status)


@never_cache
@login_required
@require_POST
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = decidable_network(request, slug)
    join_request = get_object_or_404(network.join_requests, pk=pk)
    report_decision(
        request,
        lambda: services.accept(join_request=join_request, actor=request.user),
        decided=join_request,
        done=_("%(user)s is now a member of the network."),
    )
    return redirect("networks:join-requests", slug=network.slug)


@never_cache
@login_required
@require_POST
def decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = decidable_network(request, slug)
    join_request = get_object_or_404(network.join_requests, pk=pk)
    form = DeclineForm(request.POST, prefix=f"decline-{pk}")
    if not form.is_valid():
        return render_requests(request, network, bound=(pk, form), status=400)
    report_decision(
        request,
        lambda: services.decline(
            join_request=join_request,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        decided=join_request,
        done=_("The request of %(user)s was declined."),
    )
    return redirect("networks:join-requests", slug=network.slug)


class EventDetailView(DetailView):
    queryset = Event.objects.published().select_related("network")


@require_http_methods(["GET", "HEAD"])
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """One event as an .ics file; none for an event known only by its month."""
    event = get_object_or_404(
        Event.objects.published().in_calendars().select_related("network"),
        slug=slug,
    )
    return ics_response(
        calendar_of([event], name=event.title), filename=f"{event.slug}.ics"
    )


@require_http_methods(["GET", "HEAD"])
def network_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's events, for a calendar app to subscribe to."""
    network = published_network(slug)
    events = Event.objects.published().in_calendars().filter(network=network)
    return ics_response(
        calendar_of(events.order_by("starts_at", "pk"), name=network.name),
        filename=f"{network.slug}.ics",
    )
