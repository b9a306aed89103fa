from django.urls import path

from networks import feeds, views
from reuse_portal.page_cache import cached_for_everyone

app_name = "networks"

urlpatterns = [
    path("networks/", views.NetworkListView.as_view(), name="network-list"),
    # Before networks/<slug>/: "events" is not a network. The network page
    # itself is not kept in the page cache: which events are upcoming
    # changes with the clock, not with the content.
    path(
        "networks/events/feed.atom",
        cached_for_everyone(feeds.EventFeed()),
        name="event-feed",
    ),
    path(
        "networks/events/<slug:slug>.ics",
        cached_for_everyone(views.event_calendar),
        name="event-calendar",
    ),
    path(
        "networks/events/<slug:slug>/",
        cached_for_everyone(views.EventDetailView.as_view()),
        name="event-detail",
    ),
    path(
        "networks/<slug:slug>/",
        views.NetworkDetailView.as_view(),
        name="network-detail",
    ),
    path(
        "networks/<slug:slug>/events.ics",
        cached_for_everyone(views.network_calendar),
        name="network-calendar",
    ),
    path(
        "networks/<slug:slug>/events.atom",
        cached_for_everyone(feeds.NetworkEventFeed()),
        name="network-event-feed",
    ),
    path("networks/<slug:slug>/join/", views.join, name="join"),
    path("networks/<slug:slug>/requests/", views.join_requests, name="join-requests"),
    path(
        "networks/<slug:slug>/requests/<int:pk>/accept/",
        views.accept,
        name="join-accept",
    ),
    path(
        "networks/<slug:slug>/requests/<int:pk>/decline/",
        views.decline,
        name="join-decline",
    ),
]
