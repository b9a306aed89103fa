"""Pages kept for anonymous visitors: served without the database, dropped
as soon as the content changes, never for someone signed in."""

import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue.models import CollaborationModel, Component, Provider, ReuseCase
from networks.models import Network
from news.models import Article
from publishing import services
from publishing.models import Action, PublicationState
from reuse_portal import page_cache
from tests.factories import (
    make_component,
    make_event,
    make_network,
    make_reuse_case,
    make_user,
)
from tests.news.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on():
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    cache.clear()


def test_a_visitor_gets_the_second_view_of_a_page_without_the_database(
    client, django_assert_num_queries
):
    component = make_component(name_nl="Formulieren")
    client.get(component.get_absolute_url())

    with django_assert_num_queries(0):
        response = client.get(component.get_absolute_url())

    assert response.status_code == 200
    assert "Formulieren" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/nl/", "/nl/catalogue/", "/nl/catalogue/?sort=newest"]
)
def test_every_cached_page_changes_when_the_content_does(client, path):
    make_component(name_nl="Eerste")
    assert "Tweede" not in client.get(path).content.decode()

    make_component(name_nl="Tweede")

    assert "Tweede" in client.get(path).content.decode()


@pytest.fixture
def directories() -> dict[str, str]:
    """The directories' pages and the pages of their entries, each
    showing the component "Formulieren" or what it belongs to."""
    model = CollaborationModel.objects.create(slug="organic", name_nl="Organisch")
    component = make_component(name_nl="Formulieren", collaboration_model=model)
    case = make_reuse_case(components=[component], title_nl="Formulieren hergebruikt")
    make_network(name_nl="Netwerk Formulieren").components.add(component)
    article = make_article(title_nl="Formulieren in gebruik", components=[component])
    return {
        "providers": "/nl/providers/",
        "provider": component.provider.get_absolute_url(),
        "reuse cases": "/nl/reuse-cases/",
        "reuse case": case.get_absolute_url(),
        "building blocks": "/nl/building-blocks/",
        "collaboration models": "/nl/collaboration-models/",
        "networks": "/nl/networks/",
        "impact": "/nl/impact/",
        "news": "/nl/news/",
        "news item": article.get_absolute_url(),
    }


DIRECTORIES = [
    "providers",
    "provider",
    "reuse cases",
    "reuse case",
    "building blocks",
    "collaboration models",
    "networks",
    "impact",
    "news",
    "news item",
]


@pytest.mark.parametrize("page", DIRECTORIES)
def test_a_visitor_gets_the_second_view_of_a_directory_without_the_database(
    client, directories, page, django_assert_num_queries
):
    first = client.get(directories[page])

    with django_assert_num_queries(0):
        second = client.get(directories[page])

    assert first.status_code == second.status_code == 200
    assert second.content == first.content


def second_view_signed_in(
    client: Client, path: str, django_assert_num_queries: Callable
) -> HttpResponse:
    """A signed-in reader's second view of `path`: the first one's copy, for
    who they are (their user; their session is in the cache) and nothing
    else."""
    client.force_login(make_user())
    first = client.get(path)

    with django_assert_num_queries(1):
        second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    return second


@pytest.mark.parametrize("page", DIRECTORIES)
def test_a_signed_in_reader_gets_the_second_view_of_a_directory_unrendered(
    client, directories, page, django_assert_num_queries
):
    second = second_view_signed_in(client, directories[page], django_assert_num_queries)

    assert 'href="/nl/submissions/"' in second.content.decode()


@pytest.mark.parametrize("page", DIRECTORIES)
def test_visitors_and_signed_in_people_never_get_each_others_directory(
    client, directories, page
):
    signed_in, visitor = client, Client()
    signed_in.force_login(make_user())

    def read(reader: Client) -> str:
        return reader.get(directories[page]).content.decode()

    # Whoever comes first after a change, the other gets a page of their own.
    signed_in_first = read(signed_in), read(visitor)
    page_cache.new_stamp()
    visitor_first = read(visitor), read(signed_in)

    links_for_signed_in = 'href="/nl/submissions/"'
    assert links_for_signed_in in signed_in_first[0]
    assert links_for_signed_in not in signed_in_first[1]
    assert links_for_signed_in not in visitor_first[0]
    assert links_for_signed_in in visitor_first[1]


