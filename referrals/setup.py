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
    navigation.insert_after(("cases:consent_list",), items)
    home.register(home.HomeSection("referrals/_home.html", for_home))
