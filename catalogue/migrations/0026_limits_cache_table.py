from django.db import migrations

from reuse_portal.cache import tune_tables


def create_the_limits_table(apps, schema_editor) -> None:
    """The rate limits' counts have a cache table of their own
    (settings.CACHES["limits"]); the tables that exist are left as they are."""
    tune_tables(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0025_rendered_component_pages")]

    operations = [
        migrations.RunPython(create_the_limits_table, migrations.RunPython.noop)
    ]
