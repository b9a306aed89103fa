"""The real catalogue, exported as CSV, reads back through the import
without a single change (its own module: the seeded catalogue stays loaded
for the whole module)."""

import pytest

from catalogue.models import Component
from tests.interchange.test_csv_import import exported, run, table

pytestmark = pytest.mark.django_db


def test_the_real_catalogue_reads_back_unchanged(
    seeded_catalogue, client, moderator, tmp_path
):
    path = tmp_path / "catalogue.csv"
    text = exported(client)
    path.write_text(text, encoding="utf-8-sig")
    published = Component.objects.published().count()

    out, _err = run(path, user=moderator)

    assert len(table(text)) == published > 50
    assert f"0 to revise, {published} unchanged, 0 rejected" in out
