from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Kooperationsvereinbarungen")

    def ready(self):
        from agreements import auditing, demo, tasks  # noqa: F401
        from agreements.services import agreement_deadlines
        from agreements.setup import register_navigation
        from referrals.models import DEADLINE_OVERRIDES

        if agreement_deadlines not in DEADLINE_OVERRIDES:
            DEADLINE_OVERRIDES.append(agreement_deadlines)
        register_navigation()
