from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from programme.models import ProgrammeFigure


@admin.register(ProgrammeFigure)
class ProgrammeFigureAdmin(TranslationAdmin):
    list_display = ("label", "value", "unit", "year", "source_reference")
    list_filter = ("unit", "year")
    search_fields = ("slug", "label_nl", "label_fr", "label_en")
    ordering = ("position",)
