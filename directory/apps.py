from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Angebotslandkarte")

    def ready(self):
        from core import home, navigation
        from core.permissions import Perm
        from directory import auditing, demo, signals, tasks  # noqa: F401
        from directory.selectors import stale_for_home

        for position, item in enumerate(
            [
                navigation.NavItem(_("Angebote"), "directory:search", Perm.VIEW_OFFERS),
                navigation.NavItem(_("Meine Angebote"), "directory:my_offers", Perm.EDIT_OFFERS),
            ],
            start=1,
        ):
            if item not in navigation.NAV_ITEMS:
                navigation.NAV_ITEMS.insert(position, item)
        home.register(home.HomeSection("directory/_home_stale.html", stale_for_home))