@pytest.fixture
def documents() -> dict[str, str]:
    """What feed readers, calendar apps and crawlers read, and an event's
    page: none shows anything of its reader."""
    component = make_component()
    network = make_network()
    network.components.add(component)
    event = make_event(network=network)
    make_article(components=[component])
    with translation.override("nl"):
        return {
            "sitemap index": reverse("discovery_root:sitemap"),
            "components' sitemap": reverse(
                "discovery_root:sitemap-section", args=["components"]
            ),
            "components feed": reverse("discovery:component-feed"),
            "provider's feed": reverse(
                "discovery:provider-component-feed", args=[component.provider.slug]
            ),
            "building block's feed": reverse(
                "discovery:buildingblock-component-feed",
                args=[component.building_block.slug],
            ),
            "network's components feed": reverse(
                "discovery:network-component-feed", args=[network.slug]
            ),
            "events feed": reverse("networks:event-feed"),
            "network's events feed": reverse(
                "networks:network-event-feed", args=[network.slug]
            ),
            "event's calendar": reverse("networks:event-calendar", args=[event.slug]),
            "network's calendar": reverse(
                "networks:network-calendar", args=[network.slug]
            ),
            "event": event.get_absolute_url(),
            "news feed": reverse("news:article-feed"),
        }


@pytest.mark.parametrize(
    "document",
    [
        "sitemap index",
        "components' sitemap",
        "components feed",
        "provider's feed",
        "building block's feed",
        "network's components feed",
        "events feed",
        "network's events feed",
        "event's calendar",
        "network's calendar",
        "event",
        "news feed",
    ],
)
def test_a_signed_in_reader_gets_the_second_view_of_a_document_unrendered(
    client, documents, document, django_assert_num_queries
):
    # A browser that opens a feed or the sitemap sends its session cookie.
    second_view_signed_in(client, documents[document], django_assert_num_queries)


@pytest.mark.parametrize("reader", ["visitor", "signed-in"])
@pytest.mark.parametrize("page", DIRECTORIES)
def test_a_directory_shows_a_change_at_once(client, directories, page, reader):
    if reader == "signed-in":
        client.force_login(make_user())
    assert "Gewijzigd" not in client.get(directories[page]).content.decode()

    # A moderator's edits: every name the directories show changes.
    for entry, field in [
        (Component.objects.get(), "name_nl"),
        *((provider, "name_nl") for provider in Provider.objects.all()),
        (ReuseCase.objects.get(), "title_nl"),
        (Network.objects.get(), "name_nl"),
        (Article.objects.get(), "title_nl"),
    ]:
        setattr(entry, field, f"Gewijzigd {getattr(entry, field)}")
        entry.save()

    assert "Gewijzigd" in client.get(directories[page]).content.decode()


def test_an_archived_component_leaves_the_cached_pages_at_once(client):
    component = make_component(name_nl="Verdwijnt")
    moderator = make_user(is_staff=True, is_superuser=True)
    assert "Verdwijnt" in client.get("/nl/catalogue/").content.decode()

    services.move(entry=component, action=Action.ARCHIVE, actor=moderator)

    assert Component.objects.get().publication_state == PublicationState.ARCHIVED
    assert "Verdwijnt" not in client.get("/nl/catalogue/").content.decode()
    assert client.get(component.get_absolute_url()).status_code == 404


def test_after_a_deploy_no_page_kept_by_the_code_before_is_served(client):
    # Every deploy runs migrate: templates and rules may have changed, the
    # content not.
    make_component(name_nl="Formulieren")
    client.get("/nl/catalogue/")

    call_command("migrate", verbosity=0)

    with CaptureQueriesContext(connection) as rendering:
        response = client.get("/nl/catalogue/")
    assert "Formulieren" in response.content.decode()
    assert rendering.captured_queries


def test_signed_in_people_never_get_a_visitors_page(client):
    component = make_component()
    anonymous = client.get(component.get_absolute_url()).content.decode()
    user = make_user()
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        signed_in = client.get(component.get_absolute_url()).content.decode()

    assert queries.captured_queries
    assert signed_in != anonymous
    assert 'href="/nl/submissions/"' in signed_in


def test_a_worker_serves_its_own_copy_of_a_page_without_the_shared_cache(
    client, monkeypatch
):
    component = make_component(name_nl="Formulieren")
    with override_settings(STAMP_RECHECK_SECONDS=60):
        client.get(component.get_absolute_url())
        shared_reads = []
        monkeypatch.setattr(cache, "get", lambda *args: shared_reads.append(args))

        response = client.get(component.get_absolute_url())

    assert "Formulieren" in response.content.decode()
    assert shared_reads == []


