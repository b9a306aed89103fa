"""How many downloads of the catalogue run at once (EXPORT_CONCURRENCY): each
holds a slot, a PostgreSQL advisory lock, from its start until its whole
file is sent or its client has gone; past the limit, a 503 with
Retry-After. Another session of the same database takes the slots here, as
a download running in another worker or server would."""

import http.client
import os
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from rest_framework.test import APIClient

from tests.download_slots import SlotTaker, slot_taker
from tests.factories import make_component
from tests.interchange.test_csv_export import API_CSV, body, page_url, slugs


@pytest.fixture
def other_session(db) -> Iterator[SlotTaker]:
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    with slot_taker(urllib.parse.urlunsplit(url._replace(path=f"/{name}"))) as take:
        yield take


def test_past_the_running_downloads_the_page_answers_503(
    client, settings, other_session
):
    settings.EXPORT_CONCURRENCY = 2
    make_component()
    assert other_session(2) == [True, True]

    refused = client.get(page_url(language="en"))

    assert refused.status_code == 503
    assert refused["Retry-After"] == "15"
    assert refused["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in refused["Cache-Control"]
    assert b"Many people are downloading the catalogue just now" in refused.content
    # Every other page still answers.
    assert client.get("/en/catalogue/").status_code == 200


def test_past_the_running_downloads_the_api_answers_a_503_problem(
    settings, other_session
):
    settings.EXPORT_CONCURRENCY = 1
    assert other_session(1) == [True]

    refused = APIClient().get(API_CSV, HTTP_ACCEPT_LANGUAGE="fr")

    assert refused.status_code == 503
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "15"
    problem = refused.json()
    assert problem["status"] == 503
    assert problem["detail"].startswith("De nombreuses personnes téléchargent")


def test_a_download_holds_its_slot_until_its_client_has_read_it_all(
    client, settings, other_session
):
    settings.EXPORT_CONCURRENCY = 1
    component = make_component()

    response = client.get(page_url())
    held_while_sent = other_session(1)
    downloaded = slugs(response)

    assert response.status_code == 200
    assert held_while_sent == [False]
    assert downloaded == [component.slug]
    assert other_session(1) == [True]


def test_a_download_whose_client_goes_gives_its_slot_back(
    client, settings, other_session
):
    settings.EXPORT_CONCURRENCY = 1
    make_component()

    response = client.get(page_url())
    next(iter(response.streaming_content))
    # What a WSGI server does when the client has gone.
    response.close()

    assert other_session(1) == [True]


def test_downloads_one_after_the_other_each_get_a_slot(db, client, settings):
    settings.EXPORT_CONCURRENCY = 1
    make_component()

    statuses = []
    for _ in range(3):
        response = client.get(page_url())
        body(response)
        statuses.append(response.status_code)

    assert statuses == [200, 200, 200]


def test_a_client_whose_copy_is_current_gets_304_without_a_slot(
    settings, other_session
):
    settings.EXPORT_CONCURRENCY = 1
    make_component()
    api = APIClient()
    first = api.get(API_CSV)
    body(first)
    assert other_session(1) == [True]

    again = api.get(API_CSV, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_no_limit_when_it_is_0(client, settings, other_session):
    settings.EXPORT_CONCURRENCY = 0
    make_component()
    assert other_session(2) == [True, True]

    assert client.get(page_url()).status_code == 200


def download(url: str, read: int | None = None) -> int:
    """Downloads `url` through gunicorn; with `read`, reads that many bytes of
    the file and hangs up. The status."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        if read is None:
            response.read()
        else:
            response.read(read)
        return response.status
    finally:
        connection.close()


def slots_free_within(take: SlotTaker, size: int, seconds: float) -> bool:
    """Whether the session gets all `size` slots within `seconds`: gunicorn
    gives a slot back once it has closed the response, just after the client
    has read the last byte."""
    deadline = time.monotonic() + seconds
    got = take(size)
    while not all(got) and time.monotonic() < deadline:
        time.sleep(0.1)
        got = [held or again for held, again in zip(got, take(size), strict=True)]
    return all(got)


def test_gunicorn_gives_each_downloads_slot_back(portal):
    # The portal's EXPORT_CONCURRENCY is the default, 2.
    url = f"{portal.url}/en/catalogue.csv"
    with slot_taker(portal.env["DATABASE_URL"]) as take:
        assert take(2) == [True, True]
        assert download(url) == 503

    statuses = [download(url), download(url, read=100), download(url)]

    assert statuses == [200, 200, 200]
    with slot_taker(portal.env["DATABASE_URL"]) as take:
        assert slots_free_within(take, 2, seconds=5)
