"""Background work of the conferences app."""

from django_tasks import task

from conferences.services import remind_overdue
from core.scheduling import periodic


@periodic
@task()
def remind_overdue_conference_actions() -> int:
    """From cron or the worker: remind owners of overdue agreed actions (once per action)."""
    return remind_overdue()
