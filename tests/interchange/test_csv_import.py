"""`manage.py import_catalogue`: a dry run by default that reports every row,
writes through the publishing services with --apply, and writes nothing at
all when one row is rejected."""

import csv
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from catalogue.models import (
    Component,
    ComponentKind,
    ComponentLink,
    ComponentOrganisation,
    LifecycleStatus,
    PublicationState,
    Tag,
)
from interchange.tabular.columns import HEADER
from publishing import services as publishing
from publishing.models import Action, Revision, Transition
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.django_db


def exported(client) -> str:
    with translation.override("nl"):
        response = client.get("/nl/catalogue.csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def write_csv(path: Path, rows: list[dict], header=HEADER, encoding="utf-8-sig"):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(header), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run(path: Path, *options: str, user) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_catalogue",
        str(path),
        "--user",
        user.username,
        *options,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def refused(path: Path, *options: str, user) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_catalogue",
            str(path),
            "--user",
            user.username,
            *options,
            stdout=out,
            stderr=err,
        )
    return out.getvalue() + err.getvalue(), str(error.value)


def snapshot() -> tuple:
    """Everything an import could change."""
    return (
        list(Component.objects.order_by("pk").values()),
        list(Component.tags.through.objects.order_by("pk").values()),
        Revision.objects.count(),
        Transition.objects.count(),
    )


@pytest.fixture
def catalogue():
    provider = make_provider(slug="smals")
    make_building_block(slug="signing")
    make_domain(slug="health")
    Tag.objects.create(slug="identity", name="Identity")
    return provider


@pytest.fixture
def new_row(catalogue) -> dict:
    return {
        "slug": "new-signer",
        "name_nl": "Ondertekenaar",
        "name_fr": "Signataire électronique",
        "summary_nl": "Documenten ondertekenen",
        "summary_fr": "Signer des documents, à distance",
        "kind": "api",
        "provider": "smals",
        "building_block": "signing",
        "domain": "health",
        "tags": "identity",
        "links": "documentation https://example.org/doc [fr] Guide",
        "languages": "nl; fr",
    }


def test_the_exported_catalogue_reads_back_unchanged(client, moderator, tmp_path):
    for n in range(3):
        make_component(
            name_fr=f"Élément « {n} »",
            name_nl=["'t Stadhuis", "'=niet uitvoeren", "''dubbel"][n],
            summary_en=f"-{n} starts like a formula",
            description_nl='Regel één\nregel twee, met ; en "aanhalingstekens"',
            licence="EUPL-1.2",
            languages=["fr", "nl"],
        )
    make_component(publication_state=PublicationState.DRAFT)
    path = tmp_path / "catalogue.csv"
    path.write_text(exported(client), encoding="utf-8-sig")

    out, err = run(path, user=moderator)

    assert out.count(": unchanged") == 3
    assert "0 to create, 0 to update, 0 to revise, 3 unchanged, 0 rejected" in out
    assert err == ""


def test_tags_links_and_organisations_read_back_unchanged(client, moderator, tmp_path):
    """What the export writes of the relations is what the import compares
    each row with: unchanged, until a cell changes."""
    owner, other = make_provider(slug="owner"), make_provider(slug="other")
    component = make_component(slug="related", provider=None)
    component.tags.add(
        *(Tag.objects.create(slug=slug, name=slug) for slug in ("zeta", "alpha"))
    )
    for kind, url, title, language in [
        ("website", "https://example.org/", "", ""),
        ("documentation", "https://example.org/doc", "[beta] Guide", ""),
        ("documentation", "https://example.org/fr", "Guide", "fr"),
    ]:
        ComponentLink.objects.create(
            component=component, kind=kind, url=url, title=title, language=language
        )
    for organisation, role, position, confirmed in [
        (owner, "owner", 1, True),
        (other, "developer", 0, False),
    ]:
        ComponentOrganisation.objects.create(
            component=component,
            organisation=organisation,
            role=role,
            position=position,
            confirmed=confirmed,
        )
    rows = table(exported(client))
    assert (rows[0]["tags"], rows[0]["organisations"], rows[0]["links"]) == (
        "alpha; zeta",
        "other (developer, unconfirmed); owner (owner)",
        "website https://example.org/\n"
        "documentation https://example.org/doc [] [beta] Guide\n"
        "documentation https://example.org/fr [fr] Guide",
    )
    same = write_csv(tmp_path / "same.csv", rows)
    rows[0]["links"] = rows[0]["links"].replace("[fr] Guide", "[fr] Gids")
    changed = write_csv(tmp_path / "changed.csv", rows)

    unchanged, _err = run(same, user=moderator)
    revised, _err = run(changed, user=moderator)

    assert "line 2: related: unchanged" in unchanged
    assert "line 2: would propose a revision of related: links" in revised


