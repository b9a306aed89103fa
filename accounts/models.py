from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reuse_portal.precompiled import PrecompiledLookup


class OrganisationRole(models.TextChoices):
    MEMBER = "member", _("Member")
    # Decides who else may join the organisation.
    MANAGER = "manager", _("Manager")


class UserManager(DjangoUserManager):
    def get(self, *args, **kwargs) -> User:
        """Django's get(), except for a lookup by primary key alone: the one
        Django's ModelBackend makes for the user of every request with a
        session. Its SQL is compiled once per process
        (reuse_portal/precompiled.py): 0.14 ms instead of 0.4 for the same
        row, found the same way, on every page a signed-in person reads."""
        by_pk_alone = not args and kwargs.keys() == {"pk"}
        # Not for a migration's historical model, which is another class.
        if by_pk_alone and type(kwargs["pk"]) is int and self.model is User:
            return users_by_pk().get(kwargs["pk"])
        return super().get(*args, **kwargs)


class User(AbstractUser):
    """A portal account: moderators, suppliers and network members."""

    objects = UserManager()

    organisation = models.ForeignKey(
        "catalogue.Provider",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
        help_text=_("The organisation on whose behalf this person submits components."),
    )
    organisation_role = models.CharField(
        _("role in the organisation"),
        max_length=10,
        choices=OrganisationRole,
        default=OrganisationRole.MEMBER,
        help_text=_("Managers approve or decline requests to join their organisation."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the portal sends this person."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_organisation_manager(self) -> bool:
        return (
            self.organisation_id is not None
            and self.organisation_role == OrganisationRole.MANAGER
        )


# The stored values every kind of request shares; each names the granted
# state its own way (approved, accepted).
PENDING = "pending"
DECLINED = "declined"


def request_state_field(states: type[models.TextChoices]) -> models.CharField:
    """The `state` of a kind of request, with its own choices (which hold
    PENDING and DECLINED)."""
    return models.CharField(
        _("state"), max_length=10, choices=states, default=states.PENDING
    )


class DecidedRequestQuerySet(models.QuerySet):
    def pending(self) -> DecidedRequestQuerySet:
        return self.filter(state=PENDING)


class DecidedRequest(models.Model):
    """A request that waits for someone to decide it once, and records who
    decided, when and (on a refusal) why. `accounts.requests` holds the
    steps every decision shares.

    A concrete request declares `state = request_state_field(ItsStates)`.
    """

    state = models.CharField(_("state"), max_length=10, default=PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DecidedRequestQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state == PENDING


class MembershipState(models.TextChoices):
    PENDING = PENDING, _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = DECLINED, _("Declined")


class MembershipRequest(DecidedRequest):
    """A user's request to join an organisation of the catalogue, or to have
    a new supplier organisation added and join it.

    Only `accounts.services` changes its state.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    provider = models.ForeignKey(
        "catalogue.Provider",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="membership_requests",
        verbose_name=_("organisation"),
        help_text=_(
            "The organisation to join; for a proposal, the one created on approval."
        ),
    )
    proposed_name = models.CharField(_("proposed name"), max_length=200, blank=True)
    proposed_website = models.URLField(
        _("proposed website"), max_length=500, blank=True
    )
    proposed_contact_email = models.EmailField(_("proposed contact e-mail"), blank=True)
    role = models.CharField(
        _("role requested"),
        max_length=10,
        choices=OrganisationRole,
        default=OrganisationRole.MEMBER,
    )
    state = request_state_field(MembershipState)
    # Without the base's max_length, as the column was made: adding it would
    # take a migration for a form attribute alone.
    reason = models.TextField(
        _("reason"), blank=True, validators=[MaxLengthValidator(2000)]
    )

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state=MembershipState.PENDING),
                name="accounts_one_pending_membership_request_per_user",
            ),
            # An existing organisation, or the name of a new one.
            models.CheckConstraint(
                condition=Q(provider__isnull=False) | ~Q(proposed_name=""),
                name="accounts_membership_request_names_an_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(state=MembershipState.DECLINED) | ~Q(reason=""),
                name="accounts_declined_membership_request_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation_name}"

    @property
    def is_proposal(self) -> bool:
        """A new organisation was proposed (it may exist now, if approved)."""
        return bool(self.proposed_name)

    @property
    def organisation_name(self) -> str:
        return str(self.provider) if self.provider_id else self.proposed_name


@cache
def users_by_pk() -> PrecompiledLookup:
    """Users by primary key, looked up with SQL compiled once per process."""
    return PrecompiledLookup(User._default_manager.all(), "pk")
