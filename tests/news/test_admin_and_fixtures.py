"""Moderators publish news through the publishing module; the seed stories
are loaded with the catalogue."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape

from news.models import Article, ArticleKind
from publishing.models import Action, PublicationState, Transition
from tests.factories import make_component
from tests.news.factories import make_article
from tools.fixture_rules import SEED_REFERENCE, text_problems

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "en")


def test_a_moderator_writes_submits_and_publishes_a_story(moderator_client, client):
    component = make_component()
    response = moderator_client.post(
        "/en/admin/news/article/add/",
        {
            "kind": ArticleKind.STORY,
            "title_nl": "Verhaal",
            "title_fr": "Histoire",
            "title_en": "A story",
            "slug": "a-story",
            "summary_nl": "Kort",
            "summary_fr": "Court",
            "summary_en": "Short",
            "body_en": "Long",
            "components": [component.pk],
        },
    )
    assert response.status_code == 302
    story = Article.objects.get(slug="a-story")
    assert story.publication_state == PublicationState.DRAFT
    assert client.get("/en/news/a-story/").status_code == 404

    for action in (Action.SUBMIT, Action.PUBLISH):
        moderator_client.post(
            f"/en/admin/news/article/{story.pk}/moderate/{action.value}/", {}
        )

    story.refresh_from_db()
    assert story.publication_state == PublicationState.PUBLISHED
    assert story.published_at is not None
    assert list(
        Transition.objects.filter(object_id=story.pk).values_list("action", flat=True)
    ) == [Action.CREATE, Action.SUBMIT, Action.PUBLISH]
    page = client.get("/en/news/a-story/")
    assert page.status_code == 200
    assert component.name in page.text


def test_the_admin_archive_action_takes_an_entry_off_the_site(moderator_client, client):
    article = make_article()

    moderator_client.post(
        "/en/admin/news/article/",
        {"action": "archive_selected", "_selected_action": [article.pk]},
    )

    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.fixture
def loaded(seeded_catalogue, db) -> str:
    return seeded_catalogue


@pytest.mark.parametrize(
    ("slug", "reuse_case", "components"),
    [
        ("contact-tracing-from-existing-components", "contact-tracing", 7),
        ("covid-19-vaccination-on-existing-building-blocks", "covid-19-vaccination", 6),
        (
            "mydia-eleven-apis-for-social-inspectors",
            "mydia-digital-assistant-for-social-inspectors",
            6,
        ),
    ],
)
def test_the_seed_stories_are_published_with_what_they_are_about(
    loaded, client, slug, reuse_case, components
):
    story = Article.objects.published().get(slug=slug)

    assert story.kind == ArticleKind.STORY
    assert story.components.published().count() == components
    assert list(story.reuse_cases.values_list("slug", flat=True)) == [reuse_case]
    for language in LANGUAGES:
        for field in ("title", "summary", "body"):
            assert getattr(story, f"{field}_{language}").strip()
        page = client.get(f"/{language}/news/{slug}/")
        assert page.status_code == 200
        assert escape(getattr(story, f"title_{language}")) in page.text


def test_loading_the_catalogue_again_keeps_the_news(loaded):
    count = Article.objects.count()
    out = StringIO()

    call_command("load_catalogue", stdout=out)

    assert Article.objects.count() == count >= 5
    assert "news.Article: 0 created" in out.getvalue()


def test_every_news_text_follows_the_glossary(loaded):
    for article in Article.objects.all():
        assert SEED_REFERENCE.match(article.source_reference), article.slug
        for language in LANGUAGES:
            for field in ("title", "summary", "body"):
                text = getattr(article, f"{field}_{language}")
                assert list(text_problems(text, language)) == [], (
                    article.slug,
                    field,
                    language,
                )
