"""Load-test the portal against reference endpoints and write a report.

    python -m bench.run --components 10000

1. Prepares the bench database (bench/generate.py: migrate, load the real
   catalogue, generate up to --components; kept for the next run).
2. Counts the SQL queries of one request per endpoint, in process, with the
   same settings (DEBUG off).
3. Starts gunicorn with gunicorn.conf.py and reuse_portal.settings_bench, as
   `make serve` does, and for each endpoint runs wrk: a warm-up, the
   measured run, then a pause so that queued requests drain.
4. Writes bench/results/<date>-<components>.md: requests per second,
   latency p50/p99, errors, queries, and each endpoint's cost relative to
   L2 (the portal's middleware and nothing else) and L3 (one query and a
   small template), measured in the same run; then the RSS of the workers.

Four server runs: the page cache off (every page rendered; what is kept
until the catalogue changes, the counts, result lists, component rows and
API answers, is kept), L2 under Django's stock middleware, the page cache on
as in production (anonymous pages served from the cache), and signed in (a
session cookie on every page, an API token on every API call, as in
production). The cost of the first request after a change, with every cache
emptied, is measured in process.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.database import WORK_DIR, database_url, setup_django  # noqa: E402

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

BENCH_DIR = PROJECT_DIR / "bench"
RESULTS_DIR = BENCH_DIR / "results"
# The server runs of a whole report, in their order.
PASSES = ("no-cache", "stock", "cache", "signed-in")
LUA = BENCH_DIR / "wrk.lua"
HEADERS = {"X-Forwarded-Proto": "https"}
# Connections during a warm-up: about one per worker.
WARMUP_CONNECTIONS = 4
# What production uses when PAGE_CACHE_SECONDS is not set.
PAGE_CACHE_SECONDS = "600"


@dataclass
class Endpoint:
    name: str
    path: str  # for a rotation: the path shown, with <slug>
    rotation: Path | None = None  # file of paths, one a line
    # Each request the rotation's next path (none seen before in the run),
    # instead of one drawn at random.
    in_turn: bool = False
    cached_pass: bool = False  # also measured with the page cache on
    queries: dict[str, int | None] = field(default_factory=dict)
    # ms, statements and those of the cache table, every cache empty
    cold: tuple[float, int, int] | None = None
    cache_queries: dict[str, int] = field(default_factory=dict)
    status: dict[str, int | None] = field(default_factory=dict)
    results: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    components: int
    threads: int
    connections: int
    duration: int
    warmup: int
    pause: float
    passes: tuple[str, ...]

    @classmethod
    def of_command(
        cls, args: argparse.Namespace, *, name: str, connections: int, warmup: int
    ) -> Options:
        """The options of another bench command (command_line()): two wrk
        threads, pauses of 2 s."""
        return cls(
            components=args.components,
            threads=2,
            connections=connections,
            duration=args.duration,
            warmup=warmup,
            pause=2,
            passes=(name,),
        )


def log(message: str) -> None:
    print(f"[bench {datetime.now(tz=UTC):%H:%M:%S}] {message}", flush=True)


# The machine ------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) * 1024
    return {
        "cpu": cpu,
        "cores": f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()}",
        "memory": f"{memory / 2**30:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def page_cache() -> str:
    """The operating system's page cache: what PostgreSQL reads beyond its own
    buffers without going to the disk. Some virtual machines reclaim it
    within minutes; what reads rows at random then reads the disk."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("Cached:"):
            return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return "unknown"


# How long the bench's own statements may take (without_time_limits).
BENCH_STATEMENT_SECONDS = 3600


@contextmanager
def without_time_limits() -> Iterator[CursorWrapper]:
    """A cursor for the bench's own long statements (every description's
    words, the whole database read into the buffers, VACUUM): neither
    PostgreSQL's statement timeout nor the portal's watchdog stops them. The
    watchdog comes with the portal's middleware, so it watches this process
    from its first request in process on, and gave up on counting the words
    of 100,000 descriptions after 5.5 s. The connection is closed after: the
    next one has the portal's limits again."""
    from django.db import connection

    from reuse_portal.watchdog import deadline

    try:
        with deadline(BENCH_STATEMENT_SECONDS), connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            yield cursor
    finally:
        connection.close()


def settle_writes() -> str:
    """Leaves nothing for PostgreSQL to write during the load. After a change
    to the code the bench renders every component page again (some 600 MB
    at 100,000 components): the checkpoints that followed wrote it out over
    the first seven minutes of the load, and the rows' first readers marked
    them as seen (hint bits), which writes pages too. In that run new
    searches reached 22% of L3 and a component page 49%; the next run, with
    nothing left to write, 35% and 105%. VACUUM marks the rows, CHECKPOINT
    writes every changed page. Returns what it did, for the report."""
    from django.db import DatabaseError

    begun = time.monotonic()
    try:
        with without_time_limits() as cursor:
            # VACUUM cannot run in a transaction: Django's autocommit.
            cursor.execute("VACUUM")
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:
        return f"writes not settled before the load ({error})"
    return f"VACUUM and CHECKPOINT in {time.monotonic() - begun:.0f} s"


