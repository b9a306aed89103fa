"""The catalogue as CSV: the page's and the API's current result set, every
page of it, published components only, readable by spreadsheet programs."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from catalogue.models import (
    ComponentKind,
    ComponentLink,
    ComponentOrganisation,
    LinkKind,
    OrganisationRole,
    PublicationState,
    Tag,
)
from interchange.tabular.columns import HEADER
from tests.factories import make_building_block, make_component, make_provider

pytestmark = pytest.mark.django_db

HIDDEN = [state for state in PublicationState if state != PublicationState.PUBLISHED]


def page_url(query: str = "", language: str = "nl") -> str:
    with translation.override(language):
        return reverse("interchange:catalogue-csv") + (f"?{query}" if query else "")


def catalogue_url(query: str = "", language: str = "nl") -> str:
    with translation.override(language):
        return reverse("catalogue:component-list") + (f"?{query}" if query else "")


API_CSV = "/api/v1/components.csv"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rows(response) -> list[dict[str, str]]:
    """The download as a spreadsheet program would read it."""
    text = body(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def slugs(response) -> list[str]:
    return [row["slug"] for row in rows(response)]


def test_a_download_with_bom_header_and_one_row_per_component(client):
    provider = make_provider(slug="bosa")
    component = make_component(
        slug="ebox",
        name_fr="Boîte électronique",
        summary_fr="Échanges sécurisés, déjà réutilisés",
        provider=provider,
        licence="EUPL-1.2",
        support_email="support@example.org",
        languages=["nl", "fr"],
    )
    other = make_component(slug="other")
    ComponentOrganisation.objects.create(
        component=component, organisation=provider, role=OrganisationRole.OWNER
    )
    component.tags.add(Tag.objects.create(slug="identity", name="Identity"))
    ComponentLink.objects.create(
        component=component,
        kind=LinkKind.DOCUMENTATION,
        url="https://example.org/doc",
        title="Guide",
        language="fr",
    )

    response = client.get(page_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.csv"')
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    assert next(reader) == list(HEADER)
    assert len(list(reader)) == 2
    by_slug = {row["slug"]: row for row in rows(client.get(page_url()))}
    assert set(by_slug) == {"ebox", other.slug}
    row = by_slug["ebox"]
    assert row["name_fr"] == "Boîte électronique"
    assert row["summary_fr"] == "Échanges sécurisés, déjà réutilisés"
    assert row["provider"] == "bosa"
    assert row["organisations"] == "bosa (owner)"
    assert row["tags"] == "identity"
    assert row["links"] == "documentation https://example.org/doc [fr] Guide"
    assert row["languages"] == "nl; fr"
    assert row["support_email"] == "support@example.org"
    assert row["url"] == "http://testserver/nl/service/ebox/"
    assert row["reuse_count"] == "0"
    assert row["kind"] == ComponentKind.API


@pytest.mark.parametrize("state", HIDDEN)
def test_nothing_unpublished_is_ever_exported(client, state):
    make_component(slug="public")
    make_component(slug="hidden", publication_state=state)

    assert slugs(client.get(page_url())) == ["public"]
    assert slugs(APIClient().get(API_CSV)) == ["public"]
    assert slugs(client.get(page_url("q=Component"))) == ["public"]


QUERIES = [
    "kind=api&sort=name",
    "kind=service&kind=platform",
    "provider=csv-smals&sort=newest",
    "q=Signature",
    "building_block=csv-block&sort=most_reused",
]


@pytest.fixture
def varied_catalogue():
    smals = make_provider(slug="csv-smals")
    block = make_building_block(slug="csv-block")
    for n, kind in enumerate(
        [ComponentKind.API, ComponentKind.SERVICE, ComponentKind.PLATFORM] * 3
    ):
        make_component(
            slug=f"varied-{n}",
            kind=kind,
            provider=smals if n % 2 else make_provider(),
            building_block=block if n % 3 == 0 else make_building_block(),
            name_nl=f"Signature {n}" if n < 4 else f"Dienst {n}",
        )


@pytest.mark.parametrize("query", QUERIES)
def test_the_download_is_the_pages_result_set(client, varied_catalogue, query):
    page = client.get(catalogue_url(query))
    shown = [component.slug for component in page.context["page_obj"].object_list]

    assert shown
    assert slugs(client.get(page_url(query))) == shown


@pytest.mark.parametrize("query", [*QUERIES, "ordering=-name"])
def test_the_api_download_is_the_api_lists_result_set(varied_catalogue, query):
    api = APIClient()
    listed = [
        item["slug"] for item in api.get(f"/api/v1/components/?{query}").data["results"]
    ]

    assert listed
    assert slugs(api.get(f"{API_CSV}?{query}")) == listed


def test_every_page_of_the_results_is_in_the_download(client):
    block = make_building_block(slug="many")
    for _ in range(25):
        make_component(building_block=block)
    make_component()

    page = client.get(catalogue_url("building_block=many&page=2"))
    response = client.get(page_url("building_block=many&page=2"))

    assert page.context["paginator"].count == 25
    assert len(page.context["page_obj"].object_list) == 5
    assert len(slugs(response)) == 25


def test_the_catalogue_page_links_to_the_download_of_its_results(client):
    make_component(kind=ComponentKind.API)

    response = client.get(catalogue_url("kind=api&sort=name&page=1"))

    assert response.status_code == 200
    href = f'href="{page_url()}?kind=api&amp;sort=name"'
    assert href in response.content.decode()


def test_an_unknown_filter_value_is_left_out_on_the_page_and_refused_by_the_api(
    client,
):
    make_component(slug="api-one", kind=ComponentKind.API)
    make_component(slug="service-one", kind=ComponentKind.SERVICE)

    page = client.get(page_url("kind=api&provider=nobody"))
    api = APIClient().get(f"{API_CSV}?kind=nonsense")

    assert slugs(page) == ["api-one"]
    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"
    assert "kind" in api.json()["errors"]


def test_the_rows_are_read_and_sent_a_chunk_at_a_time(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("interchange.tabular.export.CHUNK_SIZE", 2)
    for n in range(5):
        make_component(slug=f"chunked-{n}")

    # Its slot taken, the order, a query for each chunk of two, its slot
    # given back.
    with django_assert_num_queries(1 + 1 + 3 + 1):
        parts = list(client.get(page_url()).streaming_content)

    # The header, then 2 + 2 + 1 rows (each line ends in CRLF).
    assert [part.count(b"\r\n") for part in parts] == [1, 2, 2, 1]
    text = b"".join(parts).decode("utf-8-sig")
    exported = [row["slug"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert sorted(exported) == [f"chunked-{n}" for n in range(5)]


@pytest.mark.parametrize("size", [1, 30])
def test_a_fixed_number_of_queries_whatever_the_size(
    client, django_assert_num_queries, size
):
    block = make_building_block()
    owner, developer = make_provider(slug="owner"), make_provider(slug="developer")
    tags = [Tag.objects.create(slug=slug, name=slug) for slug in ("zeta", "alpha")]
    for _ in range(size):
        component = make_component(building_block=block, provider=owner)
        component.tags.add(*tags)
        for position, (organisation, role) in enumerate(
            [(developer, OrganisationRole.DEVELOPER), (owner, OrganisationRole.OWNER)]
        ):
            ComponentOrganisation.objects.create(
                component=component,
                organisation=organisation,
                role=role,
                position=position,
            )
        for kind, url in [
            (LinkKind.WEBSITE, "https://example.org"),
            (LinkKind.DOCUMENTATION, "https://example.org/doc"),
        ]:
            ComponentLink.objects.create(component=component, kind=kind, url=url)

    # The order; then the components with their related objects' slugs,
    # reuse counts, tags, links and organisation roles: one query a chunk;
    # and the download's slot, taken and given back.
    with django_assert_num_queries(2 + 2):
        page = rows(client.get(page_url()))
    with django_assert_num_queries(2 + 2):
        api = rows(APIClient().get(API_CSV))

    for exported in (page, api):
        assert len(exported) == size
        assert {row["tags"] for row in exported} == {"alpha; zeta"}
        assert {row["organisations"] for row in exported} == {
            "developer (developer); owner (owner)"
        }
        assert {row["links"] for row in exported} == {
            "website https://example.org\ndocumentation https://example.org/doc"
        }


def test_accents_and_line_breaks_survive_pythons_csv_with_utf_8_sig(client):
    make_component(
        slug="accents",
        name_fr="Élections, « ça » marche",
        description_nl='Regel één;\n"tweede" regel — ëïü',
    )

    row = rows(client.get(page_url()))[0]

    assert row["name_fr"] == "Élections, « ça » marche"
    assert row["description_nl"] == 'Regel één;\n"tweede" regel — ëïü'


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_escaped(client):
    make_component(slug="formula", summary_en='=HYPERLINK("http://evil")')
    make_component(slug="stad", summary_en="'t Stad")

    exported = {row["slug"]: row for row in rows(client.get(page_url()))}

    assert exported["formula"]["summary_en"] == '\'=HYPERLINK("http://evil")'
    # An apostrophe that escapes nothing is the text's own.
    assert exported["stad"]["summary_en"] == "'t Stad"


def test_the_api_download_answers_304_while_nothing_changed():
    make_component()
    api = APIClient()

    first = api.get(API_CSV)
    again = api.get(API_CSV, HTTP_IF_NONE_MATCH=first["ETag"])
    make_component()
    changed = api.get(API_CSV, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert changed.status_code == 200
    assert len(slugs(changed)) == 2


def test_the_downloads_are_rate_limited_like_the_rest(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    settings.PAGE_RATE = "2/minute"
    api = APIClient()

    api_statuses = [api.get(API_CSV).status_code for _ in range(3)]
    page_statuses = [client.get(page_url()).status_code for _ in range(3)]

    assert api_statuses == [200, 200, 429]
    assert page_statuses == [200, 200, 429]
    limited = api.get(API_CSV)
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0


# Downloads have a limit of their own (EXPORT_RATE per client, EXPORT_TOTAL_RATE
# for all), in hourly windows here so that no test runs across a window's end.


def test_a_client_past_its_downloads_gets_the_429_page(client, settings):
    settings.EXPORT_RATE = "2/hour"
    make_component()

    statuses = [client.get(page_url()).status_code for _ in range(3)]
    limited = client.get(page_url(language="en"))

    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert limited["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in limited["Cache-Control"]
    assert b"<h1>Too many requests</h1>" in limited.content
    assert b"The catalogue has been downloaded many times" in limited.content
    # The other pages, and another client's downloads, are not limited.
    assert client.get(catalogue_url()).status_code == 200
    assert client.get(page_url(), REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_client_past_its_downloads_gets_a_429_problem_from_the_api(settings):
    settings.EXPORT_RATE = "2/hour"
    make_component()
    api = APIClient()

    statuses = [api.get(API_CSV).status_code for _ in range(2)]
    limited = api.get(API_CSV)

    assert statuses == [200, 200]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 3600
    problem = limited.json()
    assert problem["status"] == 429
    assert problem["detail"].startswith("The catalogue has been downloaded many times")
    # The rest of the API answers as before.
    assert api.get("/api/v1/components/").status_code == 200
    assert api.get(API_CSV, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_page_and_the_api_count_the_same_downloads(client, settings):
    settings.EXPORT_RATE = "2/hour"

    assert client.get(page_url()).status_code == 200
    assert APIClient().get(API_CSV).status_code == 200
    assert client.get(page_url()).status_code == 429
    assert APIClient().get(API_CSV).status_code == 429


def test_all_clients_together_have_a_limit(client, settings):
    settings.EXPORT_TOTAL_RATE = "3/hour"

    statuses = [
        client.get(page_url(), REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    assert APIClient().get(API_CSV, REMOTE_ADDR="192.0.2.9").status_code == 429


def test_a_client_past_its_own_limit_does_not_use_up_the_others(client, settings):
    settings.EXPORT_RATE = "1/hour"
    settings.EXPORT_TOTAL_RATE = "2/hour"

    greedy = [client.get(page_url()).status_code for _ in range(5)]
    other = client.get(page_url(), REMOTE_ADDR="192.0.2.7")

    assert greedy == [200, 429, 429, 429, 429]
    assert other.status_code == 200
