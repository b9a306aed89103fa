"""The public API: contract, languages, errors, caching, CORS, throttling,
writes through moderation, and nothing unpublished leaking."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from knox.models import AuthToken
from rest_framework.request import Request
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient, APIRequestFactory

from catalogue.filters import ComponentApiFilter
from catalogue.models import (
    CollaborationModel,
    Component,
    ComponentKind,
    ComponentOrganisation,
    OrganisationRole,
    PublicationState,
    ReuseCase,
)
from catalogue.rendered_pages import component_page_row
from catalogue.serializers import ComponentSerializer, ComponentSummarySerializer
from tests.compilations import record_compilations
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
    make_token,
    make_user,
)

pytestmark = pytest.mark.django_db

HIDDEN = [state for state in PublicationState if state != PublicationState.PUBLISHED]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def supplier_client(organisation) -> APIClient:
    user = make_user(organisation=organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


def test_a_component_as_the_public_contract(api):
    provider = make_provider(slug="rsz", name_nl="Rijksdienst", acronym_nl="RSZ")
    other = make_component(slug="csam")
    component = make_component(
        slug="e-box",
        name_nl="e-Box",
        name_fr="e-Box FR",
        name_en="e-Box EN",
        acronym="EB",
        summary_nl="Elektronische brievenbus.",
        description_nl="Lang verhaal.",
        kind=ComponentKind.SERVICE,
        provider=provider,
        building_block=make_building_block(
            slug="communications", name_nl="Communicatie"
        ),
        domain=make_domain(slug="enterprises", name_nl="Ondernemingen"),
        licence="EUPL-1.2",
        languages=["nl", "fr"],
    )
    component.depends_on.add(other)
    ComponentOrganisation.objects.create(
        component=component,
        organisation=provider,
        role=OrganisationRole.OWNER,
        source_reference="002:990",
    )
    make_reuse_case(slug="single-permit", components=[component])

    body = api.get("/api/v1/components/e-box/?lang=nl").json()

    assert body == {
        "url": "http://testserver/api/v1/components/e-box/",
        "html_url": "http://testserver/nl/service/e-box/",
        "slug": "e-box",
        "language": "nl",
        "name": "e-Box",
        "acronym": "EB",
        "summary": "Elektronische brievenbus.",
        "description": "Lang verhaal.",
        "kind": "service",
        "kind_label": "Dienst",
        "lifecycle_status": "available",
        "lifecycle_status_label": "Beschikbaar",
        "successor": None,
        "government_level": "federal",
        "provider": {
            "slug": "rsz",
            "name": "Rijksdienst",
            "acronym": "RSZ",
            "url": "http://testserver/api/v1/providers/rsz/",
            "html_url": "http://testserver/nl/providers/rsz/",
        },
        "organisations": [
            {
                "organisation": {
                    "slug": "rsz",
                    "name": "Rijksdienst",
                    "acronym": "RSZ",
                    "url": "http://testserver/api/v1/providers/rsz/",
                    "html_url": "http://testserver/nl/providers/rsz/",
                },
                "role": "owner",
                "role_label": "Eigenaar",
                "confirmed": True,
            }
        ],
        "building_block": {
            "slug": "communications",
            "name": "Communicatie",
            "family": "public_service",
            "url": "http://testserver/api/v1/building-blocks/communications/",
        },
        "domain": {"slug": "enterprises", "name": "Ondernemingen"},
        "collaboration_model": None,
        "licence": "EUPL-1.2",
        "languages": ["nl", "fr"],
        "tags": [],
        "links": [],
        "support_name": "",
        "support_email": "",
        "support_phone": "",
        "depends_on": ["csam"],
        "used_by": [],
        "networks": [],
        "reuse_count": 1,
        "reuse_cases": ["single-permit"],
        "source_reference": "",
        "published_at": component.published_at.astimezone().isoformat(),
        "updated_at": component.updated_at.astimezone().isoformat(),
        "translations": None,
    }


def test_texts_follow_lang_then_accept_language_and_translations_on_request(api):
    make_component(
        slug="forms", name_nl="Formulieren", name_fr="Formulaires", name_en="Forms"
    )

    unasked = api.get("/api/v1/components/forms/")
    assert (unasked.json()["name"], unasked["Content-Language"]) == ("Forms", "en")

    assert api.get("/api/v1/components/forms/?lang=fr").json()["name"] == "Formulaires"
    english = api.get("/api/v1/components/forms/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["name"] == "Forms"
    assert english["Content-Language"] == "en"
    both = api.get("/api/v1/components/forms/?include=translations").json()
    assert both["translations"]["fr"]["name"] == "Formulaires"
    assert both["translations"]["nl"]["name"] == "Formulieren"


@pytest.mark.parametrize("rows", [1, 25])
def test_the_component_list_makes_a_fixed_number_of_queries(
    api, django_assert_num_queries, rows
):
    block = make_building_block()
    for _ in range(rows):
        make_reuse_case(components=[make_component(building_block=block)])

    # count; the page (provider, block, domain, collaboration model, reuse
    # count): a list item carries no relation to fetch.
    with django_assert_num_queries(2):
        body = api.get("/api/v1/components/?page_size=25").json()
    assert body["count"] == rows

    # The answer is kept until the catalogue changes: the same address again
    # reads nothing, another page of the same list only its rows.
    with django_assert_num_queries(0):
        again = api.get("/api/v1/components/?page_size=25").json()
    assert again == body
    with django_assert_num_queries(1):
        other_page = api.get("/api/v1/components/?page_size=10").json()
    assert other_page["count"] == rows


def test_a_client_with_a_token_costs_one_query_for_who_it_is(
    api, django_assert_num_queries
):
    make_component()
    supplier = supplier_client(make_provider())
    kept = api.get("/api/v1/components/").json()

    # Its token with its user; the answer is the one kept for everyone.
    with django_assert_num_queries(1):
        response = supplier.get("/api/v1/components/")

    assert response.status_code == 200
    assert response.json() == kept


def test_an_expired_token_is_refused_and_deleted(api):
    user = make_user()
    make_token(user)
    token, key = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get("/api/v1/components/")

    assert response.status_code == 401
    assert not AuthToken.objects.filter(pk=token.pk).exists()
    assert AuthToken.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/providers/",
        "/api/v1/building-blocks/",
        "/api/v1/collaboration-models/",
        "/api/v1/reuse-cases/",
    ],
)
def test_a_directory_list_is_kept_until_the_catalogue_changes(
    api, django_assert_num_queries, path
):
    model = CollaborationModel.objects.create(slug="organic", name_nl="Organisch")
    make_reuse_case(components=[make_component(collaboration_model=model)])
    first = api.get(path)

    with django_assert_num_queries(0):
        again = api.get(path)
    assert again.json() == first.json()
    # Where the list has one (blocks and models keep no date of change).
    assert again.get("Last-Modified") == first.get("Last-Modified")

    # A second component, of the same provider, block, model and case.
    component = Component.objects.get()
    second = make_component(
        provider=component.provider,
        building_block=component.building_block,
        collaboration_model=model,
    )
    ReuseCase.objects.get().components.add(second)
    assert api.get(path).json() != first.json()


def test_a_kept_list_keeps_the_links_of_the_host_it_was_asked_on(api):
    make_component()
    for host in ("localhost", "127.0.0.1"):
        body = api.get("/api/v1/components/", HTTP_HOST=host).json()
        assert body["results"][0]["url"].startswith(f"http://{host}/")


def test_each_detail_is_written_for_its_own_request_host_and_language(api):
    # The detail is written out, its addresses made once per request: none
    # may carry another request's host or language.
    provider = make_provider(slug="rsz")
    component = make_component(slug="e-box", provider=provider)
    asked = [("localhost", "nl"), ("127.0.0.1", "fr"), ("localhost", "en")] * 2
    for host, language in asked:
        body = api.get(
            f"/api/v1/components/e-box/?lang={language}", HTTP_HOST=host
        ).json()
        assert body["language"] == language
        with translation.override(language):
            assert body["html_url"] == f"http://{host}{component.get_absolute_url()}"
            assert (
                body["provider"]["html_url"]
                == f"http://{host}{provider.get_absolute_url()}"
            )
        assert body["url"] == f"http://{host}/api/v1/components/e-box/"


def test_a_kept_result_count_follows_every_change_of_the_catalogue(api):
    make_component(name_nl="Formulieren Een")
    assert api.get("/api/v1/components/?q=formulieren").json()["count"] == 1

    make_component(name_nl="Formulieren Twee")
    assert api.get("/api/v1/components/?q=formulieren").json()["count"] == 2
    assert api.get("/api/v1/components/?q=nergens").json()["count"] == 0


def test_a_component_detail_makes_a_fixed_number_of_queries(
    api, django_assert_num_queries
):
    component = make_component(slug="c")
    for _ in range(5):
        component.depends_on.add(make_component())
        make_reuse_case(components=[component])

    # A published component is read as its page reads it: one row, its
    # lists (dependencies, reuse cases, links, organisations...) in arrays.
    with django_assert_num_queries(1):
        body = api.get("/api/v1/components/c/").json()

    assert len(body["depends_on"]) == 5
    assert len(body["reuse_cases"]) == 5


def test_the_search_facets_and_sorting_are_those_of_the_pages(api):
    make_component(slug="ehealthbox", name_en="eHealthBox", kind=ComponentKind.SERVICE)
    make_component(slug="an-api", kind=ComponentKind.API)

    found = api.get("/api/v1/components/?q=ehelthbox").json()
    assert [c["slug"] for c in found["results"]] == ["ehealthbox"]
    apis = api.get("/api/v1/components/?kind=api&kind=platform").json()
    assert [c["slug"] for c in apis["results"]] == ["an-api"]
    facets = {f["name"]: f for f in api.get("/api/v1/components/facets/").json()}
    assert {o["value"]: o["count"] for o in facets["kind"]["options"]} == {
        "api": 1,
        "service": 1,
    }
    newest_first = api.get("/api/v1/components/?sort=newest").json()["results"]
    assert [c["slug"] for c in newest_first] == ["an-api", "ehealthbox"]


def search_results(query: str) -> list[str]:
    """The slugs of the API's results for `query` (a query string), as its
    filters find them in the API's default language."""
    with translation.override("en"):
        filterset = ComponentApiFilter(
            data=QueryDict(query), queryset=Component.objects.for_listing()
        )
        return [component.slug for component in filterset.qs]


