"""Overdue referrals climb two steps: the recipient's team lead, then the network coordination.

Run by the periodic task (``referrals.tasks``). Idempotent: a referral's level only rises, under
a row lock, and each notice has its own key, so a second run the same day sends nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.choices import Role
from core.notifications import in_default_language
from referrals import notifications
from referrals.choices import AWAITING_RESPONSE, EventKind, Kind
from referrals.models import Referral, ReferralEvent, ReferralSettings

TEAM_LEAD = 1
COORDINATION = 2


def phase_of(referral) -> str:
    return "response" if referral.status in AWAITING_RESPONSE else "completion"


def target_level(referral, today, second_after: int) -> int:
    due = referral.due_date()
    if due is None or due >= today:
        return 0
    late = workdays.working_days_between(due, today, referral.network.federal_state)
    if late < 1:
        return 0  # due on a Friday: the weekend does not make it late
    return COORDINATION if late > second_after else TEAM_LEAD


def escalate_overdue(today=None) -> int:
    """Escalate every overdue open referral one or two levels; returns how many rose."""
    today = today or timezone.localdate()
    candidates = (
        Referral.objects.filter(kind=Kind.REFERRAL, escalation_level__lt=COORDINATION)
        .open()
        .overdue(today)
        .select_related("network")
        .only("pk", "network", "status", "response_due", "completion_due", "escalation_level")
    )
    rules = {}
    raised = 0
    for candidate in candidates.iterator(chunk_size=500):
        if candidate.network_id not in rules:
            rules[candidate.network_id] = ReferralSettings.for_network(candidate.network)
        level = target_level(candidate, today, rules[candidate.network_id].second_escalation_after)
        if level > candidate.escalation_level and _raise(candidate.pk, level, today):
            raised += 1
    return raised


@transaction.atomic
@in_default_language
def _raise(pk, level, today) -> bool:
    referral = (
        # Only the referral's row: the network and organisations stay free (see services._lock).
        Referral.objects.select_for_update(no_key=True, of=("self",))
        .select_related("network", "sender", "recipient")
        .get(pk=pk)
    )
    if referral.escalation_level >= level or not referral.is_overdue(today):
        return False  # another run or an answer came first
    phase = phase_of(referral)
    for step in range(referral.escalation_level + 1, level + 1):
        _notify(referral, step, phase)
    referral.escalation_level = level
    referral.escalated_at = timezone.now()
    referral.save(update_fields=["escalation_level", "escalated_at"])
    ReferralEvent.objects.create(
        network_id=referral.network_id,
        referral=referral,
        kind=EventKind.ESCALATION,
        note=_describe(level, phase),
    )
    return True


def _describe(level, phase) -> str:
    late = _("Antwortfrist") if phase == "response" else _("Erledigungsziel")
    if level == TEAM_LEAD:
        return _("%(what)s überschritten – Teamleitung informiert") % {"what": late}
    return _("%(what)s weiter überschritten – Netzwerkkoordination informiert") % {"what": late}


def _notify(referral, level, phase) -> None:
    if level == TEAM_LEAD:
        users = list(notifications.staff(referral.recipient, roles=(Role.TEAM_LEAD,)))
        # Without a team lead the people who handle referrals there hear it themselves.
        users = users or list(notifications.staff(referral.recipient))
        notifications.escalated(referral, level, phase, users, organisation=referral.recipient)
    else:
        users = notifications.network_staff(referral.network, (Role.NETWORK_COORDINATOR,))
        notifications.escalated(referral, level, phase, users)
