from django.db import migrations

from reuse_portal.cache import tune_tables


def tune_cache_tables(apps, schema_editor) -> None:
    tune_tables(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0018_facet_count_indexes")]

    operations = [
        migrations.RunPython(tune_cache_tables, migrations.RunPython.noop)
    ]
