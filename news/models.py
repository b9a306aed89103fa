"""News items and success stories.

One model with a `kind`, not two: both are moderated, listed, paged, fed and
shown the same way and differ only by the label a reader sees. A story
usually links the components and reuse cases it is about; a news item may
too (a new release, an event's component). Two models would duplicate the
queryset, views, feed, admin and templates for one column of difference.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from catalogue.markup import refuse_active_content
from catalogue.models import (
    MAX_TEXT_LENGTH,
    Component,
    ReuseCase,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    TimestampedModel,
)
from publishing.models import (
    PUBLISHED_HAS_DATE,
    PublicationState,
    Publishable,
    PublishableQuerySet,
)
from reuse_portal.addresses import slug_address
from reuse_portal.choice_labels import ChoiceLabelsMixin


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STORY = "story", _("Success story")


class ArticleQuerySet(PublishableQuerySet, SlugQuerySet):
    def for_listing(self) -> ArticleQuerySet:
        """Published entries, newest first."""
        return self.published().order_by("-published_at", "pk")

    def for_detail(self) -> ArticleQuerySet:
        """Published entries with what they link that is public too."""
        return self.published().prefetch_related(
            Prefetch(
                "components",
                queryset=Component.objects.published()
                .select_related("provider")
                .order_by("name", "pk"),
            ),
            Prefetch(
                "reuse_cases",
                queryset=ReuseCase.objects.published().order_by("title", "pk"),
            ),
        )


class Article(ChoiceLabelsMixin, SlugNaturalKeyMixin, Publishable, TimestampedModel):
    """A news item or a success story, in NL, FR and EN
    (`news/translation.py`). Its publication date is `published_at`, set
    when a moderator publishes it."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=ArticleKind, default=ArticleKind.NEWS
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: shown in lists and in the feed."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), refuse_active_content],
        help_text=_("Markdown: paragraphs, lists, links, tables."),
    )
    components = models.ManyToManyField(
        Component,
        blank=True,
        related_name="articles",
        verbose_name=_("components it is about"),
    )
    reuse_cases = models.ManyToManyField(
        ReuseCase,
        blank=True,
        related_name="articles",
        verbose_name=_("reuse cases it is about"),
    )
    source_reference = models.CharField(
        _("source reference"), max_length=300, blank=True
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item or success story")
        verbose_name_plural = _("news and success stories")
        ordering = ["-published_at", "pk"]
        constraints = [
            PUBLISHED_HAS_DATE,
        ]
        indexes = [
            # The news list and the feed: published entries, newest first.
            models.Index(
                fields=["-published_at", "id"],
                condition=Q(publication_state=PublicationState.PUBLISHED),
                name="news_article_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_address("news:article-detail", self.slug)

    @property
    def owner_organisation_id(self) -> int | None:
        # Written by the portal's editors: only moderators change them.
        return None
