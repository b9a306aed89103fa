"""The public pages: what they show, what they hide, and at what cost."""

import pickle
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from catalogue import models as catalogue_models
from catalogue import views as catalogue_views
from catalogue.filters import FACET_VALUES_SHOWN, ComponentFilter, RelatedValues
from catalogue.models import (
    CollaborationModel,
    Component,
    ComponentKind,
    ComponentOrganisation,
    LinkKind,
    OrganisationRole,
    Provider,
    PublicationState,
    ReuseCase,
)
from networks.models import Membership
from reuse_portal import page_cache, pagination
from tests.compilations import record_compilations
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
    make_user,
)

pytestmark = pytest.mark.django_db

HIDDEN = [state for state in PublicationState if state != PublicationState.PUBLISHED]


def url(name: str, *args, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def shown_slugs(response) -> list[str]:
    return [component.slug for component in response.context["page_obj"].object_list]


@pytest.mark.parametrize("rows", [1, 25])
def test_the_catalogue_page_makes_a_fixed_number_of_queries(
    client, django_assert_num_queries, rows
):
    block = make_building_block()
    for _ in range(rows):
        make_component(building_block=block)

    # First visit after a change: the counts of the six single-valued
    # facets in one query and the networks' in another; the labels of the
    # five facets whose values live in tables, in one query read once per
    # change whatever the filters; the page of components with provider,
    # reuse counts. The number of results is the sum of a facet's counts.
    with django_assert_num_queries(4):
        client.get(url("catalogue:component-list"))

    # The same page in another language: its page alone. The counts and the
    # facets' values (their names in every language) are kept once for all.
    with django_assert_num_queries(1):
        client.get(url("catalogue:component-list", language="fr"))

    # Another choice of filters: its counts (the facets nobody chose in one
    # query, the chosen kind and the networks each in their own) and its
    # page.
    with django_assert_num_queries(4):
        client.get(url("catalogue:component-list"), {"kind": "api"})

    # A new search: the lookup that understands its words (and the
    # compounds they could form) and stems them, all known (then kept a
    # minute in the process, for every page and filter of that search); its
    # candidates, which also count its matches and read their facets'
    # values, through indexes (the planner told so before, and reset after,
    # in this test's transaction); its page. The facets are counted from the
    # candidates' values, with no query. Only the candidates' query matches
    # the words: the page reads the candidates by primary key.
    with django_assert_num_queries(5) as searching:
        client.get(url("catalogue:component-list"), {"q": "component"})
    matching = [
        query["sql"]
        for query in searching.captured_queries
        if '"search_vector" @@' in query["sql"]
    ]
    assert len(matching) == 1
    components_read = [
        query["sql"]
        for query in searching.captured_queries
        if 'FROM "catalogue_component"' in query["sql"]
    ]
    assert len(components_read) == 2

    # Then, until the catalogue changes, the counts and the rendered results
    # come from the cache.
    with django_assert_num_queries(0):
        response = client.get(url("catalogue:component-list"))

    assert response.status_code == 200
    assert len(shown_slugs(response)) == min(rows, 20)


def test_what_every_view_of_the_page_reads_does_not_grow_with_the_providers(client):
    # The page shows a facet's most frequent values: the counts it reads at
    # each view leave out the others (100,000 components have thousands of
    # providers), which only the API's facets list needs.
    read_sizes = []
    for providers in (FACET_VALUES_SHOWN, FACET_VALUES_SHOWN * 5):
        while Component.objects.count() < providers:
            make_component(provider=make_provider())
        cache.clear()
        page_cache.forget_local_copies()
        client.get(url("catalogue:component-list"))
        (size,) = (
            len(pickled)
            for key, pickled in page_cache.local_copies._cache.items()
            if ":catalogue-counts:" in key
        )
        read_sizes.append(size)

    assert read_sizes[1] < read_sizes[0] * 1.1
    facets = client.get("/api/v1/components/facets/").json()
    (provider_facet,) = (facet for facet in facets if facet["name"] == "provider")
    assert len(provider_facet["options"]) == FACET_VALUES_SHOWN * 5


def test_the_kept_results_follow_every_change_for_signed_in_visitors(client):
    # Signed-in visitors get no cached page, but the page's results are kept
    # for everyone until the catalogue changes: a publication shows at once,
    # and a component taken back disappears at once.
    client.force_login(make_user())
    first = make_component()
    page = client.get(url("catalogue:component-list")).content.decode()
    assert first.get_absolute_url() in page

    second = make_component()
    page = client.get(url("catalogue:component-list")).content.decode()
    assert second.get_absolute_url() in page

    first.publication_state = HIDDEN[0]
    first.save()
    page = client.get(url("catalogue:component-list")).content.decode()
    assert first.get_absolute_url() not in page
    assert second.get_absolute_url() in page


@pytest.mark.parametrize("rows", [1, 25])
def test_the_component_page_makes_a_fixed_number_of_queries(
    client, django_assert_num_queries, rows
):
    component = make_component(
        lifecycle_status="deprecated", successor=make_component(name_nl="Opvolger")
    )
    network = make_network()
    reusing = []
    for _ in range(rows):
        other = make_component()
        component.depends_on.add(other)
        other.depends_on.add(component)
        component.tags.create(
            slug=f"tag-{other.pk}", name_nl="t", name_fr="t", name_en="t"
        )
        component.links.create(
            kind=LinkKind.DOCUMENTATION, url=f"https://{other.slug}.example/"
        )
        ComponentOrganisation.objects.create(
            component=component,
            organisation=other.provider,
            role=OrganisationRole.OWNER,
        )
        reusing += [make_provider(), make_provider()]
        make_reuse_case(components=[component], organisations=reusing[-2:])
        network.components.add(component)

    # Whether a current rendering is stored (none is yet); the component with
    # provider, block, domain, collaboration model, reuse count, successor
    # and every list its page shows; the rendering stored (in a savepoint,
    # since a failed write must not end the request's transaction).
    with django_assert_num_queries(5):
        response = client.get(component.get_absolute_url())

    assert response.status_code == 200
    assert "Opvolger" in response.content.decode()
    listed = [rows, 1, rows, rows, rows, rows, rows]
    assert [len(response.context[name]) for name in Component.LISTED] == listed
    page = response.content.decode()
    # Each reuse case with both its organisations, linked.
    assert all(f'href="{reuser.get_absolute_url()}"' in page for reuser in reusing)

    # A process that has kept nothing of it reads the stored rendering.
    page_cache.forget_local_copies()
    with django_assert_num_queries(1):
        stored = client.get(component.get_absolute_url())
    assert article(stored) == article(response)

    # Then, until the catalogue changes, the component and its content come
    # from the cache, also for signed-in visitors (whose pages are not cached).
    client.force_login(make_user())
    with django_assert_num_queries(1):  # the user (the session is in the cache)
        again = client.get(component.get_absolute_url())
    assert article(again) == article(response)
    assert article(again).count('href="https://component-') == rows


@pytest.mark.parametrize("representation", ["page", "api"])
def test_a_component_is_read_without_the_columns_only_search_reads(
    client, representation
):
    # The search document is some 3 KB a row, stored out of line: reading it
    # with the row cost 50-70 µs of a page's 1.1 ms at 100,000 components.
    component = make_component()
    address = {
        "page": component.get_absolute_url(),
        "api": f"/api/v1/components/{component.slug}/",
    }[representation]

    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200

    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"catalogue_component"."slug"' in statements
    search_only = ("search_vector", "names_text", "related_terms")
    assert [column for column in search_only if f'"{column}"' in statements] == []


def test_cards_and_facets_show_markup_in_names_as_text(client):
    # Both are written without format_html() (catalogue/templatetags/portal.py).
    make_component(
        name_en='<img src=x onerror="alert(1)">',
        summary_en="Fast & <b>cheap</b>",
        provider=make_provider(name_en="<i>Agency</i>"),
    )

    page = client.get("/en/catalogue/").text

    assert "<img src=x" not in page
    assert "<b>cheap" not in page
    assert "<i>Agency" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "Fast &amp; &lt;b&gt;cheap&lt;/b&gt;" in page
    # In the card's provider link and in the provider facet's label.
    assert page.count("&lt;i&gt;Agency&lt;/i&gt;") == 2


def test_a_facet_says_what_is_chosen_and_how_many_values_it_leaves_out(client):
    # Written by a tag, not a template loop (catalogue/templatetags/portal.py).
    chosen = [
        make_provider(slug="first", name_en="<i>Agency</i>", acronym_en="AGY"),
        make_provider(slug="second", name_en="Bureau & Co", acronym_en="B&C"),
    ]
    for provider in chosen * 2:
        make_component(provider=provider)
    for _ in range(FACET_VALUES_SHOWN + 2):
        make_component(provider=make_provider())

    page = BeautifulSoup(
        client.get("/en/catalogue/?provider=first&provider=second").text,
        "html.parser",
    )

    summary = page.select_one(".facets-panel summary").get_text(" ", strip=True)
    assert summary == "Filter · Provider: <i>Agency</i> (AGY), Bureau & Co (B&C)"
    fieldset = page.select_one("#facet-provider")
    assert fieldset.legend.get_text(" ", strip=True) == "Provider (2 chosen)"
    # 19 providers with components: the 15 with most are listed.
    assert len(fieldset.select("input[type=checkbox]")) == FACET_VALUES_SHOWN
    assert len(fieldset.select("input[checked]")) == 2
    assert fieldset.select_one(".hint").get_text() == (
        "and 4 more: search for them by name"
    )


def test_a_chosen_value_listed_past_the_first_ones_is_not_counted_as_left_out(
    client,
):
    chosen = make_provider(slug="chosen")
    make_component(provider=chosen)
    for _ in range(FACET_VALUES_SHOWN + 2):
        provider = make_provider()
        make_component(provider=provider)
        make_component(provider=provider)

    page = BeautifulSoup(
        client.get("/en/catalogue/?provider=chosen").text, "html.parser"
    )

    # 18 providers with components: the 15 with most, and the one chosen.
    fieldset = page.select_one("#facet-provider")
    assert len(fieldset.select("input[type=checkbox]")) == FACET_VALUES_SHOWN + 1
    assert fieldset.select_one("input[checked]")["value"] == "chosen"
    assert fieldset.select_one(".hint").get_text() == (
        "and 2 more: search for them by name"
    )


@pytest.mark.parametrize("query", ["", "?q=archive"])
def test_the_catalogue_reads_only_what_its_cards_show(client, query):
    # Whole rows, with the provider's descriptions and contacts, took a
    # fifth more of the worker's time to read at 100,000 components.
    make_component(
        name_en="Archive",
        provider=make_provider(description_en="A long story"),
        support_email="help@example.org",
    )

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/catalogue/{query}")

    assert 'href="/en/providers/' in response.text
    (cards,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "catalogue_component"."id"')
        and "LEFT OUTER JOIN" in query["sql"]
    ]
    selected = cards.split(" FROM ")[0]
    unshown = ("description", "contact_email", "support_email", "licence")
    assert [column for column in unshown if f'."{column}' in selected] == []


def test_what_is_kept_of_a_component_page_holds_no_model_instance(client):
    component = make_component()
    make_reuse_case(components=[component])
    first = client.get(component.get_absolute_url())

    key = f"component-page:nl:/:{component.slug}:{page_cache.catalogue_stamp()}"
    kept = pickle.dumps(page_cache.local_copies.get(key))

    # Plain text: a second reader unpickles no component with its related
    # rows (24 KB for a generated one).
    assert b"catalogue.models" not in kept
    assert b"django.db.models" not in kept
    assert len(kept) < len(first.content)


def article(response) -> str:
    """The component page's own content, without the site's header and footer."""
    page = response.content.decode()
    return page.split('<article class="component">')[1].split("</article>")[0]


def test_only_its_own_organisation_is_offered_to_change_a_component(client):
    component = make_component()
    edit = url("catalogue:component-edit", component.slug)
    declare = url("impact:declaration-create", component.slug)
    assert declare in client.get(component.get_absolute_url()).content.decode()

    client.force_login(make_user(organisation=component.provider))
    own = client.get(component.get_absolute_url()).content.decode()
    client.force_login(make_user(organisation=make_provider()))
    other = client.get(component.get_absolute_url()).content.decode()

    assert edit in own
    assert declare not in own
    assert declare in other
    assert edit not in other


def test_a_component_page_follows_every_change_for_signed_in_visitors(client):
    client.force_login(make_user())
    component = make_component()
    assert client.get(component.get_absolute_url()).status_code == 200

    component.name_nl = "Nieuwe naam"
    component.save()
    assert "Nieuwe naam" in client.get(component.get_absolute_url()).content.decode()

    component.publication_state = HIDDEN[0]
    component.save()
    assert client.get(component.get_absolute_url()).status_code == 404


def test_the_component_page_names_its_lists_in_the_page_s_language(client):
    component = make_component()
    other = make_component(name_nl="Andere", name_fr="Autre", name_en="Other")
    component.depends_on.add(other)
    component.tags.create(slug="t", name_nl="etiket", name_fr="étiquette", name_en="")
    make_network(name_nl="Netwerk", name_fr="Réseau", name_en="Network").components.add(
        component
    )

    page = client.get(url("catalogue:component-detail", component.slug, language="fr"))

    text = page.content.decode()
    assert all(name in text for name in ("Autre", "étiquette", "Réseau"))
    assert f'href="/fr/service/{other.slug}/"' in text


@pytest.mark.parametrize("rows", [1, 25])
def test_provider_and_network_pages_make_a_fixed_number_of_queries(
    client, django_assert_num_queries, rows
):
    provider = make_provider()
    network = make_network(coordinator=provider)
    for _ in range(rows):
        component = make_component(provider=provider)
        make_reuse_case(organisations=[provider])
        network.components.add(component)
        Membership.objects.create(network=network, organisation=make_provider())
        make_event(network=network)

    # provider; its parts in components; its reuse cases, their
    # organisations and components.
    with django_assert_num_queries(5):
        assert client.get(provider.get_absolute_url()).status_code == 200
    # network with domain and coordinator; components; memberships; upcoming
    # and past events.
    with django_assert_num_queries(5):
        assert client.get(network.get_absolute_url()).status_code == 200
    # the providers' order, then a page of them with counts; networks with
    # counts; building blocks with their counts and first components.
    for name, queries in [
        ("catalogue:provider-list", 2),
        ("networks:network-list", 1),
        ("catalogue:buildingblock-list", 1),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200


def named_links(response, prefix: str) -> list[str]:
    """The addresses of the links of the page that start with `prefix`."""
    html = response.content.decode()
    return re.findall(rf'href="({re.escape(prefix)}[^"]*)"', html)


@pytest.mark.parametrize(
    ("page", "filter_name", "make_group", "link"),
    [
        (
            "catalogue:buildingblock-list",
            "building_block",
            make_building_block,
            "building_block",
        ),
        (
            "catalogue:collaborationmodel-list",
            "collaboration_model",
            lambda: CollaborationModel.objects.create(
                slug="co-financed", name_nl="Cofinanciering", definition_nl="Samen."
            ),
            "collaboration_model",
        ),
    ],
)
def test_a_large_group_names_its_first_components_and_links_to_all_of_them(
    client, page, filter_name, make_group, link
):
    group = make_group()
    shown = catalogue_views.COMPONENTS_NAMED_PER_GROUP
    slugs = [f"member-{n:02}" for n in range(shown + 3)]
    for slug in reversed(slugs):
        make_component(slug=slug, **{link: group})
    make_component(
        slug="member-00-draft",
        publication_state=PublicationState.DRAFT,
        **{link: group},
    )

    response = client.get(url(page))

    named = [
        address.strip("/").rsplit("/", 1)[-1]
        for address in named_links(response, "/nl/service/")
    ]
    assert named == slugs[:shown]
    catalogue = f"{url('catalogue:component-list')}?{filter_name}={group.slug}"
    every_one = f"All {shown + 3} components"
    html = response.content.decode()
    assert catalogue in named_links(response, url("catalogue:component-list"))
    english = client.get(url(page, language="en")).content.decode()
    assert every_one in english
    assert "member-00-draft" not in html


def test_a_small_group_names_all_its_components_and_no_link_to_more(client):
    block = make_building_block()
    make_component(slug="only-one", building_block=block)

    response = client.get(url("catalogue:buildingblock-list", language="en"))

    assert named_links(response, "/en/service/") == ["/en/service/only-one/"]
    assert "All 1 components" not in response.content.decode()


def test_the_providers_page_lists_them_by_name_a_page_at_a_time_with_their_counts(
    client, django_assert_num_queries
):
    view = catalogue_views.ProviderListView
    per_page = view.paginate_by
    # One more than a last page of orphans would join the page before.
    number = per_page + view.paginate_orphans + 1
    providers = [make_provider(name_nl=f"Organisatie {n:03}") for n in range(number)]
    for provider in providers:
        ComponentOrganisation.objects.create(
            component=make_component(),
            organisation=provider,
            role=OrganisationRole.OWNER,
        )
    last = providers[-1]
    shared = make_component()
    for role in (OrganisationRole.OWNER, OrganisationRole.DEVELOPER):
        ComponentOrganisation.objects.create(
            component=shared, organisation=last, role=role
        )
    make_reuse_case(organisations=[last])
    make_reuse_case(organisations=[last], organisation_public=False)
    make_reuse_case(organisations=[last], publication_state=PublicationState.DRAFT)
    unlisted = make_provider(name_nl="Zonder onderdelen")

    first = client.get(url("catalogue:provider-list"))
    listed = list(first.context["provider_list"])
    assert [p.name_nl for p in listed] == [p.name_nl for p in providers[:per_page]]
    [next_page] = re.findall(r'href="([^"]*)" rel="next"', first.content.decode())
    # Any page, once the order is read, is one query.
    with django_assert_num_queries(1):
        second = client.get(
            url("catalogue:provider-list") + next_page.replace("&amp;", "&")
        )
    rest = second.context["provider_list"]
    assert [p.pk for p in rest] == [p.pk for p in providers[per_page:]]
    shown = rest[-1]
    # Two roles in one component count it once; only the published case
    # that may name it counts.
    assert (shown.published_component_count, shown.reuse_count) == (2, 1)
    assert unlisted.name_nl not in first.content.decode() + second.content.decode()


def test_the_providers_page_follows_a_change_of_the_content(client):
    listed = make_provider(name_nl="Eerst")
    ComponentOrganisation.objects.create(
        component=make_component(), organisation=listed, role=OrganisationRole.OWNER
    )
    assert "Later" not in client.get(url("catalogue:provider-list")).content.decode()

    later = make_provider(name_nl="Later")
    make_reuse_case(organisations=[later])

    assert "Later" in client.get(url("catalogue:provider-list")).content.decode()


def test_the_directory_tests_each_organisation_on_its_own(client):
    for _ in range(3):
        component = make_component()
        ComponentOrganisation.objects.create(
            component=component,
            organisation=component.provider,
            role=OrganisationRole.OWNER,
        )
    make_reuse_case(organisations=[make_provider()])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("catalogue:provider-list")).status_code == 200
    (listing,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "catalogue_provider"."id"')
        and "EXISTS(" in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {listing.replace('%', '%%')}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # Not every role in a published component and every public reuse read
    # into a hash first: 55 ms at 100,000 components, where each
    # organisation's first role answers for it in 7 ms in all.
    assert "SubPlan" in plan, plan
    assert "hashed" not in plan, plan


def test_the_reuse_cases_page_lists_them_a_page_at_a_time(client):
    view = catalogue_views.ReuseCaseListView
    per_page, orphans = view.paginate_by, view.paginate_orphans
    cases = [make_reuse_case(year=2000 + n) for n in range(per_page + orphans)]
    # A few more than a page: on one page, without a next one.
    alone = client.get(url("catalogue:reuse-case-list"))
    assert len(alone.context["reusecase_list"]) == per_page + orphans
    assert 'rel="next"' not in alone.content.decode()
    cases.insert(0, make_reuse_case(year=1999))

    first = client.get(url("catalogue:reuse-case-list"))
    [next_page] = re.findall(r'href="([^"]*)" rel="next"', first.content.decode())
    second = client.get(
        url("catalogue:reuse-case-list") + next_page.replace("&amp;", "&")
    )

    assert len(first.context["reusecase_list"]) == per_page
    # Newest year first: the oldest are on the second page.
    oldest_first = [case.pk for case in second.context["reusecase_list"]][::-1]
    assert oldest_first == [case.pk for case in cases[: orphans + 1]]


@pytest.mark.parametrize("state", HIDDEN)
def test_unpublished_components_appear_nowhere(client, state):
    provider = make_provider()
    public = make_component(provider=provider, slug="public")
    hidden = make_component(
        provider=provider, slug="hidden", publication_state=state, name_nl="Verborgen"
    )
    public.depends_on.add(hidden)
    hidden.depends_on.add(public)
    network = make_network()
    network.components.add(public, hidden)
    make_reuse_case(components=[hidden])

    listing = client.get(url("catalogue:component-list"))
    assert shown_slugs(listing) == ["public"]
    kinds = {f.name: f for f in listing.context["facets"]}["kind"]
    assert sum(option.count for option in kinds.options) == 1
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for page in [
        public.get_absolute_url(),
        provider.get_absolute_url(),
        network.get_absolute_url(),
        url("catalogue:buildingblock-list"),
        url("catalogue:home"),
        url("catalogue:reuse-case-list"),
        ReuseCase.objects.get().get_absolute_url(),
    ]:
        response = client.get(page)
        assert response.status_code == 200
        assert "Verborgen" not in response.content.decode(), page
    case = client.get(url("catalogue:reuse-case-list")).context["reusecase_list"][0]
    assert case.published_component_count == 0
    searched = client.get(url("catalogue:component-list"), {"q": "Verborgen"})
    assert shown_slugs(searched) == []


def test_an_unpublished_network_is_not_shown(client):
    network = make_network(publication_state=PublicationState.DRAFT)

    assert client.get(network.get_absolute_url()).status_code == 404
    assert (
        network.name_nl not in client.get(url("networks:network-list")).content.decode()
    )


def test_several_values_of_a_facet_widen_and_counts_follow_the_other_facets(client):
    api = make_component(kind=ComponentKind.API, slug="an-api")
    make_component(kind=ComponentKind.SERVICE, slug="a-service")
    make_component(kind=ComponentKind.PLATFORM, slug="a-platform", domain=api.domain)

    both = client.get(url("catalogue:component-list"), {"kind": ["api", "service"]})
    assert sorted(shown_slugs(both)) == ["a-service", "an-api"]

    narrowed = client.get(url("catalogue:component-list"), {"domain": api.domain.slug})
    kinds = {
        o.value: o.count
        for o in {f.name: f for f in narrowed.context["facets"]}["kind"].options
    }
    assert kinds == {"api": 1, "platform": 1}


def test_a_search_lists_its_results_in_the_order_of_each_sort_page_after_page(
    client,
):
    # Each sort and page of a search that nothing else filters is read by a
    # query compiled once for it (SEARCH_PAGES): its pages must be the
    # search's own, whichever sort and page was compiled first.
    for n in range(25):
        make_component(
            name_nl=f"Procesbeheer {(n * 7) % 25:02}" if n % 3 else f"Taak {n:02}",
            description_nl="" if n % 3 else "Over procesbeheer.",
            published_at=timezone.now() - timedelta(days=(n * 11) % 25),
        )
        Component.objects.filter(name_nl__endswith=f"{n:02}").update(
            reuse_count=(n * 3) % 5
        )
    make_component(name_nl="Iets anders")

    for sort in ["", "name", "newest", "most_reused", "relevance", ""]:
        expected = list(
            ComponentFilter(
                data={"q": "procesbeheer", "sort": sort},
                queryset=Component.objects.for_cards(),
            ).qs.values_list("slug", flat=True)
        )
        listed = []
        for page in (1, 2):
            response = client.get(
                url("catalogue:component-list"),
                {"q": "procesbeheer", "sort": sort, "page": page},
            )
            listed += shown_slugs(response)

        assert len(expected) == 25
        assert listed == expected, sort
        if sort == "name":
            names = [Component.objects.get(slug=slug).name_nl for slug in listed]
            assert names == sorted(names, key=str.lower)


@pytest.mark.parametrize(
    ("first", "then"),
    [("procesbeheer", "proces"), ("procesbeher", "procesbehear")],  # typos too
)
def test_a_new_search_compiles_no_query_of_the_components(
    client, monkeypatch, first, then
):
    # Its candidates' query and its page's are compiled once per process,
    # for each shape: with one word the catalogue never uses, names are
    # compared too. The facets are counted from the candidates.
    for n in range(3):
        make_component(name_nl=f"Procesbeheer {n}")
    compiled = record_compilations(monkeypatch, lambda query: query.model is Component)
    client.get(url("catalogue:component-list"), {"q": first, "sort": "name"})
    compiled.clear()

    response = client.get(url("catalogue:component-list"), {"q": then, "sort": "name"})

    assert compiled == []
    assert [c.name_nl for c in response.context["page_obj"].object_list] == [
        "Procesbeheer 0",
        "Procesbeheer 1",
        "Procesbeheer 2",
    ]


def test_a_facet_value_is_labelled_once_per_language_until_the_catalogue_changes(
    client, monkeypatch
):
    provider = make_provider(name_nl="Stad Gent", name_fr="Ville de Gand")
    provider.acronym_nl = provider.acronym_fr = provider.acronym_en = ""
    provider.save()
    make_component(provider=provider)
    made = []
    instance = RelatedValues.instance

    def counted(values, row):
        if values.model is Provider:
            made.append(row)
        return instance(values, row)

    monkeypatch.setattr(RelatedValues, "instance", counted)

    def provider_labels(language: str, query: dict) -> list[str]:
        response = client.get(url("catalogue:component-list", language=language), query)
        facets = {facet.name: facet for facet in response.context["facets"]}
        return [option.label for option in facets["provider"].options]

    # Other filters, counted anew, with the same labels.
    assert provider_labels("nl", {}) == ["Stad Gent"]
    assert provider_labels("nl", {"kind": "api"}) == ["Stad Gent"]
    assert provider_labels("nl", {"status": "available"}) == ["Stad Gent"]
    assert provider_labels("fr", {"kind": "api"}) == ["Ville de Gand"]
    labelled_before = len(made)
    Provider.objects.filter(pk=provider.pk).update(name_nl="Gent")
    page_cache.new_stamp()  # as a save of the provider would
    assert provider_labels("nl", {}) == ["Gent"]

    # Once in each language, then once more after the change.
    assert labelled_before == 2
    assert len(made) == 3


def test_a_card_shows_what_a_component_is_and_who_offers_it(client):
    provider = make_provider(name_nl="Stad <Gent>")
    offered = make_component(
        name_nl="Formulieren & co",
        acronym="FRM",
        summary_nl="Formulieren invullen.",
        summary_fr="",
        provider=provider,
        kind=ComponentKind.SERVICE,
    )
    # As the reuse cases would store it (catalogue/reuse_counts.py).
    Component.objects.filter(pk=offered.pk).update(reuse_count=3)
    make_component(name_nl="Wees", acronym="Wees", provider=None)

    def cards(language: str) -> dict:
        response = client.get(url("catalogue:component-list", language=language))
        page = BeautifulSoup(response.content.decode(), "html.parser")
        return {
            card.select_one(".card-title a").get_text(): card
            for card in page.select(".results .card")
        }

    dutch, french = cards("nl"), cards("fr")
    card = dutch["Formulieren & co"]
    with translation.override("nl"):
        kind = offered.get_kind_display()
        status = offered.get_lifecycle_status_display()
        addresses = offered.get_absolute_url(), provider.get_absolute_url()

    assert card.select_one(".card-title a")["href"] == addresses[0]
    assert card.select_one(".acronym").get_text() == "(FRM)"
    assert card.select_one(".badge").get_text() == kind
    assert card.select_one(f".status-{offered.lifecycle_status}").get_text() == status
    assert "Formulieren invullen." in card.get_text()
    assert not card.select(".untranslated")
    provider_link = card.select_one(".card-facts a")
    assert provider_link["href"] == addresses[1]
    assert provider_link.get_text() == "Stad <Gent>"
    assert card.select(".card-facts dd")[1].get_text() == "3"
    # An acronym that the name holds is not repeated; no provider is said so.
    orphan = dutch["Wees"]
    assert not orphan.select(".acronym")
    assert orphan.select_one(".card-facts em").get_text() == "Nog niet bevestigd"
    # The summary shown in another language says so.
    (in_french,) = [
        card
        for card in french.values()
        if card.select_one(".card-title a")["href"].endswith(f"/{offered.slug}/")
    ]
    assert in_french.select(".untranslated")


def test_facet_counts_follow_the_search(client):
    make_component(name_nl="Procesbeheer", kind=ComponentKind.COMPONENT)
    make_component(name_nl="Taakbeheer", kind=ComponentKind.API)

    response = client.get(url("catalogue:component-list"), {"q": "procesbeheer"})

    kinds = {f.name: f for f in response.context["facets"]}["kind"]
    assert [(o.value, o.count) for o in kinds.options] == [("component", 1)]


def test_a_searchs_facet_counts_count_each_network_of_a_component_once(client):
    first, second = make_network(), make_network()
    in_both = make_component(name_nl="Procesbeheer voor twee")
    first.components.add(in_both)
    second.components.add(in_both)
    make_component(name_nl="Procesbeheer zonder netwerk", provider=None)

    response = client.get(url("catalogue:component-list"), {"q": "procesbeheer"})

    facets = {facet.name: facet for facet in response.context["facets"]}
    networks = sorted((o.value, o.count) for o in facets["network"].options)
    assert networks == sorted([(first.slug, 1), (second.slug, 1)])
    # The component without a provider is in no provider's count.
    assert [o.count for o in facets["provider"].options] == [1]
    assert facets["provider"].hidden_values == 0
    assert sum(o.count for o in facets["kind"].options) == 2


def test_the_chosen_values_give_a_facet_nobody_chose_as_empty():
    # Not Django's `queryset.none()`: every truth test of that compiled and
    # ran it, five facets on each search's first counts.
    provider = make_component().provider
    filterset = ComponentFilter(
        data=QueryDict(f"provider={provider.slug}&q=beheer"),
        queryset=Component.objects.published(),
    )

    chosen = filterset.chosen()

    assert [chosen_provider.slug for chosen_provider in chosen["provider"]] == [
        provider.slug
    ]
    assert chosen["domain"] == []
    assert chosen["network"] == []
    assert chosen["kind"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "bogus"},
        {"provider": "no-such-provider"},
        {"sort": "sideways"},
        {"status": ["available", "nonsense"]},
    ],
)
def test_invalid_filter_values_get_a_clear_message_not_a_500(client, query):
    make_component()

    response = client.get(url("catalogue:component-list"), query)

    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert "niet worden toegepast" in response.content.decode()


