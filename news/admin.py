"""News and success stories in the back office: written by moderators, then
submitted and published through the publishing module's buttons."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalogue.admin import HistoryTranslationAdmin
from news.models import Article
from publishing.admin import PublishableAdmin


@admin.register(Article)
class ArticleAdmin(PublishableAdmin, HistoryTranslationAdmin):
    list_display = ("title", "kind", "publication_state", "published_at")
    list_filter = ("publication_state", "kind", "published_at")
    # modeltranslation expands "title" to the current language only.
    search_fields = ("slug", "title_nl", "title_fr", "title_en")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("components", "reuse_cases")
    readonly_fields = ("published_at", "created_at", "updated_at")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("kind", "title", "slug", "summary", "body")}),
        (_("What it is about"), {"fields": ("components", "reuse_cases")}),
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
