"""The public representation of the catalogue in the API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import (
    LANGUAGE_CODES,
    BuildingBlock,
    CollaborationModel,
    Component,
    ComponentLink,
    ComponentOrganisation,
    Domain,
    Provider,
    ReuseCase,
    Tag,
)
from publishing.models import Revision
from reuse_portal.addresses import slug_address


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """Absolute URL of the resource in the API, by slug."""

    def __init__(self, view_name: str, **kwargs) -> None:
        super().__init__(view_name=f"api:{view_name}", lookup_field="slug", **kwargs)

    def to_representation(self, value) -> str | None:
        # DRF's Hyperlink is a str that holds the instance it links to. A
        # kept answer (KeptListMixin) pickled them all, with their prefetched
        # rows: 25 networks at 100,000 components kept 560 KB and unpickled
        # 1,985 instances for each request (11 ms). The address alone.
        link = super().to_representation(value)
        return None if link is None else str(link)


class HtmlUrlField(serializers.SerializerMethodField):
    """Absolute URL of the resource's page, in the request's language."""

    def __init__(self, **kwargs) -> None:
        super().__init__(method_name="get_html_url", **kwargs)


class PageLinkMixin:
    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class DomainSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["slug", "name"]


class ProviderSummarySerializer(PageLinkMixin, serializers.ModelSerializer):
    url = ApiUrlField("provider-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Provider
        fields = ["slug", "name", "acronym", "url", "html_url"]


class BuildingBlockSummarySerializer(serializers.ModelSerializer):
    url = ApiUrlField("buildingblock-detail")

    class Meta:
        model = BuildingBlock
        fields = ["slug", "name", "family", "url"]


class CollaborationModelSummarySerializer(serializers.ModelSerializer):
    url = ApiUrlField("collaborationmodel-detail")

    class Meta:
        model = CollaborationModel
        fields = ["slug", "name", "url"]


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComponentLink
        fields = ["kind", "url", "title", "language"]


class OrganisationRoleSerializer(serializers.ModelSerializer):
    organisation = ProviderSummarySerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ComponentOrganisation
        fields = ["organisation", "role", "role_label", "confirmed"]


class TextsSerializer(serializers.Serializer):
    name = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()


class TranslationsSerializer(serializers.Serializer):
    nl = TextsSerializer()
    fr = TextsSerializer()
    en = TextsSerializer()


class SlugUrls:
    """Absolute URLs by slug for one request: the origin is worked out once,
    the path comes from reuse_portal.addresses (reversed once a language)."""

    def __init__(self, request) -> None:
        self.origin = request.build_absolute_uri("/").removesuffix("/")

    def __call__(self, view_name: str, slug: str) -> str:
        return f"{self.origin}{slug_address(view_name, slug)}"


class ComponentSerializer(PageLinkMixin, serializers.ModelSerializer):
    """A component, its texts in the request's language."""

    TRANSLATED = ("name", "summary", "description")

    url = ApiUrlField("component-detail")
    html_url = HtmlUrlField()
    language = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    lifecycle_status_label = serializers.CharField(
        source="get_lifecycle_status_display", read_only=True
    )
    provider = ProviderSummarySerializer(read_only=True, allow_null=True)
    organisations = OrganisationRoleSerializer(
        source="organisation_roles", many=True, read_only=True
    )
    building_block = BuildingBlockSummarySerializer(read_only=True)
    domain = DomainSummarySerializer(read_only=True)
    collaboration_model = CollaborationModelSummarySerializer(
        read_only=True, allow_null=True
    )
    successor = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    depends_on = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    used_by = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    networks = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    reuse_count = serializers.IntegerField(read_only=True)
    reuse_cases = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    translations = serializers.SerializerMethodField()

    class Meta:
        model = Component
        fields = [
            "url",
            "html_url",
            "slug",
            "language",
            "name",
            "acronym",
            "summary",
            "description",
            "kind",
            "kind_label",
            "lifecycle_status",
            "lifecycle_status_label",
            "successor",
            "government_level",
            "provider",
            "organisations",
            "building_block",
            "domain",
            "collaboration_model",
            "licence",
            "languages",
            "tags",
            "links",
            "support_name",
            "support_email",
            "support_phone",
            "depends_on",
            "used_by",
            "networks",
            "reuse_count",
            "reuse_cases",
            "source_reference",
            "published_at",
            "updated_at",
            "translations",
        ]

    def get_language(self, obj) -> str:
        return get_language()

    @extend_schema_field(TranslationsSerializer(allow_null=True))
    def get_translations(self, obj) -> dict | None:
        """All three languages, with ?include=translations."""
        if "translations" not in self.context["request"].query_params.getlist(
            "include"
        ):
            return None
        return {
            language: {
                field: getattr(obj, f"{field}_{language}") or ""
                for field in self.TRANSLATED
            }
            for language in LANGUAGE_CODES
        }

    def to_representation(self, obj: Component) -> dict:
        """Written out: field for field what DRF's generic fields give from
        the declaration above (which the API schema describes), as a test
        checks on a varied catalogue. Through them, building and copying
        some seventy fields (nested ones included) and reading each value
        took a third of a component's answer."""
        urls = self.context.get("slug_urls")
        if urls is None:  # once per request, not once per component
            urls = self.context["slug_urls"] = SlugUrls(self.context["request"])
        written = {**self.summary(obj, urls), **self.details(obj, urls)}
        return {name: written[name] for name in self.Meta.fields}

    def summary(self, obj: Component, urls: SlugUrls) -> dict:
        """What a list item and the detail both carry."""
        provider = obj.provider
        block = obj.building_block
        model = obj.collaboration_model
        return {
            "url": urls("api:component-detail", obj.slug),
            "html_url": urls("catalogue:component-detail", obj.slug),
            "slug": obj.slug,
            "language": get_language(),
            "name": obj.name,
            "acronym": obj.acronym,
            "summary": obj.summary,
            "kind": obj.kind,
            "kind_label": str(obj.get_kind_display()),
            "lifecycle_status": obj.lifecycle_status,
            "lifecycle_status_label": str(obj.get_lifecycle_status_display()),
            "government_level": obj.government_level,
            "provider": provider and organisation_summary(provider, urls),
            "building_block": {
                "slug": block.slug,
                "name": block.name,
                "family": block.family,
                "url": urls("api:buildingblock-detail", block.slug),
            },
            "domain": {"slug": obj.domain.slug, "name": obj.domain.name},
            "collaboration_model": model
            and {
                "slug": model.slug,
                "name": model.name,
                "url": urls("api:collaborationmodel-detail", model.slug),
            },
            "licence": obj.licence,
            "languages": list(obj.languages),
            "reuse_count": obj.reuse_count,
            "published_at": obj.published_at
            and MOMENT.to_representation(obj.published_at),
            "updated_at": MOMENT.to_representation(obj.updated_at),
            "translations": self.get_translations(obj),
        }

    def details(self, obj: Component, urls: SlugUrls) -> dict:
        """What only the detail carries: its texts and lists (Component.listed:
        from the arrays read with a published component's row, without the
        related managers and querysets that reading them through
        `obj.tags.all()` would build)."""
        successor = obj.successor
        return {
            "description": obj.description,
            "successor": successor and successor.slug,
            "organisations": [
                {
                    "organisation": organisation_summary(role.organisation, urls),
                    "role": role.role,
                    "role_label": str(role.get_role_display()),
                    "confirmed": role.confirmed,
                }
                for role in obj.listed("organisation_roles")
            ],
            "tags": [tag.name for tag in obj.listed("tags")],
            "links": [
                {
                    "kind": link.kind,
                    "url": link.url,
                    "title": link.title,
                    "language": link.language,
                }
                for link in obj.listed("links")
            ],
            "support_name": obj.support_name,
            "support_email": obj.support_email,
            "support_phone": obj.support_phone,
            "depends_on": [other.slug for other in obj.listed("depends_on")],
            "used_by": [other.slug for other in obj.listed("used_by")],
            "networks": [network.slug for network in obj.listed("networks")],
            "reuse_cases": [case.slug for case in obj.listed("reuse_cases")],
            "source_reference": obj.source_reference,
        }