def test_an_invalid_filter_value_keeps_the_filters_and_marks_the_control(client):
    make_component(slug="api-one", kind="api")
    make_component(slug="service-one", kind="service")

    response = client.get(
        url("catalogue:component-list"), {"kind": "banana", "sort": "name"}
    )

    page = response.content.decode()
    facets = {facet.name: facet for facet in response.context["facets"]}
    # The other filters still apply and every facet is still offered.
    assert sorted(shown_slugs(response)) == ["api-one", "service-one"]
    assert {"provider", "kind", "building_block"} <= {
        name for name, facet in facets.items() if facet.options
    }
    assert facets["kind"].errors
    assert ("api", "API") in facets["kind"].valid_values
    assert 'id="facet-error-kind"' in page
    assert page.count('aria-invalid="true" aria-describedby="facet-error-kind"') == 2
    assert 'href="#facet-kind"' in page


def test_the_valid_values_listed_include_a_provider_added_since(client):
    # A wrong slug lists the valid ones; a provider added after that list
    # was first made is in it the next time.
    make_component()
    client.get(url("catalogue:component-list"), {"provider": "no-such-provider"})
    make_provider(slug="newcomer")

    response = client.get(url("catalogue:component-list"), {"provider": "still-wrong"})

    facets = {facet.name: facet for facet in response.context["facets"]}
    assert "newcomer" in dict(facets["provider"].valid_values)


