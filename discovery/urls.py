from django.urls import path

from discovery import feeds, views
from reuse_portal.page_cache import cached_for_everyone

app_name = "discovery"

urlpatterns = [
    path(
        "feeds/components/",
        cached_for_everyone(feeds.ComponentFeed()),
        name="component-feed",
    ),
    path(
        "feeds/components/provider/<slug:slug>/",
        cached_for_everyone(feeds.ProviderComponentFeed()),
        name="provider-component-feed",
    ),
    path(
        "feeds/components/building-block/<slug:slug>/",
        cached_for_everyone(feeds.BuildingBlockComponentFeed()),
        name="buildingblock-component-feed",
    ),
    path(
        "feeds/components/network/<slug:slug>/",
        cached_for_everyone(feeds.NetworkComponentFeed()),
        name="network-component-feed",
    ),
    path(
        "account/saved-searches/",
        views.saved_search_list,
        name="saved-search-list",
    ),
    path(
        "account/saved-searches/new/",
        views.saved_search_create,
        name="saved-search-create",
    ),
    path(
        "account/saved-searches/<int:pk>/delete/",
        views.saved_search_delete,
        name="saved-search-delete",
    ),
]
