"""Navigation entries and home-page sections of the cases app (called from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation_and_home() -> None:
    from cases.selectors import cases_for_home
    from core import home, navigation
    from core.permissions import Perm

    item = navigation.NavItem(_("Fallakten"), "cases:case_list", Perm.VIEW_CASES)
    if item not in navigation.NAV_ITEMS:
        navigation.NAV_ITEMS.insert(1, item)
    home.register(home.HomeSection("cases/_home_cases.html", cases_for_home))