def read_into_buffers() -> str:
    """Reads every table and index of the bench database into PostgreSQL's
    buffers (pg_prewarm), as a server that has served for a while holds
    them, so that no endpoint's figures depend on what the disk or the
    operating system's page cache happened to hold. Returns what it did,
    for the report."""
    from django.db import DatabaseError

    try:
        # Reading 2 GB from the disk takes longer than a request may.
        with without_time_limits() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT sum(pg_prewarm(oid)) FROM pg_class "
                "WHERE relkind IN ('r', 'i', 't', 'm') AND relpersistence = 'p'"
            )
            (blocks,) = cursor.fetchone()
    except DatabaseError as error:
        return f"nothing read into them before the load ({error})"
    return f"{blocks * 8 // 1024} MB read into them before the load"


def git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def rss_of_workers(master: int) -> list[tuple[int, int]]:
    """(pid, resident set size in bytes) of the master's children, from /proc."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines()
            )
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0").strip()) == master:
            rss = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
            found.append((int(status.parent.name), rss))
    return sorted(found)


def cpu_seconds_of(pids: Sequence[int]) -> float:
    """User and system CPU time the processes have used so far, from /proc
    (a process gone since counts nothing)."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # After the command's name, which may hold spaces: utime and stime
        # are the 12th and 13th fields.
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time every process on the machine has used so far, all cores,
    from /proc/stat. Idle, I/O wait and steal (time the hypervisor gave to
    other machines) are left out: none of them served an answer."""
    user, nice, system, _idle, _iowait, irq, softirq = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]
    )
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


# The endpoints ------------------------------------------------------------------


# How many words the new searches take in turn: more than a run's requests
# (at 10,000 components the descriptions have some 10,800 to give).
NEW_SEARCH_WORDS = 20_000
# How many of them each search statement is timed for.
SEARCHES_TIMED = 500
# Every two of the catalogue's most common words are searched together, and
# timed too: the statements that find whether one component holds both, and
# the first that do, read many rows for words held apart.
COMMON_WORDS = 12
# How many component pages the "read again" rotation visits: fewer than a
# process keeps (reuse_portal.page_cache.local_copies), and each is seen in
# the warm-up.
POPULAR = 200


def endpoints(slugs: Path) -> list[Endpoint]:
    """The endpoints, with parameters taken from the bench database."""
    from django.db import connection

    from catalogue.models import Component
    from discovery.sitemaps import ComponentSitemap

    published = Component.objects.published()
    last_page = max(1, math.ceil(published.count() / 20))
    sitemap_pages = ComponentSitemap().paginator.num_pages
    kind, domain = facet_combination()
    rare = rare_word()
    lines = [line for line in slugs.read_text().splitlines() if line]
    pages = WORK_DIR / "paths-component-page.txt"
    pages.write_text("".join(f"/nl/service/{slug}/\n" for slug in lines))
    # Pages many people read: each is rendered once, then read again, from
    # the page cache or the process's copy.
    popular = WORK_DIR / "paths-component-page-popular.txt"
    popular.write_text("".join(f"/nl/service/{slug}/\n" for slug in lines[:POPULAR]))
    details = WORK_DIR / "paths-api-detail.txt"
    details.write_text("".join(f"/api/v1/components/{slug}/\n" for slug in lines))
    words = search_words()
    searches = WORK_DIR / "paths-searches.txt"
    searches.write_text("".join(f"/nl/catalogue/?q={word}\n" for word in words))
    # The same words: by the API's turn, what the page's searches kept in
    # each process has been pushed out of its copies by the runs between.
    api_searches = WORK_DIR / "paths-api-searches.txt"
    api_searches.write_text(
        "".join(f"/api/v1/components/?q={word}\n" for word in words)
    )
    connection.close()
    facet = f"/nl/catalogue/?kind={kind}&domain={domain}"
    return [
        Endpoint("L2 (middleware only)", "/bench/l2/"),
        Endpoint("L3 (1 query, small template)", "/bench/l3/"),
        Endpoint("Home", "/nl/", cached_pass=True),
        Endpoint("Catalogue, page 1", "/nl/catalogue/", cached_pass=True),
        Endpoint("Catalogue, page 2", "/nl/catalogue/?page=2"),
        Endpoint(
            f"Catalogue, page {last_page} (last)",
            f"/nl/catalogue/?page={last_page}",
            cached_pass=True,
        ),
        Endpoint(
            "Catalogue, most reused, page 2", "/nl/catalogue/?sort=most_reused&page=2"
        ),
        Endpoint("Facets kind + domain", facet, cached_pass=True),
        Endpoint("Search, typo", "/nl/catalogue/?q=signture"),
        Endpoint("Search, common word", "/nl/catalogue/?q=service", cached_pass=True),
        Endpoint(f"Search, rare word ({rare})", f"/nl/catalogue/?q={rare}"),
        Endpoint("Search, other language", "/nl/catalogue/?q=login"),
        Endpoint(
            f"Search, a new word each time ({len(words)} in turn)",
            "/nl/catalogue/?q=<word>",
            rotation=searches,
            in_turn=True,
        ),
        Endpoint(
            f"Component page ({len(lines)} slugs)",
            "/nl/service/<slug>/",
            rotation=pages,
            cached_pass=True,
        ),
        Endpoint(
            f"Component page ({min(POPULAR, len(lines))} slugs, read again)",
            "/nl/service/<slug>/",
            rotation=popular,
            cached_pass=True,
        ),
        # The directories, whose size follows the catalogue's.
        Endpoint("Providers", "/nl/providers/", cached_pass=True),
        Endpoint("Building blocks", "/nl/building-blocks/", cached_pass=True),
        Endpoint("Networks", "/nl/networks/", cached_pass=True),
        Endpoint("Reuse cases", "/nl/reuse-cases/", cached_pass=True),
        Endpoint("Impact", "/nl/impact/", cached_pass=True),
        Endpoint("API list", "/api/v1/components/"),
        Endpoint("API search", "/api/v1/components/?q=signature"),
        Endpoint(
            f"API search, a new word each time ({len(words)} in turn)",
            "/api/v1/components/?q=<word>",
            rotation=api_searches,
            in_turn=True,
        ),
        Endpoint("API list, most reused", "/api/v1/components/?sort=most_reused"),
        # The other way round: its index read backwards.
        Endpoint("API list, least reused", "/api/v1/components/?ordering=reuse_count"),
        Endpoint(
            f"API detail ({len(lines)} slugs)",
            "/api/v1/components/<slug>/",
            rotation=details,
        ),
        Endpoint("API providers", "/api/v1/providers/"),
        Endpoint("API networks", "/api/v1/networks/"),
        # What a crawler reads: 6,000 addresses a page, the last one deepest.
        Endpoint(
            "Sitemap, last page of components",
            f"/sitemap-components.xml?p={sitemap_pages}",
            cached_pass=True,
        ),
    ]


def search_words(number: int = NEW_SEARCH_WORDS) -> list[str]:
    """Words of the catalogue's descriptions, rare and common, in an order
    that mixes them: searched in turn, each is a search no visitor made
    before."""
    return description_words(number, order="md5(word)")


def signed_in_headers() -> list[str]:
    """A signed-in reader's session cookie and API token, made in the bench
    database: what a browser and a supplier's tool send."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db import connection
    from knox.models import AuthToken

    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    _, token = AuthToken.objects.create(user)
    connection.close()
    return [
        f"Cookie: {settings.SESSION_COOKIE_NAME}={session.session_key}",
        f"Authorization: Token {token}",
    ]


