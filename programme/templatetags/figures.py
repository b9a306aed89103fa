"""How a programme figure reads in the page's language."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from programme.models import ProgrammeFigure

register = template.Library()


@register.filter
def figure_value(figure: ProgrammeFigure) -> str:
    """27000 euros reads "€27,000" in English, "27.000 €" in Dutch and
    French (as each language's translators write it)."""
    value: Decimal = figure.value
    digits = floatformat(value, "-2g")
    formats = {
        ProgrammeFigure.Unit.EUR: _("€%(value)s"),
        ProgrammeFigure.Unit.EUR_PER_YEAR: _("€%(value)s a year"),
        ProgrammeFigure.Unit.PERCENT: _("%(value)s%%"),
        ProgrammeFigure.Unit.COUNT: "%(value)s",
    }
    return formats[figure.unit] % {"value": digits}
