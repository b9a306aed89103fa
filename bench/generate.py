"""A realistic catalogue of any size, for the load benchmarks.

    python -m bench.generate --components 10000

Starts from the real catalogue (`load_catalogue`) and adds generated
providers, tags, networks with members and events, components with their
organisation roles, links and dependencies, and reuse cases, all published
and in the three languages. The texts are recombined from the real ones
(names, summaries, sentences of descriptions, tag names), so search meets the
catalogue's own vocabulary, never copies. Building blocks, domains and
collaboration models are the real ones.

It writes into the bench database only (bench/database.py), and writes every
published component's slug to bench/.work/slugs-<components>.txt for the
runner's rotating endpoints. Running it again on a generated database only
rewrites the slug list.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import multiprocessing
import os
import random
import re
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial, wraps
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from django.utils.text import slugify  # noqa: E402

from bench.database import WORK_DIR, is_bench_database, setup_django  # noqa: E402

LANGS = ("nl", "fr", "en")
BATCH = 2000
# Processes generating at once, each with its own PostgreSQL connection.
PARTS = int(os.environ.get("BENCH_GENERATE_PROCESSES", "2"))
# The source_reference of every generated row.
GENERATED = "bench: generated"
FIXTURE = PROJECT_DIR / "fixtures" / "catalogue.json"

# Belgian towns in Dutch, French and English: providers, networks, reuses.
TOWNS = [
    ("Antwerpen", "Anvers", "Antwerp"),
    ("Gent", "Gand", "Ghent"),
    ("Brugge", "Bruges", "Bruges"),
    ("Leuven", "Louvain", "Leuven"),
    ("Luik", "Liège", "Liège"),
    ("Namen", "Namur", "Namur"),
    ("Bergen", "Mons", "Mons"),
    ("Doornik", "Tournai", "Tournai"),
    ("Hasselt", "Hasselt", "Hasselt"),
    ("Mechelen", "Malines", "Mechelen"),
    ("Aalst", "Alost", "Aalst"),
    ("Kortrijk", "Courtrai", "Kortrijk"),
    ("Charleroi", "Charleroi", "Charleroi"),
    ("Eupen", "Eupen", "Eupen"),
    ("Aarlen", "Arlon", "Arlon"),
    ("Oostende", "Ostende", "Ostend"),
    ("Sint-Niklaas", "Saint-Nicolas", "Sint-Niklaas"),
    ("Genk", "Genk", "Genk"),
    ("Roeselare", "Roulers", "Roeselare"),
    ("Verviers", "Verviers", "Verviers"),
    ("Waver", "Wavre", "Wavre"),
    ("Nijvel", "Nivelles", "Nivelles"),
    ("Brussel", "Bruxelles", "Brussels"),
    ("Ieper", "Ypres", "Ypres"),
    ("Dinant", "Dinant", "Dinant"),
    ("Seraing", "Seraing", "Seraing"),
    ("Moeskroen", "Mouscron", "Mouscron"),
    ("Turnhout", "Turnhout", "Turnhout"),
    ("Lier", "Lierre", "Lier"),
    ("Halle", "Hal", "Halle"),
    ("Vilvoorde", "Vilvorde", "Vilvoorde"),
    ("Dendermonde", "Termonde", "Dendermonde"),
    ("Geel", "Geel", "Geel"),
    ("Lokeren", "Lokeren", "Lokeren"),
    ("Waregem", "Waregem", "Waregem"),
    ("Tienen", "Tirlemont", "Tienen"),
    ("Tongeren", "Tongres", "Tongeren"),
    ("Sint-Truiden", "Saint-Trond", "Sint-Truiden"),
    ("Aat", "Ath", "Ath"),
    ("La Louvière", "La Louvière", "La Louvière"),
    ("Bastenaken", "Bastogne", "Bastogne"),
    ("Spa", "Spa", "Spa"),
    ("Malmedy", "Malmedy", "Malmedy"),
    ("Hoei", "Huy", "Huy"),
    ("Gembloers", "Gembloux", "Gembloux"),
    ("Zottegem", "Zottegem", "Zottegem"),
    ("Ronse", "Renaix", "Ronse"),
    ("Edingen", "Enghien", "Enghien"),
]
# Provider names: (nl, fr, en) patterns over a town and a topic.
PROVIDER_PATTERNS = [
    ("Stad {town}", "Ville de {town}", "City of {town}"),
    ("Gemeente {town}", "Commune de {town}", "Municipality of {town}"),
    ("OCMW {town}", "CPAS de {town}", "Public Social Welfare Centre {town}"),
    (
        "Intercommunale voor {topic} {town}",
        "Intercommunale {topic} de {town}",
        "{town} intermunicipal {topic} company",
    ),
    ("Agentschap voor {topic}", "Agence pour {topic}", "Agency for {topic}"),
    ("Dienst {topic} {town}", "Service {topic} de {town}", "{town} {topic} office"),
    (
        "Provinciaal centrum voor {topic}",
        "Centre provincial de {topic}",
        "Provincial centre for {topic}",
    ),
]
PROVIDER_KINDS = [
    "federal_public_service",
    "social_security_institution",
    "public_institution",
    "regional_administration",
    "government_ict_association",
    "health_network",
    "private_company",
]
# Generated sentences naming who offers a component (nl, fr, en).
OFFERED_BY = (
    "{name} wordt aangeboden door {provider}.",
    "{name} est proposé par {provider}.",
    "{name} is offered by {provider}.",
)
REUSED_IN = (
    "Ook gebruikt in {town}.",
    "Aussi utilisé à {town}.",
    "Also used in {town}.",
)
NETWORK_NAMES = (
    "Netwerk {topic} {town}",
    "Réseau {topic} {town}",
    "{town} {topic} network",
)
REUSE_TITLES = (
    "{organisation} hergebruikt {component}",
    "{organisation} réutilise {component}",
    "{organisation} reuses {component}",
)
EVENT_TITLES = (
    "Gebruikersdag {network}",
    "Journée des utilisateurs {network}",
    "{network} user day",
)
# fmt: off
SYLLABLES = [
    "ar", "bo", "ca", "de", "el", "fi", "go", "ha", "in", "jo", "ka", "li",
    "mo", "ne", "or", "pa", "qui", "ra", "si", "ta", "ul", "va", "we", "xa",
    "yo", "ze", "nex", "tor", "vin", "sol", "dar", "mek", "lum", "quo", "rin", "zen",
]
# fmt: on
# Weights as in the real catalogue (Counter over its components).
KIND_WEIGHTS = {
    "service": 30,
    "platform": 25,
    "component": 20,
    "infrastructure": 10,
    "api": 9,
    "authentic_source": 9,
    "guideline": 2,
    "tender_specification": 1,
    "process": 1,
}
DOMAIN_WEIGHTS = {
    "generic": 56,
    "health": 26,
    "social-security": 18,
    "enterprises": 6,
    "citizens": 6,
}
LIFECYCLE_WEIGHTS = {
    "not_stated": 50,
    "available": 40,
    "in_development": 5,
    "concept": 3,
    "deprecated": 2,
}
LICENCES = ["", "", "", "EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-or-later"]
ROLES = ["operator", "co_supporter", "developer", "initiator"]


@dataclass(frozen=True)
class Texts:
    """The real catalogue's texts, aligned across the three languages."""

    names: list[tuple[str, str, str]]  # a name's descriptive part
    summaries: list[tuple[str, str, str]]
    sentences: list[tuple[str, str, str]]  # of descriptions
    topics: list[tuple[str, str, str]]  # tag names
    case_summaries: list[tuple[str, str, str]]


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if len(s) > 20]