def shared_pages_written_while(visit: Callable[[], object], monkeypatch) -> list[str]:
    """The keys of the pages written to the shared cache during `visit()`."""
    written = []
    write = cache.set

    def recording(key, value, *args, **kwargs):
        written.append(key)
        return write(key, value, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(cache, "set", recording)
        visit()
    return [
        key
        for key in written
        if key.startswith("page-cache:") and key != page_cache.STAMP_KEY
    ]


def test_a_component_page_is_kept_by_the_process_and_never_in_the_shared_cache(
    client, monkeypatch, django_assert_num_queries
):
    # Its rendering is stored in the database already, and any process reads
    # it back with one query (catalogue/rendered_pages.py). A shared copy
    # cost a write of some 40 KB at the first view of each of 100,000 pages,
    # and a crawler's walk through them pushed the catalogue's counts out of
    # the database cache.
    component = make_component(name_nl="Formulieren")

    written = shared_pages_written_while(
        lambda: client.get(component.get_absolute_url()), monkeypatch
    )

    assert written == []
    with django_assert_num_queries(0):
        response = client.get(component.get_absolute_url())
    assert "Formulieren" in response.content.decode()
    # The catalogue's pages, few and costly, are still shared by every worker.
    assert shared_pages_written_while(lambda: client.get("/nl/catalogue/"), monkeypatch)


def test_a_component_page_rendered_by_another_worker_is_read_from_the_store(
    client, django_assert_num_queries
):
    component = make_component(name_nl="Formulieren")
    client.get(component.get_absolute_url())
    # This worker starts with nothing of its own, under the same stamp.
    page_cache.local_copies.clear()

    with override_settings(STAMP_RECHECK_SECONDS=60), django_assert_num_queries(1):
        response = client.get(component.get_absolute_url())

    assert "Formulieren" in response.content.decode()


def test_a_change_made_by_another_worker_shows_within_the_recheck_time(
    client, monkeypatch
):
    make_component(name_nl="Eerste")
    with override_settings(STAMP_RECHECK_SECONDS=1):
        client.get("/nl/catalogue/")
        # As if another worker saved it: the shared stamp changes, the one
        # this process remembers does not.
        remembered = page_cache._known_stamp
        make_component(name_nl="Tweede")
        page_cache._known_stamp = remembered
        assert "Tweede" not in client.get("/nl/catalogue/").content.decode()

        later = time.monotonic() + 1.5
        monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)

        assert "Tweede" in client.get("/nl/catalogue/").content.decode()


def test_a_change_made_in_this_worker_shows_at_once(client):
    make_component(name_nl="Eerste")
    with override_settings(STAMP_RECHECK_SECONDS=60):
        client.get("/nl/catalogue/")

        make_component(name_nl="Tweede")

        assert "Tweede" in client.get("/nl/catalogue/").content.decode()


def test_a_read_only_value_is_computed_once_per_change_and_not_copied():
    computed = []

    def labels() -> tuple[str, ...]:
        computed.append("labels")
        return ("Dienst Archief", "Netwerk Archief")

    first = page_cache.read_only_until_content_changes("labels", labels)
    # Read again, it is the same object: no unpickled copy per reader, and
    # no pickled copy kept in the process besides it.
    assert page_cache.read_only_until_content_changes("labels", labels) is first
    assert computed == ["labels"]
    assert not any("labels" in key for key in page_cache.local_copies._cache)

    make_component()

    assert page_cache.read_only_until_content_changes("labels", labels) == first
    assert computed == ["labels", "labels"]


def test_a_read_only_value_computed_by_another_worker_is_read_from_the_shared_cache():
    page_cache.read_only_until_content_changes("labels", lambda: ("shared",))
    # This worker starts with nothing of its own, under the same stamp.
    page_cache._read_only_values.clear()
    page_cache.local_copies.clear()

    assert page_cache.read_only_until_content_changes(
        "labels", lambda: ("recomputed",)
    ) == ("shared",)


def test_a_value_kept_in_this_process_costs_no_round_trip_and_follows_changes():
    computed = []

    def page() -> str:
        computed.append("page")
        return f"<article>{len(computed)}</article>"

    page_cache.in_this_process_until_content_changes("a-page", page)
    with CaptureQueriesContext(connection) as queries:
        again = page_cache.in_this_process_until_content_changes("a-page", page)

    # Neither asked for in the shared cache nor written to it.
    assert again == "<article>1</article>"
    assert len(queries) == 0
    assert cache.get(f"a-page:{page_cache.catalogue_stamp()}") is None

    make_component()

    assert (
        page_cache.in_this_process_until_content_changes("a-page", page)
        == "<article>2</article>"
    )


class Recorded:
    """The shared cache, each call of which is recorded: (method, keys)."""

    def __init__(self, shared) -> None:
        self.shared = shared
        self.calls: list[tuple[str, list[str]]] = []

    def __getattr__(self, method: str):
        def recorded(key_or_keys, *args, **kwargs):
            keys = (
                key_or_keys if isinstance(key_or_keys, list | dict) else [key_or_keys]
            )
            self.calls.append((method, sorted(keys)))
            return getattr(self.shared, method)(key_or_keys, *args, **kwargs)

        return recorded

    def about(self, *names: str) -> list[tuple[str, int]]:
        """The calls about the values kept under `names` (the start of their
        keys), each with the number of its keys."""
        return [
            (method, len(keys))
            for method, keys in self.calls
            if any(key.startswith(names) for key in keys)
        ]


