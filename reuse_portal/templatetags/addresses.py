from django import template

from reuse_portal import addresses

register = template.Library()


@register.simple_tag
def address(view_name: str) -> str:
    """{% url view_name %} for a page without arguments, reversed once per
    language (reuse_portal.addresses): the navigation every page shows."""
    return addresses.address(view_name)
