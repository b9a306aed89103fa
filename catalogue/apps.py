from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from catalogue.reuse_counts import watch_reuses  # noqa: PLC0415
        from reuse_portal.page_cache import watch_content  # noqa: PLC0415

        # ready() runs once every app's models are loaded: the page cache can
        # watch them all.
        watch_content()
        watch_reuses()
