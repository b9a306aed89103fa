"""publiccode.yml files into the catalogue: through the publishing services,
every field mapped, bad files refused with nothing saved."""

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils.translation import gettext

from catalogue.models import (
    Component,
    ComponentDependency,
    ComponentKind,
    ComponentLink,
    ComponentOrganisation,
    LifecycleStatus,
    Provider,
    PublicationState,
)
from interchange.publiccode.documents import Refused, dump
from interchange.publiccode.export import document_for, exportable
from interchange.publiccode.importer import import_publiccode
from publishing import services as publishing
from publishing.models import Action, Revision, Transition
from tests.factories import make_user

pytestmark = pytest.mark.django_db
LONG = {
    "en": "Signs documents with the qualified signature of a civil servant. " * 3,
    "fr": "Signe des documents avec la signature qualifiée d'un fonctionnaire. " * 3,
}
VALID = f"""
publiccodeYmlVersion: "0.4"
name: Sign Box
url: https://git.example.be/sign-box.git
landingURL: https://signbox.example.be
platforms: [web]
categories: [e-signature, communications]
developmentStatus: stable
softwareType: standalone/backend
intendedAudience:
  countries: [be]
  scope: [welfare]
description:
  en:
    localisedName: Sign Box
    shortDescription: Qualified electronic signatures for administrations.
    longDescription: "{LONG["en"]}"
    documentation: https://docs.example.be/sign-box
    features: [access management, a feature the catalogue has no tag for]
  fr:
    localisedName: Boîte de signature
    shortDescription: Signatures électroniques qualifiées pour les administrations.
    longDescription: "{LONG["fr"]}"
    documentation: https://docs.example.be/sign-box
    apiDocumentation: https://docs.example.be/sign-box/openapi-fr.json
legal:
  license: EUPL-1.2
  mainCopyrightOwner: National Social Security Office; FPS Finance
  repoOwner: Smals
maintenance:
  type: internal
  contacts:
    - name: Sign Box helpdesk
      email: signbox@example.be
      phone: "+32 2 000 00 00"
      affiliation: Belnet
localisation:
  localisationReady: true
  availableLanguages: [nl, fr-BE, de]
dependsOn:
  open:
    - name: e-Box – Electronic mailbox
    - name: PostgreSQL
"""


@pytest.fixture
def supplier(seeded_catalogue):
    return make_user(
        email="supplier@smals.example", organisation=Provider.objects.get(slug="smals")
    )


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Component,
            ComponentLink,
            ComponentOrganisation,
            ComponentDependency,
            Revision,
            Transition,
        )
    }


def test_a_valid_file_becomes_a_draft_with_every_field(supplier):
    imported = import_publiccode(VALID, actor=supplier)

    component = imported.component
    assert imported.created
    assert component.publication_state == PublicationState.DRAFT
    assert component.provider.slug == "smals"
    assert (component.name_en, component.name_fr, component.name_nl) == (
        "Sign Box",
        "Boîte de signature",
        "",
    )
    assert component.description_fr == LONG["fr"]
    assert component.kind == ComponentKind.API
    assert component.lifecycle_status == LifecycleStatus.AVAILABLE
    assert component.building_block.slug == "communications"
    assert component.domain.slug == "social-security"
    assert component.licence == "EUPL-1.2"
    assert component.languages == ["nl", "fr", "de"]
    assert (component.support_name, component.support_email) == (
        "Sign Box helpdesk",
        "signbox@example.be",
    )
    assert list(
        component.organisation_roles.values_list("organisation__slug", "role")
    ) == [
        ("rsz", "owner"),
        ("fod-financien", "owner"),
        ("smals", "developer"),
        ("belnet", "operator"),
    ]
    assert set(component.links.values_list("kind", "url", "language")) == {
        ("source_code", "https://git.example.be/sign-box.git", ""),
        ("website", "https://signbox.example.be", ""),
        ("documentation", "https://docs.example.be/sign-box", ""),
        ("api_specification", "https://docs.example.be/sign-box/openapi-fr.json", "fr"),
    }
    assert list(component.tags.values_list("slug", flat=True)) == ["access-management"]
    assert list(component.depends_on.values_list("slug", flat=True)) == [
        "e-box-elektronische-mailbox"
    ]
    assert any("PostgreSQL" in warning for warning in imported.warnings)
    # Through the publishing services: the step is in the entry's history.
    assert [step.action for step in publishing.history(component)] == [Action.CREATE]


def test_submit_sends_it_to_the_moderators(supplier):
    component = import_publiccode(VALID, actor=supplier, submit=True).component

    assert component.publication_state == PublicationState.SUBMITTED


def test_a_file_for_a_published_component_becomes_a_revision(supplier, moderator):
    component = import_publiccode(VALID, actor=supplier, submit=True).component
    publishing.move(entry=component, action=Action.PUBLISH, actor=moderator)
    changed = VALID.replace("license: EUPL-1.2", "license: Apache-2.0")

    imported = import_publiccode(changed, actor=supplier)

    assert not imported.created
    assert imported.component.pk == component.pk
    assert imported.revision.proposed_changes == {"licence": "Apache-2.0"}
    component.refresh_from_db()
    assert component.licence == "EUPL-1.2"


