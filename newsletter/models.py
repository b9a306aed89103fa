"""Newsletter subscriptions. An address counts only once its owner has
confirmed it by the link e-mailed to it, and stops counting the moment they
unsubscribe; the address itself is shown to nobody but the moderators'
export."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class NewsletterLanguage(models.TextChoices):
    """The editions of the newsletter: one per language of the portal."""

    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    EN = "en", _("English")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        """Who receives the newsletter: confirmed, not unsubscribed."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254)
    languages = ArrayField(
        models.CharField(max_length=2, choices=NewsletterLanguage),
        verbose_name=_("editions"),
        help_text=_("The languages of the newsletter they receive."),
    )
    # The language of the e-mails about the subscription itself.
    language = models.CharField(
        _("language of the e-mails"), max_length=2, choices=NewsletterLanguage
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed on"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["-created_at", "pk"]
        constraints = [
            # One row per address whatever its case: subscribing twice
            # updates it.
            models.UniqueConstraint(
                Lower("email"), name="newsletter_subscription_one_per_address"
            ),
            models.CheckConstraint(
                condition=Q(languages__len__gt=0),
                name="newsletter_subscription_has_languages",
            ),
        ]
        indexes = [
            # The export: confirmed subscribers.
            models.Index(
                fields=["confirmed_at"],
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
                name="newsletter_subscription_active",
            ),
        ]

    def __str__(self) -> str:
        return masked(self.email)

    def edition_names(self) -> list[str]:
        return [str(NewsletterLanguage(code).label) for code in self.languages]

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


def masked(email: str) -> str:
    """Enough of an address for a moderator to tell rows apart, not to read
    it: "j•••@e•••.org"."""
    local, _at, domain = email.partition("@")
    name, dot, tld = domain.rpartition(".")
    return f"{local[:1]}•••@{name[:1]}•••{dot}{tld}"