def facet_combination() -> tuple[str, str]:
    """kind=api&domain=health, or the combination with the most results."""
    from django.db.models import Count

    from catalogue.models import Component

    counts = (
        Component.objects.published()
        .order_by()
        .values_list("kind", "domain__slug")
        .annotate(n=Count("pk"))
    )
    found = {(kind, domain): n for kind, domain, n in counts}
    if found.get(("api", "health")):
        return "api", "health"
    return max(found, key=found.get)


def common_word_pairs(number: int = COMMON_WORDS) -> list[str]:
    """Every two of the `number` words the most descriptions hold, as a
    search for both."""
    words = description_words(
        number,
        order="ndoc DESC, word",
        # Not the words search leaves out ("worden", "onder").
        condition="to_tsvector('dutch', word) <> ''::tsvector",
    )
    return [f"{first} {second}" for first, second in itertools.combinations(words, 2)]


def description_words(number: int, *, order: str, condition: str = "TRUE") -> list[str]:
    """`number` words of the catalogue's Dutch descriptions (of 5 to 20
    letters from a to z) that meet `condition`, in `order`: SQL about the
    word and ndoc, how many descriptions hold it."""
    # Counting every description's words takes longer than the portal lets
    # a statement run (6.5-11 s at 100,000 components).
    with without_time_limits() as cursor:
        cursor.execute(
            f"""
            SELECT word FROM ts_stat($$
                SELECT to_tsvector('simple', description_nl)
                FROM catalogue_component
            $$)
            WHERE length(word) BETWEEN 5 AND 20 AND word ~ '^[a-z]+$'
              AND {condition}
            ORDER BY {order} LIMIT %s
            """,  # noqa: S608 (the condition and order are the bench's own)
            [number],
        )
        return [row[0] for row in cursor.fetchall()]


