from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    # The shared cache (settings.CACHES) is a table unless Redis is used;
    # createcachetable does nothing for other backends.
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0013_search_words")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
