"""The head of a component page: its schema.org JSON-LD and its alternates."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from interchange.dcat.alternates import alternates
from interchange.dcat.schema_org import schema_org

register = template.Library()

# As Django's json_script: no "</script>", "<!--" or "&" can end or change the
# block, whatever the component's texts say.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def component_linked_data(component) -> SafeString:
    """A data block, not a script: browsers do not run it, so the site's CSP
    (no inline scripts) does not apply to it."""
    data = json.dumps(schema_org(component), cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(JSON_SCRIPT_ESCAPES)),  # noqa: S308 (escaped above)
    )


@register.inclusion_tag("interchange/alternates.html")
def component_alternates(component) -> dict:
    return {"alternates": alternates(component)}
