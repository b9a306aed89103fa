"""The catalogue: reusable components, who provides them and who reuses them.

Translatable fields (names, summaries, descriptions) are registered in
`catalogue/translation.py`: django-modeltranslation adds one column per
language (`name_nl`, `name_fr`, `name_en`), which PostgreSQL full-text search
can index language by language.
"""

from __future__ import annotations

import operator
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, reduce

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models, transaction
from django.db.models import (
    DEFERRED,
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    JSONObject,
    Lower,
    Replace,
)
from django.db.models.sql.where import WhereNode
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.markup import refuse_active_content
from catalogue.search import (
    CLOSE_NAME_SIMILARITY,
    CLOSE_NAMES_COMPARED,
    LANGUAGE_CODES,
    MATCH_COUNT_CAP,
    RANKED_BY_NAME,
    RANKED_BY_WORDS,
    SEARCH_CONFIGURATIONS,
    SIMPLE_SEARCH_CONFIGURATION,
    IsAnyOf,
    SearchCandidates,
    StemmedQuery,
    interleave,
    read_with,
    search_document,
    search_words,
    thesaurus_words,
    through_indexes,
    understand,
)
from publishing.models import (
    PUBLISHED_HAS_DATE,
    PublicationState,
    Publishable,
    PublishableQuerySet,
)
from reuse_portal.addresses import slug_address
from reuse_portal.choice_labels import ChoiceLabelsMixin
from reuse_portal.precompiled import PrecompiledQuery


class ComponentKind(models.TextChoices):
    API = "api", _("API")
    COMPONENT = "component", _("Software component")
    SERVICE = "service", _("Service")
    PLATFORM = "platform", _("Platform")
    AUTHENTIC_SOURCE = "authentic_source", _("Authentic source")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    # Reusable assets that are not software (the deck's "business processes",
    # "procurement and licences", standards).
    GUIDELINE = "guideline", _("Guideline or standard")
    TENDER_SPECIFICATION = "tender_specification", _("Tender specification")
    PROCESS = "process", _("Business process")


