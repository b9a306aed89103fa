"""Human networks around a domain: their members, components and events."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    DECLINED,
    PENDING,
    DecidedRequest,
    request_state_field,
)
from catalogue.models import (
    MAX_TEXT_LENGTH,
    Component,
    Domain,
    Language,
    NamedQuerySet,
    Provider,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    TimestampedModel,
    count_of,
)
from publishing.models import PublicationState, Publishable, PublishableQuerySet
from reuse_portal.addresses import slug_address
from reuse_portal.choice_labels import ChoiceLabelsMixin

# Named one by one, not as "not published": only a list of states can be
# looked up in the components' state index.
HIDDEN_STATES = [
    state for state in PublicationState if state != PublicationState.PUBLISHED
]


class NetworkQuerySet(PublishableQuerySet, NamedQuerySet, SlugQuerySet):
    def with_counts(self) -> NetworkQuerySet:
        """`component_count` (published components) and `member_count`,
        each counted for each network on its own. Counted over one join,
        the components and the memberships multiplied each other's rows:
        900 ms for 213 networks at 100,000 components.

        The published components are a network's links less those to
        hidden components: the links' index answers alone, and the hidden
        components are looked up once, where checking the row of every
        linked component (15,000) took 25 ms."""
        hidden = Component.objects.filter(publication_state__in=HIDDEN_STATES)
        links = self.model.components.through.objects.exclude(component__in=hidden)
        return self.annotate(
            component_count=count_of(links.filter(network=OuterRef("pk"))),
            member_count=count_of(Membership.objects.filter(network=OuterRef("pk"))),
        )

    def for_directory(self) -> NetworkQuerySet:
        """The networks page: each network with its domain and counts, in
        one query."""
        return self.published().select_related("domain").with_counts()

    def _with_members(self, memberships: models.QuerySet) -> NetworkQuerySet:
        return (
            self.published()
            .select_related("domain", "coordinator")
            .prefetch_related(
                models.Prefetch(
                    "memberships",
                    queryset=memberships.select_related("organisation"),
                )
            )
        )

    def for_detail(self) -> NetworkQuerySet:
        """A network's page, with its components' cards, in a fixed number
        of queries. Every member: the page names the people who joined
        through the portal to the network's members only."""
        return self._with_members(Membership.objects.all()).prefetch_related(
            models.Prefetch("components", queryset=Component.objects.for_cards())
        )

    def for_api(self) -> NetworkQuerySet:
        """The API's networks, listed or one by one, in a fixed number of
        queries. The API names components by slug only: read as cards, with
        their reuse counts, they made a page of 100 networks take 450 ms
        instead of 170. Prefetched, they are read for the page's networks
        only; an array subquery in each row would also be computed for the
        rows of the pages before it.

        The API is public: its members are those the moderators record, as
        the public page lists them, never people who joined through the
        portal."""
        recorded = Membership.objects.filter(user__isnull=True)
        return self._with_members(recorded).prefetch_related(
            models.Prefetch(
                "components", queryset=Component.objects.published().only("slug")
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
        return slug_address("networks:network-detail", self.slug)

    @property
    def owner_organisation_id(self) -> int | None:
        return self.coordinator_id

    def is_member(self, user) -> bool:
        """Whether `user` holds a personal membership (any role)."""
        return (
            user.is_authenticated
            and user.is_active
            and self.memberships.filter(user=user).exists()
        )

    def is_coordinator(self, user) -> bool:
        """Coordinators are the people named in a coordinator membership:
        they decide who joins."""
        return (
            user.is_authenticated
            and user.is_active
            and self.memberships.filter(
                user=user, role=Membership.Role.COORDINATOR
            ).exists()
        )


class MembershipQuerySet(models.QuerySet):
    def contacts(self) -> MembershipQuerySet:
        """The people of a network who can be reached: members with an
        account and an e-mail address, shown to the other members only."""
        return (
            self.filter(user__is_active=True)
            .exclude(user__email="")
            .select_related("user", "organisation")
            .order_by("role", "person_name", "pk")
        )

    def get_by_natural_key(
        self, network_slug: str, organisation_slug: str
    ) -> Membership:
        return self.get(
            network__slug=network_slug,
            organisation__slug=organisation_slug,
            person_name="",
        )


class Membership(ChoiceLabelsMixin, models.Model):
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
    # A person who joined through the portal leaves with their account:
    # their name must not stay behind in the public member list.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
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
            # An accepted join request makes one personal membership.
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(user__isnull=False),
                name="networks_membership_unique_user",
            ),
        ]

    def __str__(self) -> str:
        member = self.person_name or str(self.organisation)
        return f"{member} – {self.network} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str]:
        return (self.network.slug, self.organisation.slug)

    natural_key.dependencies = ["networks.network", "catalogue.provider"]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name such as Europe/Brussels."),
            code="time_zone",
            params={"value": value},
        )