# Dates and times as DRF writes them (settings.REST_FRAMEWORK's format).
MOMENT = serializers.DateTimeField()


def organisation_summary(provider: Provider, urls: SlugUrls) -> dict:
    """A provider as ProviderSummarySerializer gives it."""
    return {
        "slug": provider.slug,
        "name": provider.name,
        "acronym": provider.acronym,
        "url": urls("api:provider-detail", provider.slug),
        "html_url": urls("catalogue:provider-detail", provider.slug),
    }


# What a list item carries: enough to choose, with `url` for the rest.
SUMMARY_FIELDS = [
    "url",
    "html_url",
    "slug",
    "language",
    "name",
    "acronym",
    "summary",
    "kind",
    "kind_label",
    "lifecycle_status",
    "lifecycle_status_label",
    "government_level",
    "provider",
    "building_block",
    "domain",
    "collaboration_model",
    "licence",
    "languages",
    "reuse_count",
    "published_at",
    "updated_at",
    "translations",
]


class SummaryTextsSerializer(serializers.Serializer):
    name = serializers.CharField()
    summary = serializers.CharField()


class SummaryTranslationsSerializer(serializers.Serializer):
    nl = SummaryTextsSerializer()
    fr = SummaryTextsSerializer()
    en = SummaryTextsSerializer()


