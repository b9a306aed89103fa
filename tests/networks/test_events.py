"""Events: shown in their own time zone, downloadable as iCalendar, listed
in a network's calendar and in Atom feeds; an unpublished network's events
appear nowhere."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from networks.models import Event
from tests.factories import make_event, make_network

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
BRUSSELS = ZoneInfo("Europe/Brussels")


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def page_of(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def atom(response) -> ET.Element:
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def test_a_timed_event_starts_in_its_own_zone_in_the_ics(client):
    event = make_event(
        slug="rest-webinar",
        title_en="REST webinar",
        starts_at=datetime(2027, 3, 4, 14, 30, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 3, 4, 16, 0, tzinfo=BRUSSELS),
        location="Smals, Brussels",
    )

    parsed = calendar(client.get(url("networks:event-calendar", event.slug)))

    [entry] = parsed.walk("VEVENT")
    assert entry["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert entry.decoded("DTSTART") == datetime(2027, 3, 4, 14, 30, tzinfo=BRUSSELS)
    assert entry.decoded("DTEND") == datetime(2027, 3, 4, 16, 0, tzinfo=BRUSSELS)
    assert str(entry["SUMMARY"]) == "REST webinar"
    assert str(entry["LOCATION"]) == "Smals, Brussels"
    assert entry.decoded("DTSTAMP").tzinfo is not None
    # The zone the DTSTART names is defined in the file.
    assert [str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")] == [
        "Europe/Brussels"
    ]


def test_an_event_in_another_zone_keeps_that_zone(client):
    new_york = ZoneInfo("America/New_York")
    event = make_event(
        starts_at=datetime(2027, 1, 15, 9, 0, tzinfo=new_york),
        timezone="America/New_York",
    )

    [entry] = calendar(client.get(url("networks:event-calendar", event.slug))).walk(
        "VEVENT"
    )
    assert entry["DTSTART"].params["TZID"] == "America/New_York"
    assert entry.decoded("DTSTART").hour == 9

    when = soup(client.get(page_of(event))).select_one("aside time")
    assert when.get_text(strip=True) == "15 January 2027, 09:00"
    assert when.find_next_sibling("abbr").get_text() == "EST"


def test_the_uid_stays_when_the_event_is_renamed(client):
    event = make_event(precision=Event.Precision.DAY)
    first = calendar(client.get(url("networks:event-calendar", event.slug)))
    event.title_en = "Renamed"
    event.save()
    renamed = calendar(client.get(url("networks:event-calendar", event.slug)))

    uids = [str(c.walk("VEVENT")[0]["UID"]) for c in (first, renamed)]
    assert uids[0] == uids[1]
    assert str(event.pk) in uids[0]


def test_a_day_event_is_an_all_day_event(client):
    event = make_event(
        precision=Event.Precision.DAY,
        starts_at=datetime(2021, 2, 24, tzinfo=BRUSSELS),
    )

    [entry] = calendar(client.get(url("networks:event-calendar", event.slug))).walk(
        "VEVENT"
    )

    assert entry["DTSTART"].params.get("VALUE") == "DATE"
    assert entry.decoded("DTSTART") == date(2021, 2, 24)
    assert entry.decoded("DTEND") == date(2021, 2, 25)


def test_an_event_known_only_by_its_month_stays_out_of_calendars(client):
    network = make_network()
    month = make_event(network=network, precision=Event.Precision.MONTH)
    day = make_event(network=network, precision=Event.Precision.DAY)

    assert client.get(url("networks:event-calendar", month.slug)).status_code == 404
    parsed = calendar(client.get(url("networks:network-calendar", network.slug)))
    summaries = [str(entry["SUMMARY"]) for entry in parsed.walk("VEVENT")]
    assert summaries == [day.title]
    # Its page says so, and offers no download.
    page = soup(client.get(page_of(month)))
    assert not page.select("a[href$='.ics']")
    assert "not in the calendars" in page.select_one("aside").text


def test_a_networks_calendar_holds_its_own_events_only(client):
    network = make_network()
    mine = make_event(network=network, title_en="Ours")
    make_event(title_en="Someone else's")

    parsed = calendar(client.get(url("networks:network-calendar", network.slug)))

    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == [mine.title_en]
    assert str(parsed["X-WR-CALNAME"]) == network.name_en


def test_an_unpublished_networks_events_appear_nowhere(client):
    hidden = make_network(publication_state="draft")
    secret = make_event(network=hidden, title_en="Secret meeting")
    make_event(title_en="Public webinar")

    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(url("networks:event-calendar", secret.slug)).status_code == 404
    network_calendar = url("networks:network-calendar", hidden.slug)
    assert client.get(network_calendar).status_code == 404
    assert client.get(url("networks:network-event-feed", hidden.slug)).status_code == (
        404
    )
    feed = client.get(url("networks:event-feed")).content.decode()
    assert "Public webinar" in feed
    assert "Secret meeting" not in feed
    api = client.get("/api/v1/events/").content.decode()
    assert "Secret meeting" not in api


def test_the_feed_of_all_events_is_atom_listing_published_events(client):
    first = make_event(title_en="First", starts_at=timezone.now() + timedelta(days=3))
    second = make_event(title_en="Second", starts_at=timezone.now())

    root = atom(client.get(url("networks:event-feed")))

    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert [t.split(" (")[0] for t in titles] == ["First", "Second"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0].endswith(page_of(first))
    assert links[1].endswith(page_of(second))
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert all(i.startswith("tag:") for i in ids)
    assert len(set(ids)) == 2


def test_a_networks_feed_lists_its_events_only(client):
    network = make_network()
    make_event(network=network, title_en="Ours")
    make_event(title_en="Theirs")

    root = atom(client.get(url("networks:network-event-feed", network.slug)))

    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 1
    assert titles[0].startswith("Ours (")


def test_a_feed_entry_gives_the_time_with_its_zone(client):
    make_event(
        title_en="Webinar",
        starts_at=datetime(2027, 7, 1, 10, 0, tzinfo=BRUSSELS),
    )

    root = atom(client.get(url("networks:event-feed")))

    assert root.find(f"{ATOM}entry").findtext(f"{ATOM}title") == (
        "Webinar (1 July 2027, 10:00 CEST)"
    )


def test_the_network_page_links_its_feeds_and_calendar(client):
    network = make_network()

    page = soup(client.get(page_of(network)))

    alternates = {
        link["type"]: link["href"]
        for link in page.select("head link[rel=alternate][type]")
        if "hreflang" not in link.attrs and "network" in link["href"]
    }
    assert alternates["text/calendar"] == url("networks:network-calendar", network.slug)
    heads = [
        link["href"] for link in page.select("head link[type='application/atom+xml']")
    ]
    assert url("networks:network-event-feed", network.slug) in heads
    assert url("networks:event-feed") in heads
    body = {a["href"] for a in page.select("main a")}
    assert url("networks:network-calendar", network.slug) in body
    assert url("networks:network-event-feed", network.slug) in body


def test_upcoming_events_come_first_then_the_past_ones(client):
    network = make_network()
    make_event(
        network=network, title_en="Past", starts_at=timezone.now() - timedelta(days=9)
    )
    make_event(
        network=network, title_en="Later", starts_at=timezone.now() + timedelta(days=9)
    )
    make_event(
        network=network, title_en="Soon", starts_at=timezone.now() + timedelta(days=1)
    )

    page = soup(client.get(page_of(network)))

    titles = [a.text for a in page.select("ul.events li > strong > a")]
    assert titles == ["Soon", "Later", "Past"]


def test_the_event_page_gives_place_link_languages_and_registration(client):
    event = make_event(
        title_en="Archiving day",
        starts_at=datetime(2027, 2, 1, 9, 30, tzinfo=BRUSSELS),
        location="Brussels",
        online_url="https://meet.example/archiving",
        registration_url="https://forms.example/register",
        languages=["nl", "fr"],
    )

    page = soup(client.get(page_of(event)))

    assert page.select_one("h1").text == "Archiving day"
    assert page.select_one("aside abbr[title='Europe/Brussels']").text == "CET"
    assert page.select_one("a[href='https://forms.example/register']")
    assert page.select_one("a[href='https://meet.example/archiving']")
    assert [s["lang"] for s in page.select("aside span[lang]")] == ["nl", "fr"]
    assert page.select_one(
        f"a[type='text/calendar'][href='{url('networks:event-calendar', event.slug)}']"
    )


def test_an_unknown_time_zone_is_refused():
    event = make_event()
    event.timezone = "Europe/Atlantis"

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "timezone" in error.value.message_dict


def test_the_api_gives_the_new_event_fields(client):
    event = make_event(
        timezone="Europe/Paris",
        languages=["fr"],
        registration_url="https://forms.example/r",
    )

    data = client.get(f"/api/v1/events/{event.slug}/").json()

    assert data["timezone"] == "Europe/Paris"
    assert data["languages"] == ["fr"]
    assert data["registration_url"] == "https://forms.example/r"


def test_moderators_edit_an_events_zone_and_languages_in_the_admin(moderator_client):
    event = make_event(languages=["de"])

    response = moderator_client.get(
        reverse("admin:networks_event_change", args=[event.pk])
    )

    page = soup(response)
    assert page.select_one("input[name=timezone]")["value"] == "Europe/Brussels"
    ticked = page.select("input[name=languages][type=checkbox][checked]")
    assert [box["value"] for box in ticked] == ["de"]
    assert (
        moderator_client.get(
            reverse("admin:networks_joinrequest_changelist")
        ).status_code
        == 200
    )


def test_an_event_under_way_is_still_upcoming(client):
    network = make_network()
    make_event(
        network=network,
        title_en="Two-day workshop",
        starts_at=timezone.now() - timedelta(hours=20),
        ends_at=timezone.now() + timedelta(hours=4),
    )

    page = soup(client.get(page_of(network)))

    upcoming = page.select_one("section[aria-labelledby=events-title]")
    assert "Two-day workshop" in upcoming.text


def test_a_cached_feed_shows_a_new_event_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    network = make_network()
    feed = url("networks:network-event-feed", network.slug)
    assert atom(client.get(feed)).findall(f"{ATOM}entry") == []

    make_event(network=network, title_en="Announced")

    entries = atom(client.get(feed)).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title").split(" (")[0] for e in entries] == ["Announced"]
