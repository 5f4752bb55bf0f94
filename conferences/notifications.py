"""Notices about agreed actions. Texts name the conference, organisations and dates only (they
also go out by e-mail), never the case or what was agreed about it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import in_default_language, notify
from referrals.notifications import staff


def _owners(action):
    if action.owner_user_id and action.owner_user.is_active:
        return [action.owner_user]
    return list(staff(action.owner))


def _context(action) -> dict:
    return {
        "conference": action.conference.title,
        "day": timezone.localtime(action.conference.starts_at).strftime("%d.%m.%Y"),
        "owner": action.owner.name,
        "due": action.due_date.strftime("%d.%m.%Y"),
    }


@in_default_language
def action_assigned(action):
    return notify(
        _owners(action),
        text=_(
            "Neue Vereinbarung aus „%(conference)s“ vom %(day)s für %(owner)s, fällig bis %(due)s"
        )
        % _context(action),
        url=action.get_absolute_url(),
        key=f"conference-action:{action.pk}",
        organisation=action.owner,
    )


@in_default_language
def action_overdue(action):
    return notify(
        _owners(action),
        text=_("Überfällig: Vereinbarung aus „%(conference)s“ vom %(day)s, fällig war %(due)s")
        % _context(action),
        url=action.get_absolute_url(),
        key=f"conference-action-overdue:{action.pk}",
        organisation=action.owner,
    )
