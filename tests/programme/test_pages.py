"""The pages about the programme, the reuse cases, and what a component page
tells someone who wants to reuse it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import translation

from catalogue.models import ComponentOrganisation, OrganisationRole
from networks.models import Event
from programme.models import ProgrammeFigure
from tests.factories import (
    make_component,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
)

pytestmark = pytest.mark.django_db


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def make_figure(**overrides) -> ProgrammeFigure:
    fields = {
        "slug": "average-roi-2019",
        "value": 27000,
        "unit": ProgrammeFigure.Unit.EUR,
        "year": 2019,
        "label_nl": "Gemiddelde ROI per hergebruikte component",
        "label_fr": "ROI moyen par composant réutilisé",
        "label_en": "Average ROI per reused component",
        "source_reference": "000:1048",
    }
    return ProgrammeFigure.objects.create(**fields | overrides)


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "€27,000"), ("nl", "€ 27.000"), ("fr", "27\xa0000 €")],
)
def test_the_about_page_quotes_each_figure_with_its_year_and_source(
    client, language, shown
):
    make_figure()

    about = page(client, f"/{language}/about/")

    (row,) = about.select("table.programme-figures tbody tr")
    assert row.select_one("td.num").get_text(strip=True) == shown
    assert "2019" in row.get_text()
    assert "000:1048" in row.get_text()


def test_percentages_read_as_percentages(client):
    make_figure(slug="reused-code", value=66, unit=ProgrammeFigure.Unit.PERCENT)

    about = page(client, "/en/about/")

    assert about.select_one("td.num").get_text(strip=True) == "66%"


def test_every_page_leads_to_the_about_and_how_to_pages(client):
    home = page(client, "/fr/")
    footer = home.select_one("footer")

    links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
    assert page(client, links["À propos de ReUse"]).h1
    assert page(client, links["Comment réutiliser un composant"]).h1
    assert page(client, links["Cas de réutilisation"]).h1
    assert links["Contact"] == "mailto:info@ict-reuse.be"


def test_a_reuse_case_shows_its_components_its_reusers_and_a_real_quote(client):
    owner = make_provider(name_en="FPS Social Security")
    api = make_component(name_en="Dimona", provider=owner)
    reusers = [make_provider(name_en="NSSO"), make_provider(name_en="NEO")]
    case = make_reuse_case(
        components=[api],
        organisations=reusers,
        title_en="MyDIA",
        quote="Door hergebruik waren we sneller klaar.",
        quote_language="nl",
        quote_speaker="A. Spreker, projectleider",
        quote_organisation=reusers[0],
    )

    detail = page(client, f"/en/reuse-cases/{case.slug}/")

    assert detail.h1.get_text(strip=True) == "MyDIA"
    assert "Dimona" in detail.select_one("#components-title").find_next("ul").text
    assert {"NSSO", "NEO"} <= {a.get_text(strip=True) for a in detail.select("a")}
    quote = detail.select_one("figure.quote blockquote")
    assert quote["lang"] == "nl"
    assert "A. Spreker" in detail.select_one("figure.quote figcaption").text


def test_a_case_without_a_quotation_sets_nothing_in_a_blockquote(client):
    case = make_reuse_case(description_en="They built on the existing forms.")

    detail = page(client, f"/en/reuse-cases/{case.slug}/")

    assert detail.select("blockquote") == []
    assert "They built on the existing forms." in detail.text


def test_the_case_list_links_every_published_case(client):
    cases = [make_reuse_case(), make_reuse_case()]
    make_reuse_case(publication_state="submitted", title_en="Not yet")

    listing = page(client, "/en/reuse-cases/")

    hrefs = {a["href"] for a in listing.select("main a")}
    assert {case.get_absolute_url() for case in cases} <= hrefs
    assert "Not yet" not in listing.text


def test_the_home_page_figure_of_cases_links_to_the_cases(client):
    make_reuse_case()

    home = page(client, "/en/")

    link = next(a for a in home.select(".figures a") if "reuse cases" in a.text)
    assert page(client, link["href"]).h1.get_text(strip=True) == "Reuse cases"


def test_a_component_page_names_every_organisation_with_its_role(client):
    component = make_component()
    ComponentOrganisation.objects.create(
        component=component,
        organisation=component.provider,
        role=OrganisationRole.OWNER,
        source_reference="002:1453",
    )
    guessed = make_provider(name_en="Guessed Body")
    ComponentOrganisation.objects.create(
        component=component,
        organisation=guessed,
        role=OrganisationRole.OPERATOR,
        confirmed=False,
    )

    detail = page(client, f"/en/service/{component.slug}/")

    roles = [li.get_text(" ", strip=True) for li in detail.select("ul.roles li")]
    assert roles == [
        f"{component.provider.name_en} owner",
        "Guessed Body provider / operator, not confirmed",
    ]


@override_settings(CONTACT_EMAIL="reuse@example.org")
def test_a_component_without_any_contact_points_to_the_programme(client):
    component = make_component(provider=None)

    start = page(client, f"/en/service/{component.slug}/").select_one("section.start")

    assert start.select_one('a[href="mailto:reuse@example.org"]')
    assert "The three models" in start.text


def test_a_component_with_a_support_contact_offers_it_first(client):
    component = make_component(support_email="help@example.org", licence="EUPL-1.2")

    start = page(client, f"/en/service/{component.slug}/").select_one("section.start")

    assert start.select_one("a[href^=mailto]")["href"] == "mailto:help@example.org"
    assert "EUPL-1.2" in start.text


@pytest.mark.parametrize(
    ("precision", "datetime_attribute", "shown"),
    [
        (Event.Precision.MONTH, "2021-03", "maart 2021"),
        (Event.Precision.DAY, "2021-03-04", "4 maart 2021"),
        (Event.Precision.MINUTE, "2021-03-04T14:30:00+01:00", "4 maart 2021, 14:30"),
    ],
)
def test_an_event_shows_as_much_of_its_date_as_is_known(
    client, precision, datetime_attribute, shown
):
    network = make_network()
    brussels = ZoneInfo("Europe/Brussels")
    make_event(
        network=network,
        precision=precision,
        starts_at=datetime(2021, 3, 4, 14, 30, tzinfo=brussels),
    )

    with translation.override("nl"):
        network_page = network.get_absolute_url()

    time = page(client, network_page).select_one("ul.events time")

    assert time["datetime"] == datetime_attribute
    assert time.get_text(strip=True) == shown


def test_a_past_webinar_links_to_its_recording(client):
    network = make_network()
    make_event(
        network=network,
        title_en="ReUse webinar",
        recording_url="https://video.example/reuse-webinar",
    )
    with translation.override("en"):
        network_page = network.get_absolute_url()

    link = page(client, network_page).select_one("ul.events a[rel=external]")

    assert link["href"] == "https://video.example/reuse-webinar"
    assert link.get_text(strip=True) == "Recording of ReUse webinar"
