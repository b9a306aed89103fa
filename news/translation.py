"""Translated fields and change history (history after translation: see
catalogue/translation.py)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from news.models import Article


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


register_history(Article, m2m_fields=["components", "reuse_cases"])