def test_a_dry_run_reports_the_changes_and_writes_nothing(
    client, moderator, new_row, tmp_path
):
    component = make_component(slug="kept", name_fr="Ancien nom")
    rows = table(exported(client))
    rows[0]["name_fr"] = "Nouveau nom, accentué"
    rows[0]["tags"] = "identity"
    path = write_csv(tmp_path / "changes.csv", [*rows, new_row])
    before = snapshot()

    out, err = run(path, user=moderator)

    assert "line 2: would propose a revision of kept: name_fr, tags" in out
    assert "line 3: would create new-signer:" in out
    assert "Dry run, nothing written" in out
    assert err == ""
    assert snapshot() == before
    component.refresh_from_db()
    assert component.name_fr == "Ancien nom"


def test_apply_creates_and_submits_for_review(moderator, new_row, tmp_path):
    path = write_csv(tmp_path / "new.csv", [new_row])

    out, _err = run(path, "--apply", user=moderator)

    created = Component.objects.get(slug="new-signer")
    assert "line 2: created new-signer" in out
    assert created.publication_state == PublicationState.SUBMITTED
    assert created.name_fr == "Signataire électronique"
    assert created.provider.slug == "smals"
    assert created.languages == ["nl", "fr"]
    assert list(created.tags.values_list("slug", flat=True)) == ["identity"]
    assert created.links.get().language == "fr"
    assert [
        step.action for step in Transition.objects.filter(object_id=created.pk)
    ] == [
        Action.CREATE,
        Action.SUBMIT,
    ]
    assert not Component.objects.published().filter(slug="new-signer").exists()


def test_apply_to_a_published_component_proposes_a_revision(
    client, moderator, tmp_path
):
    component = make_component(slug="kept", name_fr="Ancien nom")
    rows = table(exported(client))
    rows[0]["name_fr"] = "Nouveau nom"
    path = write_csv(tmp_path / "changes.csv", rows)

    out, _err = run(path, "--apply", user=moderator)

    component.refresh_from_db()
    assert "line 2: revision proposed kept: name_fr" in out
    assert component.name_fr == "Ancien nom"
    revision = Revision.objects.open().get()
    assert revision.proposed_changes == {"name_fr": "Nouveau nom"}


def test_a_moderator_publishes_at_once_with_history(
    client, moderator, new_row, tmp_path
):
    component = make_component(slug="kept", lifecycle_status=LifecycleStatus.AVAILABLE)
    rows = table(exported(client))
    rows[0]["lifecycle_status"] = "deprecated"
    path = write_csv(tmp_path / "changes.csv", [*rows, new_row])

    out, _err = run(path, "--apply", "--publish", user=moderator)

    component.refresh_from_db()
    assert component.lifecycle_status == LifecycleStatus.DEPRECATED
    assert "updated (revision accepted) kept: lifecycle_status" in out
    assert "created and published new-signer" in out
    assert Component.objects.published().filter(slug="new-signer").exists()
    accepted = Transition.objects.get(
        object_id=component.pk, action=Action.ACCEPT_REVISION
    )
    assert accepted.reason == "Imported from changes.csv"
    assert accepted.actor == moderator
    assert component.history.count() == 2


def test_publishing_needs_a_moderator(catalogue, new_row, tmp_path):
    supplier = make_user(organisation=catalogue)
    path = write_csv(tmp_path / "new.csv", [new_row])

    _output, message = refused(path, "--apply", "--publish", user=supplier)

    assert "Only a moderator may publish" in message
    assert not Component.objects.filter(slug="new-signer").exists()


def test_a_supplier_changes_only_its_own_organisations_components(
    catalogue, new_row, tmp_path
):
    supplier = make_user(organisation=catalogue)
    other = {**new_row, "slug": "theirs", "provider": make_provider().slug}
    path = write_csv(tmp_path / "new.csv", [new_row, other])

    output, _message = refused(path, "--apply", user=supplier)

    assert "line 3: rejected theirs: you may only create components of your own" in (
        output
    )
    assert not Component.objects.filter(slug__in=["new-signer", "theirs"]).exists()


