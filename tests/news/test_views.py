"""The news pages and the Atom feed show published entries only, newest
first, with what a story is about."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import ArticleKind
from publishing.models import PublicationState
from tests.factories import make_component, make_reuse_case
from tests.news.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
UNPUBLISHED = [
    PublicationState.DRAFT,
    PublicationState.SUBMITTED,
    PublicationState.REJECTED,
    PublicationState.ARCHIVED,
]


@pytest.fixture
def mixed():
    """Two published entries, one of each kind, and one of every other state."""
    now = timezone.now()
    older = make_article(
        slug="older-news", title_en="Older news", published_at=now - timedelta(days=2)
    )
    newer = make_article(
        slug="newer-story",
        kind=ArticleKind.STORY,
        title_en="Newer story",
        published_at=now - timedelta(days=1),
    )
    hidden = [
        make_article(slug=f"hidden-{state}", title_en=f"Hidden {state}",
                     publication_state=state)
        for state in UNPUBLISHED
    ]  # fmt: skip
    return older, newer, hidden


def test_the_list_shows_published_entries_newest_first(client, mixed):
    older, newer, hidden = mixed

    response = client.get("/en/news/")

    assert response.status_code == 200
    assert list(response.context["article_list"]) == [newer, older]
    for article in hidden:
        assert article.title_en not in response.text


def test_the_list_filters_by_kind(client, mixed):
    older, newer, _hidden = mixed

    stories = client.get("/en/news/?kind=story").context["article_list"]
    news = client.get("/en/news/?kind=news").context["article_list"]
    everything = client.get("/en/news/?kind=bogus").context["article_list"]

    assert list(stories) == [newer]
    assert list(news) == [older]
    assert list(everything) == [newer, older]


def test_the_list_is_paginated(client):
    for _ in range(12):
        make_article()

    first = client.get("/en/news/")
    second = client.get("/en/news/?page=2")

    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'rel="next"' in first.text


@pytest.mark.parametrize("rows", [1, 10])
def test_the_list_queries_do_not_grow_with_rows(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_article()
    # count for the paginator, the page of articles
    with django_assert_num_queries(2):
        response = client.get("/en/news/")

    assert response.status_code == 200


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_an_unpublished_entry_has_no_page(client, state):
    article = make_article(publication_state=state)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_story_shows_its_public_components_and_reuse_cases(
    client, django_assert_num_queries
):
    shown = make_component(name_en="Shown component")
    draft = make_component(
        name_en="Draft component", publication_state=PublicationState.DRAFT
    )
    case = make_reuse_case(title_en="Shown case")
    hidden_case = make_reuse_case(
        title_en="Hidden case", publication_state=PublicationState.DRAFT
    )
    story = make_article(
        kind=ArticleKind.STORY,
        body_en="It **worked**.\n\n<script>alert(1)</script>",
        components=[shown, draft],
        reuse_cases=[case, hidden_case],
    )

    # the article, its components with providers, its reuse cases
    with django_assert_num_queries(3):
        response = client.get(f"/en/news/{story.slug}/")

    assert response.status_code == 200
    assert "Shown component" in response.text
    assert shown.get_absolute_url() in response.text
    assert "Shown case" in response.text
    assert "Draft component" not in response.text
    assert "Hidden case" not in response.text
    assert "<strong>worked</strong>" in response.text
    assert "<script>alert(1)" not in response.text


def test_a_story_speaks_the_readers_language(client):
    story = make_article(title_nl="Verhaal", title_fr="Histoire", title_en="Story")

    for language, title in (("nl", "Verhaal"), ("fr", "Histoire"), ("en", "Story")):
        response = client.get(f"/{language}/news/{story.slug}/")
        assert f"<h1>{title}" in response.text


def test_the_feed_is_atom_with_published_entries_only(client, mixed):
    older, newer, hidden = mixed

    response = client.get(reverse("news:article-feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text
    assert feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [newer.title_nl, older.title_nl]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http")


def test_the_feed_follows_the_language_and_a_publication(client, mixed):
    draft = mixed[2][0]

    before = client.get("/en/news/feed.atom").text
    draft.publication_state = PublicationState.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    after = client.get("/en/news/feed.atom").text

    assert 'xml:lang="en"' in after
    assert "Newer story" in after
    assert draft.title_en not in before
    assert draft.title_en in after
