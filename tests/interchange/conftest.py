import os
from pathlib import Path

import pytest
from django.conf import settings

CONFORMANCE = (
    "conformance: checks an export with an official validator read from "
    "STANDARDS_DIR (skipped, with the reason, where that folder is absent)"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", CONFORMANCE)


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    """The official validators: not the project's files, so not in the
    repository (../shared/data/standards beside it, which CI has)."""
    folder = Path(
        os.environ.get(
            "STANDARDS_DIR", Path(settings.BASE_DIR).parent / "shared/data/standards"
        )
    )
    if not folder.is_dir():
        pytest.skip(
            f"STANDARDS_DIR ({folder}) not found: the conformance check against "
            "the official validators did not run."
        )
    return folder


@pytest.fixture
def complete():
    """Gives a component what a valid publiccode.yml needs and the
    catalogue's fixtures lack: a repository, a licence, a support contact,
    its languages and a lifecycle status."""
    from catalogue.models import ComponentLink, LifecycleStatus, LinkKind

    def give(component):
        component.licence = component.licence or "EUPL-1.2"
        component.support_name = component.support_name or "Helpdesk"
        component.support_email = component.support_email or "helpdesk@example.be"
        component.languages = component.languages or ["nl", "fr"]
        if component.lifecycle_status == LifecycleStatus.NOT_STATED:
            component.lifecycle_status = LifecycleStatus.AVAILABLE
        component.save()
        if not component.links.filter(kind=LinkKind.SOURCE_CODE).exists():
            ComponentLink.objects.create(
                component=component,
                kind=LinkKind.SOURCE_CODE,
                url=f"https://git.example.be/{component.slug}",
            )
        return component

    return give