def test_an_unpublished_component_is_changed_in_place_and_resubmitted(
    catalogue, new_row, tmp_path
):
    supplier = make_user(organisation=catalogue)
    draft = make_component(
        slug="new-signer",
        provider=catalogue,
        publication_state=PublicationState.DRAFT,
        kind=ComponentKind.SERVICE,
    )
    path = write_csv(tmp_path / "change.csv", [new_row])

    out, _err = run(path, "--apply", user=supplier)

    draft.refresh_from_db()
    assert "line 2: updated new-signer: name_nl" in out
    assert draft.kind == ComponentKind.API
    assert draft.publication_state == PublicationState.SUBMITTED


BAD_CELLS = [
    ({"kind": "apii"}, "kind: unknown value 'apii'; use one of: api,"),
    ({"provider": "nobody"}, "provider: unknown provider 'nobody'"),
    ({"links": "documentation not-a-url"}, "is not an http(s) URL"),
    ({"links": "manual https://example.org"}, "unknown kind 'manual'"),
    ({"domain": ""}, "missing required field(s) for a new component: domain"),
    ({"name_nl": "", "name_fr": ""}, "give the name and the summary in at least one"),
    ({"slug": "not a slug"}, "slug: 'not a slug' is not a slug"),
    ({"support_email": "nobody@"}, "not an e-mail address"),
    ({"licence": "WTFPL"}, "unknown licence 'WTFPL'"),
    ({"tags": "identity; unheard-of"}, "unknown tag(s) unheard-of"),
    ({"languages": "nl; xx"}, "unknown language xx"),
    ({"organisations": "nobody (owner)"}, "unknown organisation(s) nobody"),
    ({"organisations": "smals (sponsor)"}, "unknown role 'sponsor'; the roles are"),
    ({"organisations": "smals owner"}, "write each organisation as “slug (role)”"),
    ({"summary_nl": "x" * 301}, "summary_nl: Ensure this value has at most 300"),
]


@pytest.mark.parametrize(("change", "reason"), BAD_CELLS)
def test_one_bad_row_writes_nothing_and_names_its_line(
    moderator, new_row, tmp_path, change, reason
):
    good = {**new_row, "slug": "good-one"}
    bad = {**new_row, **change}
    path = write_csv(tmp_path / "bad.csv", [good, bad, {**good, "slug": "good-two"}])
    before = snapshot()

    output, message = refused(path, "--apply", user=moderator)

    assert f"line 3: rejected {bad['slug']}: " in output
    assert reason in output
    assert "line 2: " not in output.replace("line 2: would create", "")
    assert message == "1 row(s) rejected: nothing was written."
    assert snapshot() == before


def test_a_duplicate_slug_is_rejected_with_both_lines(moderator, new_row, tmp_path):
    path = write_csv(tmp_path / "twice.csv", [new_row, new_row])

    output, _message = refused(path, "--apply", user=moderator)

    assert "line 3: rejected new-signer: slug 'new-signer' is also on line 2" in output
    assert not Component.objects.filter(slug="new-signer").exists()


def test_a_row_with_a_stray_cell_is_rejected(moderator, new_row, tmp_path):
    path = write_csv(tmp_path / "new.csv", [new_row])
    path.write_text(path.read_text("utf-8-sig") + "extra,cells,only\n", "utf-8")

    output, _message = refused(path, user=moderator)

    assert "line 3: rejected" in output
    assert "3 cells, but the first line names" in output


def test_a_file_not_in_utf_8_is_refused_with_its_line(moderator, new_row, tmp_path):
    path = write_csv(
        tmp_path / "latin1.csv", [new_row, {**new_row, "slug": "b"}], encoding="latin-1"
    )

    _output, message = refused(path, user=moderator)

    assert "The file is not in UTF-8 (line 2: byte 0xe9)" in message
    assert "CSV UTF-8" in message


def test_a_utf_16_file_is_refused(moderator, new_row, tmp_path):
    path = write_csv(tmp_path / "utf16.csv", [new_row], encoding="utf-16")

    _output, message = refused(path, user=moderator)

    assert "UTF-16" in message


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (["slug", "nom"], "Unknown column(s) in the first line: 'nom'"),
        (["slug", "kind", "kind"], "Column(s) given twice: kind"),
        (["kind", "name_nl"], "no “slug” column"),
    ],
)
def test_a_wrong_header_is_refused(moderator, new_row, tmp_path, header, said):
    path = tmp_path / "header.csv"
    path.write_text(",".join(header) + "\nx,y,z\n", encoding="utf-8")

    _output, message = refused(path, user=moderator)

    assert said in message


