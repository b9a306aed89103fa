"""Human networks around a domain: their members, components and events."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import (
    MAX_TEXT_LENGTH,
    Component,
    Domain,
    Provider,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    TimestampedModel,
)
from publishing.models import PublicationState, Publishable, PublishableQuerySet


class NetworkQuerySet(PublishableQuerySet, SlugQuerySet):
    def for_detail(self) -> NetworkQuerySet:
        """A network's page and API resource, in a fixed number of queries."""
        return (
            self.published()
            .select_related("domain", "coordinator")
            .prefetch_related(
                models.Prefetch("components", queryset=Component.objects.for_listing()),
                models.Prefetch(
                    "memberships",
                    queryset=Membership.objects.select_related("organisation"),
                ),
            )
        )


class Network(SlugNaturalKeyMixin, Publishable, TimestampedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
    )
    domain = models.ForeignKey(
        Domain, models.PROTECT, related_name="networks", verbose_name=_("domain")
    )
    coordinator = models.ForeignKey(
        Provider,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_networks",
        verbose_name=_("coordinator"),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website_url = models.URLField(_("website"), max_length=500, blank=True)
    components = models.ManyToManyField(
        Component, blank=True, related_name="networks", verbose_name=_("components")
    )
    source_reference = models.CharField(
        _("source reference"), max_length=300, blank=True
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:network-detail", args=[self.slug])

    @property
    def owner_organisation_id(self) -> int | None:
        return self.coordinator_id


class MembershipQuerySet(models.QuerySet):
    def get_by_natural_key(
        self, network_slug: str, organisation_slug: str
    ) -> Membership:
        return self.get(
            network__slug=network_slug,
            organisation__slug=organisation_slug,
            person_name="",
        )


class Membership(models.Model):
    """An organisation, or a person on behalf of one, taking part in a network."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        EXPERT = "expert", _("Expert")
        OBSERVER = "observer", _("Observer")

    network = models.ForeignKey(
        Network, models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        Provider,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("user account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(person_name=""),
                name="networks_membership_has_member",
                violation_error_message=_("Name an organisation or a person."),
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(person_name=""),
                name="networks_membership_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        member = self.person_name or str(self.organisation)
        return f"{member} – {self.network} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str]:
        return (self.network.slug, self.organisation.slug)

    natural_key.dependencies = ["networks.network", "catalogue.provider"]


class EventQuerySet(SlugQuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(network__publication_state=PublicationState.PUBLISHED)

    def upcoming(self) -> EventQuerySet:
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self) -> EventQuerySet:
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Event(SlugNaturalKeyMixin, TimestampedModel):
    class Precision(models.TextChoices):
        """How much of `starts_at` the source gives: pages and feeds show
        that much and never a made-up day or hour."""

        MONTH = "month", _("Month")
        DAY = "day", _("Day")
        MINUTE = "minute", _("Day and time")

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        MEETING = "meeting", _("Meeting")
        CONFERENCE = "conference", _("Conference")
        WORKSHOP = "workshop", _("Workshop")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    network = models.ForeignKey(
        Network, models.PROTECT, related_name="events", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    precision = models.CharField(
        _("precision of the start"),
        max_length=10,
        choices=Precision,
        default=Precision.MINUTE,
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    source_reference = models.CharField(
        _("source reference"), max_length=300, blank=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="networks_event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]
        indexes = [
            # Network pages and the events calendar: a network's events by date.
            models.Index(
                fields=["network", "starts_at"], name="networks_event_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start_iso(self) -> str:
        """The start as precisely as it is known, for `<time datetime>`."""
        start = timezone.localtime(self.starts_at)
        if self.precision == self.Precision.MONTH:
            return start.strftime("%Y-%m")
        if self.precision == self.Precision.DAY:
            return start.date().isoformat()
        return start.isoformat()
