"""robots.txt and the pages where a signed-in user manages saved searches."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from discovery import services
from discovery.models import SavedSearch


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl the public pages; not the back office, accounts, submissions or
    the endless combinations of catalogue searches (the sitemap lists every
    component)."""
    private = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            private += [
                reverse("admin:index"),
                reverse("accounts:account"),
                reverse("catalogue:submission-list"),
                f"{reverse('catalogue:component-list')}?",
            ]
    context = {
        "private": private,
        "api_writes": reverse("api:submission-list"),
        "sitemap": request.build_absolute_uri(reverse("discovery_root:sitemap")),
    }
    return render(request, "discovery/robots.txt", context, content_type="text/plain")


@never_cache
@login_required
@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discovery/savedsearch_list.html",
        {"saved_searches": SavedSearch.objects.of(request.user)},
    )


@never_cache
@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Save the search of the catalogue page, sent as its query string."""
    query = QueryDict(request.POST.get("query", ""))
    try:
        search = services.save_search(user=request.user, query=query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Search saved: “%(name)s”. New matches will be e-mailed to you daily.")
            % {"name": search.name},
        )
    return redirect("discovery:saved-search-list")


@never_cache
@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch.objects.of(request.user), pk=pk)
    search.delete()
    messages.success(
        request,
        _("Search deleted: “%(name)s”. You will get no more e-mails about it.")
        % {"name": search.name},
    )
    return redirect("discovery:saved-search-list")
