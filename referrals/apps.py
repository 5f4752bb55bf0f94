from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Überleitungen")

    def ready(self):
        from referrals import auditing, demo, selectors, signals, tasks  # noqa: F401
        from referrals.setup import register_navigation_and_home

        register_navigation_and_home()

        from cases.subject_access import register_section
        from referrals.subject_access import transfers

        register_section("uebermittlungen", transfers)
