from django.contrib import admin

from catalogue.admin import HistoryTranslationAdmin
from networks.models import Event, Membership, Network
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
    list_display = ("title", "network", "kind", "starts_at", "location")
    list_filter = ("kind", "network", "starts_at")
    search_fields = ("slug", "title_nl", "title_fr", "title_en")
    list_select_related = ("network",)
    autocomplete_fields = ("network",)
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}
