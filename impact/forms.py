"""The reuse declaration form: what an organisation says about its reuse of
a component, checked before anything reaches the moderators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.models import Language, ReuseCase, ReuseStage, day_rate_eur

# The portal's programme started in 2019; older reuses exist, but nothing
# before the web's public services.
EARLIEST_YEAR = 1990
CENTS = Decimal("0.01")


class DeclarationForm(forms.Form):
    title = forms.CharField(
        label=_("Project"),
        max_length=200,
        help_text=_("The project or service in which your organisation reuses it."),
    )
    summary = forms.CharField(
        label=_("What the project does"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, at most 300 characters."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=ReuseStage.choices, widget=forms.RadioSelect
    )
    year = forms.IntegerField(
        label=_("In use since (year)"),
        min_value=EARLIEST_YEAR,
        required=False,
        help_text=_("The year, or the exact date below."),
    )
    since = forms.DateField(
        label=_("In use since (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. Format: YYYY-MM-DD."),
    )
    estimated_saving_eur = forms.DecimalField(
        label=_("Estimated saving in euros"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("What building it yourselves would have cost. Optional."),
    )
    estimated_saving_days = forms.IntegerField(
        label=_("Or estimated saving in person-days"),
        min_value=0,
        required=False,
    )
    quote = forms.CharField(
        label=_("Testimonial"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: a sentence the portal may quote, verbatim."),
    )
    quote_speaker = forms.CharField(
        label=_("Who said it"),
        max_length=200,
        required=False,
        help_text=_("Name and function; needed with a testimonial."),
    )
    quote_language = forms.ChoiceField(
        label=_("Language of the testimonial"),
        choices=[("", "—"), *Language.choices],
        required=False,
    )
    organisation_public = forms.BooleanField(
        label=_("Our organisation may be named on the portal as a reuser"),
        required=False,
        help_text=_(
            "Without this consent the reuse still counts in the figures, "
            "but no page names your organisation."
        ),
    )

    # Field name of the form -> field of the case: the translated texts are
    # written in the language of the page.
    TEXTS = ("title", "summary")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["estimated_saving_days"].help_text = _(
            "Converted at €%(rate)s a day. Give euros or person-days, not both."
        ) % {"rate": floatformat(day_rate_eur(), "-2g")}
        self.fields["quote_language"].initial = get_language()

    @classmethod
    def initial_of(cls, case: ReuseCase) -> dict:
        """A declaration's current values, to update it."""
        return {
            "title": case.title,
            "summary": case.summary,
            "stage": case.stage,
            "year": case.year,
            "since": case.since,
            "estimated_saving_eur": case.estimated_saving_eur,
            "estimated_saving_days": case.estimated_saving_days,
            "quote": case.quote,
            "quote_speaker": case.quote_speaker,
            "quote_language": case.quote_language,
            "organisation_public": case.organisation_public,
        }

    def clean_since(self) -> date | None:
        since = self.cleaned_data.get("since")
        if since and since > timezone.localdate():
            raise ValidationError(
                _("The date is in the future: declare a reuse once it has started."),
                code="future",
            )
        return since

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise ValidationError(
                _("The year is in the future: declare a reuse once it has started."),
                code="future",
            )
        return year

    def clean(self) -> dict:
        data = super().clean()
        year, since = data.get("year"), data.get("since")
        if since and year and since.year != year:
            self.add_error(
                "year", _("The year and the date disagree: give one, or both alike.")
            )
        elif since:
            data["year"] = since.year
        elif not year and not self.has_error("year") and not self.has_error("since"):
            self.add_error("year", _("Say since when: the year at least."))
        if (
            data.get("estimated_saving_eur") is not None
            and data.get("estimated_saving_days") is not None
        ):
            self.add_error(
                "estimated_saving_days",
                _("Give the saving in euros or in person-days, not both."),
            )
        if data.get("quote"):
            if not data.get("quote_speaker"):
                self.add_error(
                    "quote_speaker", _("Say who said the testimonial: it is quoted.")
                )
            if not data.get("quote_language"):
                self.add_error(
                    "quote_language", _("Say in which language it was said.")
                )
        else:
            data["quote_speaker"] = data["quote_language"] = ""
        return data

    def values(self) -> dict:
        """The case's fields, in the form the publishing services store (the
        texts in the page's language; dates and amounts as JSON values)."""
        language = get_language()
        data = self.cleaned_data
        values = {f"{name}_{language}": data[name] for name in self.TEXTS} | {
            name: data[name]
            for name in self.fields
            if name not in self.TEXTS and name not in ("since", "estimated_saving_eur")
        }
        values["since"] = data["since"].isoformat() if data["since"] else None
        saving = data["estimated_saving_eur"]
        values["estimated_saving_eur"] = (
            None if saving is None else str(saving.quantize(CENTS))
        )
        return values

    def changed_values(self, case: ReuseCase) -> dict:
        """Only what differs from `case`: an unchanged form proposes nothing."""
        return {
            name: value
            for name, value in self.values().items()
            if _stored(case, name) != value
        }


def _stored(case: ReuseCase, name: str):
    value = getattr(case, name)
    if isinstance(value, date):
        return value.isoformat()
    if name == "estimated_saving_eur" and value is not None:
        return str(value)
    return value
