"""Who made each change, in django-simple-history's tables.

simple_history's middleware hands every request to the models through an
asgiref Local, so that a save can record who made it: a write to that Local
and its removal on every request, which cost more than anything else the
portal's L2 reference request does in its middleware. Only a request that
may change something needs it: GET, HEAD and OPTIONS change nothing here
(every form and admin action posts), so they skip it. The admin and the
publication services name the author of what they save themselves; this
names it for the rest (an admin deletion, say).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from simple_history.middleware import HistoryRequestMiddleware

from reuse_portal.routers import SAFE_METHODS


class ChangeAuthorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.recording = HistoryRequestMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        return self.recording(request)
