"""Addresses crawlers expect at the site's root, outside the language prefix."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from discovery import views
from discovery.sitemaps import SITEMAPS
from reuse_portal.page_cache import cached_for_everyone

app_name = "discovery_root"

urlpatterns = [
    path(
        "sitemap.xml",
        cached_for_everyone(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "discovery_root:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached_for_everyone(sitemap_views.sitemap),
        # The entries written by discovery/templatetags/sitemap_entries.py.
        {"sitemaps": SITEMAPS, "template_name": "discovery/sitemap.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]