def test_each_request_checks_its_filters_afresh(client):
    make_component(slug="api-one", kind="api")
    client.get(url("catalogue:component-list"), {"kind": "banana"})
    # A provider that did not exist when the form first checked a value.
    newcomer = make_provider(slug="newcomer")
    make_component(slug="api-two", kind="api", provider=newcomer)

    response = client.get(
        url("catalogue:component-list"), {"kind": "api", "provider": "newcomer"}
    )

    facets = {facet.name: facet for facet in response.context["facets"]}
    assert not response.context["filter"].form.errors
    assert 'aria-invalid="true"' not in response.content.decode()
    assert shown_slugs(response) == ["api-two"]
    assert [
        option.value for option in facets["provider"].options if option.selected
    ] == ["newcomer"]


def test_the_facet_values_chosen_are_checked_without_a_query_of_their_own(
    client, django_assert_num_queries
):
    # Signed in, the page is rendered at each view. Once its counts and
    # results are kept, the values chosen are checked against the facets'
    # values kept for their labels, not read again from their tables.
    network = make_network()
    chosen = make_component(name_nl="Gekozen")
    network.components.add(chosen)
    make_component(name_nl="Ander")
    choice = {
        "domain": chosen.domain.slug,
        "provider": [make_provider().slug, chosen.provider.slug],
        "network": network.slug,
    }
    client.force_login(make_user())
    client.get(url("catalogue:component-list"), choice)

    with django_assert_num_queries(1):  # the user (the session is in the cache)
        response = client.get(url("catalogue:component-list"), choice)

    assert not response.context["filter"].form.errors
    assert [component.name_nl for component in response.context["page_obj"]] == [
        "Gekozen"
    ]
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {o.value for o in facets["provider"].options if o.selected} == set(
        choice["provider"]
    )
    assert facets["domain"].selected_labels == str(chosen.domain)


