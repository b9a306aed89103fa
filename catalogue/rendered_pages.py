"""Component pages rendered once and kept in the database, checked on every
read against what they were rendered from.

A component page seen for the first time by a process used to cost a read
of its row and a rendering: 2.2 ms of the 4.1 a first view took at 100,000
components, where nearly every view is a first one. Now the view asks for
the stored rendering with one query that also proves it current: PostgreSQL
computes the digest of the row the page would be rendered from (the same
query: the component and every list it shows, published rows only), salted
with what else the rendering reads (rendering_salt(): the code, templates
and translations, the language, the address prefix, a few settings), and
returns the stored page only if it was rendered under that digest. A change
to anything a page shows changes its digest, so the next view renders it
again and stores it: nothing has to work out which pages a change touches,
and a stale page is never served. A first view in a process now takes
1.6 ms; under load, 803 to 886 pages a second instead of 445 (bench/results/
2026-12-05-100000-281fc2f.md).

`manage.py render_component_pages` renders ahead of visitors every page not
current: after a deploy (new code or translations make every page stale) or
a catalogue load.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections, transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

import reuse_portal
from catalogue.models import Component, RenderedComponentPage
from interchange.dcat.alternates import link_header
from reuse_portal.precompiled import PrecompiledLookup

logger = logging.getLogger(__name__)

# A component page's row by its slug: the query is compiled once per process.
COMPONENT_PAGES = PrecompiledLookup(Component.objects.for_page(), "slug")
# What the rendering reads besides the row and the settings: the files of
# the project's own apps, and the pinned versions of every library.
RENDERING_SOURCES = ("*.py", "*.html", "*.txt", "*.mo")


def component_page_row(slug: str) -> Component:
    """The published component `slug` as its page and its API answer read
    it: one query, its lists and its successor in its row."""
    return COMPONENT_PAGES.get(slug).with_successor_from_row()


@dataclass(frozen=True)
class ComponentPage:
    """What a component's page shows, as everyone but its own organisation
    sees it: plain text only, so that keeping and reading it costs little
    (the component with its related rows was 24 KB to pickle on a first
    view and to unpickle on every later one)."""

    slug: str
    name: str
    summary: str
    provider_id: int | None
    # Its schema.org JSON-LD and its alternate representations, for the head.
    head: SafeString
    # The same alternates, for the Link header.
    link: str
    content: SafeString


def render_content(component: Component, *, is_owner: bool) -> SafeString:
    context = {
        "component": component,
        "is_owner": is_owner,
        "contact_email": settings.CONTACT_EMAIL,
        **{name: component.listed(name) for name in Component.LISTED},
    }
    return render_to_string("catalogue/includes/component_content.html", context)


def render(component: Component) -> ComponentPage:
    return ComponentPage(
        slug=component.slug,
        name=component.name,
        summary=component.summary,
        provider_id=component.provider_id,
        head=render_to_string(
            "catalogue/includes/component_head.html", {"component": component}
        ),
        link=link_header(component),
        content=render_content(component, is_owner=False),
    )


def component_page(slug: str) -> ComponentPage:
    """The page of the published component `slug`, stored if it was current,
    else rendered and stored; Component.DoesNotExist if none is published."""
    digest, page = _stored(slug)
    if page is None:
        component = component_page_row(slug)
        page = render(component)
        try:
            store([_to_keep(component, page, digest)])
        except DatabaseError:
            # A read-only database, a timeout: the page is rendered again
            # next time.
            logger.warning("A component page could not be stored", exc_info=True)
    return page


@dataclass(frozen=True)
class RenderedAhead:
    rendered: int
    current: int
    # Stored pages of components no longer published: never served, deleted.
    dropped: int


def render_pages_not_current(batch_size: int = 200) -> RenderedAhead:
    """Render and store, in the current language, the page of every
    published component not stored current, and delete the pages of those
    no longer published."""
    published = Component.objects.published()
    dropped, _by_model = (
        RenderedComponentPage.objects.filter(language=get_language())
        .exclude(component__in=published)
        .delete()
    )
    rendered, current, batch = 0, 0, []
    slugs = published.values_list("slug", flat=True)
    for slug in slugs.iterator(chunk_size=2000):
        try:
            digest, page = _stored(slug)
            if page is not None:
                current += 1
                continue
            component = component_page_row(slug)
        except Component.DoesNotExist:
            continue  # withdrawn in the meantime
        batch.append(_to_keep(component, render(component), digest))
        rendered += 1
        if len(batch) == batch_size:
            store(batch)
            batch = []
    store(batch)
    return RenderedAhead(rendered, current, dropped)


def _stored(slug: str) -> tuple[str, ComponentPage | None]:
    """The digest of the page `slug` would be rendered from now, and its
    page if stored under that digest; Component.DoesNotExist if the
    component is not published."""
    database, row_sql = COMPONENT_PAGES.sql()
    with connections[database].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT current.digest, stored.name, stored.summary,
                   stored.provider_id, stored.head, stored.link, stored.content
            FROM (
                SELECT md5(%s || row_to_json(page)::text) AS digest
                FROM ({row_sql}) AS page
            ) AS current
            LEFT JOIN {RenderedComponentPage._meta.db_table} AS stored
              ON stored.slug = %s AND stored.language = %s
             AND stored.digest = current.digest
            """,  # noqa: S608 (the row's SQL is Django's, the table name the model's)
            [rendering_salt(), slug, slug, get_language()],
        )
        found = cursor.fetchone()
    if found is None:
        raise Component.DoesNotExist
    digest, name, summary, provider_id, head, link, content = found
    if head is None:
        # Rendered from the row read after this digest: were the row to
        # change in between, the page would be stored under the old digest,
        # never served, and rendered again.
        return digest, None
    # HTML the templates rendered, escaping what they were given.
    page = ComponentPage(
        slug, name, summary, provider_id, mark_safe(head), link, mark_safe(content)
    )
    return digest, page


