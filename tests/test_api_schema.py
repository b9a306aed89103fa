"""The OpenAPI schema: in English whatever the language it is built in, and
describing what every operation shares (sorting, languages, cache validators,
who may call it). Then Schemathesis fuzzes every operation of the live schema
on a real server: no 5xx, and every answer, errors included, as the schema
describes it."""

import json
import os
from collections import defaultdict

import pytest
import schemathesis
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from catalogue.filters import ComponentApiFilter, ComponentFilter
from reuse_portal.schema import PortalSchemaGenerator

SAFE = ("get", "head", "options")
# Needs a token even to read.
TOKEN_ONLY = {("get", "/api/v1/submissions/")}
TOKEN = [{"knoxApiToken": []}]


def build_schema(language: str) -> dict:
    with translation.override(language):
        return PortalSchemaGenerator(api_version="v1").get_schema(
            request=None, public=True
        )


@pytest.fixture(scope="module")
def schema() -> dict:
    return build_schema("nl")


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def parameters(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_the_schema_is_in_english_whatever_the_active_language(schema):
    text = json.dumps(schema)

    assert build_schema("fr") == build_schema("en") == schema
    listing = parameters(schema["paths"]["/api/v1/components/"]["get"])
    assert listing["q"]["description"] == "Search"
    assert listing["kind"]["description"].startswith("Kind\n\n* `api` - API")
    assert listing["provider"]["description"].startswith("Provider: a slug")
    assert "Software component" in text
    for dutch in ("Zoeken", "Softwarecomponent", "Levenscyclus", "Sorteren"):
        assert dutch not in text


@pytest.mark.django_db
def test_the_schema_endpoint_serves_it_in_english(client, schema):
    response = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert json.loads(response.content)["paths"] == schema["paths"]


def test_sort_is_the_lists_parameter_and_ordering_a_deprecated_alias(schema):
    components = parameters(schema["paths"]["/api/v1/components/"]["get"])
    events = parameters(schema["paths"]["/api/v1/events/"]["get"])

    assert components["sort"]["schema"]["enum"] == sorted(
        value for value, _label in ComponentFilter.SORT_CHOICES
    )
    assert not components["sort"].get("deprecated")
    assert components["ordering"]["deprecated"] is True
    assert set(components["ordering"]["schema"]["enum"]) == set(
        ComponentApiFilter.ORDERING_ALIASES
    )
    assert "`-updated_at` is `sort=newest`" in components["ordering"]["description"]
    assert events["sort"]["schema"]["enum"] == ["newest", "oldest"]
    assert events["ordering"]["deprecated"] is True
    deprecated = [
        (method, path, name)
        for method, path, operation in operations(schema)
        for name, parameter in parameters(operation).items()
        if parameter.get("deprecated")
    ]
    assert {name for _method, _path, name in deprecated} == {"ordering"}


def test_the_component_reads_document_include_translations(schema):
    for path in ("/api/v1/components/", "/api/v1/components/{slug}/"):
        include = parameters(schema["paths"][path]["get"])["include"]

        assert include["schema"]["enum"] == ["translations"]
        assert include["in"] == "query"


def test_every_read_documents_its_etag_and_the_304(schema):
    reads = [(path, op) for method, path, op in operations(schema) if method == "get"]

    assert len(reads) >= 17
    for path, operation in reads:
        assert parameters(operation)["If-None-Match"]["in"] == "header", path
        assert operation["responses"]["200"]["headers"]["ETag"]["required"], path
        assert "ETag" in operation["responses"]["304"]["headers"], path
        assert "content" not in operation["responses"]["304"], path
    for method, path, operation in operations(schema):
        if method != "get":
            assert "304" not in operation["responses"], (method, path)
            assert "If-None-Match" not in parameters(operation), (method, path)


def test_what_anyone_may_read_carries_no_lock(schema):
    for method, path, operation in operations(schema):
        if method in SAFE and (method, path) not in TOKEN_ONLY:
            # The empty requirement alone: Swagger UI shows no lock.
            assert operation["security"] == [{}], (method, path)
        else:
            assert operation["security"] == TOKEN, (method, path)
    assert "knoxApiToken" in schema["components"]["securitySchemes"]


# More for a deeper run: SCHEMA_FUZZ_EXAMPLES=500 make test
EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "25"))
# A schema cannot say how many pages a list has: ?page=999 is schema-valid,
# yet the API rightly answers it with a 400 naming `page`.
NOT_CHECKED = [positive_data_acceptance]


def fuzz(operation, headers: dict[str, str], statuses: set[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
    )
    def conforms(case):
        response = case.call_and_validate(headers=headers, excluded_checks=NOT_CHECKED)
        statuses.add(response.status_code)

    conforms()


def test_every_operation_conforms_to_the_schema(portal_url, supplier_token):
    schema = schemathesis.openapi.from_url(f"{portal_url}/api/v1/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: dict[str, set[int]] = defaultdict(set)
    failures = {}
    for operation in operations:
        # Reads as anyone; writes as a supplier, so that they get past the 401.
        headers = {}
        if operation.method.upper() in ("POST", "PATCH"):
            headers["Authorization"] = f"Token {supplier_token}"
        try:
            fuzz(operation, headers, statuses[operation.label])
        except (Exception, BaseExceptionGroup) as failure:  # reported below
            failures[operation.label] = str(failure)[:3000]

    assert len(operations) >= 17
    assert not failures, "\n\n".join(
        f"{label}: {text}" for label, text in failures.items()
    )
    # The writes were exercised behind authentication, not stopped at the door.
    for write in ("POST /api/v1/components/", "PATCH /api/v1/components/{slug}/"):
        assert statuses[write] - {401}, (write, statuses[write])