def test_an_unpublished_network_cannot_be_chosen_as_a_facet(client):
    draft = make_network(publication_state=PublicationState.DRAFT)
    draft.components.add(make_component())

    page = client.get(url("catalogue:component-list"), {"network": draft.slug})
    answer = client.get(f"/api/v1/components/?network={draft.slug}")

    assert "network" in page.context["filter"].form.errors
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["network"]


def test_a_page_beyond_the_last_shows_the_catalogue_and_a_way_back(client):
    make_component()

    response = client.get(url("catalogue:component-list"), {"page": 99, "sort": "name"})

    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="nl"' in page
    assert response.context["paginator"].count == 1
    assert 'href="?page=1&amp;sort=name"' in page


def test_the_title_says_the_results_the_filters_and_the_page(client):
    for number in range(25):
        make_component(slug=f"api-{number:02}", kind="api")

    response = client.get(url("catalogue:component-list"), {"kind": "api", "page": 2})

    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "25 componenten" in title
    assert "Type: API" in title
    assert "pagina 2 van 2" in title


def test_the_first_page_has_the_order_of_the_next_ones(client):
    for slug, name in [("a-zulu", "Zulu"), ("b-alpha", "Alpha"), ("c-mike", "Mike")]:
        make_component(slug=slug, name_nl=name)

    response = client.get(url("catalogue:component-list"))

    assert shown_slugs(response) == ["b-alpha", "c-mike", "a-zulu"]


