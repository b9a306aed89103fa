"""Atom feeds of the events: of every published network, and of one."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from networks.calendar import site_host
from networks.models import Event, Network

FEED_LENGTH = 50


class EventFeed(Feed):
    """The newest-starting events first; only published networks' events."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("ReUse: events of the networks")

    def subtitle(self) -> str:
        return _("Webinars, meetings and conferences of the reuse networks.")

    def link(self) -> str:
        return reverse("networks:network-list")

    def feed_url(self) -> str:
        return reverse("networks:event-feed")

    def items(self, obj: Network | None = None) -> QuerySet[Event]:
        events = Event.objects.published()
        if obj is not None:
            events = events.filter(network=obj)
        return events.select_related("network").order_by("-starts_at", "pk")[
            :FEED_LENGTH
        ]

    def item_title(self, item: Event) -> str:
        when = " ".join(filter(None, [item.start_text, item.zone_abbreviation]))
        return f"{item.title} ({when})"

    def item_description(self, item: Event) -> str:
        parts = [item.description, item.location, item.online_url]
        return "\n\n".join(part for part in parts if part)

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Event) -> str:
        # A tag URI (RFC 4151): the entry stays one entry when its title,
        # slug or language changes.
        return f"tag:{site_host()},2021:event/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [item.get_kind_display(), item.network.name]


class NetworkEventFeed(EventFeed):
    def get_object(self, request, slug: str) -> Network:
        return get_object_or_404(Network.objects.published(), slug=slug)

    def title(self, obj: Network) -> str:
        return _("ReUse: events of %(network)s") % {"network": obj.name}

    def link(self, obj: Network) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Network) -> str:
        return reverse("networks:network-event-feed", args=[obj.slug])
