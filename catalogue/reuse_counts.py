"""Keeps each component's stored `reuse_count` equal to what its reuse cases
say, whatever changes them: the admin, a supplier's declaration, the
publishing workflow, the API or a fixture.

A count moves when a case is published, withdrawn or deleted, when a case
gains or loses a component or an organisation (from either side of the
relation), when an organisation is deleted, and when a component changes
its provider. Each of these recounts the components concerned
(ComponentQuerySet.refresh_reuse_counts), in the transaction of the change:
a page kept until the content changes never shows the count from before.

Writes that send no signal (bulk_create, QuerySet.update, raw SQL) must
recount themselves (bench.generate does).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from catalogue.models import Component, Provider, ReuseCase

CASE_COMPONENTS = ReuseCase.components.through
CASE_ORGANISATIONS = ReuseCase.organisations.through
# What a delete or a clear() is about to remove, kept on the instance from
# the "pre" signal to the "post" one, when the rows are gone.
COMPONENTS_BEFORE = "_reuse_count_components"


def recount_components_of_cases(case_ids) -> None:
    Component.objects.filter(reuse_cases__in=case_ids).refresh_reuse_counts()


def component_ids_of_cases(case_ids) -> list[int]:
    return list(
        CASE_COMPONENTS.objects.filter(reusecase__in=case_ids)
        .values_list("component", flat=True)
        .distinct()
    )


def case_saved(instance: ReuseCase, **kwargs) -> None:
    # Its publication state may have changed.
    recount_components_of_cases([instance.pk])


def case_or_provider_deleting(instance, **kwargs) -> None:
    cases = [instance.pk] if isinstance(instance, ReuseCase) else _cases_of(instance)
    setattr(instance, COMPONENTS_BEFORE, component_ids_of_cases(cases))


def case_or_provider_deleted(instance, **kwargs) -> None:
    _recount_remembered(instance)


def component_saved(instance: Component, **kwargs) -> None:
    # Its provider may have changed, and a form's save writes the count the
    # form read, which another change may have moved since.
    Component.objects.filter(pk=instance.pk).refresh_reuse_counts()


def case_components_changed(
    instance, action: str, reverse: bool, pk_set, **kwargs
) -> None:
    """ReuseCase.components: `instance` is a case (pk_set: components) or,
    from the other side, a component (pk_set: cases)."""
    if reverse:
        if action.startswith("post_"):
            Component.objects.filter(pk=instance.pk).refresh_reuse_counts()
        return
    if action == "pre_clear":
        setattr(instance, COMPONENTS_BEFORE, component_ids_of_cases([instance.pk]))
    elif action == "post_clear":
        _recount_remembered(instance)
    elif action in ("post_add", "post_remove"):
        Component.objects.filter(pk__in=pk_set).refresh_reuse_counts()


def case_organisations_changed(
    instance, action: str, reverse: bool, pk_set, **kwargs
) -> None:
    """ReuseCase.organisations: `instance` is a case (pk_set: organisations)
    or, from the other side, an organisation (pk_set: cases)."""
    if not reverse:
        if action.startswith("post_"):
            recount_components_of_cases([instance.pk])
        return
    if action == "pre_clear":
        case_ids = _cases_of(instance)
        setattr(instance, COMPONENTS_BEFORE, component_ids_of_cases(case_ids))
    elif action == "post_clear":
        _recount_remembered(instance)
    elif action in ("post_add", "post_remove"):
        recount_components_of_cases(pk_set)


def _cases_of(organisation: Provider) -> list[int]:
    return list(
        CASE_ORGANISATIONS.objects.filter(provider=organisation).values_list(
            "reusecase", flat=True
        )
    )


def _recount_remembered(instance) -> None:
    remembered = getattr(instance, COMPONENTS_BEFORE, None)
    if remembered:
        Component.objects.filter(pk__in=remembered).refresh_reuse_counts()
        delattr(instance, COMPONENTS_BEFORE)


def watch_reuses() -> None:
    """Called once at start-up, from CatalogueConfig.ready()."""
    uid = "catalogue.reuse_counts"
    post_save.connect(case_saved, sender=ReuseCase, dispatch_uid=uid)
    post_save.connect(component_saved, sender=Component, dispatch_uid=uid)
    for model in (ReuseCase, Provider):
        pre_delete.connect(case_or_provider_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(case_or_provider_deleted, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        case_components_changed, sender=CASE_COMPONENTS, dispatch_uid=uid
    )
    m2m_changed.connect(
        case_organisations_changed, sender=CASE_ORGANISATIONS, dispatch_uid=uid
    )