class ComponentSummarySerializer(ComponentSerializer):
    """A component in a list: no relations to fetch, no long texts; the
    detail (`url`) has everything. Two queries a page, whatever its size.

    Written out as the detail is, without its lists: through DRF's generic
    fields, the 22 fields of 25 components took half the time of the whole
    request. The declared fields still describe it in the API schema, and a
    test checks that both give the same for every component of the
    catalogue."""

    TRANSLATED = ("name", "summary")

    class Meta(ComponentSerializer.Meta):
        fields = SUMMARY_FIELDS

    @extend_schema_field(SummaryTranslationsSerializer(allow_null=True))
    def get_translations(self, obj) -> dict | None:
        return super().get_translations(obj)

    def details(self, obj: Component, urls: SlugUrls) -> dict:
        return {}


class ProviderSerializer(PageLinkMixin, serializers.ModelSerializer):
    url = ApiUrlField("provider-detail")
    html_url = HtmlUrlField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    component_count = serializers.IntegerField(
        source="published_component_count", read_only=True
    )

    class Meta:
        model = Provider
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "acronym",
            "kind",
            "kind_label",
            "description",
            "website_url",
            "contact_email",
            "contact_phone",
            "component_count",
            "updated_at",
        ]


class BuildingBlockSerializer(serializers.ModelSerializer):
    url = ApiUrlField("buildingblock-detail")
    component_count = serializers.IntegerField(
        source="published_component_count", read_only=True
    )

    class Meta:
        model = BuildingBlock
        fields = [
            "url",
            "slug",
            "name",
            "description",
            "family",
            "position",
            "component_count",
        ]


class CollaborationModelSerializer(serializers.ModelSerializer):
    url = ApiUrlField("collaborationmodel-detail")
    component_count = serializers.IntegerField(
        source="published_component_count", read_only=True
    )

    class Meta:
        model = CollaborationModel
        fields = ["url", "slug", "name", "definition", "component_count"]


class ReuseCaseSerializer(PageLinkMixin, serializers.ModelSerializer):
    """A project that reused components: one case, however many components
    and organisations it spans."""

    url = ApiUrlField("reuse-case-detail")
    html_url = HtmlUrlField()
    components = serializers.SerializerMethodField()
    organisations = ProviderSummarySerializer(many=True, read_only=True)
    quote_organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = ReuseCase
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "summary",
            "description",
            "components",
            "organisations",
            "year",
            "since",
            "stage",
            "estimated_saving_eur",
            "estimated_saving_days",
            "quote",
            "quote_language",
            "quote_speaker",
            "quote_organisation",
            "source_reference",
            "updated_at",
        ]

    def get_components(self, obj) -> list[str]:
        # Prefetched published components only: a case never reveals a
        # component that is not public.
        return [component.slug for component in obj.components.all()]


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class StatsSerializer(serializers.Serializer):
    components = serializers.IntegerField()
    providers = serializers.IntegerField()
    networks = serializers.IntegerField()
    reuse_cases = serializers.IntegerField()
    reusing_organisations = serializers.IntegerField()