def asked_here_again_and_elsewhere(
    client, address: str, django_assert_num_queries
) -> list[HttpResponse]:
    """The answers to `address`, asked for, asked again in this process
    (no query: its copy), then in another, which holds no copy of its own."""
    first = client.get(address)
    with django_assert_num_queries(0):
        again = client.get(address)
    page_cache.forget_local_copies()
    return [first, again, client.get(address)]


@override_settings(PAGE_CACHE_SECONDS=0)  # the view itself, every time
def test_a_search_is_kept_by_each_process_and_never_in_the_shared_cache(
    client, monkeypatch, django_assert_num_queries
):
    # Searches are many and most are made once: a shared copy cost two round
    # trips at each first view, for a copy another process seldom reads.
    make_component(name_nl="Procesbeheer")
    client.get(reverse("catalogue:component-list"))  # the facets' labels
    shared = Recorded(cache)
    monkeypatch.setattr(page_cache, "cache", shared)
    address = reverse("catalogue:component-list") + "?q=procesbeheer"

    first, again, elsewhere = asked_here_again_and_elsewhere(
        client, address, django_assert_num_queries
    )

    assert shared.about("catalogue-") == []
    assert "Procesbeheer" in first.content.decode()
    assert again.content == elsewhere.content == first.content


def test_an_api_search_is_kept_by_each_process_and_never_in_the_shared_cache(
    client, monkeypatch, django_assert_num_queries
):
    # As the catalogue page's searches: its answer and its count.
    found = make_component(name_nl="Procesbeheer")
    shared = Recorded(cache)
    monkeypatch.setattr(page_cache, "cache", shared)
    search = reverse("api:component-list") + "?q=procesbeheer"

    first, again, elsewhere = asked_here_again_and_elsewhere(
        client, search, django_assert_num_queries
    )
    searched = shared.about("kept-list:", "result-count:")
    # Without a search, the list is still shared by every worker.
    shared.calls.clear()
    client.get(reverse("api:component-list") + "?kind=api")

    assert searched == []
    assert [item["slug"] for item in first.json()["results"]] == [found.slug]
    assert again.json() == elsewhere.json() == first.json()
    assert ("set", 1) in shared.about("kept-list:")
    assert ("set", 1) in shared.about("result-count:")


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_catalogue_page_reads_what_it_keeps_in_one_round_trip(client, monkeypatch):
    make_component(name_nl="Procesbeheer")
    shared = Recorded(cache)
    monkeypatch.setattr(page_cache, "cache", shared)
    address = reverse("catalogue:component-list") + "?kind=api"

    first = client.get(address)
    first_calls = shared.about("catalogue-")
    # Another process, which holds no copy of them.
    page_cache.forget_local_copies()
    shared.calls.clear()
    again = client.get(address)

    # Its counts and its rendered results, written together; the counts of
    # its facets' values, from which the counts were made, when made.
    assert first_calls == [("get_many", 2), ("get", 1), ("set", 1), ("set_many", 2)]
    assert shared.about("catalogue-") == [("get_many", 2)]
    assert "Procesbeheer" in first.content.decode()
    assert again.content == first.content


def test_a_search_page_is_kept_by_the_process_and_never_in_the_shared_cache(
    client, monkeypatch, django_assert_num_queries
):
    make_component(name_nl="Procesbeheer")
    address = reverse("catalogue:component-list") + "?q=procesbeheer"

    written = shared_pages_written_while(lambda: client.get(address), monkeypatch)

    assert written == []
    with django_assert_num_queries(0):
        response = client.get(address)
    assert "Procesbeheer" in response.content.decode()
    # Without a search, the catalogue's pages are still shared by every worker.
    assert shared_pages_written_while(
        lambda: client.get(reverse("catalogue:component-list") + "?kind=api"),
        monkeypatch,
    )


def test_a_value_not_read_ahead_is_written_as_it_is_when_computed():
    # Only the values named are held back until the end: another, such as
    # the facets' labels, is stored before the page goes on to change it.
    labels = {"gent": "Gent"}
    with page_cache.read_together(["named"]):
        page_cache.until_content_changes("named", lambda: "kept")
        page_cache.until_content_changes("other", lambda: labels)
        labels["gent"] = "changed by the page"
        stored_during = cache.get(f"other:{page_cache.catalogue_stamp()}")
        named_during = cache.get(f"named:{page_cache.catalogue_stamp()}")

    assert stored_during == {"gent": "Gent"}
    assert named_during is None
    assert cache.get(f"named:{page_cache.catalogue_stamp()}") == "kept"