def rare_word() -> str:
    """A word of the real catalogue that search finds in 1 to 5 components:
    taken from the real descriptions, counted with the portal's search."""
    from django.db import connection

    from catalogue.models import Component

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT word FROM ts_stat($$
                SELECT to_tsvector('simple', description_en)
                FROM catalogue_component
                WHERE source_reference <> 'bench: generated'
            $$)
            WHERE ndoc = 1 AND length(word) BETWEEN 7 AND 20 AND word ~ '^[a-z]+$'
            ORDER BY word LIMIT 40
            """
        )
        candidates = [row[0] for row in cursor.fetchall()]
    for word in candidates:
        if 1 <= Component.objects.published().search(word).count() <= 5:
            return word
    return candidates[0] if candidates else "archive"


def count_queries(
    items: list[Endpoint],
    label: str,
    page_cache: str,
    headers: Sequence[str] = (),
    **overrides,
) -> None:
    """The SQL queries of one request per endpoint, the second of two (the
    first fills per-process caches), through the full middleware stack."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(PAGE_CACHE_SECONDS=int(page_cache), **overrides):
        # Made here: a client reads MIDDLEWARE when it is made.
        client = Client(
            HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", **meta(headers)
        )
        cache.clear()
        for endpoint in items:
            path = endpoint.path
            if endpoint.rotation is not None:
                lines = endpoint.rotation.read_text().splitlines()
                path = lines[len(lines) // 2]
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            (
                endpoint.queries[label],
                endpoint.cache_queries[label],
            ) = statement_counts(queries.captured_queries)
            endpoint.status[label] = response.status_code
        cache.clear()
    connection.close()


def statement_counts(captured: list[dict]) -> tuple[int, int]:
    """The statements of a request (without BEGIN, COMMIT, savepoints), and
    how many of them read or write a database cache table (pages and values,
    rate-limit counts)."""
    from django.conf import settings

    cache_tables = [
        f'"{backend["LOCATION"]}"'
        for backend in settings.CACHES.values()
        if "DatabaseCache" in backend["BACKEND"]
    ]
    statements = [
        query["sql"]
        for query in captured
        if query["sql"].split(" ", 1)[0]
        not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    ]
    in_cache = sum(any(table in sql for table in cache_tables) for sql in statements)
    return len(statements), in_cache


def meta(headers: Sequence[str]) -> dict[str, str]:
    """wrk's "Name: value" headers as the test client's WSGI keys."""
    found = {}
    for header in headers:
        name, value = header.split(":", 1)
        found["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()
    return found


def cold_costs(items: list[Endpoint]) -> None:
    """Milliseconds and queries of a request with every cache emptied (the
    first visitor after a change), in process: the median of three."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from reuse_portal.page_cache import forget_local_copies

    with override_settings(PAGE_CACHE_SECONDS=0):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        for endpoint in items:
            path = endpoint.path
            if endpoint.rotation is not None:
                lines = endpoint.rotation.read_text().splitlines()
                path = lines[len(lines) // 2]
            timings = []
            for _ in range(3):
                cache.clear()
                forget_local_copies()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
            endpoint.cold = (
                sorted(timings)[1],
                *statement_counts(queries.captured_queries),
            )
        cache.clear()
    connection.close()


# What the issue bounds: each search statement's time in the database.
SEARCH_STATEMENT_BUDGET_MS = 25
# What a search statement does, known by a word of its SQL.
SEARCH_STATEMENT_KINDS = (
    ('"by_name"', "candidates, and their count"),
    ("catalogue_searchword", "the words' vocabulary"),
    ("to_tsquery", "the words' stems"),
    ("GROUPING", "facet counts"),
    # Every facet's values and labels (networks too), read once per change.
    ("ARRAY_AGG", "facet labels"),
    ("networks_network", "network counts"),
    ("ts_rank", "the page's ranked rows"),
)


def statement_kind(sql: str) -> str:
    return next(
        (kind for marker, kind in SEARCH_STATEMENT_KINDS if marker in sql), sql[:40]
    )


@dataclass(frozen=True)
class SearchStatements:
    searches: int
    slowest: list[tuple[float, str, str]]  # per search: ms, query string, statement


def search_statement_times(items: list[Endpoint]) -> SearchStatements:
    """For every search the load runs (the first SEARCHES_TIMED of the new
    words), and every two common words searched together (common_word_pairs),
    the database time of its slowest statement: planning plus
    execution, as EXPLAIN ANALYZE measures them, each replayed after the
    search ran, in the same order and with the same planner settings. Every
    cache is emptied first, so that each search runs all of its
    statements."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from catalogue.search import _understand
    from reuse_portal.page_cache import forget_local_copies

    paths = []
    for endpoint in items:
        if endpoint.name.startswith("Search"):
            if endpoint.rotation is None:
                paths.append(endpoint.path)
            else:
                lines = endpoint.rotation.read_text().splitlines()
                paths += lines[:SEARCHES_TIMED]
    paths += [f"/nl/catalogue/?{urlencode({'q': two})}" for two in common_word_pairs()]
    slowest = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        for path in dict.fromkeys(paths):
            cache.clear()
            forget_local_copies()
            _understand.cache_clear()
            # A full log (9,000 statements) would capture nothing.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            times = []
            with transaction.atomic(), connection.cursor() as cursor:
                for query in queries.captured_queries:
                    sql = query["sql"]
                    if sql.startswith("SET "):
                        cursor.execute(sql)
                    elif sql.lstrip().startswith(("SELECT", "(")):
                        # The statement as it ran, its values written in.
                        cursor.execute(
                            "EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%"),
                            [],
                        )
                        (plan,) = cursor.fetchone()[0]
                        total = plan["Planning Time"] + plan["Execution Time"]
                        times.append((total, statement_kind(sql)))
                transaction.set_rollback(True)
            if times:
                slowest.append((*max(times), path.partition("?")[2]))
        cache.clear()
    connection.close()
    return SearchStatements(
        searches=len(slowest),
        slowest=sorted(
            ((ms, query_string, statement) for ms, statement, query_string in slowest),
            reverse=True,
        ),
    )


# The server ---------------------------------------------------------------------


def command_line(description: str, duration: int) -> argparse.ArgumentParser:
    """The arguments of the bench's other commands (soak, downloads): the
    catalogue's size, and how long a measurement lasts."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=duration)
    return parser


def write_report(
    name: str, options: Options, started: datetime, lines: list[str]
) -> Path:
    """Writes a command's report, bench/results/<date>-<name>-<components>-
    <commit>.md (report_path)."""
    path = report_path(started, name, options.components)
    path.write_text("\n".join(lines))
    return path


def report_path(started: datetime, *name: object, partial: bool = False) -> Path:
    """bench/results/<date>-<name…>-<commit>[-partial].md, where no report
    is yet: a second run of the same day, name and commit gets -2, then -3.
    With the date and the size alone, each run overwrote the one before."""
    commit = git("rev-parse", "--short=7", "HEAD")
    stem = "-".join(
        [f"{started:%Y-%m-%d}", *map(str, name), commit, *(["partial"] * partial)]
    )
    path = RESULTS_DIR / f"{stem}.md"
    number = 2
    while path.exists():
        path = RESULTS_DIR / f"{stem}-{number}.md"
        number += 1
    return path


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make serve` runs it, with the bench settings."""

    def __init__(self, label: str, env: dict[str, str]) -> None:
        self.label = label
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = WORK_DIR / f"server-{label}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "reuse_portal.settings_bench",
            "DEBUG": "0",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            **env,
        }
        self.log_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                str(PROJECT_DIR / "gunicorn.conf.py"),
                "reuse_portal.wsgi",
            ],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.wait_until_ready()

    def wait_until_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.log_path}")
            try:
                request = urllib.request.Request(
                    self.base + "/healthz", headers=HEADERS
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        else:
            raise SystemExit(
                f"gunicorn not ready after {seconds}s; see {self.log_path}"
            )
        # Every worker up, not only the first one to answer.
        time.sleep(2)

    def _sockets(self) -> list[tuple[str, str]]:
        """(state, inode) of each TCP socket on the server's port other than
        the listening one, from /proc/net/tcp."""
        port = f"{self.port:04X}"
        found = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                rows = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for row in rows:
                fields = row.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if local.rsplit(":", 1)[1] == port and state != "0A":  # LISTEN
                    found.append((state, inode))
        return found

    def open_connections(self) -> int:
        """Connections to the server's port other than the listening socket:
        requests still being served hold theirs (CLOSE_WAIT once wrk has
        gone), from /proc/net/tcp."""
        return len(self._sockets())

    def connections_per_worker(self) -> list[int]:
        """How many of the open connections each worker holds, most first.
        A worker keeps each connection it accepted until the client closes
        it, so wrk's connections stay where they landed for the whole run;
        one gthread worker alone served a trivial view at most 1,280 req/s
        here, against 3,300-3,900 for four."""
        sockets = {f"socket:[{inode}]" for _state, inode in self._sockets()}
        counts = []
        for pid, _ in self.workers():
            try:
                descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
            except OSError:
                continue
            held = 0
            for descriptor in descriptors:
                try:
                    held += os.readlink(descriptor) in sockets
                except OSError:
                    continue
            counts.append(held)
        return sorted(counts, reverse=True)

    def drain(self, pause: float, limit: float = 300) -> float:
        """Wait until no request is left in the server (at least `pause`
        seconds); returns the seconds waited."""
        started = time.monotonic()
        time.sleep(pause)
        while self.open_connections() and time.monotonic() - started < limit:
            time.sleep(0.5)
        return time.monotonic() - started

    def workers(self) -> list[tuple[int, int]]:
        return rss_of_workers(self.process.pid)

    def workers_cpu_seconds(self) -> float:
        return cpu_seconds_of([pid for pid, _rss in self.workers()])

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# wrk ------------------------------------------------------------------------------


def wrk(
    server: Server,
    endpoint: Endpoint,
    options: Options,
    seconds: int,
    connections: int | None = None,
    headers: Sequence[str] = (),
    *,
    warming_up: bool = False,
) -> dict:
    if endpoint.rotation is not None:
        target, extra = server.base, ["--", str(endpoint.rotation)]
        if endpoint.in_turn:
            # The warm-up walks each thread's share from its end, the run
            # from its start: the run's paths are new to the server.
            direction = "backwards" if warming_up else "forwards"
            extra += [direction, str(options.threads)]
    else:
        target, extra = server.base + endpoint.path, []
    command = [
        "wrk",
        f"-t{options.threads}",
        f"-c{connections or options.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        *(flag for header in headers for flag in ("-H", header)),
        "-s",
        str(LUA),
        target,
        *extra,
    ]
    workers_cpu, machine_cpu = server.workers_cpu_seconds(), machine_cpu_seconds()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Once every connection is open: where they landed.
    time.sleep(min(2.0, seconds / 2))
    spread = server.connections_per_worker()
    try:
        output, errors = process.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    workers_cpu = server.workers_cpu_seconds() - workers_cpu
    machine_cpu = machine_cpu_seconds() - machine_cpu
    if process.returncode:
        raise SystemExit(f"wrk failed ({process.returncode}):\n{errors}")
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line.removeprefix("BENCH_JSON "))
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            result["errors"] = sum(
                result[key] for key in ("connect", "read", "write", "timeout", "non2xx")
            )
            result["spread"] = spread
            # CPU per answer, whichever worker gave it: unlike req/s, it does
            # not depend on how the connections fell on the workers.
            answers = max(result["requests"], 1)
            result["workers_cpu_us"] = workers_cpu / answers * 1e6
            result["machine_cpu_us"] = machine_cpu / answers * 1e6
            return result
    raise SystemExit(f"no result from wrk:\n{output}")


