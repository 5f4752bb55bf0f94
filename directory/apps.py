from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Angebotslandkarte")

    def ready(self):
        from directory import auditing, signals, tasks  # noqa: F401
