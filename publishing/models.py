"""Publication: the states an entry moves through, its audit trail, the
revisions of published entries and the e-mails that tell people about them.

Every publishable model (components, reuses, networks, and what comes next)
inherits `Publishable`; only `publishing.services` writes its state.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    """Where an entry stands in moderation. Only PUBLISHED is public."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class Action(models.TextChoices):
    """What people do to an entry; `publishing.workflow` says who may, when."""

    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Accept and publish")
    REJECT = "reject", _("Reject")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    ARCHIVE = "archive", _("Archive")
    PROPOSE_REVISION = "propose_revision", _("Propose a revision")
    ACCEPT_REVISION = "accept_revision", _("Accept the revision")
    REJECT_REVISION = "reject_revision", _("Reject the revision")
    # The organisation takes back what it submitted or published.
    WITHDRAW = "withdraw", _("Withdraw")


# Moderators' decisions: what submitters are told about and look for.
DECISIONS = frozenset(
    {
        Action.PUBLISH,
        Action.REJECT,
        Action.REQUEST_CHANGES,
        Action.ARCHIVE,
        Action.ACCEPT_REVISION,
        Action.REJECT_REVISION,
    }
)


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        """The only gate between an entry and the public."""
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def awaiting_review(self) -> PublishableQuerySet:
        return self.filter(publication_state=PublicationState.SUBMITTED)

    def owned_with_history(self, owner_filter: Q) -> PublishableQuerySet:
        """Everything an organisation has in the catalogue, whatever its
        state, newest change first, each with its steps (newest first) and
        revisions: what its members follow in "My submissions"."""
        return (
            self.filter(owner_filter)
            .prefetch_related(
                models.Prefetch(
                    "transitions",
                    queryset=Transition.objects.select_related("actor").order_by(
                        "-created_at", "-pk"
                    ),
                ),
                models.Prefetch(
                    "revisions", queryset=Revision.objects.order_by("-created_at")
                ),
            )
            .order_by("-updated_at", "pk")
        )


# A published entry carries its publication date: feeds, sitemaps and the
# "newest" sort read it. Each Publishable model lists it in its constraints;
# Django fills in the app and model names.
PUBLISHED_HAS_DATE = models.CheckConstraint(
    condition=~Q(publication_state=PublicationState.PUBLISHED)
    | Q(published_at__isnull=False),
    name="%(app_label)s_%(class)s_published_has_date",
)


class Publishable(models.Model):
    """An entry that the public sees only once a moderator has published it."""

    # Not editable: forms and serializers never write it; the services do.
    publication_state = models.CharField(
        _("publication state"),
        max_length=20,
        choices=PublicationState,
        default=PublicationState.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, editable=False
    )
    # Reverse access for prefetching: an entry's steps and revisions.
    transitions = GenericRelation("publishing.Transition")
    revisions = GenericRelation("publishing.Revision")

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def owner_organisation_id(self) -> int | None:
        """The organisation whose members may edit and submit this entry."""
        raise NotImplementedError

    # Relations edited as a whole list (tags, links...), beside the fields.
    RELATED_CHANGES: tuple[str, ...] = ()

    def related_value(self, name: str) -> list:
        """The relation `name` as JSON, as revisions store and compare it."""
        raise NotImplementedError

    def as_related_value(self, name: str, value) -> list:
        """A submitted value of the relation `name`, in related_value()'s form."""
        raise NotImplementedError

    def set_related(self, name: str, value: list) -> None:
        """Replace the relation `name` with `value` (related_value()'s form)."""
        raise NotImplementedError

    def after_publication_change(self) -> None:
        """Called by the services after every change they save: derived data
        (search terms...) that depends on the entry's relations."""

    def latest_decision(self) -> Transition | None:
        """The moderators' last decision on this entry. Reads the transitions
        that owned_with_history() prefetches (else one query)."""
        steps = sorted(
            self.transitions.all(), key=lambda step: (step.created_at, step.pk)
        )
        return next((s for s in reversed(steps) if s.action in DECISIONS), None)


class Transition(models.Model):
    """One step of an entry's life: who did what, when and why."""

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_state = models.CharField(
        _("from"), max_length=20, choices=PublicationState, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=PublicationState)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="transitions",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    revision = models.ForeignKey(
        "Revision",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("revision"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["created_at", "pk"]
        indexes = [
            # An entry's history, on its admin page and in "My submissions".
            models.Index(
                fields=["content_type", "object_id", "created_at"],
                name="publishing_transition_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.from_state} → {self.to_state}"


class RevisionState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class RevisionQuerySet(models.QuerySet):
    def open(self) -> RevisionQuerySet:
        return self.filter(state=RevisionState.SUBMITTED)

    def of(self, entry: models.Model) -> RevisionQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        )


class Revision(models.Model):
    """Changes proposed to a published entry. The public keeps seeing the
    published version until a moderator accepts them."""

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    # Field name -> proposed value; related objects by natural key (slug).
    proposed_changes = models.JSONField(_("proposed changes"), default=dict)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RevisionState,
        default=RevisionState.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="submitted_revisions",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_revisions",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("moderator's reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["created_at", "pk"]
        constraints = [
            # Later proposals are merged into the open one, so moderators
            # review one diff per entry.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state=RevisionState.SUBMITTED),
                name="publishing_revision_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_state_display()})"


class Notification(models.Model):
    """An e-mail to send, written in the same transaction as the decision it
    reports: a mail server that is down delays it, never loses it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [
            # The catch-up sweep: what is still to be sent.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="publishing_notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
