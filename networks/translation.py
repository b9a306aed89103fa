"""Translated fields and change history (history after translation: see
catalogue/translation.py)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from networks.models import Event, Network


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")


register_history(Network, m2m_fields=["components"])
register_history(Event)