def name_part(name: str) -> str:
    """ "DSP – Document Service Provider" -> "Document Service Provider";
    "Formulieren (Forms)" -> "Formulieren"."""
    name = name.split(" – ", 1)[-1]
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip() or name


def real_texts() -> Texts:
    from catalogue.models import Component, ReuseCase, Tag

    def aligned(rows: Iterable[tuple[str, ...]]) -> list[tuple[str, str, str]]:
        return [row for row in rows if all(row)]

    fields = [
        f"{f}_{lang}" for f in ("name", "summary", "description") for lang in LANGS
    ]
    components = list(Component.objects.values(*fields))
    sentences = []
    for component in components:
        split = [sentences_of(component[f"description_{lang}"]) for lang in LANGS]
        if len({len(parts) for parts in split}) == 1:
            sentences += zip(*split, strict=True)
    return Texts(
        names=aligned(
            tuple(name_part(c[f"name_{lang}"]) for lang in LANGS) for c in components
        ),
        summaries=aligned(
            tuple(c[f"summary_{lang}"] for lang in LANGS) for c in components
        ),
        sentences=sentences,
        topics=aligned(Tag.objects.values_list(*(f"name_{lang}" for lang in LANGS))),
        case_summaries=aligned(
            ReuseCase.objects.values_list(*(f"summary_{lang}" for lang in LANGS))
        ),
    )


