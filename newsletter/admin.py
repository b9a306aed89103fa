"""Subscriptions in the back office: masked in every list and form, read
only, and exported in full only as the CSV the newsletter is sent from."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from newsletter.models import Subscription, masked
from newsletter.services import unsubscribe_url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "masked_email",
        "editions",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    list_filter = ("confirmed_at", "unsubscribed_at", "language")
    # Finding an address to delete it, when its owner asks, without reading it.
    search_fields = ("=email",)
    fields = (
        "masked_email",
        "editions",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    readonly_fields = fields
    change_list_template = "admin/newsletter/subscription/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("e-mail address"))
    def masked_email(self, subscription: Subscription) -> str:
        return masked(subscription.email)

    @admin.display(description=_("editions"))
    def editions(self, subscription: Subscription) -> str:
        return ", ".join(subscription.edition_names())

    def get_urls(self) -> list:
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="newsletter_subscription_export",
            ),
            *super().get_urls(),
        ]

    # admin_view() makes it never cached and staff-only.
    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The confirmed subscribers, for the mailing tool: UTF-8 with a byte
        order mark, so that spreadsheets read accents right, and each row's
        own unsubscribe link to put in the e-mails."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="newsletter-subscribers-{stamp}.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            ["email", "editions", "language", "confirmed_at", "unsubscribe_url"]
        )
        for subscription in Subscription.objects.confirmed().order_by("pk"):
            with translation.override(subscription.language):
                leave = unsubscribe_url(subscription)
            writer.writerow(
                [
                    subscription.email,
                    " ".join(subscription.languages),
                    subscription.language,
                    subscription.confirmed_at.isoformat(),
                    leave,
                ]
            )
        return response
