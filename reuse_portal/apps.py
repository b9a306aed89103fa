"""Third-party apps under names the admin can show in the visitor's language."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Login protection")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


class ApiTokensConfig(AppConfig):
    name = "knox"
    verbose_name = _("API tokens")
