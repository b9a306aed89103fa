"""Events as iCalendar (RFC 5545): one event, or a network's calendar.

A timed event starts at its time in its own zone (DTSTART;TZID=..., with the
VTIMEZONE it needs); an event known to the day is an all-day event. An event
known only by its month is left out of every calendar: any day given to it
would be made up (see EventQuerySet.in_calendars()).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from networks.models import Event

PRODUCT_ID = "-//ReUse portal//Networks and events//EN"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "reuse"


def uid(event: Event) -> str:
    """Stable across renames and languages: calendar apps update the entry
    they already have instead of adding a second one."""
    return f"event-{event.pk}@{site_host()}"


def as_vevent(event: Event) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", uid(event))
    entry.add("dtstamp", event.updated_at or timezone.now())
    entry.add("last-modified", event.updated_at or timezone.now())
    if event.precision == Event.Precision.DAY:
        start = event.local_start.date()
        entry.add("dtstart", start)
        last_day = event.local_end.date() if event.local_end else start
        # All-day events end on the day after their last day.
        entry.add("dtend", last_day + timedelta(days=1))
    else:
        entry.add("dtstart", event.local_start)
        if event.local_end:
            entry.add("dtend", event.local_end)
    entry.add("summary", event.title)
    if event.description:
        entry.add("description", event.description)
    where = event.location or event.online_url
    if where:
        entry.add("location", where)
    entry.add("url", settings.SITE_URL + event.get_absolute_url())
    return entry


def calendar_of(events: Iterable[Event], *, name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        if event.in_calendar:
            calendar.add_component(as_vevent(event))
    calendar.add_missing_timezones()
    return calendar


def ics_response(calendar: icalendar.Calendar, *, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
