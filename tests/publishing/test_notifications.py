"""The submitter hears of every decision, in their language, once the decision
is committed; a mail server that refuses delays the e-mail, never loses it."""

import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from publishing import services
from publishing.models import Action, Notification
from tests.factories import make_component, make_provider, make_user

# Committed for real: the e-mail task is queued only once a decision commits,
# and the worker runs as in production, on its own terms with the connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted():
    """A component a French-speaking supplier submitted, and a moderator."""
    organisation = make_provider()
    supplier = make_user(
        organisation=organisation, email="lea@example.org", language="fr"
    )
    component = make_component(
        provider=organisation, publication_state="draft", name_fr="Signature"
    )
    services.move(action=Action.SUBMIT, entry=component, actor=supplier)
    moderator = make_user(is_staff=True, is_superuser=True, email="mod@example.org")
    return component, supplier, moderator


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_decision_reaches_the_submitter_in_their_language(submitted):
    component, supplier, moderator = submitted

    services.move(
        action=Action.REQUEST_CHANGES,
        entry=component,
        actor=moderator,
        reason="Ajoutez la licence.",
    )
    run_worker()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@example.org"]
    assert "Demander des modifications" in message.subject
    assert "Ajoutez la licence." in message.body
    assert Notification.objects.get().sent_at is not None


def test_the_e_mail_is_queued_only_once_the_decision_commits(submitted):
    component, _supplier, moderator = submitted

    with transaction.atomic():
        services.move(action=Action.PUBLISH, entry=component, actor=moderator)
        # Written with the decision, not yet handed to the worker.
        assert Notification.objects.filter(sent_at__isnull=True).count() == 1
        assert not DBTaskResult.objects.exists()

    assert DBTaskResult.objects.count() == 1


def test_people_are_not_told_of_their_own_steps():
    organisation = make_provider()
    supplier = make_user(organisation=organisation)
    component = make_component(provider=organisation, publication_state="draft")

    services.move(action=Action.SUBMIT, entry=component, actor=supplier)

    assert not Notification.objects.exists()


def test_a_refused_send_is_kept_and_retried(submitted, settings):
    component, _supplier, moderator = submitted
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }

    services.move(
        action=Action.REJECT, entry=component, actor=moderator, reason="Doublon."
    )
    run_worker()

    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 1
    # The retry is queued for later, not lost.
    retry = DBTaskResult.objects.order_by("-pk").first()
    assert retry.run_after is not None
    assert "refused" in notification.last_error.lower()
    component.refresh_from_db()
    assert component.publication_state == "rejected"

    settings.MAILERS = locmem
    call_command("send_notifications", stdout=StringIO())

    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1


def test_a_decision_is_recorded_even_when_nobody_can_be_told():
    organisation = make_provider()
    component = make_component(provider=organisation, publication_state="submitted")
    moderator = make_user(is_staff=True, is_superuser=True)

    services.move(entry=component, action=Action.PUBLISH, actor=moderator)

    assert services.history(component).last().to_state == "published"
    assert not Notification.objects.exists()