def _to_keep(
    component: Component, page: ComponentPage, digest: str
) -> RenderedComponentPage:
    return RenderedComponentPage(
        component_id=component.pk,
        language=get_language(),
        digest=digest,
        **asdict(page),
    )


def store(pages: list[RenderedComponentPage]) -> None:
    """Keep `pages`, replacing any earlier rendering in their language. In a
    savepoint: a write that fails leaves the caller's transaction usable."""
    if not pages:
        return
    with transaction.atomic():
        RenderedComponentPage.objects.bulk_create(
            pages,
            update_conflicts=True,
            unique_fields=["component", "language"],
            update_fields=["digest", *(field.name for field in fields(ComponentPage))],
        )


def rendering_salt() -> str:
    """What a page's rendering reads besides its row: the code, the
    language, and the settings a deploy may change without changing the
    code (the site's address in the JSON-LD, the contact address, where
    the logos' links point)."""
    return "\n".join(
        [
            rendering_sources_version(),
            get_language(),
            get_script_prefix(),
            settings.SITE_URL,
            settings.CONTACT_EMAIL,
            uploads_address(),
        ]
    )


def uploads_address() -> str:
    """Where the logos' links point. When object storage signs each link
    for a while (AWS_QUERYSTRING_AUTH), a page holds a signed link and must
    be rendered again before it expires: instead, the number of the half of
    a link's lifetime we are in, so that no page is served with a link that
    has less than half its lifetime left."""
    if getattr(default_storage, "querystring_auth", False):
        half_lifetime = max(default_storage.querystring_expire // 2, 1)
        return f"signed links, period {int(time.time() // half_lifetime)}"
    return default_storage.url("logos/")


@cache
def rendering_sources_version() -> str:
    """A digest of rendering_sources() and of Python's version: a deploy
    that changes any of them makes every stored page stale."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(sys.version.encode())
    for path in rendering_sources():
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def rendering_sources() -> list[Path]:
    """The files of the project's own apps and package, templates and
    translations, and the pinned versions of every library."""
    base = Path(settings.BASE_DIR)
    folders = [Path(config.path) for config in apps.get_app_configs()]
    # The project's package (settings, addresses, template tags): no app.
    folders.append(Path(reuse_portal.__file__).parent)
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    folders += [
        Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]
    ]
    files = {
        path
        for folder in folders
        # The libraries (in a virtualenv inside the project, maybe) are
        # counted by their pinned versions.
        if folder.is_relative_to(base) and not folder.is_relative_to(sys.prefix)
        for pattern in RENDERING_SOURCES
        for path in folder.rglob(pattern)
    }
    pins = base / "constraints.txt"
    return sorted(files | {pins} if pins.exists() else files)
