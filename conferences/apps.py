from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("Fallberatungen")

    def ready(self):
        from conferences import auditing, demo, selectors, signals, tasks  # noqa: F401
        from conferences.setup import register_navigation_and_home

        register_navigation_and_home()

        from cases.subject_access import register_section
        from conferences.subject_access import presentations

        register_section("fallberatungen", presentations)
