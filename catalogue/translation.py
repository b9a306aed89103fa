"""Translated fields (django-modeltranslation) and change history.

History is registered here, after translation, so that django-simple-history
sees the per-language columns (registering it on the model instead breaks
saving: see django-simple-history issue #209).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    Domain,
    Provider,
    ReuseCase,
    Tag,
)


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("name", "description")


@register(BuildingBlock)
class BuildingBlockTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CollaborationModel)
class CollaborationModelTranslation(TranslationOptions):
    fields = ("name", "definition")


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(Provider)
class ProviderTranslation(TranslationOptions):
    fields = ("name", "acronym", "description")


@register(Component)
class ComponentTranslation(TranslationOptions):
    fields = ("name", "summary", "description")


@register(ReuseCase)
class ReuseCaseTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


register_history(Provider)
register_history(
    Component,
    m2m_fields=["tags"],
    # Derived (for search, from the reuse cases); a revision's diff should
    # show only what people wrote.
    excluded_fields=["related_terms", "search_vector", "names_text", "reuse_count"],
)
register_history(ReuseCase, m2m_fields=["components", "organisations"])
register_history(CollaborationModel)
