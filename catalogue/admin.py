"""The moderators' back office for the catalogue."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    ComponentDependency,
    ComponentLink,
    ComponentOrganisation,
    Domain,
    Provider,
    ReuseCase,
    Tag,
)
from publishing.admin import PublishableAdmin


class HistoryTranslationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """Per-language fields side by side, and a history page with revert."""


class ComponentLinkInline(admin.TabularInline):
    model = ComponentLink
    extra = 0


class ComponentDependencyInline(admin.TabularInline):
    model = ComponentDependency
    fk_name = "component"
    extra = 0
    autocomplete_fields = ("depends_on",)
    verbose_name = _("dependency")
    verbose_name_plural = _("depends on")


class ComponentOrganisationInline(admin.TabularInline):
    model = ComponentOrganisation
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "role", "confirmed", "source_reference", "position")


@admin.register(Component)
class ComponentAdmin(PublishableAdmin, HistoryTranslationAdmin):
    list_display = (
        "name",
        "acronym",
        "provider",
        "kind",
        "lifecycle_status",
        "publication_state",
        "updated_at",
    )
    list_filter = (
        "publication_state",
        "lifecycle_status",
        "kind",
        "building_block",
        "domain",
        "collaboration_model",
        ("provider", admin.RelatedOnlyFieldListFilter),
        "updated_at",
    )
    # modeltranslation expands "name" to the current language only, so every
    # language column is listed explicitly.
    search_fields = (
        "slug",
        "acronym",
        "name_nl",
        "name_fr",
        "name_en",
        "provider__acronym_nl",
        "provider__acronym_fr",
        "provider__acronym_en",
    )
    list_select_related = ("provider",)
    list_per_page = 50
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = (
        "provider",
        "building_block",
        "domain",
        "collaboration_model",
        "successor",
        "tags",
    )
    readonly_fields = ("published_at", "created_at", "updated_at")
    inlines = (
        ComponentOrganisationInline,
        ComponentLinkInline,
        ComponentDependencyInline,
    )
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "summary", "description")}),
        (
            _("Classification"),
            {
                "fields": (
                    "kind",
                    "building_block",
                    "domain",
                    "provider",
                    "government_level",
                    "collaboration_model",
                    "tags",
                    "languages",
                    "licence",
                )
            },
        ),
        (_("Lifecycle"), {"fields": ("lifecycle_status", "successor")}),
        (_("Support"), {"fields": ("support_name", "support_email", "support_phone")}),
        (
            _("Publication"),
            {
                "fields": (
                    "publication_state",
                    "published_at",
                    "source_reference",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Tags and organisations are saved only now; search needs them, and
        # the words of the texts just edited.
        Component.objects.filter(pk=form.instance.pk).refresh_related_terms(
            own_texts_changed=True
        )


@admin.register(Provider)
class ProviderAdmin(HistoryTranslationAdmin):
    list_display = ("name", "acronym", "kind", "website_url", "updated_at")
    list_filter = ("kind",)
    search_fields = (
        "slug",
        "name_nl",
        "name_fr",
        "name_en",
        "acronym_nl",
        "acronym_fr",
        "acronym_en",
    )
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Components are found by their organisations' names too.
        obj.involved_in.refresh_related_terms()


@admin.register(ReuseCase)
class ReuseCaseAdmin(PublishableAdmin, HistoryTranslationAdmin):
    list_display = (
        "title",
        "year",
        "stage",
        "declared_by",
        "organisation_public",
        "publication_state",
        "updated_at",
    )
    list_filter = (
        "publication_state",
        "stage",
        "organisation_public",
        "year",
        ("organisations", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("slug", "title_nl", "title_fr", "title_en")
    list_select_related = ("declared_by",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "components",
        "organisations",
        "declared_by",
        "quote_organisation",
    )
    readonly_fields = ("published_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description")}),
        (
            _("Reuse"),
            {
                "fields": (
                    "components",
                    "organisations",
                    "declared_by",
                    "organisation_public",
                    "year",
                    "since",
                    "stage",
                    "estimated_saving_eur",
                    "estimated_saving_days",
                )
            },
        ),
        (
            _("Quotation"),
            {
                "fields": (
                    "quote",
                    "quote_language",
                    "quote_speaker",
                    "quote_organisation",
                )
            },
        ),
        (
            _("Publication"),
            {
                "fields": (
                    "publication_state",
                    "published_at",
                    "source_reference",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )


@admin.register(CollaborationModel)
class CollaborationModelAdmin(HistoryTranslationAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name_nl", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(BuildingBlock)
class BuildingBlockAdmin(TranslationAdmin):
    list_display = ("name", "family", "position")
    list_filter = ("family",)
    search_fields = ("name_nl", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Domain)
class DomainAdmin(TranslationAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name_nl", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("slug", "name_nl", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        obj.components.refresh_related_terms()
