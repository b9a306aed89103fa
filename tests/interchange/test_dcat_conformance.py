"""The DCAT-AP graph against the official DCAT-AP 3.0.1 SHACL shapes and the
ADMS-AP validator's rules, read from STANDARDS_DIR (never copied here)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from catalogue.models import ComponentKind, ComponentLink, LifecycleStatus, LinkKind
from tests.factories import make_component, make_provider

pytestmark = [pytest.mark.django_db, pytest.mark.conformance]

STANDARDS_DIR = Path(
    os.environ.get("STANDARDS_DIR", settings.BASE_DIR.parent / "shared/data/standards")
)
SHAPES = STANDARDS_DIR / "dcat-ap-3.0.1-SHACL.ttl"
ADMS_AP_RULES = STANDARDS_DIR / "adms-ap-validator-rules.rq"


def standard(path: Path) -> Path:
    if not path.exists():
        pytest.skip(
            f"{path.name} is not in STANDARDS_DIR ({STANDARDS_DIR}): set STANDARDS_DIR "
            "to the folder of the official validators to run conformance tests."
        )
    return path


def catalogue_graph() -> Graph:
    cache.clear()
    response = Client().get("/api/v1/catalogue.ttl")
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle")


def shacl_report(graph: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    shapes = Graph().parse(standard(SHAPES), format="turtle")
    # The 3.0.1 release names two property shapes of dcat:DataServiceShape
    # that it never defines (SEMICeu/DCAT-AP issue 448); SHACL engines refuse
    # the whole file. Only those two dangling references are dropped.
    for node_shape, property_shape in list(shapes.subject_objects(SH.property)):
        if (property_shape, None, None) not in shapes:
            shapes.remove((node_shape, SH.property, property_shape))
    # The graph types every node a shape constrains by class: no inference.
    conforms, _report, text = validate(
        graph, shacl_graph=shapes, inference="none", abort_on_first=False
    )
    return conforms, text


def adms_ap_errors(graph: Graph) -> list[str]:
    """The rules run on a named graph, as Joinup's validator loads it."""
    name = URIRef("urn:x-reuse:catalogue")
    dataset = Dataset()
    named = dataset.graph(name)
    for triple in graph:
        named.add(triple)
    rules = standard(ADMS_AP_RULES).read_text()
    rows = dataset.query(rules.replace("<@@@TOKEN-GRAPH@@@>", f"<{name}>"))
    return [
        f"{row.Rule_ID}: {row.Message}"
        for row in rows
        if str(row.Rule_Severity) == "error"
    ]


@pytest.fixture(scope="module")
def fixture_graph(seeded_catalogue, django_db_blocker) -> Graph:
    """The real catalogue's graph, built once: validating it takes seconds."""
    with django_db_blocker.unblock():
        return catalogue_graph()


def test_the_fixture_catalogue_has_no_dcat_ap_violation(db, fixture_graph):
    conforms, text = shacl_report(fixture_graph)
    assert conforms, text


def test_the_fixture_catalogue_has_no_adms_ap_error(db, fixture_graph):
    assert adms_ap_errors(fixture_graph) == []


def test_a_fully_described_catalogue_has_no_violation():
    """What the fixtures do not use yet: licences (SPDX and the portal's
    own), languages, support contacts, API descriptions, a successor."""
    provider = make_provider(contact_email="info@example.be")
    successor = make_component(kind=ComponentKind.COMPONENT, licence="Apache-2.0")
    make_component(
        kind=ComponentKind.PLATFORM,
        lifecycle_status=LifecycleStatus.DEPRECATED,
        successor=successor,
        licence="LicenseRef-proprietary",
        languages=["nl", "fr", "de", "en"],
        support_name="Helpdesk",
        support_email="helpdesk@example.be",
        support_phone="+32 2 000 00 00",
        provider=provider,
    ).depends_on.add(successor)
    api = make_component(kind=ComponentKind.API, licence="EUPL-1.2", provider=None)
    for kind, url in [
        (LinkKind.WEBSITE, "https://api.example.be/"),
        (LinkKind.API_SPECIFICATION, "https://api.example.be/openapi.json"),
        (LinkKind.DOCUMENTATION, "https://docs.example.be/"),
    ]:
        ComponentLink.objects.create(component=api, kind=kind, url=url)
    graph = catalogue_graph()
    conforms, text = shacl_report(graph)
    assert conforms, text
    assert adms_ap_errors(graph) == []