def test_a_search_lists_its_results_in_the_order_of_each_sort_page_after_page(api):
    # Each sort and page of a search that nothing else filters is read by a
    # query compiled once for it (catalogue.api.SEARCH_PAGES), counted from
    # its candidates: its pages must be the search's own, whichever was
    # compiled first, and other page sizes (read the general way) agree.
    for n in range(30):
        component = make_component(
            name_en=f"Workflow {(n * 7) % 30:02}" if n % 3 else f"Task {n:02}",
            description_en="" if n % 3 else "About workflow.",
            published_at=timezone.now() - timedelta(days=(n * 11) % 30),
        )
        Component.objects.filter(pk=component.pk).update(reuse_count=(n * 3) % 5)
    make_component(name_en="Something else")

    for sort in ["", "name", "newest", "most_reused", "relevance", ""]:
        expected = search_results(f"q=workflow&sort={sort}")
        pages = [
            api.get("/api/v1/components/", {"q": "workflow", "sort": sort, "page": n})
            for n in (1, 2)
        ]
        tens = [
            api.get(
                "/api/v1/components/",
                {"q": "workflow", "sort": sort, "page": n, "page_size": 10},
            )
            for n in (1, 2, 3)
        ]

        assert len(expected) == 30
        for answers in (pages, tens):
            listed = [c["slug"] for a in answers for c in a.json()["results"]]
            assert listed == expected, sort
            assert {a.json()["count"] for a in answers} == {30}


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ("kind=api", 4),
        ("kind=api&network=open-data", 2),
        ("modified_since=2026-11-01", 6),
        ("ordering=-name", 8),
    ],
)
def test_a_search_with_filters_counts_and_lists_what_they_leave(api, filters, count):
    network = make_network(slug="open-data")
    made = [
        make_component(
            name_en=f"Workflow {n}",
            kind=ComponentKind.API if n % 2 else ComponentKind.SERVICE,
        )
        for n in range(8)
    ]
    network.components.add(*made[1::4])
    Component.objects.filter(name_en__in=["Workflow 1", "Workflow 2"]).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    expected = search_results(f"q=workflow&{filters}")

    body = api.get(f"/api/v1/components/?q=workflow&{filters}").json()

    assert len(expected) == body["count"] == count
    assert [c["slug"] for c in body["results"]] == expected


