"""Notices about agreements to the parties' team leads and the network coordination. Texts name
the agreement and dates only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.notifications import in_default_language, notify
from referrals.notifications import network_staff, staff

STEERING_ROLES = (Role.TEAM_LEAD, Role.NETWORK_COORDINATOR)


def recipients(agreement) -> list:
    users = {}
    for party in agreement.party_rows.select_related("organisation"):
        users |= {u.pk: u for u in staff(party.organisation, STEERING_ROLES)}
    users |= {u.pk: u for u in network_staff(agreement.network, (Role.NETWORK_COORDINATOR,))}
    return list(users.values())


def _notify(agreement, text: str, key: str):
    return notify(recipients(agreement), text=text, url=agreement.get_absolute_url(), key=key)


@in_default_language
def renewed(agreement, record):
    return _notify(
        agreement,
        _("„%(title)s“ hat sich verlängert und gilt jetzt bis %(until)s.")
        % {"title": agreement.title, "until": record.new_until.strftime("%d.%m.%Y")},
        key=f"agreement-renewed:{record.pk}",
    )


@in_default_language
def expired(agreement):
    return _notify(
        agreement,
        _("„%(title)s“ ist am %(until)s ausgelaufen.")
        % {"title": agreement.title, "until": agreement.valid_until.strftime("%d.%m.%Y")},
        key=f"agreement-expired:{agreement.pk}",
    )


@in_default_language
def terminated(agreement):
    return _notify(
        agreement,
        _("„%(title)s“ wurde von %(party)s zum %(end)s gekündigt.")
        % {
            "title": agreement.title,
            "party": agreement.terminated_by.name,
            "end": agreement.ends_on.strftime("%d.%m.%Y"),
        },
        key=f"agreement-terminated:{agreement.pk}",
    )
