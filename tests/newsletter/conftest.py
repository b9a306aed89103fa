import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """E-mails go out as soon as the request commits, as the worker would."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limits count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
