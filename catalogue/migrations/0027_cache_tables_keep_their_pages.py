from django.db import migrations

from reuse_portal.cache import tune_tables


def keep_the_pages(apps, schema_editor) -> None:
    """The cache tables keep their pages when emptied (reuse_portal/cache.py:
    a table left a page or two made every connection read it whole)."""
    tune_tables(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0026_limits_cache_table")]

    operations = [migrations.RunPython(keep_the_pages, migrations.RunPython.noop)]
