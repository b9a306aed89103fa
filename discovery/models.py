"""Saved catalogue searches and what their digests already reported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.models import Component


class SavedSearchQuerySet(models.QuerySet):
    def of(self, user) -> SavedSearchQuerySet:
        return self.filter(user=user)


class SavedSearch(models.Model):
    """A catalogue search (its query string: words, filters, sort) that a
    signed-in user wants to hear about when new components match it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=300)
    # Normalised by discovery.services.normalise_query(): the same search
    # saved twice is one row.
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    reported = models.ManyToManyField(
        Component,
        through="DigestEntry",
        related_name="+",
        verbose_name=_("components reported"),
    )

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query"], name="discovery_savedsearch_unique_query"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The search itself, on the catalogue page."""
        url = reverse("catalogue:component-list")
        return f"{url}?{self.query}" if self.query else url


class DigestEntry(models.Model):
    """A component a saved search's digest reported: never reported twice."""

    saved_search = models.ForeignKey(
        SavedSearch,
        models.CASCADE,
        related_name="digest_entries",
        verbose_name=_("saved search"),
    )
    # A log, not a catalogue reference: it goes with the component.
    component = models.ForeignKey(
        Component,
        models.CASCADE,
        related_name="+",
        verbose_name=_("component"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest entry")
        verbose_name_plural = _("digest entries")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "component"],
                name="discovery_digestentry_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search}: {self.component_id}"
