"""Component pages rendered once and stored: every process reads them with
one query, and no change to what a page shows leaves it stale."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue import rendered_pages
from catalogue.models import (
    Component,
    PublicationState,
    RenderedComponentPage,
)
from reuse_portal import page_cache
from tests.catalogue.test_views import article
from tests.factories import (
    make_component,
    make_network,
    make_provider,
    make_reuse_case,
    make_user,
)

pytestmark = pytest.mark.django_db

STORED_TABLE = RenderedComponentPage._meta.db_table


def view_in_another_process(client, address: str):
    """The page as a process that has kept nothing of it serves it."""
    page_cache.forget_local_copies()
    return client.get(address)


def writes_of_stored_pages(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if f'INSERT INTO "{STORED_TABLE}"' in q["sql"]]


def test_a_page_rendered_once_is_read_by_every_process_with_one_query(client):
    component = make_component()
    make_reuse_case(components=[component])

    with CaptureQueriesContext(connection) as first_view:
        first = client.get(component.get_absolute_url())
    with CaptureQueriesContext(connection) as later_view:
        later = view_in_another_process(client, component.get_absolute_url())

    assert first.status_code == later.status_code == 200
    assert article(later) == article(first)
    assert later["Link"] == first["Link"]
    writes = [
        q["sql"] for q in first_view if f'INSERT INTO "{STORED_TABLE}"' in q["sql"]
    ]
    assert len(writes) == 1
    # The budget holds for the first view too (read, row, write).
    assert len(first_view) <= 5
    assert len(later_view) == 1
    assert RenderedComponentPage.objects.get().language == "nl"


def test_each_language_has_its_own_page(client):
    component = make_component(name_nl="Handtekening", name_fr="Signature")
    dutch = component.get_absolute_url()
    client.get(dutch)
    page_cache.forget_local_copies()
    with CaptureQueriesContext(connection) as french_view:
        french = client.get(f"/fr/service/{component.slug}/")

    assert "<h1>Signature" in article(french)
    assert len(french_view) > 1  # rendered, not read: none was stored in French
    languages = RenderedComponentPage.objects.values_list("language", flat=True)
    assert sorted(languages) == ["fr", "nl"]
    assert "<h1>Handtekening" in article(view_in_another_process(client, dutch))


def rename_provider(component: Component) -> str:
    component.provider.name_nl = "Hernoemde dienst"
    component.provider.save()
    return "Hernoemde dienst"


def publish_a_reuse(component: Component) -> str:
    make_reuse_case(components=[component], title_nl="Nieuw hergebruik")
    return "Nieuw hergebruik"


def rename_a_dependency(component: Component) -> str:
    dependency = component.depends_on.get()
    dependency.name_nl = "Hernoemde afhankelijkheid"
    dependency.save()
    return "Hernoemde afhankelijkheid"


def join_a_network(component: Component) -> str:
    make_network(name_nl="Nieuw netwerk").components.add(component)
    return "Nieuw netwerk"


@pytest.mark.parametrize(
    "change", [rename_provider, publish_a_reuse, rename_a_dependency, join_a_network]
)
def test_a_change_to_what_a_page_shows_renders_it_again(client, change):
    # A provider with a website, which the page names as the contact.
    component = make_component(
        provider=make_provider(website_url="https://dienst.example/")
    )
    component.depends_on.add(make_component())
    address = component.get_absolute_url()
    before = article(client.get(address))

    shown = change(component)
    after = article(view_in_another_process(client, address))

    assert shown not in before
    assert shown in after
    assert RenderedComponentPage.objects.count() == 1


def withdraw(component: Component) -> None:
    component.publication_state = PublicationState.ARCHIVED
    component.save()


def test_what_is_unpublished_is_never_served_from_a_stored_page(client):
    component = make_component()
    dependency = make_component(name_nl="Verdwijnt")
    component.depends_on.add(dependency)
    assert "Verdwijnt" in article(client.get(component.get_absolute_url()))

    withdraw(dependency)
    page = article(view_in_another_process(client, component.get_absolute_url()))
    assert "Verdwijnt" not in page

    withdraw(component)
    gone = view_in_another_process(client, component.get_absolute_url())
    assert gone.status_code == 404
    # The stored page is still there, and never read.
    assert RenderedComponentPage.objects.filter(component=component).exists()


def test_a_slug_given_up_and_taken_again_shows_its_new_component(client):
    first = make_component(slug="handtekening", name_nl="Eerste")
    client.get(first.get_absolute_url())
    first.slug = "oude-handtekening"
    first.save()
    make_component(slug="handtekening", name_nl="Tweede")

    page = article(view_in_another_process(client, "/nl/service/handtekening/"))

    assert "<h1>Tweede" in page
    assert "Eerste" not in page


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        # Where a component without an e-mail address of its own or of its
        # provider sends its visitors.
        ("CONTACT_EMAIL", "hergebruik@example.org"),
        # The address of the page in its JSON-LD.
        ("SITE_URL", "https://hergebruik.example.org"),
        # Its logo's link.
        ("MEDIA_URL", "https://uploads.example.org/"),
    ],
)
def test_settings_a_deploy_may_change_are_in_the_digest(
    client, settings, setting, value
):
    component = make_component(provider=make_provider(contact_email=""))
    component.logo.name = "logos/handtekening.png"
    component.save()
    address = component.get_absolute_url()
    assert value not in client.get(address).content.decode()

    setattr(settings, setting, value)
    assert value in view_in_another_process(client, address).content.decode()


def test_the_digest_covers_the_code_templates_translations_and_libraries(settings):
    # With any setting overridden, as tests do, settings.SETTINGS_MODULE
    # reads None: the project's package must be found all the same.
    settings.CONTACT_EMAIL = "reuse@example.org"
    sources = {
        str(path.relative_to(settings.BASE_DIR))
        for path in rendered_pages.rendering_sources()
    }

    assert "templates/catalogue/includes/component_content.html" in sources
    assert "locale/fr/LC_MESSAGES/django.mo" in sources
    assert "catalogue/templatetags/portal.py" in sources
    # The project's package is no app: its links and template tags count too.
    assert "reuse_portal/addresses.py" in sources
    assert "reuse_portal/templatetags/site_chrome.py" in sources
    assert "interchange/dcat/alternates.py" in sources
    assert "constraints.txt" in sources
    assert not any(source.startswith((".venv/", "tests/")) for source in sources)


def test_signed_links_are_never_served_past_half_their_lifetime(client, monkeypatch):
    component = make_component()
    address = component.get_absolute_url()
    monkeypatch.setattr(default_storage, "querystring_auth", True, raising=False)
    monkeypatch.setattr(default_storage, "querystring_expire", 3600, raising=False)
    clock = [1_800_000.0]  # the start of a half hour
    monkeypatch.setattr(rendered_pages.time, "time", lambda: clock[0])
    client.get(address)

    clock[0] += 1799  # still in the same half hour
    with CaptureQueriesContext(connection) as within:
        view_in_another_process(client, address)
    clock[0] += 1
    with CaptureQueriesContext(connection) as past:
        view_in_another_process(client, address)

    assert len(within) == 1
    assert len(writes_of_stored_pages(past)) == 1


def refuse_writes(*args, **kwargs):
    raise DatabaseError("cannot execute INSERT in a read-only transaction")


def test_a_page_that_cannot_be_stored_is_still_served(client, monkeypatch):
    component = make_component(name_nl="Toch getoond")

    monkeypatch.setattr(RenderedComponentPage.objects, "bulk_create", refuse_writes)
    response = client.get(component.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Toch getoond" in article(response)
    # The request's transaction is still usable afterwards.
    assert Component.objects.filter(pk=component.pk).exists()


def render_ahead(*languages: str) -> str:
    output = StringIO()
    call_command(
        "render_component_pages",
        *[f"--language={code}" for code in languages],
        stdout=output,
    )
    return output.getvalue()


def test_the_command_renders_ahead_every_page_not_current_and_only_those(client):
    used = make_component()
    users = [make_component(), make_component()]
    for user in users:
        user.depends_on.add(used)
    make_component(publication_state=PublicationState.SUBMITTED)

    assert render_ahead() == (
        "nl: 3 rendered, 0 already current, 0 no longer published deleted\n"
        "fr: 3 rendered, 0 already current, 0 no longer published deleted\n"
        "en: 3 rendered, 0 already current, 0 no longer published deleted\n"
    )
    assert render_ahead("nl") == (
        "nl: 0 rendered, 3 already current, 0 no longer published deleted\n"
    )

    # A renamed component: its page, and the pages that name it.
    used.name_nl = "Nieuwe naam"
    used.save()
    assert render_ahead("nl") == (
        "nl: 3 rendered, 0 already current, 0 no longer published deleted\n"
    )
    unrelated = make_component()
    assert render_ahead("nl") == (
        "nl: 1 rendered, 3 already current, 0 no longer published deleted\n"
    )

    # What the command stored is what a view reads, with one query.
    with CaptureQueriesContext(connection) as view:
        page = view_in_another_process(client, users[0].get_absolute_url())
    assert len(view) == 1
    assert "Nieuwe naam" in article(page)
    assert unrelated.rendered_pages.count() == 1

    # A component taken back: its stored pages go, language by language (and
    # the page of the one it used, which listed it, is rendered again).
    withdrawn = users[1]
    withdraw(withdrawn)
    assert render_ahead("nl") == (
        "nl: 1 rendered, 2 already current, 1 no longer published deleted\n"
    )

    def stored_languages() -> list[str]:
        return sorted(withdrawn.rendered_pages.values_list("language", flat=True))

    assert stored_languages() == ["en", "fr"]
    assert render_ahead("fr") == (
        "fr: 3 rendered, 0 already current, 1 no longer published deleted\n"
    )
    assert stored_languages() == ["en"]


def test_its_own_organisation_still_sees_its_own_version(client):
    component = make_component()
    client.get(component.get_absolute_url())
    client.force_login(make_user(organisation=component.provider))

    own = view_in_another_process(client, component.get_absolute_url())
    others = view_in_another_process(client.__class__(), component.get_absolute_url())

    with translation.override("nl"):
        edit = reverse("catalogue:component-edit", args=[component.slug])
    assert edit in article(own)
    assert edit not in article(others)


def test_the_command_says_when_it_cannot_store_what_it_rendered(monkeypatch):
    make_component()
    monkeypatch.setattr(RenderedComponentPage.objects, "bulk_create", refuse_writes)

    with pytest.raises(DatabaseError, match="read-only"):
        render_ahead("nl")
