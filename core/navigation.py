"""The main navigation. An entry shows only when the actor's roles grant its permission."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: Perm | None  # None: every member of an organisation


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Startseite"), "home", None),
    NavItem(_("Organisationen"), "organisation_list", Perm.VIEW_ORGANISATIONS),
    NavItem(_("Gemeinden"), "municipality_list", Perm.VIEW_MUNICIPALITIES),
    NavItem(_("Zugriffsprotokoll"), "audit_list", Perm.VIEW_AUDIT),
    NavItem(_("API-Schlüssel"), "api_tokens", Perm.USE_API_TOKENS),
    NavItem(_("Verwaltung"), "admin:index", Perm.USE_ADMIN),
]


def items_for(actor) -> list[NavItem]:
    if not actor.is_member:
        return []
    return [item for item in NAV_ITEMS if item.permission is None or actor.can(item.permission)]


def insert_after(anchors: tuple[str, ...], items: list[NavItem]) -> None:
    """Register an app's entries after the first of ``anchors`` present (else after the start
    page), once however often the app loads."""
    names = [item.url_name for item in NAV_ITEMS]
    anchor = next((name for name in anchors if name in names), None)
    position = names.index(anchor) + 1 if anchor else 1
    for offset, item in enumerate(items):
        if item not in NAV_ITEMS:
            NAV_ITEMS.insert(position + offset, item)
