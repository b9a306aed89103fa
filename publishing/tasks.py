from django.tasks import task

from publishing import notifications


@task
def deliver_notification(notification_id: int) -> None:
    notifications.deliver(notification_id)
