"""A component page's other representations: `<link rel="alternate">` in its
head and the same links in its `Link` header (ComponentDetailView), for
crawlers and harvesters."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Component
from interchange.dcat.graph import SERIALISATIONS, component_dcat_path


@dataclass(frozen=True)
class Alternate:
    href: str
    media_type: str


def alternates(component: Component) -> list[Alternate]:
    # The publiccode.yml export sits beside the page, in its language.
    found = [
        Alternate(f"{component.get_absolute_url()}publiccode.yml", "application/yaml")
    ]
    for extension, (media_type, _format) in SERIALISATIONS.items():
        found.append(
            Alternate(component_dcat_path(component.slug, extension), media_type)
        )
    return found


def link_header(component: Component) -> str:
    return ", ".join(
        f'<{alternate.href}>; rel="alternate"; type="{alternate.media_type}"'
        for alternate in alternates(component)
    )
