"""What a new server process does before it accepts its first request.

Django does much of its setting up at the first request that needs it: it
imports the URLconf (and with it every view, serializer and form), loads
each language's translations and builds each language's table for reversing
URLs, imports its date formats, template loaders and context processors, and
creates the cache and session backends. In a new gunicorn worker that took
some 230 ms, holding the GIL all along: every connection the worker had
accepted waited for it, and wrk's first run on a trivial view after a start
measured p99 of 100-535 ms, against 13-20 ms in the runs after it. Done
before the worker accepts a connection, the first run measured 18-21 ms.
"""

from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format

from catalogue.rendered_pages import rendering_sources_version
from catalogue.search import thesaurus


def warm_up() -> None:
    """Do now, before any request waits for it, what a process's first
    requests would do: called by gunicorn.conf.py in each worker. Opens no
    database connection: each thread opens its own anyway."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Any name will do: the first reverse() in a language imports
            # the URLconf and builds that language's whole table.
            reverse("healthz")
            # The language's date and number formats are a module each.
            get_format("DATE_FORMAT")
    caches.all()
    # A session store imports its serializer when it is made.
    import_module(settings.SESSION_ENGINE).SessionStore()
    # A template engine imports its libraries of template tags when it is
    # made, its loaders and context processors when first asked for them.
    for backend in engines.all():
        # Cached properties: reading them once imports what they list.
        _ = backend.engine.template_loaders, backend.engine.template_context_processors
    # The digest of the files a component page's rendering reads, which
    # every stored page is checked against: 15 ms of reading and hashing.
    rendering_sources_version()
    # The search thesaurus, read from its YAML file by the first search: 42 ms.
    thesaurus()
