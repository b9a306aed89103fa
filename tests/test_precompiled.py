"""A component page's row looked up with SQL compiled once per process."""

import threading

import pytest
from django.db import connection
from django.db.models import F, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.models import Component, LifecycleStatus, LinkKind
from catalogue.search import IsAnyOf
from publishing.models import PublicationState
from reuse_portal.precompiled import PrecompiledLookup, PrecompiledQuery, stand_in
from tests.compilations import record_compilations
from tests.factories import make_component

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return PrecompiledLookup(Component.objects.for_page(), "slug")


@pytest.fixture
def page_compilations(monkeypatch):
    """Each compilation of a page's query (the one with the lists)."""
    return record_compilations(
        monkeypatch, lambda query: "links_rows" in query.annotations
    )


def test_each_lookup_finds_its_own_row_with_its_lists(pages, page_compilations):
    first = make_component(name_nl="Eerste")
    second = make_component(name_nl="Tweede")
    second.links.create(kind=LinkKind.DOCUMENTATION, url="https://example.org/tweede")

    found_first = pages.get(first.slug)
    # Twice, with two stand-ins for the slug: the parameter that differs is
    # the slug's place.
    assert len(page_compilations) == 2
    page_compilations.clear()
    with CaptureQueriesContext(connection) as queries:
        found_second = pages.get(second.slug)

    assert (found_first.pk, found_first.name_nl) == (first.pk, "Eerste")
    assert (found_second.pk, found_second.name_nl) == (second.pk, "Tweede")
    assert [link.url for link in found_second.listed("links")] == [
        "https://example.org/tweede"
    ]
    assert found_first.listed("links") == []
    # The second lookup ran its one query without compiling it again.
    assert len(queries.captured_queries) == 1
    assert page_compilations == []


def test_a_slug_that_is_not_published_is_not_found(pages):
    published = make_component()
    pages.get(published.slug)
    hidden = make_component(publication_state=PublicationState.SUBMITTED)

    with pytest.raises(Component.DoesNotExist):
        pages.get(hidden.slug)
    with pytest.raises(Component.DoesNotExist):
        pages.get("no-such-component")


def test_the_successor_comes_with_the_row(pages):
    successor = make_component(name_nl="Opvolger")
    old = make_component(
        successor=successor, lifecycle_status=LifecycleStatus.DEPRECATED
    )
    pages.get(successor.slug)

    with CaptureQueriesContext(connection) as queries:
        found = pages.get(old.slug).with_successor_from_row()
        assert found.successor.name_nl == "Opvolger"
    assert len(queries.captured_queries) == 1


def test_a_lookup_sends_the_looked_up_value_as_its_one_parameter(pages):
    # The other values are written into the SQL once (psycopg parses a long
    # statement with many parameters again on every execution); the lists
    # still leave out what is not published.
    component = make_component()
    hidden = make_component(publication_state=PublicationState.SUBMITTED)
    component.depends_on.add(hidden)
    pages.get(make_component().slug)
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        found = pages.get(component.slug)

    assert sent == [(component.slug,)]
    assert found.listed("depends_on") == []


def test_a_lookup_finds_no_converters_again(pages, monkeypatch):
    # Django looks for each column's converters on every execution (89
    # expressions here); they were found once with the compiled query.
    component = make_component()
    component.links.create(kind=LinkKind.DOCUMENTATION, url="https://example.org")
    pages.get(make_component().slug)
    searches = []
    get_converters = SQLCompiler.get_converters

    def counted(compiler, expressions):
        searches.append(len(expressions))
        return get_converters(compiler, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counted)

    found = pages.get(component.slug)

    assert searches == []
    # The lists still come through their converters: rows, not JSON text.
    assert [link.url for link in found.listed("links")] == ["https://example.org"]


def test_a_value_with_a_percent_sign_is_written_as_it_is():
    # contains="100%" is the pattern '%100\\%%': its percent signs must reach
    # PostgreSQL as they are, not be read as a parameter's place.
    open_one = make_component(summary_nl="100% open")
    other = make_component(summary_nl="Honderd procent")
    candidates = Component.objects.filter(summary_nl__contains="100%")
    by_slug = PrecompiledLookup(candidates, "slug")

    assert by_slug.get(open_one.slug).summary_nl == "100% open"
    with pytest.raises(Component.DoesNotExist):
        by_slug.get(other.slug)


def test_a_constant_equal_to_a_stand_in_stays_a_constant():
    # The query is compiled with -32,767 in place of the looked-up key: the
    # queryset's own -32,767 must not be taken for it, or each lookup would
    # quietly run another query than the queryset's.
    kept, left_out = make_component(), make_component()
    by_key = PrecompiledLookup(
        Component.objects.exclude(pk=stand_in(int, 0, 0)).exclude(pk=left_out.pk),
        "pk",
    )

    assert by_key.get(kept.pk) == kept
    with pytest.raises(Component.DoesNotExist):
        by_key.get(left_out.pk)


def test_a_query_of_several_values_one_used_twice_gets_each_in_its_places():
    first = make_component(name_nl="Eerste", summary_nl="Een")
    second = make_component(name_nl="Tweede", summary_nl="Eerste")
    third = make_component(name_nl="Derde", summary_nl="Drie")
    named = PrecompiledQuery(
        Component,
        lambda order, ids, name: (
            Component.objects.filter(IsAnyOf(F("pk"), ids))
            .filter(Q(name_nl=name) | Q(summary_nl=name))
            .order_by(order)
            .values_list("slug", flat=True)
        ),
        (list, str),
    )
    everyone = [first.pk, second.pk, third.pk]

    assert list(named.queryset("name_nl", everyone, "Eerste")) == [
        first.slug,
        second.slug,
    ]
    assert list(named.queryset("-name_nl", everyone, "Eerste")) == [
        second.slug,
        first.slug,
    ]
    assert list(named.queryset("name_nl", [third.pk], "Drie")) == [third.slug]
    assert list(named.queryset("name_nl", [third.pk], "Eerste")) == []


def test_a_value_compiled_into_another_or_left_out_is_refused():
    made_into_a_pattern = PrecompiledQuery(
        Component,
        lambda shape, text: Component.objects.filter(name_nl__contains=text),
        (str,),
    )
    left_out = PrecompiledQuery(
        Component, lambda shape, text: Component.objects.all(), (str,)
    )

    with pytest.raises(ValueError, match="made of a value"):
        made_into_a_pattern.queryset(None, "beheer")
    with pytest.raises(ValueError, match="leaves out its values"):
        left_out.queryset(None, "beheer")


def test_each_language_gets_its_own_compiled_query(pages):
    component = make_component(name_nl="Formulier", name_fr="Formulaire")

    for language, name in [("nl", "Formulier"), ("fr", "Formulaire")]:
        with translation.override(language):
            assert pages.get(component.slug).name == name


@pytest.mark.django_db(transaction=True)
def test_another_thread_looks_up_with_its_own_connection(pages):
    # A server's threads share the compiled query, never a connection.
    component = make_component(name_nl="Gedeeld")
    pages.get(component.slug)
    found = []

    def look_up() -> None:
        try:
            found.append(pages.get(component.slug).name_nl)
        finally:
            connection.close()

    thread = threading.Thread(target=look_up)
    thread.start()
    thread.join()

    assert found == ["Gedeeld"]
