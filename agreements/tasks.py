from django_tasks import task

from agreements.services import renew_and_expire
from core.scheduling import periodic


@periodic
@task()
def renew_agreements() -> dict:
    """From cron or the worker: renew agreements on their due date, expire ended ones."""
    return renew_and_expire()
