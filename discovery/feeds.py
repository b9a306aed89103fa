"""Atom feeds of new and updated components: all of them, or those of one
provider, building block or network. Only published components, the latest
change first, in the language of the feed's address."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import (
    LIST_NEEDS_NOT,
    BuildingBlock,
    Component,
    ComponentOrganisation,
    Provider,
)
from networks.models import Network

# Feed readers poll often; 50 changes are more than a busy week's worth.
MAX_ENTRIES = 50


class ComponentFeed(Feed):
    """All published components; subclasses narrow `components()` to those
    of the object named in the address."""

    feed_type = Atom1Feed
    author_name = "ReUse"
    title = gettext_lazy("ReUse: new and updated components")
    subtitle = gettext_lazy(
        "Components of the ReUse catalogue, the latest published or changed first."
    )

    def link(self) -> str:
        return reverse("catalogue:component-list")

    def components(self, obj) -> QuerySet:
        return Component.objects.all()

    def items(self, obj) -> QuerySet:
        # One query: each entry's texts, author and category.
        return (
            self.components(obj)
            .published()
            .select_related("provider", "building_block")
            .defer(*LIST_NEEDS_NOT)
            .order_by("-updated_at", "-pk")[:MAX_ENTRIES]
        )

    def item_title(self, component: Component) -> str:
        return component.name

    def item_description(self, component: Component) -> str:
        return component.summary

    def item_updateddate(self, component: Component):
        return component.updated_at

    def item_pubdate(self, component: Component):
        return component.published_at

    def item_author_name(self, component: Component) -> str | None:
        return component.provider.name if component.provider else None

    def item_categories(self, component: Component) -> tuple[str, ...]:
        return (component.building_block.name, str(component.get_kind_display()))


class ProviderComponentFeed(ComponentFeed):
    """The components an organisation provides or takes part in, as its page
    lists them."""

    def get_object(self, request, slug: str) -> Provider:
        return get_object_or_404(Provider, slug=slug)

    def title(self, provider: Provider) -> str:
        return _("ReUse: components of %(name)s") % {"name": provider.name}

    def subtitle(self, provider: Provider) -> str:
        return _("New and updated components of %(name)s.") % {"name": provider}

    def link(self, provider: Provider) -> str:
        return provider.get_absolute_url()

    def components(self, provider: Provider) -> QuerySet:
        takes_part = ComponentOrganisation.objects.filter(
            component=OuterRef("pk"), organisation=provider
        )
        return Component.objects.filter(Q(provider=provider) | Exists(takes_part))


class BuildingBlockComponentFeed(ComponentFeed):
    def get_object(self, request, slug: str) -> BuildingBlock:
        return get_object_or_404(BuildingBlock, slug=slug)

    def title(self, block: BuildingBlock) -> str:
        return _("ReUse: components for “%(name)s”") % {"name": block.name}

    def subtitle(self, block: BuildingBlock) -> str:
        return _("New and updated components of the building block “%(name)s”.") % {
            "name": block.name
        }

    def link(self, block: BuildingBlock) -> str:
        return f"{reverse('catalogue:buildingblock-list')}#{block.slug}"

    def components(self, block: BuildingBlock) -> QuerySet:
        return Component.objects.filter(building_block=block)


class NetworkComponentFeed(ComponentFeed):
    def get_object(self, request, slug: str) -> Network:
        return get_object_or_404(Network.objects.published(), slug=slug)

    def title(self, network: Network) -> str:
        return _("ReUse: components of the network %(name)s") % {"name": network.name}

    def subtitle(self, network: Network) -> str:
        return _("New and updated components of the network %(name)s.") % {
            "name": network.name
        }

    def link(self, network: Network) -> str:
        return network.get_absolute_url()

    def components(self, network: Network) -> QuerySet:
        return Component.objects.filter(networks=network)