def test_a_new_search_reads_its_words_its_candidates_and_its_page_only(
    api, django_assert_num_queries, monkeypatch
):
    # No count of its own: the candidates' query found how many there are.
    # No query of the components compiled: the candidates' and the page's
    # are compiled once per process for each shape.
    for n in range(3):
        make_component(name_en=f"Workflow {n}")
    compiled = record_compilations(monkeypatch, lambda query: query.model is Component)
    api.get("/api/v1/components/?q=workflow")
    compiled.clear()

    # The words looked up; the candidates, with the planner told to use no
    # sequential scan (set, then reset); the page.
    with django_assert_num_queries(5):
        body = api.get("/api/v1/components/?q=workflows").json()

    assert compiled == []
    assert body["count"] == 3
    assert [c["name"] for c in body["results"]] == [
        "Workflow 0",
        "Workflow 1",
        "Workflow 2",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=bogus", "kind"),
        ("provider=nobody", "provider"),
        ("page=9", "page"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("page_size=abc", "page_size"),
        ("ordering=price", "ordering"),
        ("lang=de", "lang"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(api, query, field):
    make_component()

    response = api.get(f"/api/v1/components/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["title"] == "Bad Request"
    assert list(body["errors"]) == [field]


@pytest.mark.parametrize(
    ("query", "headers", "language", "detail", "message"),
    [
        (
            "",
            {},
            "en",
            "The request has invalid parameters or fields.",
            "Select a valid choice.",
        ),
        (
            "",
            {"HTTP_ACCEPT_LANGUAGE": "fr-BE,fr;q=0.9"},
            "fr",
            "La requête contient des paramètres ou des champs non valides.",
            "Sélectionnez un choix valide.",
        ),
        (
            "&lang=nl",
            {"HTTP_ACCEPT_LANGUAGE": "fr"},
            "nl",
            "Het verzoek bevat ongeldige parameters of velden.",
            "Selecteer een geldige keuze.",
        ),
        # A language the portal does not have counts as none asked for.
        (
            "",
            {"HTTP_ACCEPT_LANGUAGE": "de"},
            "en",
            "The request has invalid parameters or fields.",
            "Select a valid choice.",
        ),
        (
            "",
            {"HTTP_ACCEPT_LANGUAGE": "de, nl;q=0.5"},
            "nl",
            "Het verzoek bevat ongeldige parameters of velden.",
            "Selecteer een geldige keuze.",
        ),
    ],
)
def test_errors_are_in_english_unless_a_language_is_asked_for(
    api, query, headers, language, detail, message
):
    response = api.get(f"/api/v1/components/?kind=bogus{query}", **headers)

    assert response.status_code == 400
    assert response["Content-Language"] == language
    body = response.json()
    assert body["detail"] == detail
    assert body["errors"]["kind"][0].startswith(message)


@pytest.mark.parametrize(
    ("method", "path", "status", "detail"),
    [
        ("get", "/api/v1/no-such-resource/", 404, "There is no resource"),
        ("get", "/api/v1/components/?lang=de", 400, "The request has invalid"),
        ("delete", "/api/v1/components/", 405, 'Method "DELETE" not allowed.'),
        ("post", "/api/v1/components/", 401, "Authentication credentials were"),
        ("get", "/api/v1/submissions/", 401, "Authentication credentials were"),
    ],
)
def test_every_error_is_in_english_when_no_language_is_asked_for(
    api, settings, method, path, status, detail
):
    # The site's own language, and a visitor's choice of it, are not asked for.
    assert settings.LANGUAGE_CODE == "nl"
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = getattr(api, method)(path)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert response["Content-Language"] == "en"


def test_an_unknown_address_answers_in_the_language_asked_for(api):
    response = api.get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert response["Content-Language"] == "fr"
    assert response.json()["detail"] != "There is no resource at this address."


@pytest.mark.parametrize(
    ("method", "path", "status", "headers"),
    [
        ("get", "/api/v1/components/no-such-thing/", 404, {}),
        ("get", "/api/v1/no-such-resource/", 404, {}),
        ("delete", "/api/v1/components/", 405, {}),
        ("put", "/api/v1/providers/", 405, {}),
        ("get", "/api/v1/components/", 406, {"HTTP_ACCEPT": "application/xml"}),
        ("post", "/api/v1/components/", 401, {}),
        ("patch", "/api/v1/components/a/b/c/", 404, {}),
        ("get", "/api/v1/building-blocks/a%0Ab/", 404, {}),
        ("get", "/api/v1/components/a%00b/", 404, {}),
    ],
)
def test_every_error_has_the_same_shape(api, method, path, status, headers):
    response = getattr(api, method)(path, **headers)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["detail"]


def test_a_repeated_request_is_answered_304(api):
    make_component(slug="c")
    first = api.get("/api/v1/components/c/")
    assert first["ETag"]
    assert first["Last-Modified"]

    again = api.get("/api/v1/components/c/", HTTP_IF_NONE_MATCH=first["ETag"])
    since = api.get(
        "/api/v1/components/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert again.status_code == 304
    assert since.status_code == 304


def test_any_origin_may_read_without_credentials(api):
    response = api.get("/api/v1/components/", HTTP_ORIGIN="https://example.be")
    preflight = api.options(
        "/api/v1/components/",
        HTTP_ORIGIN="https://example.be",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_anonymous_clients_are_throttled_with_retry_after(api, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"

    statuses = [api.get("/api/v1/stats/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/v1/stats/")
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["status"] == 429


def test_a_supplier_submission_goes_to_moderation_not_to_the_public(api):
    organisation = make_provider(slug="smals")
    supplier = supplier_client(organisation)
    block, domain = make_building_block(slug="forms-block"), make_domain(slug="generic")

    response = supplier.post(
        "/api/v1/components/",
        {
            "slug": "new-thing",
            "name_nl": "Nieuw ding",
            "summary_nl": "Iets nieuws.",
            "kind": "api",
            "building_block": "forms-block",
            "domain": "generic",
            "publication_state": "published",  # ignored: read-only
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["publication_state"] == "submitted"
    assert response.json()["provider"] == "smals"
    # The address comes from the name, never from the submitter.
    assert response["Location"] == "/api/v1/components/nieuw-ding/"
    created = Component.objects.get(slug="nieuw-ding")
    assert created.publication_state == PublicationState.SUBMITTED
    assert created.building_block == block
    assert created.domain == domain
    assert created.history.latest().history_user.organisation == organisation
    assert api.get("/api/v1/components/nieuw-ding/").status_code == 404
    assert api.get("/api/v1/components/").json()["count"] == 0


def test_a_supplier_corrects_its_own_submission_but_not_others(api):
    mine = make_provider()
    theirs = make_provider()
    supplier = supplier_client(mine)
    draft = make_component(
        slug="mine", provider=mine, publication_state="changes_requested"
    )
    make_component(slug="theirs", provider=theirs)
    make_component(slug="theirs-draft", provider=theirs, publication_state="draft")

    fixed = supplier.patch(
        "/api/v1/components/mine/", {"summary_nl": "Beter."}, format="json"
    )
    other = supplier.patch(
        "/api/v1/components/theirs/", {"summary_nl": "x"}, format="json"
    )
    hidden = supplier.patch(
        "/api/v1/components/theirs-draft/", {"summary_nl": "x"}, format="json"
    )
    renamed = supplier.patch(
        "/api/v1/components/mine/?lang=nl", {"slug": "renamed"}, format="json"
    )
    invalid = supplier.patch(
        "/api/v1/components/mine/", {"kind": "robot"}, format="json"
    )

    assert fixed.status_code == 200
    draft.refresh_from_db()
    assert (draft.summary_nl, draft.publication_state) == ("Beter.", "submitted")
    assert other.status_code == 403
    assert hidden.status_code == 404
    # The slug is read-only: a PATCH of nothing else changes nothing.
    assert renamed.status_code == 400
    assert "Er is niets gewijzigd" in str(renamed.json()["errors"])
    assert Component.objects.filter(slug="mine").exists()
    assert invalid.status_code == 400
    assert list(invalid.json()["errors"]) == ["kind"]


def test_a_user_without_organisation_cannot_write():
    client = supplier_client(None)

    response = client.post("/api/v1/components/", {}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize("state", HIDDEN)
def test_nothing_unpublished_leaks_through_the_api(api, state):
    provider = make_provider(slug="p")
    public = make_component(slug="public", provider=provider)
    hidden = make_component(
        slug="hidden", provider=provider, publication_state=state, name_nl="Verborgen"
    )
    public.depends_on.add(hidden)
    hidden.depends_on.add(public)
    network = make_network(slug="n")
    network.components.add(public, hidden)
    make_reuse_case(components=[hidden])

    listing = api.get("/api/v1/components/").json()
    assert [c["slug"] for c in listing["results"]] == ["public"]
    assert api.get("/api/v1/components/hidden/").status_code == 404
    assert api.get("/api/v1/components/?q=Verborgen").json()["count"] == 0
    detail = api.get("/api/v1/components/public/").json()
    assert detail["depends_on"] == []
    assert detail["used_by"] == []
    facets = {f["name"]: f for f in api.get("/api/v1/components/facets/").json()}
    assert sum(o["count"] for o in facets["kind"]["options"]) == 1
    assert api.get("/api/v1/stats/").json()["components"] == 1
    (case,) = api.get("/api/v1/reuse-cases/").json()["results"]
    assert case["components"] == []
    assert detail["reuse_cases"] == []
    assert api.get("/api/v1/providers/p/").json()["component_count"] == 1
    assert api.get("/api/v1/networks/n/").json()["components"] == ["public"]


@pytest.mark.parametrize(
    ("path", "make_row"),
    [
        ("/api/v1/providers/", make_provider),
        ("/api/v1/networks/", lambda: make_network(coordinator=make_provider())),
        ("/api/v1/events/", make_event),
        ("/api/v1/reuse-cases/", make_reuse_case),
        ("/api/v1/building-blocks/", make_building_block),
    ],
)
def test_other_lists_make_as_many_queries_for_25_rows_as_for_1(api, path, make_row):
    counts = []
    for rows in (1, 25):
        while api.get(f"{path}?page_size=100").json()["count"] < rows:
            make_row()
        with CaptureQueriesContext(connection) as queries:
            body = api.get(f"{path}?page_size=100").json()
        assert body["count"] >= rows
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "body",
    [
        '{"slug": "x", "name_nl": "\\ud800", "summary_nl": "s"}',  # lone surrogate
        '{"slug": "x", "name_nl": "a\\u0000b", "summary_nl": "s"}',  # NUL
        '{"slug": "x", "languages": ["xx"]}',
        '{"slug": "x", "kind": "api", "building_block": "a\\u0000"}',
        '{"slug": "x", "\\u0000": 1}',
        "[1, 2",
        "[]",
    ],
)
def test_a_malformed_submission_is_a_400_and_saves_nothing(body):
    supplier = supplier_client(make_provider())

    response = supplier.post(
        "/api/v1/components/", body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Component.objects.exists()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("include", ["", "translations"])
def test_a_detail_is_what_the_generic_serializer_would_give(language, include):
    """The detail's serializer is written out for speed too: for a component
    with every list filled in, and for one with none, read as the API reads
    them, it gives what DRF's generic fields give."""
    provider = make_provider(acronym_fr="ONSS")
    model = CollaborationModel.objects.create(
        slug="organic", name_nl="Organisch", definition_nl="…"
    )
    successor = make_component(provider=provider)
    full = make_component(
        provider=provider,
        collaboration_model=model,
        successor=successor,
        lifecycle_status="deprecated",
        support_name="Helpdesk",
        support_email="help@example.org",
        languages=["fr"],
        name_en="",
    )
    full.depends_on.add(make_component(), make_component(publication_state="draft"))
    make_component(provider=None).depends_on.add(full)
    full.tags.create(name="identity")
    full.links.create(kind="documentation", url="https://example.org/doc")
    full.links.create(kind="website", url="https://example.org", title="Site")
    for organisation, role in [(provider, "owner"), (make_provider(), "user")]:
        ComponentOrganisation.objects.create(
            component=full, organisation=organisation, role=role, confirmed=False
        )
    make_network().components.add(full)
    make_reuse_case(components=[full])
    # Its successor is not published: none.
    empty = make_component(
        provider=None,
        lifecycle_status="withdrawn",
        successor=make_component(publication_state="draft"),
    )
    request = Request(
        APIRequestFactory().get("/api/v1/components/", {"include": include})
    )

    with translation.override(language):
        serializer = ComponentSerializer(context={"request": request})
        for component in (full, empty):
            read = component_page_row(component.slug)
            written_out = serializer.to_representation(read)
            generic = ModelSerializer.to_representation(
                serializer, as_prefetched(component_page_row(component.slug))
            )
            assert written_out == generic
            if component == full:
                assert written_out["successor"] == successor.slug
                lists = ["organisations", "links", "depends_on", "used_by"]
                assert [len(written_out[name]) for name in lists] == [2, 2, 1, 1]
                assert written_out["networks"]
                assert written_out["reuse_cases"]
    assert written_out["successor"] is None
    assert written_out["provider"] is None


def as_prefetched(component: Component) -> Component:
    """The component read with its page's row, its lists answering
    `component.tags.all()` as prefetch_related() would leave them: from the
    arrays of published rows that came with the row, as the API gives them."""
    prefetched = component.__dict__.setdefault("_prefetched_objects_cache", {})
    for relation in Component.LISTED:
        manager = getattr(component, relation)
        # Where the manager looks for prefetched rows: a many-to-many
        # manager names it, a reverse foreign key's is its relation's.
        cache_name = getattr(manager, "prefetch_cache_name", None)
        if cache_name is None:
            cache_name = manager.field.remote_field.cache_name
        rows = manager.all()
        rows._result_cache = component.listed(relation)
        rows._prefetch_done = True
        prefetched[cache_name] = rows
    return component


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("include", ["", "translations"])
def test_a_list_item_is_what_the_generic_serializer_would_give(language, include):
    """The list's serializer is written out for speed: field for field, it
    gives what DRF's generic fields give from its declaration (the one the
    API schema describes)."""
    model = CollaborationModel.objects.create(
        slug="co-financed", name_nl="Cofinanciering", definition_nl="…"
    )
    make_component(collaboration_model=model, languages=["nl", "fr"], acronym="CF")
    make_component(provider=None, name_fr="", summary_en="")
    make_reuse_case(components=[make_component()])
    query = {"include": include}
    request = Request(APIRequestFactory().get("/api/v1/components/", query))
    listed = Component.objects.for_listing().select_related("collaboration_model")

    with translation.override(language):
        serializer = ComponentSummarySerializer(context={"request": request})
        written_out = [serializer.to_representation(item) for item in listed]
        generic = [
            ModelSerializer.to_representation(serializer, item) for item in listed
        ]

    assert written_out == generic
    assert [item["collaboration_model"] is None for item in written_out] == [
        item.collaboration_model is None for item in listed
    ]
