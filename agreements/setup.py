"""Navigation entries of agreements and reporting (from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation() -> None:
    from core import navigation
    from core.permissions import Perm

    items = [
        navigation.NavItem(_("Kooperationen"), "agreements:list", Perm.VIEW_AGREEMENTS),
        navigation.NavItem(_("Kennzahlen"), "reporting:dashboard", Perm.VIEW_REPORTS),
    ]
    names = [item.url_name for item in navigation.NAV_ITEMS]
    anchor = next((n for n in ("conferences:actions", "referrals:outbox") if n in names), None)
    position = names.index(anchor) + 1 if anchor else 1
    for offset, item in enumerate(items):
        if item not in navigation.NAV_ITEMS:
            navigation.NAV_ITEMS.insert(position + offset, item)