def test_a_revision_carries_the_organisations_and_dependencies(supplier, moderator):
    component = import_publiccode(VALID, actor=supplier, submit=True).component
    publishing.move(entry=component, action=Action.PUBLISH, actor=moderator)
    changed = VALID.replace(
        "mainCopyrightOwner: National Social Security Office; FPS Finance",
        "mainCopyrightOwner: National Social Security Office",
    ).replace("    - name: e-Box – Electronic mailbox\n", "")

    imported = import_publiccode(changed, actor=supplier)

    assert not imported.warnings[1:]
    assert imported.revision.proposed_changes == {
        "organisations": [
            {"organisation": "rsz", "role": "owner"},
            {"organisation": "smals", "role": "developer"},
            {"organisation": "belnet", "role": "operator"},
        ],
        "depends_on": [],
    }
    # Published as it was until a moderator accepts the revision.
    assert component.organisations.count() == 4
    assert component.depends_on.count() == 1

    publishing.accept_revision(revision=imported.revision, actor=moderator)

    assert list(
        component.organisation_roles.values_list("organisation__slug", "role")
    ) == [("rsz", "owner"), ("smals", "developer"), ("belnet", "operator")]
    assert not component.depends_on.exists()


def test_a_file_never_changes_another_organisations_component(supplier, moderator):
    component = import_publiccode(VALID, actor=supplier).component
    other = make_user(organisation=Provider.objects.get(slug="belnet"))

    imported = import_publiccode(VALID, actor=other)

    assert imported.created
    assert imported.component.pk != component.pk
    assert imported.component.provider.slug == "belnet"


def _software(queryset):
    return queryset.exclude(
        kind__in=[
            ComponentKind.GUIDELINE,
            ComponentKind.TENDER_SPECIFICATION,
            ComponentKind.PROCESS,
        ]
    )


def test_export_import_export_gives_the_same_document(complete, moderator):
    importer = make_user(
        organisation=Provider.objects.create(slug="importer", kind="private_company")
    )
    originals = list(_software(exportable()))
    assert len(originals) > 90
    for original in originals:
        complete(original)
    for original in _software(exportable()):
        exported = dump(document_for(original))
        with transaction.atomic():
            copy = import_publiccode(exported, actor=importer, submit=True).component
            assert copy.pk != original.pk
            publishing.move(entry=copy, action=Action.PUBLISH, actor=moderator)
            again = dump(document_for(exportable().get(pk=copy.pk)))
            transaction.set_rollback(True)
        assert again == exported, original.slug


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
    for n in range(8)
)


def _without(key: str) -> str:
    document = yaml.safe_load(VALID)
    del document[key]
    return dump(document)


def _with(path: str, value) -> str:
    document = yaml.safe_load(VALID)
    *parents, last = path.split(".")
    target = document
    for parent in parents:
        target = target[parent]
    target[last] = value
    return dump(document)


BAD_FILES = {
    "malformed YAML": ("name: [unclosed\nurl: x", "publiccode.yml"),
    "not a mapping": ("- just\n- a list\n", "publiccode.yml"),
    "wrong type": (_with("platforms", "web"), "platforms"),
    "wrong type deep": (
        _with("description.en.shortDescription", ["a", "list"]),
        "description.en.shortDescription",
    ),
    "too long": (
        _with("description.en.shortDescription", "x" * 151),
        "description.en.shortDescription",
    ),
    "missing required key": (_without("legal"), "legal"),
    "missing url": (_without("url"), "url"),
    "unknown category": (_with("categories", ["teleportation"]), "categories[0]"),
    "unknown status": (_with("developmentStatus", "finished"), "developmentStatus"),
    "not an e-mail": (
        _with("maintenance.contacts", [{"name": "X", "email": "not-an-address"}]),
        "maintenance.contacts[0].email",
    ),
    "not a licence": (_with("legal.license", "free for all!"), "legal.license"),
    "unknown organisation": (
        _with("legal.mainCopyrightOwner", "Ministry of Magic"),
        "legal.mainCopyrightOwner",
    ),
    "no description in our languages": (
        _with("description", {"it": {"shortDescription": "Firma"}}),
        "description",
    ),
    "5 MB": ("name: x\n" + "# padding\n" * 524_288, "publiccode.yml"),
    "YAML bomb": (BOMB, "publiccode.yml"),
    "repeated key": (VALID + "name: Twice\n", "publiccode.yml"),
    "NUL character": (
        VALID.replace("name: Sign Box helpdesk", 'name: "Sign\\0Box"'),
        "maintenance.contacts[0].name",
    ),
    "lone surrogate": (
        VALID.replace("name: Sign Box helpdesk", 'name: "Sign\\ud800Box"'),
        "maintenance.contacts[0].name",
    ),
}


@pytest.mark.parametrize(("text", "path"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_with_its_path_and_nothing_is_saved(supplier, text, path):
    before = rows()

    with pytest.raises(Refused) as refused:
        import_publiccode(text, actor=supplier, submit=True)

    messages = refused.value.message_dict
    assert path in messages, messages
    assert all(isinstance(m, str) and m for ms in messages.values() for m in ms)
    assert rows() == before


def test_the_model_s_refusal_is_reported_under_the_file_s_key(supplier):
    before = rows()
    text = _with("description.en.longDescription", "<script>x</script>" + "x" * 150)

    with pytest.raises(Refused) as refused:
        import_publiccode(text, actor=supplier)

    assert "description.en.longDescription" in refused.value.message_dict
    assert rows() == before


def test_the_command_imports_every_file_or_none(supplier, tmp_path, capsys):
    good = tmp_path / "good.yml"
    good.write_text(VALID)
    bad = tmp_path / "bad.yml"
    bad.write_text(_without("maintenance"))
    before = rows()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_publiccode", good, bad, "--as", supplier.email)

    assert rows() == before
    # In the language the command speaks (the portal's, as every test).
    assert f"maintenance: {gettext('This key is required.')}" in capsys.readouterr().err

    call_command("import_publiccode", good, "--submit", "--as", supplier.email)
    component = Component.objects.get(name_en="Sign Box")
    assert component.publication_state == PublicationState.SUBMITTED
    assert f"{good}: sign-box created" in capsys.readouterr().out