def test_sorting_by_most_reused(client):
    popular = make_component(slug="popular")
    make_component(slug="quiet")
    make_reuse_case(components=[popular])

    response = client.get(url("catalogue:component-list"), {"sort": "most_reused"})

    assert shown_slugs(response) == ["popular", "quiet"]


@pytest.mark.parametrize("sort", ["name", "most_reused"])
def test_a_deep_page_continues_the_order_of_the_first(client, monkeypatch, sort):
    # Pages past DEEP_PAGE_OFFSET are read keys first, then rows.
    monkeypatch.setattr(pagination, "DEEP_PAGE_OFFSET", 20)
    components = [make_component(name_nl=f"Naam {n:02}") for n in range(25)]
    for times, component in enumerate(components[::-5]):
        for _ in range(times + 1):
            make_reuse_case(components=[component])

    pages = [
        shown_slugs(
            client.get(url("catalogue:component-list"), {"sort": sort, "page": page})
        )
        for page in (1, 2)
    ]

    reused = [components[n] for n in (4, 9, 14, 19, 24)]
    expected = (
        components
        if sort == "name"
        else reused + [component for component in components if component not in reused]
    )
    assert pages == [
        [c.slug for c in expected[:20]],
        [c.slug for c in expected[20:]],
    ]


def test_the_home_page_lists_the_most_reused_first(client):
    own = make_provider()
    most, less, only_own = (make_component(provider=own) for _ in range(3))
    hidden = make_component(publication_state=PublicationState.DRAFT)
    for component in (most, most, less, hidden):
        make_reuse_case(components=[component])
    # Used by its own provider only: not reuse.
    make_reuse_case(components=[only_own], organisations=[own])

    response = client.get(url("catalogue:home"))

    assert [c.slug for c in response.context["most_reused"]] == [most.slug, less.slug]
    assert [c.reuse_count for c in response.context["most_reused"]] == [2, 1]