def fits(text: str, limit: int) -> str:
    """`text`, cut at a word so that it fits in `limit` characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert(model, rows: Iterable) -> list:
    """bulk_create in batches; the saved rows, with their primary keys."""
    saved = []
    for batch in batched(rows):
        saved += model.objects.bulk_create(batch)
    return saved


def tuned_connection() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # A crash loses the bench database anyway: it is generated again.
        cursor.execute("SET synchronous_commit = off")
        # Bulk statements run for minutes, far over the portal's timeout.
        cursor.execute("SET statement_timeout = 0")


@dataclass(frozen=True)
class Catalogue:
    """What the generator reads from the real catalogue, once, for every
    process."""

    texts: Texts
    building_blocks: list[int]
    collaboration_models: list[int]
    domains: dict[str, int]
    providers: list[int]
    tags: list[int]
    components: list[int]
    slugs: frozenset[str]

    @classmethod
    def read(cls) -> Catalogue:
        from catalogue.models import (
            BuildingBlock,
            CollaborationModel,
            Component,
            Domain,
            Provider,
            Tag,
        )

        return cls(
            texts=real_texts(),
            building_blocks=list(BuildingBlock.objects.values_list("pk", flat=True)),
            collaboration_models=list(
                CollaborationModel.objects.values_list("pk", flat=True)
            ),
            domains=dict(Domain.objects.values_list("slug", "pk")),
            providers=list(Provider.objects.values_list("pk", flat=True)),
            tags=list(Tag.objects.values_list("pk", flat=True)),
            components=list(Component.objects.values_list("pk", flat=True)),
            slugs=frozenset(
                itertools.chain(
                    *(
                        model.objects.values_list("slug", flat=True)
                        for model in (Component, Provider, Tag)
                    )
                )
            ),
        )


class Generator:
    """Random rows in the catalogue's likeness. `part` of `parts`: processes
    generating at once draw product names from separate halves of the name
    space, so that names and slugs never collide between them."""

    def __init__(
        self, base: Catalogue, *, seed: int, log, part: int = 0, parts: int = 1
    ) -> None:
        self.base = base
        self.texts = base.texts
        self.random = random.Random(seed)
        self.log = log
        self.part, self.parts = part, parts
        self.now = datetime.now(tz=UTC)
        self.used_slugs: set[str] = set(base.slugs)
        self.used_codes: set[str] = set()

    # Small helpers ---------------------------------------------------------

    def weighted(self, weights: dict[str, int]) -> str:
        return self.random.choices(list(weights), list(weights.values()))[0]

    def date(self, years: float = 6) -> datetime:
        return self.now - timedelta(days=self.random.uniform(1, 365 * years))

    def town(self) -> tuple[str, str, str]:
        return self.random.choice(TOWNS)

    def topic(self) -> tuple[str, str, str]:
        return self.random.choice(self.texts.topics)

    def code(self) -> str:
        """A new product name: "Kora", "Velinexra", ..."""
        while True:
            length = self.random.choices((2, 3, 4), (1, 5, 4))[0]
            word = "".join(self.random.choices(SYLLABLES, k=length)).capitalize()
            mine = zlib.crc32(word.encode()) % self.parts == self.part
            if mine and word not in self.used_codes:
                self.used_codes.add(word)
                return word

    def slug(self, text: str, limit: int = 110) -> str:
        base = slugify(text)[:limit].strip("-") or "item"
        slug, number = base, 1
        while slug in self.used_slugs:
            number += 1
            slug = f"{base}-{number}"
        self.used_slugs.add(slug)
        return slug

    def sentences(self, count: int) -> tuple[str, str, str]:
        picked = self.random.sample(self.texts.sentences, count)
        return tuple(" ".join(row[i] for row in picked) for i in range(3))

    @staticmethod
    def translated(name: str, values: tuple[str, str, str]) -> dict[str, str]:
        """name_nl, name_fr, name_en (modeltranslation fills `name` itself)."""
        return {f"{name}_{lang}": values[i] for i, lang in enumerate(LANGS)}

    # Providers and tags ----------------------------------------------------

    def providers(self, count: int) -> list[int]:
        from catalogue.models import Provider

        names: set[str] = set()
        rows = []
        while len(rows) < count:
            pattern = self.random.choice(PROVIDER_PATTERNS)
            town, topic = self.town(), self.topic()
            name = tuple(
                pattern[i].format(town=town[i], topic=topic[i]) for i in range(3)
            )
            if name[2] in names:
                continue
            names.add(name[2])
            acronym = "".join(w[0] for w in name[0].split() if w[0].isalpha()).upper()
            domain = self.slug(name[2], 40)
            rows.append(
                Provider(
                    slug=self.slug(name[0], 80),
                    kind=self.random.choice(PROVIDER_KINDS),
                    website_url=f"https://www.{domain}.be",
                    contact_email=f"info@{domain}.be",
                    **self.translated("name", name),
                    **self.translated("acronym", (acronym,) * 3),
                    **self.translated("description", self.sentences(2)),
                )
            )
        return [provider.pk for provider in insert(Provider, rows)]

    def tags(self, count: int) -> list[int]:
        from catalogue.models import Tag

        seen: set[str] = set()
        rows = []
        while len(rows) < count:
            first, second = self.random.sample(self.texts.topics, 2)
            name = tuple(f"{first[i]} {second[i]}"[:80] for i in range(3))
            if name[2] not in seen:
                seen.add(name[2])
                rows.append(
                    Tag(slug=self.slug(name[2], 80), **self.translated("name", name))
                )
        return [tag.pk for tag in insert(Tag, rows)]

    # Components ------------------------------------------------------------

    def component(self, providers: list[int], provider_names: dict):
        from catalogue.models import Component
        from publishing.models import PublicationState

        code = self.code()
        part = self.random.choice(self.texts.names)
        summary = self.random.choice(self.texts.summaries)
        provider = (
            self.random.choice(providers) if self.random.random() < 0.95 else None
        )
        description = list(self.sentences(self.random.randint(2, 4)))
        for i in range(3):
            extra = []
            if provider is not None:
                names = provider_names[provider]
                extra.append(OFFERED_BY[i].format(name=code, provider=names[i]))
            if self.random.random() < 0.5:
                extra.append(REUSED_IN[i].format(town=self.town()[i]))
            description[i] = f"{description[i]}\n\n{' '.join(extra)}".strip()
        has_support = self.random.random() < 0.3
        return Component(
            slug=self.slug(f"{code} {part[2]}"),
            acronym=code.upper() if self.random.random() < 0.4 else "",
            kind=self.weighted(KIND_WEIGHTS),
            building_block_id=self.random.choice(self.base.building_blocks),
            domain_id=self.base.domains[self.weighted(DOMAIN_WEIGHTS)],
            provider_id=provider,
            government_level=self.random.choice(
                ["federal", "federal", "regional", "local", "interfederal"]
            ),
            lifecycle_status=self.weighted(LIFECYCLE_WEIGHTS),
            collaboration_model_id=(
                self.random.choice(self.base.collaboration_models)
                if self.random.random() < 0.3
                else None
            ),
            licence=self.random.choice(LICENCES),
            support_name=f"{code} support" if has_support else "",
            support_email=f"support@{code.lower()}.example.be" if has_support else "",
            languages=sorted(self.random.sample(["nl", "fr", "de", "en"], 2)),
            source_reference=GENERATED,
            publication_state=PublicationState.PUBLISHED,
            published_at=self.date(),
            **self.translated(
                "name", tuple(fits(f"{code} – {part[i]}", 200) for i in range(3))
            ),
            **self.translated(
                "summary", tuple(fits(f"{code}: {summary[i]}", 300) for i in range(3))
            ),
            **self.translated("description", tuple(description)),
        )

    def relations_of(self, component, providers: list[int], tags: list[int], others):
        """A component's organisation roles, tags, links and dependencies."""
        from catalogue.models import (
            Component,
            ComponentDependency,
            ComponentLink,
            ComponentOrganisation,
        )

        pk, provider = component.pk, component.provider_id
        if provider:
            yield ComponentOrganisation(
                component_id=pk, organisation_id=provider, role="owner"
            )
        count = self.random.randint(0, 2)
        for position, other in enumerate(self.random.sample(providers, count), 1):
            if other != provider:
                yield ComponentOrganisation(
                    component_id=pk,
                    organisation_id=other,
                    role=self.random.choice(ROLES),
                    confirmed=self.random.random() < 0.9,
                    position=position,
                )
        for tag in set(self.random.sample(tags, self.random.randint(2, 5))):
            yield Component.tags.through(component_id=pk, tag_id=tag)
        if self.random.random() < 0.5:
            yield ComponentLink(
                component_id=pk,
                kind="documentation",
                url=f"https://docs.example.be/components/{pk}/",
                title="Documentation",
            )
        if self.random.random() < 0.2:
            yield ComponentLink(
                component_id=pk,
                kind="source_code",
                url=f"https://code.example.be/reuse/{pk}",
                language="en",
            )
        if self.random.random() < 0.3:
            for other in set(self.random.sample(others, 2)) - {pk}:
                yield ComponentDependency(component_id=pk, depends_on_id=other)

    def components(
        self, count: int, providers: list[int], tags: list[int]
    ) -> list[int]:
        """`count` components with their relations, committed batch by batch."""
        from django.db import connection, transaction

        from catalogue.models import Provider

        tuned_connection()
        provider_names = {
            pk: names
            for pk, *names in Provider.objects.values_list(
                "pk", *(f"name_{lang}" for lang in LANGS)
            )
        }
        # A few organisations offer much, most a little; a few tags are on
        # many components.
        popular = self.random.sample(providers, max(len(providers) // 10, 1))
        weighted_providers = providers + popular * 10
        tag_pool = tags + self.base.tags * 4
        created: list[int] = []
        try:
            for batch in batched(
                self.component(weighted_providers, provider_names) for _ in range(count)
            ):
                with transaction.atomic():
                    saved = insert(type(batch[0]), batch)
                    others = self.base.components + created
                    relations: dict[type, list] = {}
                    for component in saved:
                        others.append(component.pk)
                        for row in self.relations_of(
                            component, providers, tag_pool, others
                        ):
                            relations.setdefault(type(row), []).append(row)
                    for model, rows in relations.items():
                        insert(model, rows)
                created += [component.pk for component in saved]
                self.log(f"  components, part {self.part + 1}: {len(created)}/{count}")
        finally:
            connection.close()
        return created

    # Networks and reuse cases ----------------------------------------------

    def networks(self, count: int, components: list[int], providers: list[int]):
        from networks.models import Event, Membership, Network
        from publishing.models import PublicationState

        rows = []
        for _ in range(count):
            town, topic = self.town(), self.topic()
            name = tuple(
                NETWORK_NAMES[i].format(town=town[i], topic=topic[i]) for i in range(3)
            )
            rows.append(
                Network(
                    slug=self.slug(name[0], 80),
                    **self.translated("name", name),
                    **self.translated("description", self.sentences(2)),
                    domain_id=self.base.domains[self.weighted(DOMAIN_WEIGHTS)],
                    coordinator_id=self.random.choice(providers),
                    publication_state=PublicationState.PUBLISHED,
                    published_at=self.date(),
                )
            )
        networks = insert(Network, rows)
        listings, memberships, events = [], [], []
        for network in networks:
            listed = self.random.sample(components, self.random.randint(20, 120))
            listings += [
                Network.components.through(network_id=network.pk, component_id=pk)
                for pk in set(listed)
            ]
            members = set(self.random.sample(providers, self.random.randint(3, 12)))
            for organisation in members | {network.coordinator_id}:
                role = self.random.choice(["member", "member", "expert"])
                if organisation == network.coordinator_id:
                    role = "coordinator"
                memberships.append(
                    Membership(
                        network_id=network.pk, organisation_id=organisation, role=role
                    )
                )
            for number in range(self.random.randint(1, 3)):
                starts = self.now + timedelta(days=self.random.uniform(-700, 300))
                title = tuple(
                    fits(EVENT_TITLES[i].format(network=network_name), 200)
                    for i, network_name in enumerate(
                        getattr(network, f"name_{lang}") for lang in LANGS
                    )
                )
                events.append(
                    Event(
                        slug=self.slug(f"{network.slug} {number} {starts:%Y-%m}", 120),
                        network_id=network.pk,
                        kind=self.random.choice(["webinar", "meeting", "workshop"]),
                        starts_at=starts,
                        precision="day",
                        location="online",
                        **self.translated("title", title),
                    )
                )
        for model, items in (
            (Network.components.through, listings),
            (Membership, memberships),
            (Event, events),
        ):
            insert(model, items)
        return len(networks)

    def reuse_cases(self, count: int, components: list[int], providers: list[int]):
        from catalogue.models import Component, Provider, ReuseCase
        from publishing.models import PublicationState

        provider_names = {
            pk: names
            for pk, *names in Provider.objects.values_list(
                "pk", *(f"name_{lang}" for lang in LANGS)
            )
        }
        picks = [
            (
                self.random.sample(components, self.random.randint(1, 3)),
                set(self.random.sample(providers, self.random.randint(1, 2))),
            )
            for _ in range(count)
        ]
        component_names = {
            pk: names
            for pk, *names in Component.objects.filter(
                pk__in={reused[0] for reused, _o in picks}
            ).values_list("pk", *(f"name_{lang}" for lang in LANGS))
        }
        cases = []
        for reused, organisations in picks:
            component = component_names[reused[0]]
            organisation = provider_names[min(organisations)]
            title = tuple(
                fits(
                    REUSE_TITLES[i].format(
                        organisation=organisation[i],
                        component=component[i].split(" – ")[0],
                    ),
                    200,
                )
                for i in range(3)
            )
            summary = self.random.choice(self.texts.case_summaries)
            cases.append(
                ReuseCase(
                    slug=self.slug(title[2], 120),
                    **self.translated("title", title),
                    **self.translated(
                        "summary", tuple(fits(text, 300) for text in summary)
                    ),
                    **self.translated("description", self.sentences(2)),
                    year=self.random.randint(2012, self.now.year),
                    estimated_saving_eur=(
                        Decimal(self.random.randrange(5_000, 500_000, 500))
                        if self.random.random() < 0.3
                        else None
                    ),
                    source_reference=GENERATED,
                    publication_state=PublicationState.PUBLISHED,
                    published_at=self.date(),
                )
            )
        saved = insert(ReuseCase, cases)
        insert(
            ReuseCase.components.through,
            (
                ReuseCase.components.through(reusecase_id=case.pk, component_id=pk)
                for case, (reused, _o) in zip(saved, picks, strict=True)
                for pk in reused
            ),
        )
        insert(
            ReuseCase.organisations.through,
            (
                ReuseCase.organisations.through(reusecase_id=case.pk, provider_id=pk)
                for case, (_c, organisations) in zip(saved, picks, strict=True)
                for pk in organisations
            ),
        )
        return len(saved)


# The steps --------------------------------------------------------------------


def in_parallel(calls: list) -> list:
    """The calls' results, the calls run in PARTS processes at once (forked:
    Django is set up already), each on its own database connection, so that
    both Python and PostgreSQL use every core."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=PARTS, mp_context=context) as pool:
        results = [future.result() for future in [pool.submit(call) for call in calls]]
    # This process's connection was closed: the new one needs the settings.
    tuned_connection()
    return results


def on_own_connection(function):
    """`function` run in a process of its own: its connection is closed at
    the end."""

    @wraps(function)
    def run(*args, **kwargs):
        from django.db import connection

        try:
            tuned_connection()
            return function(*args, **kwargs)
        finally:
            connection.close()

    return run


def generated_count() -> int | None:
    """The size of a finished generation, from the mark it leaves."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('catalogue_component'::regclass)")
        comment = cursor.fetchone()[0] or ""
    match = re.fullmatch(r"bench: (\d+) components generated", comment)
    return int(match.group(1)) if match else None


def mark_generated(components: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"COMMENT ON TABLE catalogue_component IS "
            f"'bench: {components} components generated'"
        )


def drop_search_indexes() -> list:
    """The GIN indexes go for the bulk load and are built once at the end:
    much faster than updating them row by row."""
    from django.contrib.postgres.indexes import GinIndex
    from django.db import connection

    from catalogue.models import Component, SearchWord

    indexes = [
        (model, index)
        for model in (Component, SearchWord)
        for index in model._meta.indexes
        if isinstance(index, GinIndex)
    ]
    with connection.schema_editor() as editor:
        for model, index in indexes:
            editor.remove_index(model, index)
    return indexes


@on_own_connection
def build_index(model, index) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
    with connection.schema_editor() as editor:
        editor.add_index(model, index)


@on_own_connection
def refresh_related_terms(first: int, last: int) -> bool:
    """Component.objects.refresh_related_terms() for the pks first..last.
    False when PostgreSQL chose it as a deadlock's victim: two refreshes add
    the same search words at once (it is then run again, alone)."""
    from django.db import OperationalError

    from catalogue.models import Component

    try:
        Component.objects.filter(pk__range=(first, last)).refresh_related_terms()
    except OperationalError as error:
        if "deadlock" not in str(error):
            raise
        return False
    return True


def timed(log, label: str, function, *args):
    started = time.monotonic()
    result = function(*args)
    size = ""
    if isinstance(result, list) and all(type(item) is int for item in result):
        size = f"{len(result)} "
    elif isinstance(result, int) and not isinstance(result, bool):
        size = f"{result} "
    log(f"{label}: {size}in {time.monotonic() - started:.1f}s")
    return result


def generate(*, components: int, seed: int = 1, log=print) -> None:
    """Fill the (migrated, loaded) bench database up to `components`."""
    from django.core.cache import cache
    from django.db import connection

    from catalogue.models import Component, SearchWord

    if generated_count() is not None:
        log(f"{generated_count()} components generated before: kept.")
        return
    if Component.objects.filter(source_reference=GENERATED).exists():
        raise SystemExit(
            "An earlier generation stopped half-way. Delete the bench database "
            f"(rm -rf {WORK_DIR.relative_to(PROJECT_DIR)}/pgdata-{components}) "
            "and run again."
        )
    started = time.monotonic()
    tuned_connection()
    indexes = drop_search_indexes()
    base = Catalogue.read()
    main = Generator(base, seed=seed, log=log)
    providers = base.providers + timed(
        log, "providers", main.providers, max(components // 25, 1)
    )
    tags = base.tags + timed(log, "tags", main.tags, max(components // 50, 1))
    missing = components - len(base.components)
    shares = [missing // PARTS + (part < missing % PARTS) for part in range(PARTS)]
    generators = [
        Generator(base, seed=seed + 1 + part, log=log, part=part, parts=PARTS)
        for part in range(PARTS)
    ]
    created = timed(
        log,
        "components with roles, tags, links, dependencies",
        lambda: [
            pk
            for part in in_parallel(
                [
                    partial(generator.components, share, providers, tags)
                    for generator, share in zip(generators, shares, strict=True)
                ]
            )
            for pk in part
        ],
    )
    everything = base.components + created
    timed(
        log, "networks", main.networks, max(components // 500, 1), everything, providers
    )
    timed(
        log,
        "reuse cases",
        main.reuse_cases,
        max(components // 10, 1),
        created,
        providers,
    )
    # Cases and their links were written in bulk, without the signals that
    # keep the counts. Counted once the planner knows the new tables' sizes:
    # with the statistics of the empty tables it chose a nested loop that ran
    # for more than seven minutes at 100,000 components.
    with connection.cursor() as cursor:
        timed(log, "analyze", cursor.execute, "ANALYZE")
    timed(log, "reuse counts", Component.objects.refresh_reuse_counts)
    pks = sorted(everything)
    ranges = [(chunk[0], chunk[-1]) for chunk in split(pks, PARTS)]
    done = timed(
        log,
        "related terms",
        lambda: in_parallel([partial(refresh_related_terms, *r) for r in ranges]),
    )
    for (first, last), finished in zip(ranges, done, strict=True):
        if not finished:
            timed(log, "related terms (again)", refresh_related_terms, first, last)

    def rebuild() -> None:
        # Emptied first in one statement: rebuild() deletes through the ORM,
        # row by row when a post_delete receiver listens (the page cache's).
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SearchWord._meta.db_table}")
        SearchWord.objects.rebuild()

    timed(log, "search words", rebuild)
    timed(
        log,
        "search indexes",
        lambda: in_parallel([partial(build_index, *item) for item in indexes]),
    )
    # Bulk writes send no signals: pages cached before are stale.
    cache.clear()
    with connection.cursor() as cursor:
        timed(log, "vacuum analyze", cursor.execute, "VACUUM ANALYZE")
    mark_generated(components)
    log(f"generated: {components} components in {time.monotonic() - started:.0f}s")


def split(items: list, parts: int) -> list[list]:
    size = math.ceil(len(items) / parts)
    return [items[i : i + size] for i in range(0, len(items), size)]


def write_slugs(components: int) -> Path:
    """Every published component's slug, one a line, for the runner."""
    from catalogue.models import Component

    path = WORK_DIR / f"slugs-{components}.txt"
    slugs = Component.objects.published().order_by("pk").values_list("slug", flat=True)
    path.write_text("".join(f"{slug}\n" for slug in slugs.iterator()))
    return path


def prepare(components: int, *, seed: int = 1, log=print) -> Path:
    """Migrate, load the real catalogue, generate; returns the slug list."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not is_bench_database(name):
        raise SystemExit(
            f"refusing to generate into {name!r}: the bench database's name "
            "starts with 'reuse_bench'."
        )
    # Loading new fixture rows into a grown catalogue refreshes the search
    # terms of every component: longer than the portal's statement timeout.
    tuned_connection()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())
    generate(components=components, seed=seed, log=log)
    render_pages_ahead(log)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    return write_slugs(components)


def render_pages_ahead(log) -> None:
    """The component pages the bench asks for (in Dutch) rendered ahead, as
    `make serve` does after a deploy: only those not current, i.e. all of
    them once the code or the translations changed (some 8 minutes at
    100,000 components)."""
    from django.core.management import call_command

    begun = time.monotonic()
    output = io.StringIO()
    call_command("render_component_pages", "--language=nl", stdout=output)
    seconds = time.monotonic() - begun
    log(f"component pages {output.getvalue().strip()} in {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.components < 200:
        parser.error("--components: at least 200")
    setup_django(args.components)
    path = prepare(args.components, seed=args.seed)
    print(f"slugs: {path.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
