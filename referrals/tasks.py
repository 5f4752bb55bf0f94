"""Background work of the referrals app."""

from django_tasks import task

from core.scheduling import periodic
from referrals.escalation import escalate_overdue


@periodic
@task()
def escalate_overdue_referrals() -> int:
    """Hourly from cron or the worker: escalate referrals past their deadline (idempotent)."""
    return escalate_overdue()