class LifecycleStatus(models.TextChoices):
    # Said when nobody has: the catalogue does not assume "available".
    NOT_STATED = "not_stated", _("Not stated")
    CONCEPT = "concept", _("Concept")
    IN_DEVELOPMENT = "in_development", _("In development")
    AVAILABLE = "available", _("Available")
    DEPRECATED = "deprecated", _("Deprecated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GovernmentLevel(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    INTERFEDERAL = "interfederal", _("Interfederal")
    REGIONAL = "regional", _("Regional or community")
    LOCAL = "local", _("Local")
    EUROPEAN = "european", _("European")


class ProviderKind(models.TextChoices):
    FEDERAL_PUBLIC_SERVICE = "federal_public_service", _("Federal public service")
    SOCIAL_SECURITY_INSTITUTION = (
        "social_security_institution",
        _("Public social-security institution"),
    )
    PUBLIC_INSTITUTION = "public_institution", _("Public-benefit institution")
    REGIONAL_ADMINISTRATION = (
        "regional_administration",
        _("Regional or community administration"),
    )
    GOVERNMENT_ICT_ASSOCIATION = (
        "government_ict_association",
        _("Government ICT association"),
    )
    HEALTH_NETWORK = "health_network", _("Health network")
    PRIVATE_COMPANY = "private_company", _("Private partner")


class LinkKind(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation")
    API_SPECIFICATION = "api_specification", _("API specification")
    SOURCE_CODE = "source_code", _("Source code")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """Languages a component can be used in (not only the portal's languages)."""

    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


MAX_LOGO_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}


def logo_path(component: Component, filename: str) -> str:
    """A generated name: of what the uploader called the file, only a known
    image extension is kept (../../x.png becomes logos/<random>.png)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in LOGO_FORMATS.values():
        extension = "png"
    return f"logos/{uuid.uuid4().hex}.{extension}"


def validate_logo(logo) -> None:
    """At most 1 MB, and one of the web's bitmap formats (never SVG, which can
    carry scripts). The content itself is checked by Pillow in the form."""
    if not logo:
        return
    if logo.size > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is larger than 1 MB."), code="logo_too_large")
    image = getattr(getattr(logo, "file", None), "image", None)
    if image is not None and image.format not in LOGO_FORMATS:
        raise ValidationError(
            _("Use a PNG, JPEG, GIF or WebP image."), code="logo_format"
        )


# Long texts: room for a thorough description, far below what full-text
# indexing refuses (about 1 MB per document).
MAX_TEXT_LENGTH = 20_000


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SlugQuerySet(models.QuerySet):
    """Slugs are the natural keys: fixtures and imports refer to rows by slug."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)

    def free_slug(self, name: str, *, fallback: str = "") -> str:
        """A new entry's unused slug made from its name ("acme", else
        "acme-2"...), or from `fallback` when the name gives none: never
        chosen by the submitter, so that a conflict cannot reveal another's
        draft."""
        # Room is left for "-<number>".
        length = self.model._meta.get_field("slug").max_length - 10
        base = (
            slugify(name)[:length].strip("-") or fallback or self.model._meta.model_name
        )
        taken = set(
            self.filter(slug__regex=rf"^{re.escape(base)}(-\d+)?$").values_list(
                "slug", flat=True
            )
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug


class SlugNaturalKeyMixin:
    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Domain(SlugNaturalKeyMixin, models.Model):
    """A policy domain: social security, health, enterprises, ..."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


def name_order() -> Lower:
    """A translated name in the language of the request, whatever its case:
    the key of every order by name (the name indexes hold it)."""
    return Lower(f"name_{get_language() or 'nl'}")


class NamedQuerySet(models.QuerySet):
    """For models whose `name` is translated (name_nl, name_fr, name_en)."""

    def by_name(self) -> NamedQuerySet:
        """By name in the language of the request, whatever its case; the
        primary key breaks ties, so that a page boundary never splits them."""
        return self.order_by(name_order(), "pk")


class ComponentGroupQuerySet(NamedQuerySet, SlugQuerySet):
    """For anything components are grouped by: blocks, models, providers."""

    def _published_components(self) -> models.QuerySet:
        """The published components of the row the query is at."""
        link = self.model._meta.get_field("components").field.name
        return Component.objects.published().filter(**{link: OuterRef("pk")})

    def with_published_component_count(self) -> ComponentGroupQuerySet:
        """`published_component_count`, counted for each row on its own: a
        page of 25 of the 4,000 providers of 100,000 components counts their
        components only, where a join counted every component first (164
        ms for the API's first page)."""
        return self.annotate(
            published_component_count=count_of(self._published_components())
        )

    def with_first_components(self, number: int) -> ComponentGroupQuerySet:
        """`first_components()` of each row: its first `number` published
        components in the catalogue's order, with their providers' names,
        read with the row. A block of 6,000 components lists a few and
        links to the catalogue for all of them: listed whole, the building
        blocks' page of 100,000 components took 14 s and weighed 10 MB."""
        rows = json_rows(
            self._published_components().order_by("slug"),
            NAME_FIELDS,
            provider=JSONObject(
                **{field: f"provider__{field}" for field in NAME_FIELDS}
            ),
        )
        return self.annotate(first_component_rows=ArraySubquery(rows[:number]))

    def for_overview(self, named: int) -> ComponentGroupQuerySet:
        """The page of them all: each with its count and its first `named`
        components."""
        return self.with_published_component_count().with_first_components(named)


class ComponentGroup:
    """What blocks and models share as pages that group components."""

    def first_components(self) -> list[Component]:
        """The components ComponentGroupQuerySet.with_first_components() read,
        each with its provider (None when it has none)."""
        components = []
        for row in self.first_component_rows:
            component = from_json_row(Component, row)
            provider = row["provider"]
            Component.provider.field.set_cached_value(
                component,
                from_json_row(Provider, provider) if provider["slug"] else None,
            )
            components.append(component)
        return components


class BuildingBlock(
    ChoiceLabelsMixin, ComponentGroup, SlugNaturalKeyMixin, models.Model
):
    """A block of the deck's "generic public service" map, or a G-Cloud layer."""

    class Family(models.TextChoices):
        PUBLIC_SERVICE = (
            "public_service",
            _("Building blocks of a generic public service"),
        )
        G_CLOUD = "g_cloud", _("G-Cloud layers")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=Family)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ComponentGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("building block")
        verbose_name_plural = _("building blocks")
        ordering = ["family", "position", "slug"]

    def __str__(self) -> str:
        return self.name


class CollaborationModel(ComponentGroup, SlugNaturalKeyMixin, models.Model):
    """How a component is financed and maintained between institutions."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    definition = models.TextField(_("definition"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ComponentGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration model")
        verbose_name_plural = _("collaboration models")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class Tag(SlugNaturalKeyMixin, models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=80)

    objects = SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class ProviderQuerySet(ComponentGroupQuerySet):
    def _roles_in_published_components(self) -> models.QuerySet:
        """The row's roles in published components."""
        return ComponentOrganisation.objects.filter(
            organisation=OuterRef("pk"),
            component__publication_state=PublicationState.PUBLISHED,
        )

    def _public_reuses(self) -> models.QuerySet:
        """The published reuse cases that name the row with its consent."""
        return ReuseCase.organisations.through.objects.filter(
            provider=OuterRef("pk"),
            reusecase__publication_state=PublicationState.PUBLISHED,
            reusecase__organisation_public=True,
        )

    def in_directory(self) -> ProviderQuerySet:
        """Organisations with a part in a published component or named by a
        published reuse case: those the providers page lists."""
        return self.filter(
            ExistsRowByRow(self._roles_in_published_components())
            | ExistsRowByRow(self._public_reuses())
        )

    def with_directory_counts(self) -> ProviderQuerySet:
        """`published_component_count` and `reuse_count`, each row's own,
        read from its links. Counted together over a join of both, they
        multiplied each other's rows: the providers page took 1.9 s at
        100,000 components."""
        components = (
            self._roles_in_published_components()
            .order_by()
            .values("organisation")
            # One organisation may have two roles in a component.
            .annotate(count=Count("component", distinct=True))
            .values("count")
        )
        return self.annotate(
            published_component_count=Coalesce(Subquery(components), Value(0)),
            reuse_count=count_of(self._public_reuses()),
        )

    def for_profile(self) -> ProviderQuerySet:
        """An organisation's page: what it takes part in, with its role, and
        the cases in which it reused components."""
        return self.prefetch_related(
            models.Prefetch(
                "component_roles",
                queryset=ComponentOrganisation.objects.filter(
                    component__publication_state=PublicationState.PUBLISHED
                ).select_related("component"),
            ),
            # Only the cases whose organisations agreed to be named.
            models.Prefetch(
                "reuse_cases",
                queryset=ReuseCase.objects.for_listing().naming_organisations(),
            ),
        )


class Provider(ChoiceLabelsMixin, SlugNaturalKeyMixin, TimestampedModel):
    """An organisation that offers components (and, often, reuses others')."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=ProviderKind)
    description = models.TextField(_("description"), blank=True)
    website_url = models.URLField(_("website"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["slug"]

    def __str__(self) -> str:
        # "Belnet", not "Belnet (Belnet)".
        if self.acronym and self.acronym not in self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def get_absolute_url(self) -> str:
        return slug_address("catalogue:provider-detail", self.slug)


def sorted_by_name_indexes(name: str, *first_keys) -> list[models.Index]:
    """For a sort of the published components by `first_keys`, then by name
    in each language (and the primary key), an index per language, named
    `name` with the language code. With the name itself included, a deep
    page's keys are read from the index alone
    (reuse_portal.pagination.CountedPaginator): PostgreSQL scans an index
    only when it holds every column the query names.
    The columns the list is filtered by are included for the same reason
    (SORT_INDEX_FILTERS)."""
    return [
        models.Index(
            *first_keys,
            Lower(f"name_{language}"),
            F("id"),
            include=[f"name_{language}", *SORT_INDEX_FILTERS],
            name=name.format(language),
            condition=Q(publication_state=PublicationState.PUBLISHED),
        )
        for language in LANGUAGE_CODES
    ]


# Columns only search reads, never a page: the search document (some 3 KB
# per row, stored out of line), the text it is built from.
SEARCH_ONLY = ("search_vector", "names_text", "related_terms")

# What a result card shows (portal.component_cards), and all it reads. At
# 100,000 components, reading a new search's page with the whole rows of
# its components and providers (descriptions, contacts) took a fifth more
# of the worker's time: 0.55-0.62 ms against 0.43-0.46.
CARD_FIELDS = (
    "slug",
    "name",
    "acronym",
    "kind",
    "lifecycle_status",
    "summary",
    "reuse_count",
    "provider__slug",
    "provider__name",
)

# Columns no list shows (the API's, the exports, the feeds): those only
# search reads, and the long descriptions.
LIST_NEEDS_NOT = (
    *SEARCH_ONLY,
    *(f"description_{language}" for language in LANGUAGE_CODES),
    "description",
)


def json_rows(
    queryset: models.QuerySet, fields: list[str], **expressions
) -> models.QuerySet:
    """Each row of `queryset` as one JSON object of its `fields` (and of
    `expressions`, by name): to read a short list with another row, or
    several small tables in one query; from_json_row() makes each an
    instance again."""
    row = JSONObject(**{field: field for field in fields}, **expressions)
    return queryset.annotate(row=row).values("row")


def from_json_row(model: type[models.Model], row: dict) -> models.Model:
    """An instance of `model` from a row json_rows() read (its keys the
    fields' column names), made as the ORM makes one from a row it reads:
    the values in the fields' order, the fields not read deferred.

    `model(**row)` costs five times as much, 30 µs against 6, for
    django-modeltranslation rewrites every keyword: the 4,279 facet labels
    of 100,000 components took 200 ms of the first page after a change."""
    instance = model(
        *[row.get(field.attname, DEFERRED) for field in model._meta.concrete_fields]
    )
    instance._state.adding = False
    return instance


NAME_FIELDS = ["slug", *(f"name_{code}" for code in LANGUAGE_CODES)]
# What a component's page and its API answer show of an organisation with a
# role: its names and acronyms, and its id for the API's link to it.
ORGANISATION_FIELDS = [
    "id",
    *NAME_FIELDS,
    *(f"acronym_{code}" for code in LANGUAGE_CODES),
]


def _rows(queryset: models.QuerySet, fields: list[str], **expressions) -> ArraySubquery:
    """The rows of `queryset`, in its model's order, as an array of JSON
    objects: a list to show, read with the row that names it instead of by
    a query of its own."""
    return ArraySubquery(
        json_rows(
            queryset.order_by(*queryset.model._meta.ordering), fields, **expressions
        )
    )


def _named_rows(queryset: models.QuerySet) -> ArraySubquery:
    """The slug and names (in every language) of each row of `queryset`."""
    return _rows(queryset, NAME_FIELDS)


def _each_holds(path: str) -> models.Expression:
    """What each component holds in `path`, a field or a many-to-many
    relation: the ids of the related rows of the latter, as a list (empty
    for none), read row by row through the link table's index."""
    field = Component._meta.get_field(path)
    if not field.many_to_many:
        return F(path)
    # The link table names the component on one side, the related row on
    # the other; from a relation declared on the related model, the other
    # way round.
    declared = getattr(field, "field", field)
    ours, theirs = declared.m2m_field_name(), declared.m2m_reverse_field_name()
    if declared is not field:
        ours, theirs = theirs, ours
    links = declared.remote_field.through.objects.filter(**{ours: OuterRef("pk")})
    return ArraySubquery(links.values(f"{theirs}_id"))


class ExistsRowByRow(Exists):
    """EXISTS that PostgreSQL tests row by row, each test stopping at its
    first match. Left to itself, it may instead read every row the subquery
    could match into a hash: the better plan when few rows match. For the
    organisations in the directory it hashed 195,000 roles in components to
    test 4,042 organisations, each with a role found at once: 55 ms at
    100,000 components, row by row 7 ms. PostgreSQL keeps a subquery with
    an OFFSET as written, neither merged into the query nor hashed."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def count_of(queryset: models.QuerySet) -> Subquery:
    """How many rows `queryset` has, for a queryset whose filter names the
    outer row (OuterRef): counted for each row on its own, 0 for none."""
    count = models.Func(template="COUNT(*)", output_field=models.IntegerField())
    return Subquery(queryset.order_by().annotate(count=count).values("count"))


def reuse_links(*, provider) -> models.QuerySet:
    """The links between published reuse cases and components that count as
    reuse: the case names an organisation other than `provider`, the
    component's own (an expression)."""
    case_component = ReuseCase.components.through
    case_organisation = ReuseCase.organisations.through
    someone_else = case_organisation.objects.filter(
        reusecase=OuterRef("reusecase")
    ).exclude(provider=Coalesce(provider, Value(0)))
    return (
        case_component.objects.filter(
            reusecase__publication_state=PublicationState.PUBLISHED
        )
        .filter(Exists(someone_else))
        .order_by()
    )


# The single-valued fields the catalogue's facets count components by (with
# a short name for their indexes).
FACET_FIELDS = (
    ("kind", "kind"),
    ("lifecycle_status", "status"),
    ("provider", "provider"),
    ("building_block", "block"),
    ("domain", "domain"),
    ("collaboration_model", "model"),
)

# The columns the lists are filtered by (the facets, and the API's
# modified_since), held by every sort's index: a deep page of a filtered
# list then reads its keys from the index alone. At 100,000 components, after
# a change, page 1,000 of one kind read and sorted 28,000 whole rows (110 ms)
# and page 3,000 of `modified_since` sorted 100,000 (188 ms); 13 and 12 ms
# from the index.
SORT_INDEX_FILTERS = (*(field for field, _ in FACET_FIELDS), "updated_at")


class ComponentQuerySet(PublishableQuerySet, SlugQuerySet):
    def refresh_reuse_counts(self) -> int:
        """Count again the stored `reuse_count` of these components: the
        published cases that reused each.

        A case counts once, however many organisations it names, and only
        when it names an organisation other than the component's own: a body
        using what it built is not reuse. Only the rows whose count changes
        are written (a rewritten row leaves a dead copy behind). Returns how
        many changed. catalogue.reuse_counts calls it on every change that
        can move a count.
        """
        cases = (
            reuse_links(provider=OuterRef(OuterRef("provider")))
            .filter(component=OuterRef("pk"))
            .values("component")
            .annotate(count=Count("pk"))
            .values("count")
        )
        counted = Coalesce(Subquery(cases), Value(0))
        with transaction.atomic():
            changed = list(
                self.exclude(reuse_count=counted).values_list("pk", flat=True)
            )
            if not changed:
                return 0
            return Component.objects.filter(pk__in=changed).update(reuse_count=counted)

    def most_reused(self, number: int) -> ComponentQuerySet:
        """The `number` components with the most reuses (at least one), most
        first."""
        return self.filter(reuse_count__gt=0).order_by("-reuse_count", "pk")[:number]

    def newest(self) -> ComponentQuerySet:
        """Newest first, in the order of catalogue_component_newest_idx, so
        that the index serves it."""
        return self.order_by(F("published_at").desc(nulls_last=True), "pk")

    def for_cards(self) -> ComponentQuerySet:
        """Everything a result card shows, in one query, and nothing it does
        not: of the component and its provider, CARD_FIELDS only (with each
        translation of the translated ones)."""
        return self.published().select_related("provider").only(*CARD_FIELDS)

    def for_listing(self) -> ComponentQuerySet:
        """What the API list and the exports show of each component: its
        own fields but the long texts, with its provider, building block
        and domain."""
        return (
            self.published()
            .select_related("provider", "building_block", "domain")
            .defer(*LIST_NEEDS_NOT)
        )

    def for_detail(self) -> ComponentQuerySet:
        """Everything a component page shows, in a fixed number of queries."""
        return self.published()._with_details()

    def for_page(self) -> ComponentQuerySet:
        """What a component's page shows, in one query: the lists it shows
        (tags, networks, dependencies both ways, links, organisation roles,
        reuse cases with their organisations) come as arrays in the
        component's own row, read by Component.listed(), and so does its
        published successor (Component.with_successor_from_row())."""
        network_model = Component._meta.get_field("networks").related_model
        published = Component.objects.published()
        return (
            self.published()
            ._classified()
            # Stored out of line: reading them cost 50-70 µs of the page's
            # 1.1 ms row at 100,000 components.
            .defer(*SEARCH_ONLY)
            .annotate(
                # Not a prefetch: Django builds and compiles a prefetch's
                # query at every lookup, even for the many components
                # without a successor: 0.45 ms of a page's 1.3 ms row.
                successor_rows=_named_rows(
                    published.filter(pk=OuterRef("successor_id"))
                ),
                tags_rows=_named_rows(Tag.objects.filter(components=OuterRef("pk"))),
                networks_rows=_named_rows(
                    network_model.objects.published().filter(components=OuterRef("pk"))
                ),
                depends_on_rows=_named_rows(published.filter(used_by=OuterRef("pk"))),
                used_by_rows=_named_rows(published.filter(depends_on=OuterRef("pk"))),
                links_rows=_rows(
                    ComponentLink.objects.filter(component=OuterRef("pk")),
                    list(Component.LINK_FIELDS),
                ),
                organisation_roles_rows=_rows(
                    ComponentOrganisation.objects.filter(component=OuterRef("pk")),
                    ["role", "confirmed"],
                    organisation=JSONObject(
                        **{
                            field: f"organisation__{field}"
                            for field in ORGANISATION_FIELDS
                        }
                    ),
                ),
                reuse_cases_rows=_rows(
                    ReuseCase.objects.published().filter(components=OuterRef("pk")),
                    ["slug", "year", "organisation_public"]
                    + [f"title_{code}" for code in LANGUAGE_CODES],
                    organisations=_named_rows(
                        Provider.objects.filter(reuse_cases=OuterRef("pk"))
                    ),
                ),
            )
        )

    def for_owner_detail(self, user) -> ComponentQuerySet:
        """A component as its own organisation sees it, published or not;
        other organisations' unpublished entries stay out of reach."""
        return self.owned_or_published(user)._with_details()

    def submissions_of(self, organisation_id: int) -> ComponentQuerySet:
        """ "My submissions": one organisation's components under review."""
        return self.owned_with_history(Q(provider=organisation_id)).select_related(
            "provider"
        )

    def owned_or_published(self, user) -> ComponentQuerySet:
        organisation = getattr(user, "organisation_id", None)
        if organisation is None:
            return self.published()
        return self.filter(
            Q(publication_state=PublicationState.PUBLISHED) | Q(provider=organisation)
        )

    def _with_details(self) -> ComponentQuerySet:
        published = Component.objects.published().select_related("provider")
        # The networks app builds on the catalogue, never the reverse: its
        # model is reached through the relation, not imported.
        network_model = Component._meta.get_field("networks").related_model
        return self._with_facts().prefetch_related(
            "tags",
            models.Prefetch("depends_on", queryset=published),
            models.Prefetch("used_by", queryset=published),
            models.Prefetch("networks", queryset=network_model.objects.published()),
        )

    def _classified(self) -> ComponentQuerySet:
        """The provider and the classification."""
        return self.select_related(
            "provider", "building_block", "domain", "collaboration_model"
        )

    def _with_facts(self) -> ComponentQuerySet:
        """The relations whose rows show more than a name, besides the
        classification: links, successor, organisations, reuses."""
        published = Component.objects.published().select_related("provider")
        return self._classified().prefetch_related(
            "links",
            models.Prefetch("successor", queryset=published),
            models.Prefetch(
                "organisation_roles",
                queryset=ComponentOrganisation.objects.select_related("organisation"),
            ),
            models.Prefetch(
                "reuse_cases",
                queryset=ReuseCase.objects.published().prefetch_related(
                    "organisations"
                ),
            ),
        )

    def search(
        self, text: str, *, candidates: SearchCandidates | None = None
    ) -> ComponentQuerySet:
        """Components matching `text` in any language, best first.

        Full-text (stemmed, unaccented, every word as a prefix, expanded as
        `catalogue.search.understand` explains) in NL, FR and EN, plus
        trigram similarity on names for typos. Annotates `relevance`; an
        acronym typed alone ranks its component first.

        Only a bounded set of candidates is ranked (`search_candidates`), so
        that a word found in every one of 100,000 components costs what a
        rare one does. Below those numbers, which the real catalogue is,
        every match is ranked; the candidates say how many there are.
        `candidates`, when given, are this queryset's, already found.
        """
        ranking = self.ranking(text, candidates)
        if ranking is None:
            return self.annotate(relevance=Value(0.0)).none()
        return self.ranked(*ranking)

    def ranking(
        self, text: str, candidates: SearchCandidates | None = None
    ) -> tuple[list[int], str, str] | None:
        """What `search` ranks for `text`: the ids of its candidates (found
        now unless given), its query in tsquery syntax and the words typed,
        as ranked() takes them; None when nothing can match."""
        understood = understand(text)
        if understood is None:
            return None
        if candidates is None:
            candidates = self.search_candidates(text)
        if not candidates.ids:
            return None
        return sorted(candidates.ids), understood.tsquery, " ".join(understood.words)

    def ranked(self, ids: list[int], tsquery: str, typed: str) -> ComponentQuerySet:
        """The components `ids`, with their `relevance` to a query (as
        ranking() gives it). The candidates are fetched by primary key: the
        words are matched once, never again by a count or a facet's query."""
        return self.filter(IsAnyOf(F("pk"), ids)).annotate(
            # Names that merely look like the query weigh less than words
            # found: measured on the relevance set (tests/catalogue), 0.25
            # gives the best success@1.
            relevance=SearchRank(F("search_vector"), _tsquery(tsquery))
            + 0.25 * TrigramWordSimilarity(typed, "names_text")
            + Case(When(acronym__iexact=typed, then=Value(10.0)), default=Value(0.0))
        )

    def among(self, candidates: SearchCandidates) -> ComponentQuerySet:
        """The components `search` ranks for these candidates, unranked: all
        that the search's counts need."""
        if not candidates.ids:
            return self.none()
        return self.filter(IsAnyOf(F("pk"), candidates.ids))

    def search_candidates(
        self, text: str, *, values: Mapping[str, str] | None = None
    ) -> SearchCandidates:
        """The ids of the components `search` ranks for `text`, and how many
        components match, in one query; with `values` (name: a field or a
        many-to-many relation of the component), what each of them holds
        in each, read by the same query."""
        names = list(values or {})
        rows = self.candidate_rows(text, values=values)
        if rows is None:
            return SearchCandidates(frozenset(), matches=0)
        rows = through_indexes(rows)
        by_words = [row for row in rows if not row[1]]
        by_name = [row for row in rows if row[1]]
        ranked = by_words[:RANKED_BY_WORDS] + by_name[:RANKED_BY_NAME]
        return SearchCandidates(
            frozenset(row[0] for row in ranked),
            # Either way finds at most this many: past it, more match.
            matches=min(len({row[0] for row in rows}), MATCH_COUNT_CAP + 1),
            values={row[0]: dict(zip(names, row[2:], strict=True)) for row in ranked},
        )

    def candidate_rows(
        self, text: str, *, values: Mapping[str, str] | None = None
    ) -> models.QuerySet | None:
        """(id, found by name, *`values`) of components matching `text`, a
        row for each way each was found: up to MATCH_COUNT_CAP + 1 by their
        words and as many by their names, enough to count the matches up to
        that number and to rank the first RANKED_BY_WORDS and RANKED_BY_NAME
        of them. A many-to-many relation's value is a list of the related
        rows' ids. None when no word of `text` is left. The catalogue's own
        query (every published component's) is compiled once per process.

        Names are compared with what was typed only when some typed word is
        one the catalogue never uses: a known word is found by the words
        index, and a name that merely looks like it is noise (on the
        relevance set, success@1 rose from 0.95 to 0.96). Comparing names
        is the dearest part: 26 ms for one rare word at 100,000 components."""
        understood = understand(text)
        if understood is None:
            return None
        # The words typed, where names are compared with them.
        typed = (" ".join(understood.words),) if understood.has_unknown_word else ()
        if self._selects_every_published():
            shape = tuple((values or {}).items())
            return CANDIDATES[bool(typed)].queryset(shape, understood.matching, *typed)
        return self._candidate_rows(understood.matching, *typed, values=values)

    def _candidate_rows(
        self,
        matching: str,
        typed: str | None = None,
        *,
        values: Mapping[str, str] | None = None,
    ) -> models.QuerySet:
        """candidate_rows() for a query in lexemes (UnderstoodQuery.matching),
        and names compared with `typed` if given."""
        enough = MATCH_COUNT_CAP + 1
        # Prefixed: an annotation may not take the name of a field.
        columns = {
            f"value_{name}": _each_holds(path) for name, path in (values or {}).items()
        }
        rows = self.order_by().values("pk").annotate(**columns)
        fields = ["pk", "by_name", *columns]
        # Each part found by its own index, never by reading the whole table.
        by_words = rows.filter(search_vector=StemmedQuery(matching)).annotate(
            by_name=Value(False)
        )
        if typed is None:
            return by_words.values_list(*fields)[:enough]
        by_name = rows.filter(names_text__trigram_word_similar=typed).annotate(
            by_name=Value(True)
        )
        # In no order: the union would otherwise be sorted by Meta.ordering.
        return (
            by_words.values_list(*fields)[:enough]
            .union(by_name.values_list(*fields)[:enough], all=True)
            .order_by()
        )

    def _selects_every_published(self) -> bool:
        """Whether this queryset's rows are all the published components,
        whatever else it reads of them (related rows, deferred fields): then
        its search's candidates are the catalogue's (CANDIDATES)."""
        query = self.query
        return (
            query.where == _every_published_where()
            and not query.annotations
            and not query.combinator
            and not query.distinct
            and not query.is_sliced
            and not query.extra
        )

    def closest_names(self, text: str, *, limit: int = 5) -> ComponentQuerySet:
        """Suggestions when a search finds nothing: the most similar names
        among the first CLOSE_NAMES_COMPARED similar enough."""
        typed = " ".join(search_words(text))
        similar = self.order_by().filter(names_text__trigram_word_similar=typed)
        compared = read_with(
            similar.values_list("pk", flat=True)[:CLOSE_NAMES_COMPARED],
            {
                "pg_trgm.word_similarity_threshold": str(CLOSE_NAME_SIMILARITY),
                "enable_seqscan": "off",
            },
        )
        return (
            self.filter(pk__in=compared)
            .annotate(
                similarity=TrigramWordSimilarity(typed, "names_text"),
                # Breaks ties between names that share the same closest word.
                overall_similarity=TrigramSimilarity("names_text", typed),
            )
            .filter(similarity__gt=CLOSE_NAME_SIMILARITY)
            .order_by("-similarity", "-overall_similarity", "slug")[:limit]
        )

    def refresh_related_terms(self, *, own_texts_changed: bool = False) -> int:
        """Copy organisation names, tags and the kind's name into
        `related_terms`, in the three languages, for search. Returns how
        many components' terms changed: only those rows are written.

        The words search knows are brought up to date for the components
        whose terms changed, or for all of them when their own texts
        (names, summaries, descriptions) may have changed too."""

        def names_of(model, link: str, fields: tuple[str, ...]) -> Subquery:
            concatenated = Concat(
                *interleave(
                    [f"{field}_{lang}" for field in fields for lang in LANGUAGE_CODES]
                ),
                output_field=models.TextField(),
            )
            return Subquery(
                model.objects.filter(**{link: OuterRef("pk")})
                .order_by()
                .values(link)
                .annotate(
                    # In a fixed order: the same names give the same text,
                    # which is then not written again.
                    names=StringAgg(concatenated, delimiter=Value(" "), order_by="pk")
                )
                .values("names")
            )

        related_terms = Concat(
            *interleave(
                [
                    names_of(
                        Provider, "component_roles__component", ("acronym", "name")
                    ),
                    names_of(Tag, "components", ("name",)),
                    kind_names(),
                ]
            ),
            output_field=models.TextField(),
        )
        # Saving a tag or an organisation refreshes every component it is on.
        # Rewriting a row whose terms stay the same still recomputes its
        # search vector, adds its index entries again and leaves a dead copy
        # of the row behind: at 100,000 components a refresh of all of them
        # doubled the table. Only the rows that change are written.
        with transaction.atomic():
            changed = list(
                self.exclude(related_terms=related_terms).values_list("pk", flat=True)
            )
            refreshed = Component.objects.filter(pk__in=changed)
            updated = refreshed.update(related_terms=related_terms) if changed else 0
            # What these components now say is part of the words search knows.
            if own_texts_changed:
                SearchWord.objects.add_words_of(self)
            elif changed:
                SearchWord.objects.add_words_of(refreshed)
        return updated


@cache
def _every_published_where() -> WhereNode:
    """The `where` of every published component's queryset, built once: each
    new search compares its queryset's with it, and building it took 80 µs."""
    return Component.objects.published().query.where


def _tsquery(tsquery: str) -> SearchQuery:
    """A query in tsquery syntax (UnderstoodQuery.tsquery) as one query over
    every language's dictionary."""
    return reduce(
        operator.or_,
        (
            SearchQuery(tsquery, config=config, search_type="raw")
            for config in [*SEARCH_CONFIGURATIONS.values(), SIMPLE_SEARCH_CONFIGURATION]
        ),
    )


def kind_names() -> Case:
    """Each kind's name in the three languages: "guideline" finds the
    guidelines whatever their text says."""
    whens = []
    for kind in ComponentKind:
        names = []
        for language in LANGUAGE_CODES:
            with translation.override(language):
                names.append(str(kind.label))
        whens.append(When(kind=kind.value, then=Value(" ".join(names))))
    return Case(*whens, default=Value(""), output_field=models.TextField())


class Component(ChoiceLabelsMixin, SlugNaturalKeyMixin, Publishable, TimestampedModel):
    """A reusable component, service, API, platform or authentic source."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    # The ict-reuse.be slugs are kept verbatim: links in the wild point at them.
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), refuse_active_content],
        help_text=_("Markdown: paragraphs, lists, links, tables."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ComponentKind)
    building_block = models.ForeignKey(
        BuildingBlock,
        models.PROTECT,
        related_name="components",
        verbose_name=_("building block"),
    )
    domain = models.ForeignKey(
        Domain, models.PROTECT, related_name="components", verbose_name=_("domain")
    )
    provider = models.ForeignKey(
        Provider,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("provider"),
        help_text=_(
            "The lead organisation, which answers for the entry. Empty while "
            "no organisation is confirmed."
        ),
    )
    government_level = models.CharField(
        _("government level"),
        max_length=20,
        choices=GovernmentLevel,
        default=GovernmentLevel.FEDERAL,
    )
    lifecycle_status = models.CharField(
        _("lifecycle status"),
        max_length=20,
        choices=LifecycleStatus,
        default=LifecycleStatus.NOT_STATED,
    )
    successor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The component to use instead, once this one is deprecated."),
    )
    collaboration_model = models.ForeignKey(
        CollaborationModel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("collaboration model"),
    )
    licence = models.CharField(
        _("licence"),
        max_length=64,
        blank=True,
        help_text=_("SPDX identifier, e.g. EUPL-1.2, where known."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG, GIF or WebP, at most 1 MB."),
    )
    support_name = models.CharField(_("support contact"), max_length=200, blank=True)
    support_email = models.EmailField(_("support e-mail"), blank=True)
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language),
        size=len(Language),
        verbose_name=_("languages supported"),
        default=list,
        blank=True,
    )
    organisations = models.ManyToManyField(
        Provider,
        through="ComponentOrganisation",
        blank=True,
        related_name="involved_in",
        verbose_name=_("organisations"),
        help_text=_("Every organisation with a part in the component, and its role."),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="components", verbose_name=_("tags")
    )
    depends_on = models.ManyToManyField(
        "self",
        through="ComponentDependency",
        symmetrical=False,
        blank=True,
        related_name="used_by",
        verbose_name=_("depends on"),
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=300,
        blank=True,
        help_text=_("Where the facts of this entry come from."),
    )
    # Provider names and tags, copied here so that one index answers a search.
    # Kept up to date by ComponentQuerySet.refresh_related_terms().
    related_terms = models.TextField(
        _("related search terms"), blank=True, editable=False
    )
    # How many published cases reused the component, as
    # ComponentQuerySet.refresh_reuse_counts() counts them, stored so that the
    # "most reused" sort reads an index instead of counting every
    # component's reuses (0.5 s a page at 100,000 components). Kept up to
    # date by catalogue.reuse_counts.
    reuse_count = models.PositiveIntegerField(_("reuses"), default=0, editable=False)
    search_vector = models.GeneratedField(
        expression=search_document(),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Names and acronym in lower case, without accents or hyphens ("e-Box" is
    # "ebox"), for typo-tolerant (trigram) matching.
    names_text = models.GeneratedField(
        expression=Func(
            Replace(
                Concat(
                    "acronym",
                    Value(" "),
                    "name_nl",
                    Value(" "),
                    "name_fr",
                    Value(" "),
                    "name_en",
                    output_field=models.TextField(),
                ),
                Value("-"),
                Value(""),
                output_field=models.TextField(),
            ),
            function="portal_unaccent",
            template="lower(%(function)s(%(expressions)s))",
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ComponentQuerySet.as_manager()

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(successor__isnull=True)
                | Q(
                    lifecycle_status__in=[
                        LifecycleStatus.DEPRECATED,
                        LifecycleStatus.WITHDRAWN,
                    ]
                ),
                name="catalogue_component_successor_only_when_retired",
                violation_error_message=_(
                    "Only a deprecated or withdrawn component can have a successor."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")),
                name="catalogue_component_not_own_successor",
                violation_error_message=_("A component cannot succeed itself."),
            ),
            PUBLISHED_HAS_DATE,
        ]
        indexes = [
            # Home page "newest components", the "newest" sort and feeds:
            # published rows by date, the primary key breaking ties.
            models.Index(
                F("published_at").desc(nulls_last=True),
                F("id"),
                include=SORT_INDEX_FILTERS,
                name="catalogue_component_newest_idx",
                condition=Q(publication_state=PublicationState.PUBLISHED),
            ),
            # The catalogue's default sort, by name in each language, and the
            # "most reused" sort (as catalogue.filters.ComponentFilter.sort_keys
            # orders them).
            *sorted_by_name_indexes("catalogue_name_{}_idx"),
            *sorted_by_name_indexes(
                "catalogue_most_reused_{}_idx", F("reuse_count").desc()
            ),
            # ComponentFilter's facet counts: each read from its own index
            # (index-only scans) instead of every whole row. At 100,000
            # components, the kinds' count 105 to 5 ms, the providers' 130
            # to 17 ms. Each index holds the other facets' values and the id
            # too, so that counts under chosen filters read an index alone
            # as well: the kinds of one domain 69 to 3 ms.
            *(
                models.Index(
                    fields=[field],
                    include=[
                        "id",
                        *(other for other, _ in FACET_FIELDS if other != field),
                    ],
                    name=f"catalogue_facet_{short}_idx",
                    condition=Q(publication_state=PublicationState.PUBLISHED),
                )
                for field, short in FACET_FIELDS
            ),
            # The sitemap's pages of published components, by id with what
            # their entries show (discovery.sitemaps.RecordSitemap): a page
            # deep in the list read 80,000 whole rows to skip them, 124 ms at
            # 100,000 components; from this index 8.5 ms.
            models.Index(
                fields=["id"],
                include=["slug", "updated_at"],
                name="catalogue_sitemap_idx",
                condition=Q(publication_state=PublicationState.PUBLISHED),
            ),
            # Moderators' queue: entries by state, oldest change first.
            models.Index(
                fields=["publication_state", "updated_at"],
                name="catalogue_component_state_idx",
            ),
            # ComponentQuerySet.search(): full-text match in all three languages.
            GinIndex(fields=["search_vector"], name="catalogue_component_search_idx"),
            # ComponentQuerySet.search(): misspelt names ("ehelthbox").
            GinIndex(
                fields=["names_text"],
                opclasses=["gin_trgm_ops"],
                name="catalogue_component_names_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.address_of(self.slug)

    @staticmethod
    def address_of(slug: str) -> str:
        """The page of the component `slug`, for a reader without the
        instance (the CSV export reads plain values)."""
        return slug_address("catalogue:component-detail", slug)

    # The relations its page lists: see listed().
    LISTED = (
        "tags",
        "networks",
        "depends_on",
        "used_by",
        "links",
        "organisation_roles",
        "reuse_cases",
    )

    def listed(self, relation: str) -> list:
        """One of the LISTED relations of the component, each row with what
        its page shows: from the arrays ComponentQuerySet.for_page() reads
        with the row, or else from the relation."""
        rows = getattr(self, f"{relation}_rows", None)
        if rows is None:
            return list(getattr(self, relation).all())
        model = self._meta.get_field(relation).related_model
        from_row = getattr(model, "from_row", None)
        if from_row is None:
            return [from_json_row(model, row) for row in rows]
        return [from_row(**row) for row in rows]

    def with_successor_from_row(self) -> Component:
        """The component, its `successor` the one ComponentQuerySet.for_page()
        read with the row: published, else None, without a query."""
        rows = self.successor_rows
        successor = from_json_row(Component, rows[0]) if rows else None
        self._meta.get_field("successor").set_cached_value(self, successor)
        return self

    @property
    def owner_organisation_id(self) -> int | None:
        return self.provider_id

    # What a change or a revision may hold besides the fields, each in the
    # plain form revisions store: slugs and dictionaries.
    RELATED_CHANGES = ("tags", "links", "organisations", "depends_on")
    LINK_FIELDS = ("kind", "url", "title", "language")

    def related_value(self, name: str) -> list:
        """Reads the relation: one query."""
        if name == "tags":
            return sorted(self.tags.values_list("slug", flat=True))
        if name == "depends_on":
            return sorted(self.depends_on.values_list("slug", flat=True))
        if name == "organisations":
            return [
                {"organisation": slug, "role": role}
                for slug, role in self.organisation_roles.order_by(
                    "position", "pk"
                ).values_list("organisation__slug", "role")
            ]
        return [
            dict(zip(self.LINK_FIELDS, row, strict=True))
            for row in self.links.order_by("pk").values_list(*self.LINK_FIELDS)
        ]

    def as_related_value(self, name: str, value) -> list:
        if name in ("tags", "depends_on"):
            return sorted(getattr(item, "slug", item) for item in value)
        if name == "organisations":
            # (organisation, role) pairs or dictionaries, in their order.
            pairs = (
                (item["organisation"], item["role"]) if isinstance(item, dict) else item
                for item in value
            )
            return [
                {
                    "organisation": getattr(organisation, "slug", organisation),
                    "role": str(role),
                }
                for organisation, role in pairs
            ]
        return [
            {field: link.get(field) or "" for field in self.LINK_FIELDS}
            for link in value
        ]

    def set_related(self, name: str, value: list) -> None:
        if name == "tags":
            self.tags.set(Tag.objects.filter(slug__in=value))
        elif name == "depends_on":
            self._set_dependencies(value)
        elif name == "organisations":
            self._set_organisations(value)
        else:
            self._set_links(value)

    def _set_links(self, value: list) -> None:
        links = [ComponentLink(component=self, **link) for link in value]
        for link in links:
            link.full_clean(exclude=["component"])
        self.links.all().delete()
        ComponentLink.objects.bulk_create(links)

    def _set_dependencies(self, slugs: list) -> None:
        """Dependencies kept keep their note; a component named that no longer
        exists (deleted while a revision waited) is left out."""
        wanted = set(
            Component.objects.filter(slug__in=slugs)
            .exclude(pk=self.pk)
            .values_list("pk", flat=True)
        )
        self.dependency_links.exclude(depends_on__in=wanted).delete()
        kept = set(self.dependency_links.values_list("depends_on_id", flat=True))
        ComponentDependency.objects.bulk_create(
            ComponentDependency(component=self, depends_on_id=pk)
            for pk in sorted(wanted - kept)
        )

    def _set_organisations(self, value: list) -> None:
        """Roles kept keep whether they were confirmed; a new attribution is
        confirmed only for the component's own organisation, until the
        organisation it names confirms it."""
        roles = OrganisationRole.values
        unknown = sorted({item["role"] for item in value} - set(roles))
        if unknown:
            raise ValidationError(
                {
                    "organisations": _("Unknown role(s): %(roles)s.")
                    % {"roles": ", ".join(unknown)}
                }
            )
        providers = Provider.objects.in_bulk(
            [item["organisation"] for item in value], field_name="slug"
        )
        current = {
            (role.organisation_id, role.role): role
            for role in self.organisation_roles.all()
        }
        kept: dict[tuple[int, str], ComponentOrganisation] = {}
        for item in value:
            provider = providers.get(item["organisation"])
            key = (provider.pk if provider else None, item["role"])
            if provider is None or key in kept:
                continue
            kept[key] = current.pop(key, None) or ComponentOrganisation(
                component=self,
                organisation=provider,
                role=item["role"],
                confirmed=provider.pk == self.provider_id,
            )
        ComponentOrganisation.objects.filter(
            pk__in=[role.pk for role in current.values()]
        ).delete()
        for position, role in enumerate(kept.values()):
            role.position = position
            role.save()

    def after_publication_change(self) -> None:
        # Tags and the provider's names are searched through related_terms;
        # a change or a publication may bring words search does not know.
        Component.objects.filter(pk=self.pk).refresh_related_terms(
            own_texts_changed=True
        )


# "e-Box" is the word "ebox" for search (catalogue.search.search_words()):
# PostgreSQL regexp_replace() arguments that do the same.
JOINED_INSIDE_WORDS = (r"(?<=\w)[-'’.](?=\w)", "")


def _catalogue_candidates(
    shape: tuple, matching: str, typed: str | None = None
) -> models.QuerySet:
    return Component.objects.published()._candidate_rows(
        matching, typed, values=dict(shape)
    )


# The query of a search's candidates among all the published components,
# compiled once per process for the values read with them (`shape`): by
# their words, and by their words or their names. At 100,000 components,
# building and compiling it took some 1.4 ms of each new search.
CANDIDATES = {
    False: PrecompiledQuery(Component, _catalogue_candidates, (str,)),
    True: PrecompiledQuery(Component, _catalogue_candidates, (str, str)),
}


class SearchWordQuerySet(models.QuerySet):
    def add_words_of(self, components: ComponentQuerySet) -> None:
        """Add every word the published `components` use, as search sees
        words (lower case, unaccented, "e-Box" as "ebox")."""
        texts = ", ".join(
            f"c.{connection.ops.quote_name(field)}"
            for field in (
                "acronym",
                *(
                    f"{f}_{lang}"
                    for f in ("name", "summary", "description")
                    for lang in LANGUAGE_CODES
                ),
                "related_terms",
            )
        )
        ids = list(components.published().values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {self.model._meta.db_table} (word)
                SELECT DISTINCT t.lexeme
                FROM {Component._meta.db_table} c,
                     unnest(to_tsvector(%s, regexp_replace(
                         concat_ws(' ', {texts}), %s, %s, 'g'
                     ))) AS t
                WHERE c.id = ANY(%s) AND length(t.lexeme) <= %s
                ON CONFLICT DO NOTHING
                """,  # noqa: S608 (names are ours; values are parameters)
                [
                    SIMPLE_SEARCH_CONFIGURATION,
                    *JOINED_INSIDE_WORDS,
                    ids,
                    SearchWord.MAX_LENGTH,
                ],
            )

    def rebuild(self) -> None:
        """From scratch: the words of the published catalogue and of the
        thesaurus (words of withdrawn components go)."""
        self.all().delete()
        self.bulk_create(
            [SearchWord(word=word) for word in sorted(thesaurus_words())],
            ignore_conflicts=True,
        )
        self.add_words_of(Component.objects.all())


class SearchWord(models.Model):
    """A word the catalogue uses. Search corrects a typed word that no
    component uses to the closest of these ("signture" to "signature") and
    splits or joins words with them ("mydia" to "my dia")."""

    MAX_LENGTH = 60

    word = models.CharField(_("word"), max_length=MAX_LENGTH, primary_key=True)

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            # catalogue.search.Vocabulary: the closest word to a typo.
            GinIndex(
                fields=["word"],
                opclasses=["gin_trgm_ops"],
                name="catalogue_searchword_trgm",
            ),
            # catalogue.search.Vocabulary: is a typed word a prefix of one?
            models.Index(
                fields=["word"],
                opclasses=["varchar_pattern_ops"],
                name="catalogue_searchword_prefix",
            ),
        ]

    def __str__(self) -> str:
        return self.word


