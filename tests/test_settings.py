import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from catalogue.models import Component


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    # Without the test run's relaxations: production defaults.
    relaxed = {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
    relaxed.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in relaxed}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_stops_start_up_outside_debug():
    result = run_manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked():
    script = "from django.conf import settings; print(settings.DEBUG)"
    result = run_manage("shell", "--no-imports", "-c", script, SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_complete():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/components/{slug}/" in out.getvalue()


def test_the_deployment_checklist_passes_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        # Production sends e-mail through SMTP; the check refuses the console.
        EMAIL_HOST="smtp.example.org",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_no_query_runs_longer_than_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'"
        )
        (milliseconds,) = cursor.fetchone()

    assert int(milliseconds) == settings.DATABASE_STATEMENT_TIMEOUT_MS > 0


PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"


@pytest.mark.django_db
def test_a_query_run_often_is_planned_once_per_connection():
    # The same lookup for different slugs: one statement, prepared once the
    # connection has run it DATABASE_PREPARE_THRESHOLD times.
    lookup = Component.objects.filter(slug__startswith="prepared-test").only("pk")
    for number in range(int(settings.DATABASE_PREPARE_THRESHOLD) + 1):
        list(lookup.filter(slug=f"prepared-test-{number}"))

    with connection.cursor() as cursor:
        cursor.execute(PREPARED, ["%prepared-test%"])
        assert cursor.fetchone() == (0,)  # parameters are never in the text
        cursor.execute(PREPARED, ['%"catalogue_component"."slug"::text LIKE $1%'])
        assert cursor.fetchone() == (1,)


def test_an_empty_prepare_threshold_binds_on_the_client():
    script = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS']))"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        SECRET_KEY="x" * 50,
        DATABASE_PREPARE_THRESHOLD="",
    )

    assert result.returncode == 0, result.stderr
    assert "server_side_binding" not in result.stdout
    assert "prepare_threshold" not in result.stdout
