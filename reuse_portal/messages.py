"""One-time messages ("Search saved"), opened only on the requests that use them.

Django's MessageMiddleware builds the message storage on every request: it
imports the storage class by name, and the cookie storage makes its signer.
In process, on a trivial view, it cost 12.5 µs of the 183 the portal's
middleware took (this one: under 1), and few requests show or add a message:
the API, the feeds, the pages served from the page cache, the static files
never do. Here the storage is built the first time a view adds a message or
a template reads them; a request that did neither has nothing to store, so
its response is left alone.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        storage = getattr(request, "_messages", None)
        # type(), not isinstance(): a lazy object answers __class__ by
        # building what it wraps.
        if type(storage) is SimpleLazyObject and storage._wrapped is empty:
            return response
        return super().process_response(request, response)
