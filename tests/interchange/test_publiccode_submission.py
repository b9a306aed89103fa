"""A publiccode.yml sent to the API, and uploaded or pasted in the web form."""

import json
import urllib.error
import urllib.request

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Component, Provider, PublicationState
from interchange.publiccode.documents import dump
from tests.factories import make_user
from tests.interchange.test_publiccode_import import VALID, rows


def post(url: str, body: bytes, token: str, content_type: str):
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": content_type,
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def renamed(name: str) -> bytes:
    document = yaml.safe_load(VALID)
    document["name"] = name
    document["url"] = f"https://git.example.be/{name.lower().replace(' ', '-')}.git"
    return dump(document).encode()


class TestApi:
    """Over HTTP, on the portal as it runs in production."""

    @pytest.mark.parametrize("content_type", ["application/yaml", "application/x-yaml"])
    def test_a_file_becomes_a_submitted_component(
        self, portal_url, supplier_token, content_type
    ):
        name = f"Sign Box {content_type.split('/')[1]}"

        status, headers, body = post(
            f"{portal_url}/api/v1/components/",
            renamed(name),
            supplier_token,
            f"{content_type}; charset=utf-8",
        )

        assert status == 201, body
        assert body["publication_state"] == "submitted"
        assert body["provider"] == "smals"
        assert body["licence"] == "EUPL-1.2"
        assert headers["Location"] == f"/api/v1/components/{body['slug']}/"
        # Not public before a moderator publishes it.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{portal_url}/api/v1/components/{body['slug']}/")
        assert missing.value.code == 404

    def test_a_bad_file_is_a_problem_with_field_messages(
        self, portal_url, supplier_token
    ):
        document = yaml.safe_load(VALID)
        document["categories"] = ["teleportation"]
        del document["maintenance"]

        status, headers, body = post(
            f"{portal_url}/api/v1/components/",
            dump(document).encode(),
            supplier_token,
            "application/yaml",
        )

        assert status == 400
        assert headers["Content-Type"] == "application/problem+json"
        assert set(body["errors"]) == {"categories[0]", "maintenance"}

    def test_json_bodies_still_work(self, portal_url, supplier_token):
        status, _headers, body = post(
            f"{portal_url}/api/v1/components/",
            json.dumps(
                {
                    "name_nl": "JSON nog steeds",
                    "summary_nl": "Een component in JSON.",
                    "kind": "api",
                    "building_block": "communications",
                    "domain": "generic",
                }
            ).encode(),
            supplier_token,
            "application/json",
        )

        assert status == 201, body
        assert body["slug"] == "json-nog-steeds"


@pytest.mark.django_db
def test_a_5_mb_body_is_refused_unread(seeded_catalogue):
    """In process: over HTTP, the server answers before the client has sent
    the body, and closes the connection on the rest of it."""
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    supplier = make_user(organisation=Provider.objects.get(slug="smals"))
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=supplier)[1]}"
    )
    before = rows()

    response = client.post(
        "/api/v1/components/",
        b"# padding\n" * 524_288,
        content_type="application/yaml",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "larger than 512 KB" in response.json()["errors"]["publiccode.yml"][0]
    assert rows() == before


@pytest.mark.django_db
class TestWebForm:
    @pytest.fixture
    def supplier_client(self, client, seeded_catalogue):
        supplier = make_user(organisation=Provider.objects.get(slug="smals"))
        client.force_login(supplier)
        return client

    def test_the_form_offers_the_import(self, supplier_client):
        page = BeautifulSoup(
            supplier_client.get("/en/submissions/new/").content, "html.parser"
        )

        assert page.find("input", {"type": "file", "name": "publiccode_file"})
        assert page.find("textarea", {"name": "publiccode_text"})
        assert page.find("button", {"name": "action", "value": "import"})

    def test_a_pasted_file_becomes_a_draft(self, supplier_client):
        response = supplier_client.post(
            "/en/submissions/new/", {"action": "import", "publiccode_text": VALID}
        )

        component = Component.objects.get(slug="sign-box")
        assert response.status_code == 302
        assert response["Location"] == "/en/submissions/sign-box/edit/"
        assert component.publication_state == PublicationState.DRAFT
        assert component.organisation_roles.count() == 4
        edit = supplier_client.get(response["Location"])
        assert "Imported as a draft" in edit.content.decode()

    def test_an_uploaded_file_becomes_a_draft(self, supplier_client):
        upload = SimpleUploadedFile(
            "publiccode.yml", VALID.encode(), content_type="application/yaml"
        )

        response = supplier_client.post(
            "/en/submissions/new/", {"action": "import", "publiccode_file": upload}
        )

        assert response.status_code == 302
        assert Component.objects.get(slug="sign-box").licence == "EUPL-1.2"

    def test_a_file_on_the_edit_page_changes_that_component(self, supplier_client):
        supplier_client.post(
            "/en/submissions/new/", {"action": "import", "publiccode_text": VALID}
        )

        response = supplier_client.post(
            "/en/submissions/sign-box/edit/",
            {
                "action": "import",
                "publiccode_text": VALID.replace("EUPL-1.2", "MIT").replace(
                    "name: Sign Box\n", "name: Another name\n"
                ),
            },
        )

        assert response.status_code == 302
        assert Component.objects.get(slug="sign-box").licence == "MIT"

    def test_a_bad_file_is_shown_with_its_messages_and_nothing_saved(
        self, supplier_client
    ):
        before = rows()
        bad = VALID.replace("developmentStatus: stable", "developmentStatus: done")

        response = supplier_client.post(
            "/en/submissions/new/", {"action": "import", "publiccode_text": bad}
        )

        assert response.status_code == 400
        summary = BeautifulSoup(response.content, "html.parser").find(id="form-errors")
        assert "developmentStatus: Use one of:" in summary.get_text()
        assert rows() == before

    def test_neither_file_nor_text_is_an_error(self, supplier_client):
        response = supplier_client.post("/en/submissions/new/", {"action": "import"})

        assert response.status_code == 400
        assert "one of the two" in response.content.decode()
