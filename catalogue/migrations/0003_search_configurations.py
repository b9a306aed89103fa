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

# unaccent() is only STABLE (its dictionary could change), so PostgreSQL
# refuses it in generated columns and indexes. Pinning the dictionary makes
# this wrapper safe to declare IMMUTABLE, the usual way round.
CREATE_UNACCENT = """
    CREATE FUNCTION portal_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
DROP_UNACCENT = "DROP FUNCTION IF EXISTS portal_unaccent(text);"


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_postgres_extensions")]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunSQL(CREATE_UNACCENT, DROP_UNACCENT),
    ]
