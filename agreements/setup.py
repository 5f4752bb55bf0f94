"""Navigation entries of agreements and reporting (from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation() -> None:
    from core import navigation
    from core.permissions import Perm

    items = [
        navigation.NavItem(_("Kooperationen"), "agreements:list", Perm.VIEW_AGREEMENTS),
        navigation.NavItem(_("Kennzahlen"), "reporting:dashboard", Perm.VIEW_REPORTS),
    ]
    navigation.insert_after(("conferences:actions", "referrals:outbox"), items)
