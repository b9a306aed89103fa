import pytest


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """E-mails go out as soon as the request commits, as the worker would."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
