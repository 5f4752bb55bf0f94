from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Fallakten")

    def ready(self):
        from cases import auditing, demo, tasks  # noqa: F401
        from cases.setup import register_navigation_and_home

        register_navigation_and_home()
