"""Saved searches: saving a catalogue search, and the daily digest of the
components newly published that match each one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from catalogue.filters import ComponentFilter
from catalogue.models import Component
from discovery.models import DigestEntry, SavedSearch
from publishing.models import Notification
from publishing.notifications import enqueue

# Enough for anyone's real needs; a bound on what a digest run computes.
MAX_SAVED_SEARCHES = 50
# A component published just before a digest run, but committed after it
# read the catalogue, is still found by the next run.
LOOKBACK = timedelta(days=7)
# A digest lists this many components per search, then links to the rest.
MAX_LISTED = 20
# The parameters of a catalogue search (the page number is not).
SEARCH_PARAMETERS = tuple(sorted(ComponentFilter.base_filters))


def normalise_query(query: QueryDict) -> str:
    """The search's parameters, sorted, without empty values or anything the
    catalogue does not read: the same search always gives the same string."""
    kept = QueryDict(mutable=True)
    for name in SEARCH_PARAMETERS:
        values = sorted({value.strip() for value in query.getlist(name)} - {""})
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def search_filter(query: str, queryset: QuerySet) -> ComponentFilter:
    """The catalogue page's own filters, run on a saved query string."""
    return ComponentFilter(data=QueryDict(query), queryset=queryset)


def describe(filterset: ComponentFilter) -> str:
    """A search in words: “eid” · Kind: API · Provider: Smals."""
    chosen = filterset.chosen()
    parts = []
    if words := (chosen.get("q") or "").strip():
        parts.append(f"“{words}”")
    for name in ComponentFilter.FACETS:
        values = chosen.get(name)
        if not values:
            continue
        filter_ = filterset.filters[name]
        labels = dict(filter_.extra.get("choices") or ())
        names = ", ".join(str(labels.get(value, value)) for value in values)
        parts.append(f"{filter_.label}: {names}")
    return " · ".join(parts) or _("All components")


def save_search(*, user: User, query: QueryDict) -> SavedSearch:
    """Save the catalogue search `query` for `user`; a search with an invalid
    value, too long, already saved or beyond the limit is refused."""
    normalised = normalise_query(query)
    max_length = SavedSearch._meta.get_field("query").max_length
    if len(normalised) > max_length:
        raise ValidationError(_("This search is too long to be saved."))
    filterset = search_filter(normalised, Component.objects.none())
    if not filterset.form.is_valid():
        raise ValidationError(
            _("Correct the filters of this search before saving it: %(errors)s")
            % {"errors": "; ".join(_field_errors(filterset))}
        )
    if SavedSearch.objects.of(user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You already have %(n)d saved searches: delete one first.")
            % {"n": MAX_SAVED_SEARCHES}
        )
    search = SavedSearch(user=user, query=normalised, name=describe(filterset)[:300])
    search.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError:
        raise ValidationError(_("You have already saved this search.")) from None
    return search


def _field_errors(filterset: ComponentFilter) -> list[str]:
    return [
        f"{filterset.form.fields[name].label}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    ]


@dataclass(frozen=True)
class DigestSection:
    search: SavedSearch
    components: list[Component]
    more: int


def new_matches(search: SavedSearch) -> list[Component] | None:
    """The published components that match `search` and that no digest of it
    reported yet, oldest publication first; None when the search no longer
    applies (a filter value that has gone from the catalogue): rather no
    mail than the matches of a wider search."""
    since = search.created_at
    if search.last_digest_at:
        since = max(since, search.last_digest_at - LOOKBACK)
    already = DigestEntry.objects.filter(saved_search=search, component=OuterRef("pk"))
    filterset = search_filter(
        search.query,
        Component.objects.for_listing()
        .filter(published_at__gte=since)
        .exclude(Exists(already)),
    )
    if not filterset.form.is_valid():
        return None
    return list(filterset.qs.order_by("published_at", "pk"))


def send_digest(user: User, *, now: datetime) -> Notification | None:
    """Queue one mail listing, per saved search of `user`, the components
    published since its last digest; nothing when nothing is new. Each
    reported component is recorded, so that it is never reported twice."""
    with transaction.atomic(), translation.override(user.language):
        # Locked: two runs at once do not both report the same components.
        searches = list(SavedSearch.objects.of(user).select_for_update())
        sections = []
        for search in searches:
            components = new_matches(search)
            if components:
                DigestEntry.objects.bulk_create(
                    [DigestEntry(saved_search=search, component=c) for c in components]
                )
                sections.append(
                    DigestSection(
                        search,
                        components[:MAX_LISTED],
                        max(0, len(components) - MAX_LISTED),
                    )
                )
        SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).update(
            last_digest_at=now
        )
        if not sections:
            return None
        context = {
            "user": user,
            "sections": sections,
            "site": settings.SITE_URL,
            "count": sum(len(s.components) + s.more for s in sections),
        }
        notification = Notification.objects.create(
            recipient=user,
            subject=render_to_string(
                "discovery/email/digest_subject.txt", context
            ).strip(),
            body=render_to_string("discovery/email/digest_body.txt", context),
        )
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def send_digests(*, now: datetime | None = None) -> int:
    """The daily run: a digest to every active user with a saved search and
    an address; returns how many mails were queued."""
    now = now or timezone.now()
    users = (
        User.objects.filter(is_active=True, saved_searches__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return sum(send_digest(user, now=now) is not None for user in users.iterator())
