"""What every endpoint of the public API shares: language negotiation, paging,
ordering, cache validators, throttling and one error shape (RFC 9457)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions, pagination, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from reuse_portal.clients import client_address, window_counts
from reuse_portal.page_cache import address_digest, until_content_changes
from reuse_portal.pagination import DeepPaginator

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# The API's language when the client asks for none: not the site's Dutch, but
# the language of the schema and its documentation.
DEFAULT_LANGUAGE = "en"
PROBLEM_CONTENT_TYPE = "application/problem+json"
# Every version of the API, as CORS_URLS_REGEX: errors under it are problems.
API_PREFIX = "/api/"


def accepted_language(request: HttpRequest) -> str:
    """The first language of the request's Accept-Language that the portal
    has, else DEFAULT_LANGUAGE. Unlike the pages, the API reads no language
    cookie and never falls back to the site's LANGUAGE_CODE."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


def api_language(request: HttpRequest) -> str:
    """?lang= when it names a language of the portal, else Accept-Language,
    else DEFAULT_LANGUAGE."""
    language = request.GET.get("lang")
    return language if language in LANGUAGE_CODES else accepted_language(request)


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 describes it, with field-level messages."""

    type = serializers.CharField(help_text="Always `about:blank`.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by parameter or field name, for 400 responses.",
    )


def problem(status: int, detail: str, errors: dict | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _as_field_errors(data) -> dict[str, list[str]]:
    if isinstance(data, dict):
        return {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in data.items()
        }
    return {"non_field_errors": [str(m) for m in data]}


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    # Imported here: rest_framework.views reads this module's classes from the
    # settings when it is first imported.
    from rest_framework.views import exception_handler

    if isinstance(exc, DjangoValidationError):
        # A model's or a service's refusal: a 400 that says why, field by field.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            _("The request has invalid parameters or fields."),
            _as_field_errors(response.data),
        )
    else:
        body = problem(response.status_code, response.data.get("detail", ""))
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


# Exempt like every API view: a stray POST must get this 404, not a CSRF page.
@csrf_exempt
def api_not_found(request: HttpRequest, unknown: str = "") -> JsonResponse:
    """404 for any path under /api/ that names no resource, in the API's shape."""
    translation.activate(api_language(request))
    return JsonResponse(
        problem(404, _("There is no resource at this address.")),
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
    )


# No resource nests deeper; a deeper body is an attack or a mistake.
MAX_BODY_DEPTH = 16


def _texts(data) -> Iterator[str]:
    """Every key and string in a parsed body, walked without recursion.
    Raises ParseError past MAX_BODY_DEPTH."""
    pending = [(data, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_BODY_DEPTH:
            raise exceptions.ParseError(_("The body is nested too deeply."))
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            pending.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            pending.extend((value, depth + 1) for value in item)


class StrictJSONParser(JSONParser):
    """JSON whose text PostgreSQL can store and compare. JSON allows NUL
    characters and lone surrogates (\\u0000, \\ud800) that PostgreSQL refuses
    even in a lookup: they are a 400 here, not a 500 deep in a query."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The body is nested too deeply.")) from None
        for text in _texts(data):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                valid = False
            else:
                valid = "\x00" not in text
            if not valid:
                raise exceptions.ParseError(
                    _("The body contains a NUL character or invalid Unicode.")
                )
        return data


class PagePagination(pagination.PageNumberPagination):
    """?page= and ?page_size= (at most 100); out-of-range values are a 400."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        _("Give a whole number from 1 to %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {"page": [_("Give a page number from 1 up.")]}
            )
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError(
                {"page": [_("This page is beyond the last one.")]}
            ) from error

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class ContentPaginator(DeepPaginator):
    """Counts a list of catalogue content once per change of the content
    (the page cache's stamp), not again for every page a client reads: the
    count of a search re-runs the search. A deep page reads its keys first:
    a client harvesting the whole catalogue reads its last page about as
    fast as its first."""

    @cached_property
    def count(self) -> int:
        query = self.object_list.query
        if query.is_empty():
            return 0
        digest = hashlib.sha256(repr(query.sql_with_params()).encode()).hexdigest()
        return until_content_changes(
            f"result-count:{digest}", lambda: Paginator.count.func(self)
        )


class ContentPagination(PagePagination):
    """Pages of catalogue content, by the paginator the view makes for the
    request (`paginator_for`): a ContentPaginator, or a search's, whose count
    its filters know."""

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page) -> Paginator:
        return self.view.paginator_for(object_list, per_page)


