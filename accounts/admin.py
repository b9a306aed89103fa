"""Users, and the requests to join an organisation: their state is
read-only, and every decision calls `accounts.services`."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import MembershipRequest, User
from publishing.admin import decision_page


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("organisation", "organisation_role")}),
    )
    list_display = (
        "username",
        "email",
        "organisation",
        "organisation_role",
        "is_staff",
        "is_active",
    )
    list_filter = (*BaseUserAdmin.list_filter, "organisation_role", "organisation")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


class KindListFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin) -> list:
        return [
            ("listed", _("Join a listed organisation")),
            ("proposal", _("Proposal of a new organisation")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "listed":
            return queryset.filter(proposed_name="")
        if self.value() == "proposal":
            return queryset.exclude(proposed_name="")
        return queryset


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "organisation_name",
        "is_proposal",
        "role",
        "state",
        "created_at",
        "decided_by",
    )
    list_filter = ("state", KindListFilter, "role", "created_at")
    list_select_related = ("user", "provider", "decided_by")
    search_fields = (
        "user__username",
        "user__email",
        "proposed_name",
        "provider__slug",
        "provider__name_nl",
        "provider__name_fr",
        "provider__name_en",
    )
    readonly_fields = (
        "user",
        "provider",
        "proposed_name",
        "proposed_website",
        "proposed_contact_email",
        "role",
        "state",
        "created_at",
        "decided_by",
        "decided_at",
        "reason",
    )
    fields = readonly_fields
    change_form_template = "accounts/admin/membershiprequest_change_form.html"
    actions = ("approve_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("organisation"))
    def organisation_name(self, membership: MembershipRequest) -> str:
        return membership.organisation_name

    @admin.display(description=_("proposal"), boolean=True)
    def is_proposal(self, membership: MembershipRequest) -> bool:
        return membership.is_proposal

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/decline/",
                self.admin_site.admin_view(self.decline_view),
                name="accounts_membershiprequest_decline",
            ),
            *super().get_urls(),
        ]

    def decline_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        membership = self.get_object(request, object_id)
        if membership is None:
            raise Http404
        if not self.has_change_permission(request, membership):
            raise PermissionDenied
        return decision_page(
            request,
            admin_site=self.admin_site,
            title=_("Decline: %(request)s") % {"request": membership},
            subject=membership,
            reason_required=True,
            decide=lambda reason: services.decline_membership(
                membership=membership, actor=request.user, reason=reason
            ),
            done_message=_("The request was declined."),
            back_url=reverse(
                "admin:accounts_membershiprequest_change", args=[membership.pk]
            ),
        )

    @admin.action(
        description=_("Approve the selected requests"), permissions=["change"]
    )
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Each request on its own: one refusal does not undo or stop the
        others, and each is reported."""
        approved = 0
        for membership in queryset:
            try:
                services.approve_membership(membership=membership, actor=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(
                    request, f"{membership}: {_reasons(refusal)}", messages.ERROR
                )
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                _("%(count)d request(s) approved.") % {"count": approved},
                messages.SUCCESS,
            )


def _reasons(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)
