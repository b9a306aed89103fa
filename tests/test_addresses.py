import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from reuse_portal.addresses import address, slug_address


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("prefix", ["/", "/portal/"])
@pytest.mark.parametrize(
    ("view_name", "arguments"),
    [
        ("catalogue:component-detail", {}),
        ("catalogue:provider-detail", {}),
        ("networks:event-detail", {}),
        ("api:component-dcat", {"extension": "ttl"}),
        ("api:component-dcat", {"extension": "jsonld"}),
    ],
)
def test_a_slug_address_is_what_reverse_gives(language, prefix, view_name, arguments):
    # Reversed once and kept: it must still follow the language, the prefix
    # the portal is served under and the other arguments.
    try:
        set_script_prefix(prefix)
        with translation.override(language):
            for slug in ("e-box", "csam_2"):
                assert slug_address(view_name, slug, **arguments) == reverse(
                    view_name, kwargs={"slug": slug, **arguments}
                )
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_a_page_address_is_what_reverse_gives(language, prefix):
    try:
        set_script_prefix(prefix)
        with translation.override(language):
            for view_name in (
                "catalogue:component-list",
                "api:docs",
                "news:article-feed",
            ):
                assert address(view_name) == reverse(view_name)
    finally:
        set_script_prefix("/")