def test_the_home_figures_follow_a_publication(client):
    make_component()
    before = client.get(url("catalogue:home")).context["figures"]["components"]

    make_component()

    after = client.get(url("catalogue:home")).context["figures"]["components"]
    assert (before, after) == (1, 2)


def test_the_home_page_shows_a_new_component_at_once(client, django_assert_num_queries):
    make_component()
    client.get(url("catalogue:home"))
    with django_assert_num_queries(0):  # all of it kept until a change
        client.get(url("catalogue:home"))

    newer = make_component()

    newest = client.get(url("catalogue:home")).context["newest"]
    assert newest[0] == newer


def test_the_home_page_is_kept_for_signed_in_visitors_until_a_change(
    client, django_assert_num_queries
):
    client.force_login(make_user())
    make_component(name_nl="Eerste", name_fr="Premier")
    assert "Eerste" in client.get(url("catalogue:home")).content.decode()
    with django_assert_num_queries(1):  # the user (the session is in the cache)
        kept = client.get(url("catalogue:home")).content.decode()
    assert "Eerste" in kept

    make_component(name_nl="Tweede", name_fr="Deuxième")

    assert "Tweede" in client.get(url("catalogue:home")).content.decode()
    # Kept per language: the French page names the components in French.
    french = client.get(url("catalogue:home", language="fr")).content.decode()
    assert "Deuxième" in french
    assert "Tweede" not in french


