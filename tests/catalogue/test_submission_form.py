"""The supplier's web form: propose, preview, save as draft, submit, and
change a published component through a revision."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from catalogue.models import Component, Tag
from publishing.models import Revision
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(client):
    user = make_user(organisation=make_provider())
    client.force_login(user)
    return user


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def form_data(**overrides) -> dict:
    data = {
        "name_fr": "Signature électronique",
        "summary_fr": "Signer des documents en ligne.",
        "description_fr": "Un **service** de signature.\n\n- PAdES\n- XAdES",
        "kind": "service",
        "building_block": make_building_block().pk,
        "domain": make_domain().pk,
        "lifecycle_status": "available",
        "government_level": "federal",
        "licence": "EUPL-1.2",
        "languages": ["fr", "nl"],
        "links-TOTAL_FORMS": "3",
        "links-INITIAL_FORMS": "0",
        "links-0-kind": "documentation",
        "links-0-url": "https://example.org/doc",
        "links-0-title": "Documentation",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_a_supplier_proposes_a_component_in_french_only(client, supplier):
    Tag.objects.create(slug="signature", name="signature")

    response = client.post(
        url("catalogue:component-propose"), form_data(tags=["signature"])
    )

    assert response.status_code == 302, response.context["form"].errors
    component = Component.objects.get()
    assert component.slug == "signature-electronique"
    assert component.provider == supplier.organisation
    assert component.publication_state == "submitted"
    assert component.name_nl is None
    assert component.links.get().title == "Documentation"
    assert [tag.slug for tag in component.tags.all()] == ["signature"]


def test_save_as_draft_and_preview_save_nothing_more(client, supplier):
    preview = client.post(
        url("catalogue:component-propose"), form_data(action="preview")
    )
    assert Component.objects.count() == 0
    text = preview.content.decode()
    assert "<strong>service</strong>" in text
    assert "<li>PAdES</li>" in text

    client.post(url("catalogue:component-propose"), form_data(action="draft"))

    assert Component.objects.get().publication_state == "draft"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description_fr": "<script>alert(1)</script>"}, "description_fr"),
        ({"description_fr": "[x](javascript:alert(1))"}, "description_fr"),
        ({"links-0-url": "javascript:alert(1)"}, None),
        ({"name_fr": "x" * 10_000}, "name_fr"),
        ({"support_email": "a@example.org\\nBcc: b@example.org"}, "support_email"),
        ({"name_fr": "a\\x00b"}, "name_fr"),
        ({"name_fr": "", "summary_fr": ""}, None),
        ({"licence": "WTFPL-9"}, "licence"),
    ],
    ids=[
        "script",
        "javascript-link",
        "javascript-url",
        "long-name",
        "header-injection",
        "nul",
        "no-language",
        "unknown-licence",
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, supplier, overrides, field):
    overrides = {
        key: value.encode().decode("unicode_escape")
        if isinstance(value, str)
        else value
        for key, value in overrides.items()
    }

    response = client.post(url("catalogue:component-propose"), form_data(**overrides))

    assert response.status_code == 400
    assert Component.objects.count() == 0
    text = response.content.decode()
    assert 'role="alert"' in text
    assert text.split("<title>")[1].startswith("Error:")
    if field:
        assert response.context["form"].errors[field]
        assert 'aria-invalid="true"' in text


def test_a_published_component_changes_only_through_a_revision(client, supplier):
    component = make_component(provider=supplier.organisation, summary_en="Old.")
    edit = url("catalogue:component-edit", component.slug)
    form = client.get(edit).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and name != "logo"
    }
    data.update(
        {
            "building_block": component.building_block.pk,
            "domain": component.domain.pk,
            "collaboration_model": "",
            "licence": "",
            "tags": [],
            "links-TOTAL_FORMS": "3",
            "links-INITIAL_FORMS": "0",
            "action": "submit",
        }
    )

    unchanged = client.post(edit, data)
    changed = client.post(edit, {**data, "summary_en": "New."})

    assert unchanged.status_code == 400
    assert "Nothing was changed" in unchanged.content.decode()
    assert changed.status_code == 302
    component.refresh_from_db()
    assert component.summary_en == "Old."
    assert Revision.objects.get().proposed_changes == {"summary_en": "New."}


def test_another_organisations_component_cannot_be_opened(client, supplier):
    theirs = make_component(publication_state="draft")

    response = client.get(url("catalogue:component-edit", theirs.slug))

    assert response.status_code == 404


def test_a_description_is_rendered_as_safe_markdown(client):
    component = make_component(
        description_en="# Title\n\nSee [the docs](https://example.org) <b title=x>b</b>"
    )

    page = client.get(url("catalogue:component-detail", component.slug))

    text = page.content.decode()
    assert "<h3>Title</h3>" in text
    assert 'href="https://example.org"' in text
    assert "<b title" not in text


def test_a_description_never_uses_what_another_one_defined(client):
    # The converter is reused from page to page: a reference link one
    # description defines must not turn up as a link in the next one.
    defines = make_component(description_en="[docs]\n\n[docs]: https://one.example")
    uses = make_component(description_en="See [docs].")

    first = client.get(url("catalogue:component-detail", defines.slug))
    second = client.get(url("catalogue:component-detail", uses.slug))

    assert 'href="https://one.example"' in first.content.decode()
    assert "one.example" not in second.content.decode()
    assert "See [docs]." in second.content.decode()


def image_bytes(format_: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=format_)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_logo_is_checked_and_stored_under_a_generated_name(client, supplier, media):
    logo = SimpleUploadedFile("../../x.png", image_bytes(), content_type="image/png")

    response = client.post(
        url("catalogue:component-propose"), {**form_data(), "logo": logo}
    )

    assert response.status_code == 302
    stored = Component.objects.get().logo.name
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", stored)
    assert (media / stored).is_file()
    served = client.get(f"/media/{stored}")
    assert served.status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "type_"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("logo.png", b"not an image at all", "image/png"),
        ("logo.bmp", image_bytes("BMP"), "image/bmp"),
        ("big.png", image_bytes() + b"\0" * (20 * 1024 * 1024), "image/png"),
    ],
    ids=["svg-with-script", "not-an-image", "bmp", "20-mb"],
)
def test_a_bad_logo_is_refused_and_nothing_stored(
    client, supplier, media, name, content, type_
):
    logo = SimpleUploadedFile(name, content, content_type=type_)

    response = client.post(
        url("catalogue:component-propose"), {**form_data(), "logo": logo}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["logo"]
    assert Component.objects.count() == 0
    assert not any(media.rglob("*.*"))