def measure(
    server: Server,
    items: list[Endpoint],
    label: str,
    options: Options,
    headers: Sequence[str] = (),
) -> None:
    for endpoint in items:
        if options.warmup:
            # Every worker warm (its caches, its database connections), with
            # few requests left to drain on a slow endpoint.
            wrk(
                server,
                endpoint,
                options,
                options.warmup,
                WARMUP_CONNECTIONS,
                headers,
                warming_up=True,
            )
            server.drain(options.pause)
        result = wrk(server, endpoint, options, options.duration, headers=headers)
        # Requests still queued in the server finish before the next run.
        result["drain_s"] = server.drain(options.pause)
        endpoint.results[label] = result
        log(
            f"{label:>8} {endpoint.name:<38} {result['rps']:7.1f} req/s "
            f"({result['requests']}) p50 {result['p50_us'] / 1000:6.0f} ms "
            f"p99 {result['p99_us'] / 1000:6.0f} ms errors {result['errors']} "
            f"drained in {result['drain_s']:.0f}s CPU µs/req {cpu_text(result)} "
            f"connections per worker {spread_text(result)}"
        )


# The report -----------------------------------------------------------------------


def milliseconds(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def cpu_text(result: dict) -> str:
    """CPU per answer: the gunicorn workers' / every process's (wrk,
    gunicorn, PostgreSQL)."""
    return f"{result['workers_cpu_us']:.0f} / {result['machine_cpu_us']:.0f}"


def spread_text(result: dict) -> str:
    """wrk's connections per worker, most first: "4/4/4/4", "13/3/0/0"."""
    return "/".join(str(count) for count in result["spread"]) or "?"


def table(
    items: list[Endpoint], label: str, l2: dict | None, l3: dict | None
) -> list[str]:
    rows = [
        "| Endpoint | Path | req/s | requests | p50 ms | p99 ms | errors | SQL/req "
        "| cost ×L2 | cost ×L3 | CPU µs/req workers / all | connections per worker |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for endpoint in items:
        result = endpoint.results.get(label)
        if result is None:
            continue
        status = endpoint.status.get(label)
        queries = endpoint.queries.get(label)
        queries_text = "?" if queries is None else str(queries)
        if endpoint.cache_queries.get(label):
            queries_text += f" ({endpoint.cache_queries[label]} cache)"
        if status not in (None, 200):
            queries_text += f" (HTTP {status})"

        def cost(reference: dict | None, result: dict = result) -> str:
            if not reference or not result["rps"]:
                return "–"
            return f"{reference['rps'] / result['rps']:.1f}"

        if result["requests"]:
            latency = (
                f"{milliseconds(result['p50_us'])} | {milliseconds(result['p99_us'])}"
            )
        else:  # not one answer within the run
            slowest = f"> {result['duration_us'] / 1000:.0f}"
            latency = f"{slowest} | {slowest}"
        rows.append(
            f"| {endpoint.name} | `{endpoint.path}` | {result['rps']:.1f} "
            f"| {result['requests']} | {latency} "
            f"| {result['errors']} | {queries_text} | {cost(l2)} | {cost(l3)} "
            f"| {cpu_text(result)} | {spread_text(result)} |"
        )
    return rows


def catalogue_counts() -> tuple[dict[str, int], str]:
    from django.db import connection

    from catalogue.models import Component, Provider, ReuseCase, SearchWord, Tag
    from networks.models import Network

    counts = {
        "published components": Component.objects.published().count(),
        "providers": Provider.objects.count(),
        "tags": Tag.objects.count(),
        "networks": Network.objects.count(),
        "reuse cases": ReuseCase.objects.count(),
        "search words": SearchWord.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()), version(), "
            "current_setting('shared_buffers')"
        )
        size, version, shared_buffers = cursor.fetchone()
    counts["database MB"] = size // 2**20
    connection.close()
    return counts, f"{version.split(' on ')[0]}, shared_buffers {shared_buffers}"


def report(
    items: list[Endpoint],
    options: Options,
    *,
    started: datetime,
    loads: tuple[str, str],
    page_caches: tuple[str, str],
    counts: dict[str, int],
    postgres: str,
    memory: dict[str, list[tuple[int, int]]],
    workers: str,
    search_statements: SearchStatements,
) -> str:
    import django

    info = machine()
    dirty = git("status", "--porcelain")
    commit = git("rev-parse", "HEAD")
    if dirty != "unknown" and dirty:
        commit += f" (+ {len(dirty.splitlines())} uncommitted changes)"
    by_name = {endpoint.name: endpoint for endpoint in items}
    l2 = by_name["L2 (middleware only)"].results.get("no-cache")
    l3 = by_name["L3 (1 query, small template)"].results.get("no-cache")
    lines = [
        f"# Load benchmark: {counts['published components']} components",
        "",
        f"* Date: {started:%Y-%m-%d %H:%M} UTC; git commit {commit}",
        f"* Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; "
        f"Linux {info['kernel']}; Python {info['python']}, "
        f"Django {django.get_version()}, {postgres}",
        f"* Load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}. "
        "wrk, gunicorn and PostgreSQL share these cores.",
        f"* Page cache of the operating system before: {page_caches[0]}; after: "
        f"{page_caches[1]}. What is in neither it nor PostgreSQL's buffers "
        "comes from the disk.",
        f"* Server: gunicorn.conf.py, {workers}, DEBUG off, "
        "reuse_portal.settings_bench; requests carry X-Forwarded-Proto: https "
        "as from the proxy.",
        f"* wrk 4.1.0: -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s --timeout 10s, after a {options.warmup}s "
        f"warm-up over {WARMUP_CONNECTIONS} connections; after each run, at "
        f"least {options.pause}s and until every request left in the server "
        "is answered. requests: answers within "
        "the run; errors: answers other than 2xx, socket errors and timeouts.",
        "* Catalogue: "
        + ", ".join(f"{value} {name}" for name, value in counts.items()),
        "",
        "Cost ×L2 / ×L3: the reference's req/s divided by the endpoint's, from "
        "the same run (how many L2 or L3 requests one request of the endpoint "
        "costs). SQL/req: statements of one request (without BEGIN/COMMIT), "
        "counted in process after a first one, through the same middleware; "
        "(n cache): how many of them read or write the database cache tables "
        "(cached pages and values, rate-limit counts).",
        "",
    ]
    if "no-cache" in options.passes:
        lines += [
            "## Page cache off (PAGE_CACHE_SECONDS=0): every page rendered",
            "",
            "What is the same for every visitor is still kept until the "
            "catalogue changes: facet counts and a page's rendered results (a "
            "search's in each process), a component's page (in each process; "
            "read from its rendering stored "
            "in the database, rendered ahead by `render_component_pages`), API "
            "list answers (a search's in each process).",
            "",
            *table(items, "no-cache", l2, l3),
            "",
        ]
    if "signed-in" in options.passes:
        lines += [
            "## Signed in: a session cookie on every request, an API token on "
            "the API (page cache on, as in production)",
            "",
            "The session and the user are read for each request. Pages that "
            "show something of the person signed in are rendered each time; "
            "the directories, the impact dashboard and the news, which show "
            "nothing of them, come from a copy kept for everyone signed in. "
            "×L2 and ×L3 compare with the "
            "anonymous references of the first run.",
            "",
            *table(
                [e for e in items if e.results.get("signed-in")], "signed-in", l2, l3
            ),
            "",
        ]
    lines += [
        "## The first request after a change (in process, every cache emptied)",
        "",
        "The median of three requests, each after emptying the shared cache "
        "and the process's copies; SQL: its statements (without BEGIN, COMMIT "
        "and savepoints), with how many read or write the cache table.",
        "",
        "| Endpoint | ms | SQL |",
        "|---|--:|--:|",
        *(
            f"| {e.name} | {e.cold[0]:.1f} | {e.cold[1]} ({e.cold[2]} cache) |"
            for e in items
            if e.cold is not None
        ),
        "",
    ]
    if "stock" in options.passes:
        stock = by_name["L2 (middleware only)"].results.get("stock")
        if stock:
            lines += [
                "## L2 under Django's stock middleware (startproject's list)",
                "",
                "| Endpoint | req/s | p50 ms | p99 ms | errors | SQL/req "
                "| CPU µs/req workers / all | connections per worker |",
                "|---|--:|--:|--:|--:|--:|--:|--:|",
                f"| L2-stock | {stock['rps']:.0f} | {milliseconds(stock['p50_us'])} "
                f"| {milliseconds(stock['p99_us'])} | {stock['errors']} "
                f"| {by_name['L2 (middleware only)'].queries.get('stock', '?')} "
                f"| {cpu_text(stock)} | {spread_text(stock)} |",
                "",
                *(
                    [
                        "The portal's L2 as a share of this one: "
                        f"{l2['rps'] / stock['rps']:.0%} by req/s, "
                        f"{stock['machine_cpu_us'] / l2['machine_cpu_us']:.0%} "
                        "by the CPU every process spent per answer, "
                        f"{stock['workers_cpu_us'] / l2['workers_cpu_us']:.0%} by "
                        "the workers' alone (the CPU figures do not depend on "
                        "how the connections fell on the workers).",
                        "",
                    ]
                    if l2
                    else []
                ),
            ]
    if "cache" in options.passes:
        lines += [
            f"## Page cache on (PAGE_CACHE_SECONDS={PAGE_CACHE_SECONDS}, the "
            "production default): anonymous pages from the cache",
            "",
            "The cache is emptied before this run; a rotation over many slugs "
            "mostly misses it within the run's seconds, one over a few hundred "
            "reads them again from it. SQL/req is a second request for the "
            "same address: a hit.",
            "",
            *table(items, "cache", l2, l3),
            "",
        ]
    slowest = search_statements.slowest
    if slowest:
        ordered = sorted(ms for ms, _query, _statement in slowest)
        over = sum(ms > SEARCH_STATEMENT_BUDGET_MS for ms in ordered)
        lines += [
            "## Search: each statement's time in the database (EXPLAIN ANALYZE)",
            "",
            f"Every search above, and every two of the catalogue's {COMMON_WORDS} "
            f"most common words together ({search_statements.searches} query "
            "strings, each with every cache emptied): its slowest statement's planning "
            "and execution time, replayed in process after the search ran. "
            f"Slowest statement of a search: median {ordered[len(ordered) // 2]:.1f} "
            f"ms, 99th percentile {ordered[int(len(ordered) * 0.99)]:.1f} ms, "
            f"most {ordered[-1]:.1f} ms; {over} over "
            f"{SEARCH_STATEMENT_BUDGET_MS} ms.",
            "",
            "| Query string | ms | Statement |",
            "|---|--:|---|",
            *(
                f"| `{query}` | {ms:.1f} | {statement} |"
                for ms, query, statement in slowest[:5]
            ),
            "",
        ]
    lines += ["## Memory after the load (RSS from /proc)", ""]
    for label, processes in memory.items():
        total = sum(rss for _pid, rss in processes)
        each = ", ".join(f"{rss / 2**20:.0f}" for _pid, rss in processes)
        lines.append(
            f"* {label}: {len(processes)} workers, {each} MiB "
            f"(total {total / 2**20:.0f} MiB)"
        )
    return "\n".join(lines) + "\n"


# Main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    environ = os.environ.get
    parser.add_argument(
        "--components", type=int, default=int(environ("BENCH_COMPONENTS", "10000"))
    )
    parser.add_argument(
        "--threads", type=int, default=int(environ("BENCH_THREADS", "2"))
    )
    parser.add_argument(
        "--connections", type=int, default=int(environ("BENCH_CONNECTIONS", "16"))
    )
    parser.add_argument(
        "--duration", type=int, default=int(environ("BENCH_DURATION", "10"))
    )
    parser.add_argument("--warmup", type=int, default=int(environ("BENCH_WARMUP", "2")))
    parser.add_argument(
        "--pause", type=float, default=float(environ("BENCH_PAUSE", "2"))
    )
    parser.add_argument(
        "--passes",
        default=environ("BENCH_PASSES", ",".join(PASSES)),
        help="which server runs: no-cache, stock, cache, signed-in (comma-separated)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="measure only the endpoints whose name contains one of these "
        "words (comma-separated, e.g. 'L2,L3,Search'); L2 and L3 always run",
    )
    args = parser.parse_args(argv)
    options = Options(
        components=args.components,
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        pause=args.pause,
        passes=tuple(p.strip() for p in args.passes.split(",") if p.strip()),
    )
    require_wrk()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    started = datetime.now(tz=UTC)
    begun = time.monotonic()

    setup_django(options.components)
    from django.db import connection

    from bench.generate import prepare

    log(f"preparing the bench database ({options.components} components)")
    slugs = prepare(options.components, log=log)
    # A catalogue generated by this run was not there to size PostgreSQL's
    # buffers by when its server started: they are sized again.
    connection.close()
    database_url(options.components)
    items = endpoints(slugs)
    if args.only:
        words = [word.strip().lower() for word in args.only.split(",") if word]
        items = [
            endpoint
            for index, endpoint in enumerate(items)
            if index < 2 or any(word in endpoint.name.lower() for word in words)
        ]
    counts, postgres = catalogue_counts()
    log("counting queries")
    count_queries(items, "no-cache", "0")
    count_queries([e for e in items if e.cached_pass], "cache", PAGE_CACHE_SECONDS)
    by_name = {endpoint.name: endpoint for endpoint in items}
    from django.conf import settings

    count_queries(
        [by_name["L2 (middleware only)"]],
        "stock",
        "0",
        MIDDLEWARE=settings.STOCK_MIDDLEWARE,
    )
    signed_in = signed_in_headers() if "signed-in" in options.passes else []
    if signed_in:
        count_queries(items, "signed-in", PAGE_CACHE_SECONDS, signed_in)
    log("the first request after a change, in process")
    cold_costs(items)
    # Read in first: the statements are timed on the data the load meets,
    # in PostgreSQL's buffers, whatever the disk held before.
    log("reading the database into its buffers")
    read_in = read_into_buffers()
    log("each search statement's time in the database")
    search_statements = search_statement_times(items)
    log("settling the database's writes")
    postgres = f"{postgres}: {read_in}, then {settle_writes()}"
    loads = [load_average()]
    page_caches = [page_cache()]
    busy = float(loads[0].split()[0])
    if busy > len(os.sched_getaffinity(0)) / 2:
        log(
            f"the machine is busy (load average {loads[0]}): the numbers will "
            "be lower and noisier than on a quiet one"
        )
    memory: dict[str, list[tuple[int, int]]] = {}
    workers = ""
    for label in options.passes:
        env = {"PAGE_CACHE_SECONDS": "0"}
        selection = items
        if label == "stock":
            env["BENCH_STOCK_MIDDLEWARE"] = "1"
            selection = [by_name["L2 (middleware only)"]]
        elif label in ("cache", "signed-in"):
            env["PAGE_CACHE_SECONDS"] = PAGE_CACHE_SECONDS
            if label == "cache":
                selection = [endpoint for endpoint in items if endpoint.cached_pass]
            from django.core.cache import cache
            from django.db import connection

            cache.clear()
            connection.close()
        elif label != "no-cache":
            raise SystemExit(f"unknown pass {label!r}")
        log(f"server: {label}")
        server = Server(label, env)
        try:
            found = server.workers()
            workers = f"{len(found)} gthread workers"
            headers = signed_in if label == "signed-in" else []
            measure(server, selection, label, options, headers)
            memory[label] = server.workers()
        finally:
            server.stop()
    loads.append(load_average())
    page_caches.append(page_cache())
    config = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    text = report(
        items,
        options,
        started=started,
        loads=(loads[0], loads[1]),
        page_caches=(page_caches[0], page_caches[1]),
        counts=counts,
        postgres=postgres,
        memory=memory,
        workers=f"{workers} × {config['threads']} threads",
        search_statements=search_statements,
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    # Partial: some endpoints or some server runs only.
    partial = bool(args.only) or options.passes != PASSES
    path = report_path(started, options.components, partial=partial)
    path.write_text(text)
    print()
    print(text)
    log(f"report: {path.relative_to(PROJECT_DIR)} ({time.monotonic() - begun:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