def test_the_home_page_counts_from_the_data(client):
    provider = make_provider()
    make_component(provider=provider)
    make_component(provider=provider)
    make_reuse_case(organisations=[provider])
    make_network()

    figures = client.get(url("catalogue:home")).context["figures"]

    # the case's component (and its provider) come from the factory
    assert figures == {
        "components": 3,
        "providers": 2,
        "networks": 1,
        "reuse_cases": 1,
        "reusing_organisations": 1,
    }


def test_a_deprecated_component_points_to_its_published_successor(client):
    successor = make_component(name_nl="Opvolger")
    old = make_component(successor=successor, lifecycle_status="deprecated")

    page = client.get(old.get_absolute_url()).content.decode()

    assert successor.get_absolute_url() in page


def test_a_successor_that_is_not_published_is_not_shown(client):
    successor = make_component(
        name_nl="Opvolger", publication_state=PublicationState.SUBMITTED
    )
    old = make_component(successor=successor, lifecycle_status="deprecated")

    page = client.get(old.get_absolute_url()).content.decode()
    answer = client.get(f"/api/v1/components/{old.slug}/").json()

    assert "Opvolger" not in page
    assert successor.slug not in page
    assert answer["successor"] is None


def test_a_missing_translation_falls_back_visibly(client):
    component = make_component(summary_fr="", summary_en="Only in English")

    page = client.get(url("catalogue:component-detail", component.slug, language="fr"))

    assert "Only in English" in page.content.decode()
    assert 'class="untranslated"' in page.content.decode()


def test_the_error_page_is_in_the_sites_design_and_language(rf):
    request = rf.get("/fr/")
    with translation.override("fr"):
        response = server_error(request)

    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in page
    assert "Une erreur s'est produite" in page


def test_the_not_found_page_offers_the_same_address_in_each_language(client):
    response = client.get("/fr/service/no-such-component/")

    switcher = response.content.decode().split('class="languages"')[1]
    assert response.status_code == 404
    for code in ("nl", "fr", "en"):
        link = f'href="/{code}/service/no-such-component/" hreflang="{code}"'
        assert link in switcher


def test_a_network_page_gives_events_and_people_their_own_headings(client):
    network = make_network()
    Membership.objects.create(network=network, organisation=make_provider())

    page = client.get(network.get_absolute_url()).content.decode()

    for section in ("events", "past-events", "coordinator", "members"):
        assert f'<section aria-labelledby="{section}-title">' in page
        assert f'<h2 id="{section}-title">' in page


def test_language_names_are_marked_with_their_language(client):
    component = make_component(languages=["fr", "de"])

    page = client.get(component.get_absolute_url()).content.decode()

    assert '<span lang="fr">Français</span>' in page
    assert '<span lang="de">Deutsch</span>' in page


def test_a_search_that_finds_nothing_suggests_names_and_other_words(client):
    make_component(slug="ehealthbox", name_nl="eHealthBox")

    response = client.get(
        url("catalogue:component-list", language="en"),
        {"q": "handtekenin", "kind": "api"},
    )

    assert shown_slugs(response) == []
    page = response.content.decode()
    assert "Other words for the same thing:" in page
    assert "q=elektronische+handtekening&amp;kind=api" in page


def test_facet_values_are_labelled_as_their_pages_name_them_in_each_language(client):
    provider = make_provider(
        name_nl="Dienst Archief",
        name_fr="",
        name_en="",
        acronym_nl="DA",
        acronym_fr="",
        acronym_en="",
    )
    network = make_network(name_nl="Netwerk Archief", name_fr="Réseau Archives")
    hidden = make_network(publication_state=PublicationState.DRAFT)
    component = make_component(provider=provider)
    network.components.add(component)
    hidden.components.add(component)

    labels = {}
    for language in ("nl", "fr"):
        response = client.get(url("catalogue:component-list", language=language))
        facets = {facet.name: facet for facet in response.context["facets"]}
        labels[language] = {
            name: [(o.value, o.label) for o in facets[name].options]
            for name in ("provider", "network")
        }

    assert labels["nl"] == {
        "provider": [(provider.slug, "Dienst Archief (DA)")],
        "network": [(network.slug, "Netwerk Archief")],
    }
    # No French name: the label falls back as the provider's own page does.
    assert labels["fr"]["provider"] == [(provider.slug, "Dienst Archief (DA)")]
    assert labels["fr"]["network"] == [(network.slug, "Réseau Archives")]