# Enough for any real component; a longer list is a mistake or an attack.
MAX_TAGS = 20
MAX_LINKS = 20


class ComponentSubmissionSerializer(serializers.ModelSerializer):
    """What a supplier's tool sends. The component always goes to moderation:
    it is saved as submitted, whatever the request says."""

    building_block = serializers.SlugRelatedField(
        slug_field="slug", queryset=BuildingBlock.objects.all()
    )
    domain = serializers.SlugRelatedField(
        slug_field="slug", queryset=Domain.objects.all()
    )
    collaboration_model = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=CollaborationModel.objects.all(),
        required=False,
        allow_null=True,
    )
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Tag.objects.all(),
        many=True,
        required=False,
    )
    links = LinkSerializer(many=True, required=False)

    class Meta:
        model = Component
        fields = [
            "slug",
            "name_nl",
            "name_fr",
            "name_en",
            "acronym",
            "summary_nl",
            "summary_fr",
            "summary_en",
            "description_nl",
            "description_fr",
            "description_en",
            "kind",
            "building_block",
            "domain",
            "lifecycle_status",
            "government_level",
            "collaboration_model",
            "licence",
            "languages",
            "support_name",
            "support_email",
            "support_phone",
            "tags",
            "links",
            "provider",
            "publication_state",
            "updated_at",
        ]
        # The slug is the component's address, made from its name (see
        # SlugQuerySet.free_slug) and fixed once it exists.
        read_only_fields = ["slug", "provider", "publication_state", "updated_at"]
        extra_kwargs = {
            "name_nl": {"required": True, "allow_blank": False, "allow_null": False},
            "summary_nl": {"required": True, "allow_blank": False, "allow_null": False},
        }

    def validate(self, attrs: dict) -> dict:
        # The model's own rules (constraints, URL and e-mail formats) as 400s.
        fields = {
            name: value
            for name, value in {**self._current_values(), **attrs}.items()
            if name not in Component.RELATED_CHANGES
        }
        candidate = Component(**fields)
        try:
            candidate.full_clean(
                exclude=["slug", "provider", "building_block", "domain"],
                validate_unique=False,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def validate_tags(self, tags: list) -> list:
        if len(tags) > MAX_TAGS:
            raise serializers.ValidationError(
                _("At most %(count)d tags.") % {"count": MAX_TAGS}
            )
        return tags

    def validate_links(self, links: list) -> list:
        if len(links) > MAX_LINKS:
            raise serializers.ValidationError(
                _("At most %(count)d links.") % {"count": MAX_LINKS}
            )
        urls = [link["url"] for link in links]
        if len(set(urls)) != len(urls):
            raise serializers.ValidationError(_("Each link may appear only once."))
        return links

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            field: getattr(self.instance, field)
            for field in self.Meta.fields
            if field not in ("provider", "publication_state", "updated_at")
            and field not in Component.RELATED_CHANGES
        }


class RevisionSerializer(serializers.ModelSerializer):
    """Changes held for review; the published component is unchanged until
    a moderator accepts them."""

    component = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "id",
            "component",
            "state",
            "proposed_changes",
            "reason",
            "created_at",
            "updated_at",
        ]

    def get_component(self, revision: Revision) -> str:
        return revision.entry.slug


class SubmissionRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Revision
        fields = ["id", "state", "proposed_changes", "reason", "created_at"]


class SubmissionSerializer(serializers.ModelSerializer):
    """One of the organisation's components, in whatever state, with the
    moderators' last word and its revisions."""

    url = ApiUrlField("component-detail")
    publication_state_label = serializers.CharField(
        source="get_publication_state_display", read_only=True
    )
    moderator_reason = serializers.SerializerMethodField()
    revisions = SubmissionRevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Component
        fields = [
            "url",
            "slug",
            "name",
            "publication_state",
            "publication_state_label",
            "moderator_reason",
            "updated_at",
            "revisions",
        ]

    def get_moderator_reason(self, component: Component) -> str:
        decision = component.latest_decision()
        return decision.reason if decision else ""
