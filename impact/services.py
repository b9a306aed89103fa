"""Declaring, updating and withdrawing a reuse: checks of the impact app,
then the publishing services, which alone move a declaration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from catalogue.models import Component, ReuseCase
from publishing import services as publishing
from publishing.models import Action, PublicationState
from publishing.services import NotAllowed, Outcome, Refused

# The move that takes a declaration out of the figures. The transition table
# lets only moderators archive; the organisation's own "withdraw" needs the
# table change described in the impact report.
WITHDRAW = Action.WITHDRAW
# A declaration in one of these states no longer stands: a new one may be made.
ENDED = (PublicationState.REJECTED, PublicationState.ARCHIVED)


def declare(*, component: Component, actor, values: dict) -> ReuseCase:
    """A new declaration by the actor's organisation that it reuses
    `component`, submitted to the moderators."""
    organisation = actor.organisation
    if organisation is None:
        raise NotAllowed(_("Only a member of an organisation can declare a reuse."))
    if component.provider_id == organisation.pk:
        raise Refused(
            _("This component is your organisation's own: using it is not reuse.")
        )
    standing = ReuseCase.objects.filter(
        declared_by=organisation, components=component
    ).exclude(publication_state__in=ENDED)
    if standing.exists():
        raise Refused(
            _(
                "Your organisation already declared this reuse: update that "
                "declaration instead."
            )
        )
    case = ReuseCase(declared_by=organisation)
    for name, value in values.items():
        setattr(case, name, value)
    case.slug = ReuseCase.objects.free_slug(case.title)
    return publishing.create(
        entry=case,
        actor=actor,
        related={"components": [component], "organisations": [organisation]},
        submit=True,
    )


def update(*, case: ReuseCase, actor, changes: dict) -> Outcome:
    """Changed in place and (re)submitted until it is published; after that,
    a revision that the moderators accept."""
    return publishing.change(entry=case, changes=changes, actor=actor, submit=True)


def withdraw(*, case: ReuseCase, actor, reason: str = "") -> ReuseCase:
    return publishing.move(entry=case, action=WITHDRAW, actor=actor, reason=reason)
