"""Small explicit factories: each returns a saved object with sensible values,
overridable by keyword."""

from itertools import count

from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from catalogue.models import (
    BuildingBlock,
    Component,
    ComponentKind,
    Domain,
    LifecycleStatus,
    Provider,
    ProviderKind,
    PublicationState,
    ReuseCase,
)
from networks.models import Event, Network

_sequence = count(1)


def _next() -> int:
    return next(_sequence)


def make_user(**overrides) -> User:
    n = _next()
    fields = {"username": f"user{n}", "email": f"user{n}@example.org"}
    fields.update(overrides)
    password = fields.pop("password", "a-long-test-password")
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def make_token(user: User) -> str:
    """A new API token of `user`: the key their tools send."""
    _token, key = AuthToken.objects.create(user=user, expiry=None)
    return key


def make_domain(**overrides) -> Domain:
    n = _next()
    fields = {
        "slug": f"domain-{n}",
        "name_nl": f"Domein {n}",
        "name_fr": f"Domaine {n}",
        "name_en": f"Domain {n}",
    }
    fields.update(overrides)
    return Domain.objects.create(**fields)


def make_building_block(**overrides) -> BuildingBlock:
    n = _next()
    fields = {
        "slug": f"block-{n}",
        "family": BuildingBlock.Family.PUBLIC_SERVICE,
        "name_nl": f"Bouwsteen {n}",
        "name_fr": f"Brique {n}",
        "name_en": f"Block {n}",
    }
    fields.update(overrides)
    return BuildingBlock.objects.create(**fields)


def make_provider(**overrides) -> Provider:
    n = _next()
    fields = {
        "slug": f"provider-{n}",
        "kind": ProviderKind.FEDERAL_PUBLIC_SERVICE,
        "name_nl": f"Dienst {n}",
        "name_fr": f"Service {n}",
        "name_en": f"Service {n}",
        "acronym_nl": f"D{n}",
        "acronym_fr": f"S{n}",
        "acronym_en": f"S{n}",
    }
    fields.update(overrides)
    return Provider.objects.create(**fields)


def make_component(**overrides) -> Component:
    n = _next()
    fields = {
        "slug": f"component-{n}",
        "name_nl": f"Component {n}",
        "name_fr": f"Composant {n}",
        "name_en": f"Component {n}",
        "summary_nl": f"Samenvatting {n}",
        "summary_fr": f"Résumé {n}",
        "summary_en": f"Summary {n}",
        "description_nl": "",
        "description_fr": "",
        "description_en": "",
        "kind": ComponentKind.API,
        "lifecycle_status": LifecycleStatus.AVAILABLE,
        "publication_state": PublicationState.PUBLISHED,
        "published_at": timezone.now(),
    }
    fields.update(overrides)
    if (
        fields["publication_state"] != PublicationState.PUBLISHED
        and "published_at" not in overrides
    ):
        fields["published_at"] = None
    if "building_block" not in fields:
        fields["building_block"] = make_building_block()
    if "domain" not in fields:
        fields["domain"] = make_domain()
    if "provider" not in fields:
        fields["provider"] = make_provider()
    return Component.objects.create(**fields)


def make_reuse_case(
    *, components: list | None = None, organisations: list | None = None, **overrides
) -> ReuseCase:
    """A published case in which one other organisation reused one component
    (unless told which)."""
    n = _next()
    fields = {
        "slug": f"case-{n}",
        "title_nl": f"Project {n}",
        "title_fr": f"Projet {n}",
        "title_en": f"Project {n}",
        "summary_nl": f"Samenvatting {n}",
        "summary_fr": f"Résumé {n}",
        "summary_en": f"Summary {n}",
        "publication_state": PublicationState.PUBLISHED,
        "published_at": timezone.now(),
    }
    fields.update(overrides)
    if fields["publication_state"] != PublicationState.PUBLISHED:
        fields["published_at"] = None
    case = ReuseCase.objects.create(**fields)
    case.components.set(components or [make_component()])
    case.organisations.set(organisations or [make_provider()])
    return case


def make_network(**overrides) -> Network:
    n = _next()
    fields = {
        "slug": f"network-{n}",
        "name_nl": f"Netwerk {n}",
        "name_fr": f"Réseau {n}",
        "name_en": f"Network {n}",
        "publication_state": PublicationState.PUBLISHED,
    }
    fields.update(overrides)
    if "domain" not in fields:
        fields["domain"] = make_domain()
    return Network.objects.create(**fields)


def make_event(**overrides) -> Event:
    n = _next()
    fields = {
        "slug": f"event-{n}",
        "kind": Event.Kind.WEBINAR,
        "title_nl": f"Webinar {n}",
        "title_fr": f"Webinaire {n}",
        "title_en": f"Webinar {n}",
        "starts_at": timezone.now(),
    }
    fields.update(overrides)
    if "network" not in fields:
        fields["network"] = make_network()
    return Event.objects.create(**fields)
