"""E-mails about decisions: written to the outbox in the decision's
transaction, sent by a task once it has committed, retried while the mail
server refuses them."""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from publishing.models import DECISIONS, Notification, Transition

logger = logging.getLogger(__name__)

# 1, 2, 4, ... minutes between attempts; after the last, a person looks.
MAX_ATTEMPTS = 8


def tell_submitter(step: Transition, *, submitter) -> Notification | None:
    """Queue the e-mail that tells the submitter of a moderator's decision;
    their own steps they already know."""
    if (
        step.action not in DECISIONS
        or submitter is None
        or not submitter.email
        or submitter == step.actor
    ):
        return None
    with translation.override(submitter.language):
        context = {"step": step, "entry": step.entry, "site": settings.SITE_URL}
        notification = Notification.objects.create(
            recipient=submitter,
            subject=render_to_string(
                "publishing/email/decision_subject.txt", context
            ).strip(),
            body=render_to_string("publishing/email/decision_body.txt", context),
        )
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


@task
def deliver_notification(notification_id: int) -> None:
    """Run by the database-backed worker (`manage.py db_worker`)."""
    deliver(notification_id)


def enqueue(notification_id: int, *, delay: timedelta | None = None) -> None:
    job = deliver_notification
    if delay and default_task_backend.supports_defer:
        job = job.using(run_after=timezone.now() + delay)
    job.enqueue(notification_id)


def deliver(notification_id: int) -> bool:
    """Send one notification if it is still unsent; True once it is sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        try:
            send_mail(
                notification.subject,
                notification.body,
                None,
                [notification.recipient.email],
            )
        except (SMTPException, OSError) as error:
            notification.attempts += 1
            notification.last_error = str(error)[:2000]
            notification.save(update_fields=["attempts", "last_error"])
            logger.warning("notification %s not sent: %s", notification.pk, error)
            if notification.attempts < MAX_ATTEMPTS:
                delay = timedelta(minutes=2 ** (notification.attempts - 1))
                transaction.on_commit(lambda: enqueue(notification_id, delay=delay))
            return False
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return True


def deliver_pending() -> int:
    """Send everything still unsent (after an outage); returns how many went."""
    pending = Notification.objects.filter(sent_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(deliver(pk) for pk in list(pending))
