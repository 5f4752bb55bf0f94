"""Navigation entries and home-page section of the conferences app (from AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register_navigation_and_home() -> None:
    from conferences.selectors import for_home
    from core import home, navigation
    from core.permissions import Perm

    items = [
        navigation.NavItem(_("Fallberatungen"), "conferences:list", Perm.VIEW_CONFERENCES),
        navigation.NavItem(_("Vereinbarungen"), "conferences:actions", Perm.VIEW_CONFERENCES),
    ]
    # After the referrals: a conference often ends in one.
    navigation.insert_after(("referrals:escalations", "referrals:outbox"), items)
    home.register(home.HomeSection("conferences/_home.html", for_home))
