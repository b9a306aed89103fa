from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive and typo-tolerant search need these two extensions."""

    dependencies = [("catalogue", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
