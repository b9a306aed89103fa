"""Moderation in the Django admin: the state is read-only, and every
decision is a button that calls `publishing.services`."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from publishing import services
from publishing.models import Action, Notification, Revision, RevisionState
from publishing.workflow import STATE_ACTIONS, TRANSITIONS, allowed_state_actions


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_("The submitter receives it by e-mail and sees it in their list."),
    )

    def __init__(self, *args, reason_required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


def decision_page(
    request: HttpRequest,
    *,
    admin_site: admin.AdminSite,
    title: str,
    subject,
    reason_required: bool,
    decide: Callable[[str], object],
    done_message: str,
    back_url: str,
) -> HttpResponse:
    """Ask for the reason, then make the decision; a refusal is shown as an
    error message and changes nothing."""
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        reason_required=reason_required,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decide(form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as refusal:
            messages.error(request, " ".join(_messages(refusal)))
        else:
            messages.success(request, done_message)
        return redirect(back_url)
    context = {
        **admin_site.each_context(request),
        "title": title,
        "subject": subject,
        "form": form,
        "back_url": back_url,
    }
    return TemplateResponse(request, "admin/publishing/decision.html", context)


def _messages(refusal: Exception) -> list[str]:
    if isinstance(refusal, ValidationError):
        return refusal.messages
    return [str(refusal)]


class PublishableAdmin(admin.ModelAdmin):
    """Shows the publication state read-only, the buttons of the moves the
    table allows this moderator, and the entry's audit trail."""

    change_form_template = "admin/publishing/change_form.html"
    actions = ("publish_selected", "archive_selected")

    def get_readonly_fields(self, request, obj=None) -> tuple:
        return (
            *super().get_readonly_fields(request, obj),
            "publication_state",
            "published_at",
        )

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/moderate/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_moderate",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            services.create(entry=obj, actor=request.user)
            return
        # Content only: a reverted history record or a crafted form must not
        # bring back an older publication state.
        current = type(obj)._default_manager.get(pk=obj.pk)
        obj.publication_state = current.publication_state
        obj.published_at = current.published_at
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        entry = context.get("original")
        if entry is not None:
            context["moderation_actions"] = [
                (action, self._moderate_url(entry, action))
                for action in allowed_state_actions(actor=request.user, entry=entry)
            ]
            context["audit_trail"] = services.history(entry)
        return super().render_change_form(request, context, add, change, **kwargs)

    def moderate_view(
        self, request: HttpRequest, object_id: str, action: str
    ) -> HttpResponse:
        entry = self.get_object(request, object_id)
        if entry is None or action not in STATE_ACTIONS:
            raise Http404
        action = Action(action)
        return decision_page(
            request,
            admin_site=self.admin_site,
            title=f"{action.label}: {entry}",
            subject=entry,
            reason_required=TRANSITIONS[action].reason_required,
            decide=lambda reason: services.move(
                entry=entry, action=action, actor=request.user, reason=reason
            ),
            done_message=_("Done: %(action)s.") % {"action": action.label},
            back_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[entry.pk],
            ),
        )

    def _moderate_url(self, entry, action: Action) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_moderate",
            args=[entry.pk, action.value],
        )

    @admin.action(description=_("Publish the selected entries"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_each(request, queryset, Action.PUBLISH)

    @admin.action(description=_("Archive the selected entries"), permissions=["change"])
    def archive_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move_each(request, queryset, Action.ARCHIVE)

    def _move_each(self, request: HttpRequest, queryset: QuerySet, action) -> None:
        """Each entry on its own: one refusal does not undo or stop the others,
        and each is reported."""
        done = 0
        for entry in queryset:
            try:
                services.move(entry=entry, action=action, actor=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(
                    request, f"{entry}: {' '.join(_messages(refusal))}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("%(action)s: %(count)d done.")
                % {"action": action.label, "count": done},
                messages.SUCCESS,
            )


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Changes proposed to published entries, reviewed as a diff."""

    list_display = ("__str__", "state", "submitted_by", "created_at", "reviewed_by")
    list_filter = ("state", "content_type", "created_at")
    list_select_related = ("submitted_by", "reviewed_by", "content_type")
    readonly_fields = (
        "entry_link",
        "state",
        "submitted_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "reason",
        "diff",
    )
    fields = readonly_fields
    change_form_template = "admin/publishing/revision_change_form.html"
    actions = ("accept_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/decide/<slug:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="publishing_revision_decide",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("Entry"))
    def entry_link(self, revision: Revision) -> str:
        entry = revision.entry
        opts = entry._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]
        )
        return format_html('<a href="{}">{}</a>', url, entry)

    @admin.display(description=_("Changes"))
    def diff(self, revision: Revision) -> str:
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            services.revision_diff(revision),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Field"),
            _("Published"),
            _("Proposed"),
            rows,
        )

    def decide_view(
        self, request: HttpRequest, object_id: str, decision: str
    ) -> HttpResponse:
        revision = self.get_object(request, object_id)
        if revision is None or decision not in ("accept", "reject"):
            raise Http404
        accept = decision == "accept"
        action = Action.ACCEPT_REVISION if accept else Action.REJECT_REVISION
        service = services.accept_revision if accept else services.reject_revision
        return decision_page(
            request,
            admin_site=self.admin_site,
            title=f"{action.label}: {revision.entry}",
            subject=revision,
            reason_required=TRANSITIONS[action].reason_required,
            decide=lambda reason: service(
                revision=revision, actor=request.user, reason=reason
            ),
            done_message=_("Done: %(action)s.") % {"action": action.label},
            back_url=reverse("admin:publishing_revision_change", args=[revision.pk]),
        )

    @admin.action(
        description=_("Accept the selected revisions"), permissions=["change"]
    )
    def accept_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        accepted = 0
        for revision in queryset.filter(state=RevisionState.SUBMITTED):
            try:
                services.accept_revision(revision=revision, actor=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                self.message_user(
                    request,
                    f"{revision}: {' '.join(_messages(refusal))}",
                    messages.ERROR,
                )
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                _("%(count)d revision(s) accepted and published.")
                % {"count": accepted},
                messages.SUCCESS,
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "created_at", "sent_at", "attempts")
    list_filter = ("sent_at",)
    list_select_related = ("recipient",)
    readonly_fields = (
        "recipient",
        "subject",
        "body",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
