from django import forms
from django.contrib import admin

from catalogue.admin import HistoryTranslationAdmin
from catalogue.models import Language
from networks.models import Event, JoinRequest, Membership, Network
from publishing.admin import PublishableAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation", "user")


@admin.register(Network)
class NetworkAdmin(PublishableAdmin, HistoryTranslationAdmin):
    list_display = ("name", "domain", "coordinator", "publication_state", "updated_at")
    list_filter = ("publication_state", "domain")
    search_fields = ("slug", "name_nl", "name_fr", "name_en")
    list_select_related = ("domain", "coordinator")
    autocomplete_fields = ("domain", "coordinator", "components")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)


@admin.register(Event)
class EventAdmin(HistoryTranslationAdmin):
    list_display = ("title", "network", "kind", "starts_at", "timezone", "location")
    list_filter = ("kind", "network", "starts_at")
    search_fields = ("slug", "title_nl", "title_fr", "title_en")
    list_select_related = ("network",)
    autocomplete_fields = ("network",)
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "languages":
            # Boxes to tick rather than a comma-separated text.
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=Language.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    """Moderators follow the requests here; they decide them on the
    network's requests page, like its coordinators (networks.services)."""

    list_display = ("user", "network", "state", "created_at", "decided_by")
    list_filter = ("state", "network")
    search_fields = ("user__username", "user__email", "network__slug")
    list_select_related = ("user", "network", "decided_by")
    readonly_fields = (
        "network",
        "user",
        "message",
        "state",
        "decided_by",
        "decided_at",
        "reason",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False