def test_an_empty_file_is_refused(moderator, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    _output, message = refused(path, user=moderator)

    assert "The file is empty" in message


def test_a_spreadsheet_saved_with_semicolons_and_only_some_columns(
    client, moderator, tmp_path
):
    make_component(slug="kept", licence="")
    path = tmp_path / "semicolons.csv"
    path.write_text("slug;licence\r\nkept;EUPL-1.2\r\n", encoding="utf-8-sig")

    out, _err = run(path, user=moderator)

    assert "Not in the file, left as they are: name_nl," in out
    assert "line 2: would propose a revision of kept: licence" in out


def test_progress_is_shown_on_stderr_when_asked(moderator, new_row, tmp_path):
    path = write_csv(tmp_path / "new.csv", [new_row])

    _out, err = run(path, "--progress", user=moderator)

    assert "100% (" in err


def test_publishing_refuses_a_component_with_a_revision_awaiting_review(
    client, catalogue, moderator, tmp_path
):
    component = make_component(slug="kept", provider=catalogue, name_en="Old")
    supplier = make_user(organisation=catalogue)
    publishing.change(entry=component, changes={"name_en": "Theirs"}, actor=supplier)
    rows = table(exported(client))
    rows[0]["name_nl"] = "Ons voorstel"
    path = write_csv(tmp_path / "changes.csv", rows)

    output, _message = refused(path, "--apply", "--publish", user=moderator)

    assert "line 2: rejected kept: a revision of this component awaits review" in output
    component.refresh_from_db()
    assert component.name_en == "Old"
    assert Revision.objects.open().get().proposed_changes == {"name_en": "Theirs"}


def test_organisations_change_through_a_revision_that_keeps_confirmations(
    client, moderator, tmp_path
):
    owner = make_provider(slug="bosa")
    developer = make_provider(slug="smals")
    component = make_component(slug="kept", provider=owner)
    ComponentOrganisation.objects.create(
        component=component, organisation=owner, role="owner", confirmed=True
    )
    rows = table(exported(client))
    assert rows[0]["organisations"] == "bosa (owner)"
    rows[0]["organisations"] = "smals (developer); bosa (owner)"
    path = write_csv(tmp_path / "changes.csv", rows)

    out, _err = run(path, "--apply", user=moderator)

    assert "line 2: revision proposed kept: organisations" in out
    revision = Revision.objects.open().get()
    assert revision.proposed_changes == {
        "organisations": [
            {"organisation": "smals", "role": "developer"},
            {"organisation": "bosa", "role": "owner"},
        ]
    }
    # The moderator reads it in the order it was written.
    assert [values for _label, *values in publishing.revision_diff(revision)] == [
        ["bosa · owner", "smals · developer; bosa · owner"]
    ]
    # The public still sees the published attribution.
    assert list(component.organisations.values_list("slug", flat=True)) == ["bosa"]

    publishing.accept_revision(revision=revision, actor=moderator)

    assert list(
        component.organisation_roles.values_list(
            "organisation__slug", "role", "confirmed"
        )
    ) == [("smals", "developer", False), ("bosa", "owner", True)]
    assert developer.component_roles.get().position == 0


def test_an_unconfirmed_attribution_reads_back_unchanged(client, moderator, tmp_path):
    component = make_component(slug="kept")
    ComponentOrganisation.objects.create(
        component=component,
        organisation=make_provider(slug="rsz"),
        role="owner",
        confirmed=False,
    )
    rows = table(exported(client))
    assert rows[0]["organisations"] == "rsz (owner, unconfirmed)"
    path = write_csv(tmp_path / "same.csv", rows)

    out, _err = run(path, user=moderator)

    assert "line 2: kept: unchanged" in out


def test_rows_written_before_a_later_rejected_row_are_rolled_back(
    moderator, new_row, tmp_path, monkeypatch
):
    # One row a chunk: the first is written before the second is checked.
    monkeypatch.setattr("interchange.tabular.importer.CHUNK_SIZE", 1)
    bad = {**new_row, "slug": "bad", "kind": "nonsense"}
    path = write_csv(tmp_path / "late.csv", [new_row, bad])
    before = snapshot()

    output, message = refused(path, "--apply", user=moderator)

    assert "line 3: rejected bad: kind: unknown value 'nonsense'" in output
    assert message == "1 row(s) rejected: nothing was written."
    assert snapshot() == before


def test_a_cell_beyond_what_csv_reads_is_refused_with_its_line(
    moderator, new_row, tmp_path
):
    path = write_csv(
        tmp_path / "huge.csv",
        [new_row, {**new_row, "slug": "huge", "description_nl": "x" * 200_000}],
    )

    _output, message = refused(path, user=moderator)

    assert "Line 3: not a CSV row the import can read" in message
