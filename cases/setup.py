"""Navigation entries and home-page sections of the cases app (called from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation_and_home() -> None:
    from cases.retention import retention_for_home
    from cases.selectors import cases_for_home, secrecy_for_home
    from core import home, navigation
    from core.permissions import Perm

    for position, item in enumerate(
        [
            navigation.NavItem(_("Fallakten"), "cases:case_list", Perm.VIEW_CASES),
            navigation.NavItem(_("Einwilligungen"), "cases:consent_list", Perm.VIEW_CASES),
        ],
        start=1,
    ):
        if item not in navigation.NAV_ITEMS:
            navigation.NAV_ITEMS.insert(position, item)
    home.register(home.HomeSection("cases/_home_cases.html", cases_for_home))
    home.register(home.HomeSection("cases/_home_secrecy.html", secrecy_for_home))
    home.register(home.HomeSection("cases/_home_retention.html", retention_for_home))
    for item in (
        navigation.NavItem(_("Löschprüfung"), "cases:retention_review", Perm.MANAGE_RETENTION),
        navigation.NavItem(_("Auskunft"), "cases:subject_access", Perm.EXPORT_SUBJECT_DATA),
    ):
        if item not in navigation.NAV_ITEMS:
            navigation.NAV_ITEMS.append(item)