def test_a_search_with_more_matches_than_it_ranks_says_so(client, monkeypatch):
    for n in range(6):
        make_component(name_nl=f"Formulieren {n}")
    # As at 100,000 components, with smaller numbers: two ranked by their
    # words, one by its name, matches counted up to three.
    monkeypatch.setattr(catalogue_models, "RANKED_BY_WORDS", 2)
    monkeypatch.setattr(catalogue_models, "RANKED_BY_NAME", 1)
    monkeypatch.setattr(catalogue_models, "MATCH_COUNT_CAP", 3)
    monkeypatch.setattr(catalogue_views, "MATCH_COUNT_CAP", 3)

    response = client.get(url("catalogue:component-list"), {"q": "formulieren"})

    listed = len(shown_slugs(response))
    assert listed in (2, 3)  # the one found by name may be one of the two
    assert (
        f"Meer dan 3 componenten komen overeen: de {listed} beste worden getoond"
        in response.content.decode()
    )


def test_a_component_in_two_chosen_networks_is_counted_once(client):
    first, second = make_network(), make_network()
    both = make_component(kind=ComponentKind.API)
    one = make_component(kind=ComponentKind.SERVICE)
    first.components.add(both, one)
    second.components.add(both)

    response = client.get(
        url("catalogue:component-list"), {"network": [first.slug, second.slug]}
    )

    facets = {facet.name: facet for facet in response.context["facets"]}
    assert {o.value: o.count for o in facets["kind"].options} == {
        "api": 1,
        "service": 1,
    }
    assert {o.value: o.count for o in facets["network"].options} == {
        first.slug: 2,
        second.slug: 1,
    }
    assert response.context["paginator"].count == 2


def test_a_facet_that_repeats_no_component_leaves_its_results_as_they_are(client):
    # A component has one kind, status, provider, building block, domain and
    # collaboration model: filtering by them repeats no row, and DISTINCT
    # only slowed counts and deep pages down (at 100,000 components the
    # first catalogue page of one kind took 198 ms instead of 67).
    model = CollaborationModel.objects.create(slug="organic", name_nl="Organisch")
    chosen = make_component(collaboration_model=model)
    make_component(kind=ComponentKind.SERVICE)
    query = {
        "kind": chosen.kind,
        "status": chosen.lifecycle_status,
        "provider": chosen.provider.slug,
        "building_block": chosen.building_block.slug,
        "domain": chosen.domain.slug,
        "collaboration_model": model.slug,
    }

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("catalogue:component-list"), query)

    assert shown_slugs(response) == [chosen.slug]
    assert response.context["paginator"].count == 1
    components_read = [
        q["sql"]
        for q in queries.captured_queries
        if '"catalogue_component"' in q["sql"]
    ]
    assert components_read
    assert not [sql for sql in components_read if "DISTINCT" in sql]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "beheer"},
        {"q": "beheer", "kind": "api"},
        {"network": "first"},
        {"network": ["first", "second"], "status": "available"},
        {"provider": "p-0", "q": "beheer"},
        {"q": "beheer", "network": "first"},
        {"q": "beheer", "network": ["first", "second"], "status": "available"},
        {"q": "beheer", "kind": ["api", "service"], "provider": "p-1"},
        {"q": "beheer", "collaboration_model": "model-1", "domain": "none-such"},
    ],
)
def test_every_facet_counts_what_its_value_would_list(client, query):
    # A facet's count for a value is the number of results the page would
    # list with that value chosen instead of the facet's own choice: every
    # facet, whether it is counted alone or with the others in one query.
    # Shared blocks and domains: components alike in every single-valued
    # facet must still count apart.
    providers = [make_provider(slug=f"p-{n}") for n in range(2)]
    blocks = [make_building_block() for _ in range(2)]
    domains = [make_domain() for _ in range(2)]
    models = [
        CollaborationModel.objects.create(slug=f"model-{n}", name_nl=f"Model {n}")
        for n in range(2)
    ]
    first, second = make_network(slug="first"), make_network(slug="second")
    kinds = [ComponentKind.API, ComponentKind.SERVICE, ComponentKind.COMPONENT]
    statuses = ["available", "deprecated"]
    for n in range(12):
        component = make_component(
            name_nl=f"{'Procesbeheer' if n % 3 else 'Archief'} {n}",
            kind=kinds[n % 3],
            lifecycle_status=statuses[n % 2],
            provider=providers[n % 2],
            building_block=blocks[n % 2],
            domain=domains[n % 2],
            collaboration_model=models[n // 3 % 2],
        )
        if n % 2:
            first.components.add(component)
        if n % 4 == 1:
            second.components.add(component)
    every_value = {
        "provider": [provider.slug for provider in providers],
        "kind": list(ComponentKind.values),
        "building_block": [block.slug for block in blocks],
        "domain": [domain.slug for domain in domains],
        "status": statuses,
        "collaboration_model": [model.slug for model in models],
        "network": ["first", "second"],
    }

    facets = client.get(url("catalogue:component-list"), query).context["facets"]

    assert [facet.name for facet in facets] == list(every_value)
    for facet in facets:
        counts = {option.value: option.count for option in facet.options}
        # Every value, listed or not: one the facet leaves out lists nothing.
        for value in every_value[facet.name]:
            alone = {**query, facet.name: value}
            listed = client.get(url("catalogue:component-list"), alone)
            assert counts.get(value, 0) == listed.context["paginator"].count, (
                facet.name,
                value,
            )
            assert listed.context["paginator"].count == len(shown_slugs(listed))


def test_a_search_no_word_of_which_can_match_lists_nothing_without_error(client):
    # A character the search drops entirely leaves a query that can match no
    # row: the counts say 0, never a 500.
    make_component()
    response = client.get(url("catalogue:component-list"), {"q": "\U000514c4"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
