from django.db import migrations

# One text search configuration per portal language, plus a "simple" one for
# acronyms and product names. Each runs words through `unaccent` before
# stemming, so "generateur" finds "générateur" and back.
CONFIGURATIONS = {
    "portal_nl": ("dutch", "dutch_stem"),
    "portal_fr": ("french", "french_stem"),
    "portal_en": ("english", "english_stem"),
    "portal_simple": ("simple", "simple"),
}

CREATE = "\n".join(
    f"""
    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{parent});
    ALTER TEXT SEARCH CONFIGURATION {name}
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer};
    """
    for name, (parent, stemmer) in CONFIGURATIONS.items()
)
DROP = "\n".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name in CONFIGURATIONS)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_postgres_extensions")]

    operations = [migrations.RunSQL(CREATE, DROP)]
