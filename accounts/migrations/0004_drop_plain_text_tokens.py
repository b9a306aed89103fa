from django.db import migrations


class Migration(migrations.Migration):
    """API tokens moved to django-rest-knox, which keeps only their hashes.
    The old table held them in plain text: it goes, and its tokens with it
    (suppliers create a new one on their account page)."""

    dependencies = [
        ("accounts", "0003_user_language"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS authtoken_token CASCADE",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