class ComponentLinkQuerySet(models.QuerySet):
    def get_by_natural_key(self, component_slug: str, url: str) -> ComponentLink:
        return self.get(component__slug=component_slug, url=url)


class ComponentLink(ChoiceLabelsMixin, models.Model):
    """Documentation, API specification, source code or website of a component."""

    component = models.ForeignKey(
        Component, models.CASCADE, related_name="links", verbose_name=_("component")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind)
    url = models.URLField(_("URL"), max_length=500)
    title = models.CharField(_("title"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language, blank=True
    )

    objects = ComponentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "url"],
                name="catalogue_componentlink_unique_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def natural_key(self) -> tuple[str, str]:
        return (*self.component.natural_key(), self.url)

    natural_key.dependencies = ["catalogue.component"]


class ComponentDependencyQuerySet(models.QuerySet):
    def get_by_natural_key(self, component_slug: str, depends_on_slug: str):
        return self.get(
            component__slug=component_slug, depends_on__slug=depends_on_slug
        )


class ComponentDependency(models.Model):
    """`component` needs `depends_on` to work; read backwards, it is "used by"."""

    component = models.ForeignKey(
        Component,
        models.CASCADE,
        related_name="dependency_links",
        verbose_name=_("component"),
    )
    depends_on = models.ForeignKey(
        Component,
        models.CASCADE,
        related_name="dependant_links",
        verbose_name=_("depends on"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ComponentDependencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "depends_on"],
                name="catalogue_componentdependency_unique",
            ),
            models.CheckConstraint(
                condition=~Q(component=F("depends_on")),
                name="catalogue_componentdependency_not_self",
                violation_error_message=_("A component cannot depend on itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} → {self.depends_on}"

    def natural_key(self) -> tuple[str, str]:
        return (self.component.slug, self.depends_on.slug)

    natural_key.dependencies = ["catalogue.component"]


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    OPERATOR = "operator", _("Provider / operator")
    CO_SUPPORTER = "co_supporter", _("Co-supporter")
    DEVELOPER = "developer", _("Developer")
    INITIATOR = "initiator", _("Initiator")


class ComponentOrganisationQuerySet(models.QuerySet):
    def get_by_natural_key(
        self, component_slug: str, organisation_slug: str, role: str
    ) -> ComponentOrganisation:
        return self.get(
            component__slug=component_slug,
            organisation__slug=organisation_slug,
            role=role,
        )


class ComponentOrganisation(ChoiceLabelsMixin, models.Model):
    """An organisation's part in a component: a joint offer names each body
    with its role, not only the first one."""

    component = models.ForeignKey(
        Component,
        models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("component"),
    )
    organisation = models.ForeignKey(
        Provider,
        models.PROTECT,
        related_name="component_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole)
    # False for an attribution nobody has confirmed yet: shown as such, never
    # as a fact.
    confirmed = models.BooleanField(_("confirmed"), default=True)
    source_reference = models.CharField(
        _("source reference"), max_length=300, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ComponentOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "organisation", "role"],
                name="catalogue_componentorganisation_unique_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @classmethod
    def from_row(cls, organisation: dict, **fields) -> ComponentOrganisation:
        """A role as ComponentQuerySet.for_page() reads it: the organisation
        by its slug and names."""
        role = from_json_row(cls, fields)
        role.organisation = from_json_row(Provider, organisation)
        return role

    def natural_key(self) -> tuple[str, str, str]:
        return (self.component.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["catalogue.component", "catalogue.provider"]


class ReuseStage(models.TextChoices):
    PRODUCTION = "production", _("In production")
    TRIAL = "trial", _("Trial or pilot")


# What a person-day of work costs a public body, when a declaration states
# its saving in days: settings.REUSE_DAY_RATE_EUR overrides it.
DEFAULT_DAY_RATE_EUR = Decimal(600)


def day_rate_eur() -> Decimal:
    return Decimal(getattr(settings, "REUSE_DAY_RATE_EUR", DEFAULT_DAY_RATE_EUR))


class ReuseCaseQuerySet(PublishableQuerySet, SlugQuerySet):
    def published(self) -> ReuseCaseQuerySet:
        """A case is public when it is published; the components it links
        are filtered where they are shown."""
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def with_public_organisations(self) -> ReuseCaseQuerySet:
        """`organisations` prefetched as the public may see them: empty for
        a case whose organisation did not agree to be named."""
        # The prefetch's own filter reuses this join (Django makes the
        # next filter of a many-to-many prefetch "sticky"), so the consent
        # read is the one of the case each organisation is fetched for.
        return self.prefetch_related(
            models.Prefetch(
                "organisations",
                queryset=Provider.objects.filter(reuse_cases__organisation_public=True),
            )
        )

    def naming_organisations(self) -> ReuseCaseQuerySet:
        """Cases whose organisations agreed to be named: what an
        organisation's page may list as its reuses."""
        return self.filter(organisation_public=True)

    def declarations_of(self, organisation_id: int) -> ReuseCaseQuerySet:
        """An organisation's own declarations, in every state, with their
        history: what its members follow and update."""
        return self.owned_with_history(Q(declared_by=organisation_id)).prefetch_related(
            "components"
        )

    def with_saving_eur(self) -> ReuseCaseQuerySet:
        """`saving_eur`: the estimated saving in euros, person-days
        converted at the day rate; None when the declaration gives none."""
        return self.annotate(saving_eur=ReuseCase.saving_eur_expression())

    def for_directory(self) -> ReuseCaseQuerySet:
        """The reuse cases' page: each case with its organisations and how
        many of its components are published (`published_component_count`),
        not the components themselves (7 of a page's 17 ms at 100,000
        components)."""
        published_components = Component.objects.published().filter(
            reuse_cases=OuterRef("pk")
        )
        return (
            self.published()
            .with_public_organisations()
            .annotate(published_component_count=count_of(published_components))
        )

    def for_listing(self) -> ReuseCaseQuerySet:
        return (
            self.published()
            .with_public_organisations()
            .prefetch_related(
                models.Prefetch(
                    "components",
                    queryset=Component.objects.published()
                    .select_related("provider")
                    .order_by("name", "pk"),
                ),
            )
        )


class ReuseCase(ChoiceLabelsMixin, SlugNaturalKeyMixin, Publishable, TimestampedModel):
    """A project that reused catalogue components: the components it reused
    and the organisations that reused them, with its source. One case is
    one reuse, however many components and organisations it spans."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), refuse_active_content],
        help_text=_("Markdown: paragraphs, lists, links, tables."),
    )
    components = models.ManyToManyField(
        Component, related_name="reuse_cases", verbose_name=_("components reused")
    )
    organisations = models.ManyToManyField(
        Provider, related_name="reuse_cases", verbose_name=_("reusing organisations")
    )
    # The organisation that declared the case and may change it; empty for
    # cases the portal's editors documented.
    declared_by = models.ForeignKey(
        Provider,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_reuse_cases",
        verbose_name=_("declared by"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Declarations say when the reuse started, and how far it went.
    since = models.DateField(_("in use since"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=ReuseStage, blank=True)
    estimated_saving_eur = models.DecimalField(
        _("estimated saving (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Kept as declared: converted at the day rate when figures are computed,
    # so that a new rate applies to every declaration alike.
    estimated_saving_days = models.PositiveIntegerField(
        _("estimated saving (person-days)"),
        null=True,
        blank=True,
        help_text=_("Converted to euros at the portal's day rate."),
    )
    # Off: the reuse counts, but no page, export or API names the
    # organisations of this case.
    organisation_public = models.BooleanField(
        _("organisation named publicly"),
        default=True,
        help_text=_("The reusing organisations agreed to be named on the portal."),
    )
    # Only a real quotation, verbatim and in the language it was said in.
    quote = models.TextField(_("quotation"), blank=True, max_length=2000)
    quote_language = models.CharField(
        _("language of the quotation"), max_length=2, choices=Language, blank=True
    )
    quote_speaker = models.CharField(_("quoted person"), max_length=200, blank=True)
    quote_organisation = models.ForeignKey(
        Provider,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of the quoted person"),
    )
    source_reference = models.CharField(
        _("source reference"), max_length=300, blank=True
    )

    objects = ReuseCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("reuse case")
        verbose_name_plural = _("reuse cases")
        ordering = ["-year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_saving_eur__isnull=True)
                | Q(estimated_saving_eur__gte=0),
                name="catalogue_reusecase_saving_not_negative",
                violation_error_message=_("An estimated saving cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_saving_eur__isnull=True)
                | Q(estimated_saving_days__isnull=True),
                name="catalogue_reusecase_saving_in_one_unit",
                violation_error_message=_(
                    "Give the saving in euros or in person-days, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quote="") | ~Q(quote_speaker="") & ~Q(quote_language=""),
                name="catalogue_reusecase_quote_attributed",
                violation_error_message=_(
                    "A quotation needs the person who said it and its language."
                ),
            ),
            PUBLISHED_HAS_DATE,
        ]
        indexes = [
            # The reuse cases' page and the API's list, in this order: at
            # 10,000 cases, sorting them all for a page of 20 took 12 ms.
            models.Index(
                F("year").desc(),
                F("slug"),
                name="catalogue_case_published_idx",
                condition=Q(publication_state=PublicationState.PUBLISHED),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_address("catalogue:reuse-case-detail", self.slug)

    @cached_property
    def organisation_list(self) -> list[Provider]:
        """The reusing organisations: from the relation (prefetched), unless
        from_row() was given them."""
        return list(self.organisations.all())

    @classmethod
    def from_row(cls, organisations: list[dict], **fields) -> ReuseCase:
        """A case as ComponentQuerySet.for_page() reads it, with the slug and
        names of its organisations."""
        case = from_json_row(cls, fields)
        case.organisation_list = [from_json_row(Provider, row) for row in organisations]
        return case

    @property
    def owner_organisation_id(self) -> int | None:
        return self.declared_by_id

    # A declaration is created with its component and organisation.
    RELATED_CHANGES = ("components", "organisations")

    def related_value(self, name: str) -> list:
        """Reads the relation: one query."""
        return sorted(getattr(self, name).values_list("slug", flat=True))

    def as_related_value(self, name: str, value) -> list:
        return sorted(getattr(item, "slug", item) for item in value)

    def set_related(self, name: str, value: list) -> None:
        related = Component if name == "components" else Provider
        getattr(self, name).set(related.objects.filter(slug__in=value))

    @staticmethod
    def saving_eur_expression(prefix: str = "") -> Coalesce:
        """The saving in euros of the case reached through `prefix`
        ("reusecase__" from a link table): euros as declared, or
        person-days times the day rate."""
        money = models.DecimalField(max_digits=14, decimal_places=2)
        return Coalesce(
            f"{prefix}estimated_saving_eur",
            Cast(f"{prefix}estimated_saving_days", money)
            * Value(day_rate_eur(), output_field=money),
            output_field=money,
        )


class RenderedComponentPage(models.Model):
    """A component's page as everyone but its own organisation sees it,
    rendered in one language (catalogue/rendered_pages.py). `digest` is
    that of the row the page was rendered from, and of what else the
    rendering read: a page whose digest is no longer the row's is never
    served, so nothing here needs to be told what changed."""

    component = models.ForeignKey(
        Component, on_delete=models.CASCADE, related_name="rendered_pages"
    )
    language = models.CharField(max_length=8)
    digest = models.CharField(max_length=32)
    # The component's slug when rendered: the page's address, by which it
    # is found (with the digest, which tells a renamed component's old page).
    slug = models.SlugField(max_length=120, db_index=False)
    name = models.TextField()
    summary = models.TextField()
    provider_id = models.IntegerField(null=True)
    head = models.TextField()
    link = models.TextField()
    content = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["component", "language"],
                name="catalogue_renderedpage_one_per_language",
            ),
        ]
        indexes = [
            models.Index(
                fields=["slug", "language"], name="catalogue_rendered_slug_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"


def key_figures() -> dict[str, int]:
    """The portal's headline numbers, counted from published data only."""
    network_model = Component._meta.get_field("networks").related_model
    components = Component.objects.published()
    cases = ReuseCase.objects.published()
    # Exists, not a join: a look-up per organisation instead of a DISTINCT
    # over every component.
    return {
        "components": components.count(),
        "providers": Provider.objects.filter(
            Exists(components.filter(provider=OuterRef("pk")))
        ).count(),
        "networks": network_model.objects.published().count(),
        "reuse_cases": cases.count(),
        "reusing_organisations": Provider.objects.filter(
            Exists(cases.filter(organisations=OuterRef("pk")))
        ).count(),
    }
