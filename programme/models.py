"""The ReUse programme itself: what it measured, as its own reports state it.

These figures are quoted, never computed: the catalogue's own counts live in
`catalogue.models.key_figures()` and the two are never shown mixed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> ProgrammeFigure:
        return self.get(slug=slug)


class ProgrammeFigure(models.Model):
    """One measured result of the programme: value, unit, year, scope and
    the line of the report that gives it."""

    class Unit(models.TextChoices):
        EUR = "eur", _("euros")
        EUR_PER_YEAR = "eur_per_year", _("euros per year")
        PERCENT = "percent", _("per cent")
        COUNT = "count", _("number")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    label = models.CharField(_("what was measured"), max_length=300)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme figure")
        verbose_name_plural = _("programme figures")
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source_reference=""),
                name="programme_programmefigure_has_source",
                violation_error_message=_("A programme figure needs its source."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
