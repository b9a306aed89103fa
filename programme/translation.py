"""Translated fields of the programme's figures (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from programme.models import ProgrammeFigure


@register(ProgrammeFigure)
class ProgrammeFigureTranslation(TranslationOptions):
    fields = ("label", "scope")
