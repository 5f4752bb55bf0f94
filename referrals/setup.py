"""Navigation entries and home-page section of the referrals app (called from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation_and_home() -> None:
    from core import home, navigation
    from core.permissions import Perm
    from referrals.selectors import for_home

    items = [
        navigation.NavItem(_("Eingang"), "referrals:inbox", Perm.VIEW_REFERRALS),
        navigation.NavItem(_("Ausgang"), "referrals:outbox", Perm.VIEW_REFERRALS),
        navigation.NavItem(_("Eskalationen"), "referrals:escalations", Perm.VIEW_ESCALATIONS),
    ]
    # After the case files: referrals start there.
    names = [item.url_name for item in navigation.NAV_ITEMS]
    position = names.index("cases:consent_list") + 1 if "cases:consent_list" in names else 1
    for offset, item in enumerate(items):
        if item not in navigation.NAV_ITEMS:
            navigation.NAV_ITEMS.insert(position + offset, item)
    home.register(home.HomeSection("referrals/_home.html", for_home))