DEFAULT_EVENT_TIME_ZONE = "Europe/Brussels"


class EventQuerySet(SlugQuerySet):
    def published(self) -> EventQuerySet:
        """Events are not moderated one by one: they are public with their
        network, and only then."""
        return self.filter(network__publication_state=PublicationState.PUBLISHED)

    def in_calendars(self) -> EventQuerySet:
        """The events a calendar can hold: a day or a time is known. An event
        known only by its month would land on a made-up day."""
        return self.exclude(precision=Event.Precision.MONTH)

    def upcoming(self) -> EventQuerySet:
        """Still to come or under way."""
        now = timezone.now()
        return self.filter(Q(starts_at__gte=now) | Q(ends_at__gte=now)).order_by(
            "starts_at"
        )

    def past(self) -> EventQuerySet:
        now = timezone.now()
        return self.filter(
            Q(starts_at__lt=now), Q(ends_at__isnull=True) | Q(ends_at__lt=now)
        ).order_by("-starts_at")


class Event(ChoiceLabelsMixin, SlugNaturalKeyMixin, TimestampedModel):
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
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_EVENT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_(
            "Where the times are given, as an IANA name (Europe/Brussels): "
            "pages and calendars show them in this zone."
        ),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language),
        size=len(Language),
        verbose_name=_("languages of the event"),
        default=list,
        blank=True,
    )
    registration_url = models.URLField(
        _("registration link"), max_length=500, blank=True
    )
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

    def get_absolute_url(self) -> str:
        return slug_address("networks:event-detail", self.slug)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            # Only a row written around the validator gets here.
            return zoneinfo.ZoneInfo(DEFAULT_EVENT_TIME_ZONE)

    @property
    def local_start(self) -> datetime:
        """The start in the event's own time zone (the date filter's "T"
        then gives its abbreviation: CET, CEST...)."""
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime | None:
        return timezone.localtime(self.ends_at, self.zone) if self.ends_at else None

    @property
    def start_text(self) -> str:
        """The start as much as it is known, in the event's zone, in words
        of the current language."""
        formats = {self.Precision.MONTH: "F Y", self.Precision.DAY: "j F Y"}
        return date_format(self.local_start, formats.get(self.precision, "j F Y, H:i"))

    @property
    def zone_abbreviation(self) -> str:
        """CET, CEST...: only beside a time of day."""
        if self.precision != self.Precision.MINUTE:
            return ""
        return self.local_start.tzname() or ""

    @property
    def in_calendar(self) -> bool:
        return self.precision != self.Precision.MONTH

    @property
    def start_iso(self) -> str:
        """The start as precisely as it is known, for `<time datetime>`."""
        start = self.local_start
        if self.precision == self.Precision.MONTH:
            return start.strftime("%Y-%m")
        if self.precision == self.Precision.DAY:
            return start.date().isoformat()
        return start.isoformat()


class JoinRequestState(models.TextChoices):
    PENDING = PENDING, _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = DECLINED, _("Declined")


class JoinRequest(DecidedRequest):
    """A signed-in user's request to join a network, decided by one of its
    coordinators or a moderator. Only `networks.services` changes it."""

    network = models.ForeignKey(
        Network,
        models.CASCADE,
        related_name="join_requests",
        verbose_name=_("network"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="network_join_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(
        _("message to the coordinator"),
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
    )
    state = request_state_field(JoinRequestState)

    class Meta:
        verbose_name = _("request to join a network")
        verbose_name_plural = _("requests to join a network")
        ordering = ["created_at", "pk"]
        constraints = [
            # Asking twice waits for the same answer; after a refusal the
            # user may ask again.
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(state=JoinRequestState.PENDING),
                name="networks_one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.network}"