class FilterSetOnView(DjangoFilterBackend):
    """DjangoFilterBackend, which also leaves the filterset it made on the
    view (`view.filterset`), for what else knows the results from it, and
    builds the filtered queryset only when it is read: a search's pages are
    read by a query of their own (catalogue.filters.SearchPages), and
    building the ranked queryset they never run took a third of the view's
    time for a new search."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return SimpleLazyObject(lambda: filterset.qs)


class TokenAuthentication(KnoxTokenAuthentication):
    """django-rest-knox's, without its sweep of the user's other tokens for
    expired ones on each request: here a token never expires (accounts.views
    makes it with no expiry, and replaces the one before it), so the sweep's
    query found nothing, and cost an API list answer with a token 0.7 of its
    2.6 ms. A token given an expiry would still be swept as knox does."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None:
            return False
        return super()._cleanup_token(auth_token)


class WindowThrottle(BaseThrottle):
    """A rate per client in fixed windows, counted by `window_counts`: shared
    by every worker and server, without a cache round trip per request."""

    scope = ""

    def rate(self) -> str:
        raise NotImplementedError

    def ident(self, request) -> str | None:
        """Who is counted; None: this request is not."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        ident = self.ident(request)
        rate = self.rate()
        self.seconds = None
        if ident is not None and rate:
            self.seconds = window_counts.wait(self.scope, ident, rate)
        return self.seconds is None

    def wait(self) -> int | None:
        return self.seconds


class AnonymousRateThrottle(WindowThrottle):
    """Anonymous clients at API_ANONYMOUS_RATE, per client address (never a
    raw X-Forwarded-For)."""

    scope = "api-anonymous"

    def rate(self) -> str:
        return settings.API_ANONYMOUS_RATE

    def ident(self, request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return client_address(request)


class WriteRateThrottle(WindowThrottle):
    """Writes (POST, PUT, PATCH, DELETE) of signed-in clients, per user, at
    API_WRITE_RATE. Reads and anonymous requests are not counted here."""

    scope = "api-write"

    def rate(self) -> str:
        return settings.API_WRITE_RATE

    def ident(self, request) -> str | None:
        if request.method in SAFE_METHODS or not (
            request.user and request.user.is_authenticated
        ):
            return None
        return str(request.user.pk)


class KeptListMixin:
    """A list whose answers are the same for every client, with a token or
    without: kept per address and language until the catalogue changes,
    with their Last-Modified. An invalid query raises its 400 before
    anything is kept."""

    kept_list_name: str

    def kept_by_each_process(self, request) -> bool:
        """Whether the answer to `request` is kept by each process only,
        never in the shared cache: for addresses among so many that another
        process seldom asks for the same (as page_cache's
        cached_for_visitors_shared_unless)."""
        return False

    def list(self, request, *args, **kwargs) -> Response:
        answer = super().list

        def answer_and_date() -> tuple:
            data = answer(request, *args, **kwargs).data
            return data, self.last_modified

        data, self.last_modified = until_content_changes(
            f"kept-list:{self.kept_list_name}:{address_digest(request)}",
            answer_and_date,
            shared=not self.kept_by_each_process(request),
        )
        return Response(data)


class PortalApiMixin:
    """Language from ?lang=, else Accept-Language, else English; and
    Last-Modified from the rows shown. ConditionalGetMiddleware adds the ETag
    and answers 304s."""

    last_modified = None
    # Slugs only: anything else in the path is an unknown address (404).
    lookup_value_regex = r"[-\w]+"

    def initial(self, request, *args, **kwargs) -> None:
        # First of all, so that every answer, errors included, is in the
        # language asked for; LanguageMiddleware chose the site's.
        self.use_language(request, accepted_language(request))
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGE_CODES:
                raise exceptions.ValidationError(
                    {"lang": [_("Use one of %s.") % ", ".join(LANGUAGE_CODES)]}
                )
            self.use_language(request, language)
        # A method the resource does not have is a 405 for everyone, before
        # authentication would turn it into a 401.
        if getattr(self, request.method.lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    @staticmethod
    def use_language(request, language: str) -> None:
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        if self.last_modified and response.status_code == 200:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response

    def note_last_modified(self, objects) -> None:
        dates = [obj.updated_at for obj in objects if getattr(obj, "updated_at", None)]
        self.last_modified = max(dates, default=None)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.note_last_modified(page or [])
        return page

    def get_object(self):
        obj = super().get_object()
        self.note_last_modified([obj])
        return obj
