"""The impact dashboard, its CSV files, and the organisations' reuse
declarations."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from catalogue.models import Component, ReuseCase, day_rate_eur
from impact import services
from impact.charts import bar_chart
from impact.forms import DeclarationForm
from impact.selectors import DATASETS, savings_summary
from programme.models import ProgrammeFigure
from publishing.models import Action
from publishing.workflow import allowed
from reuse_portal.page_cache import cached_for_everyone, until_content_changes

# The rows of each dataset the page lists, and its chart draws: what a
# reader takes in. Its CSV file has every row.
LISTED_ROWS = 15


@method_decorator(cached_for_everyone, name="dispatch")
class DashboardView(TemplateView):
    """The programme's quoted results, then the figures computed from the
    catalogue, in separate sections."""

    template_name = "impact/dashboard.html"

    def get_context_data(self, **kwargs) -> dict:
        # The same for every visitor, signed in or not: computed once per
        # language and change. At 100,000 components they take 0.45 s,
        # which every signed-in visit paid.
        figures = until_content_changes(
            f"impact-figures:{get_language()}", self.computed_figures
        )
        return super().get_context_data(
            programme_figures=ProgrammeFigure.objects.all(),
            day_rate=day_rate_eur(),
            **figures,
            **kwargs,
        )

    @staticmethod
    def computed_figures() -> dict:
        panels = {}
        for slug, build in DATASETS.items():
            dataset = build(limit=LISTED_ROWS)
            panels[slug.replace("-", "_")] = {
                "dataset": dataset,
                "chart": bar_chart(dataset),
            }
        return {"panels": panels, "savings": savings_summary()}


def dataset_csv(request: HttpRequest, dataset: str) -> HttpResponse:
    """One dataset of the dashboard as a CSV file, in UTF-8 with a byte order
    mark so that spreadsheets read its accents right."""
    build = DATASETS.get(dataset)
    if build is None:
        raise Http404
    data = build()
    response = HttpResponse(
        "\ufeff",
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{data.slug}.csv"'},
    )
    # Written into the response as it goes: no buffer to copy it from.
    writer = csv.writer(response)
    writer.writerow([str(column) for column in data.columns])
    writer.writerows(
        ["" if value is None else value for value in row] for row in data.rows
    )
    return response


@never_cache
@login_required
def declare(request: HttpRequest, slug: str) -> HttpResponse:
    """A member declares that her organisation reuses a published component;
    the declaration goes to the moderators."""
    component = get_object_or_404(
        Component.objects.published().select_related("provider"), slug=slug
    )
    user = request.user
    if user.organisation_id is None:
        return render(
            request,
            "impact/declaration_form.html",
            {"component": component, "no_organisation": True},
            status=403,
        )
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.declare(component=component, actor=user, values=form.values())
        except (ValidationError, PermissionDenied) as refusal:
            form.add_error(None, _refusal_messages(refusal))
        else:
            messages.success(
                request,
                _("Thank you: your declaration was sent to the moderators."),
            )
            return redirect("impact:declaration-list")
    return _form_page(request, form, component=component, case=None)


class DeclarationListView(LoginRequiredMixin, ListView):
    """Every declaration of the member's organisation, whatever its state,
    with the moderators' decisions."""

    template_name = "impact/declaration_list.html"
    paginate_by = 50

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        organisation = self.request.user.organisation_id
        if organisation is None:
            return ReuseCase.objects.none()
        return ReuseCase.objects.declarations_of(organisation)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["withdrawable"] = {
            case.pk
            for case in context["object_list"]
            if allowed(services.WITHDRAW, actor=user, entry=case)
        }
        return context


@never_cache
@login_required
def edit_declaration(request: HttpRequest, slug: str) -> HttpResponse:
    """Changed in place until published, then through a revision."""
    case = _own_declaration(request, slug)
    posted = request.method == "POST"
    form = DeclarationForm(
        request.POST if posted else None, initial=DeclarationForm.initial_of(case)
    )
    can_edit = any(
        allowed(action, actor=request.user, entry=case)
        for action in (Action.EDIT, Action.PROPOSE_REVISION)
    )
    if posted and can_edit and form.is_valid():
        try:
            services.update(
                case=case, actor=request.user, changes=form.changed_values(case)
            )
        except (ValidationError, PermissionDenied) as refusal:
            form.add_error(None, _refusal_messages(refusal))
        else:
            messages.success(request, _("Saved: the moderators will review it."))
            return redirect("impact:declaration-list")
    component = case.components.first()
    return _form_page(request, form, component=component, case=case, can_edit=can_edit)


@require_POST
@login_required
def withdraw_declaration(request: HttpRequest, slug: str) -> HttpResponse:
    case = _own_declaration(request, slug)
    try:
        services.withdraw(case=case, actor=request.user)
    except (ValidationError, PermissionDenied) as refusal:
        messages.error(request, " ".join(_refusal_messages(refusal)))
    else:
        messages.success(request, _("The declaration was withdrawn."))
    return redirect("impact:declaration-list")


def _own_declaration(request: HttpRequest, slug: str) -> ReuseCase:
    """One of the organisation's declarations; others' are not found."""
    return get_object_or_404(
        ReuseCase.objects.filter(declared_by=request.user.organisation_id or 0),
        slug=slug,
    )


def _form_page(
    request: HttpRequest, form, *, component, case, can_edit: bool = True
) -> HttpResponse:
    has_errors = form.is_bound and bool(form.errors)
    return render(
        request,
        "impact/declaration_form.html",
        {
            "form": form,
            "component": component,
            "case": case,
            "can_edit": can_edit,
            "has_errors": has_errors,
        },
        # Errors answer 400, so that tools and tests see them too.
        status=400 if has_errors else 200,
    )


def _refusal_messages(refusal: Exception) -> list[str]:
    if isinstance(refusal, ValidationError):
        return refusal.messages
    return [str(refusal)]
