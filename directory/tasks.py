from django_tasks import task

from core.scheduling import periodic
from directory.services import send_freshness_reminders


@periodic
@task()
def remind_stale_offers() -> int:
    """Remind owning organisations of offers not verified for the freshness period."""
    return send_freshness_reminders()
