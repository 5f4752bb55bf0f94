"""Background work of the cases app (retention review)."""

from django_tasks import task

from cases.retention import list_due_for_review
from core.scheduling import periodic


@periodic
@task()
def list_records_due_for_deletion() -> int:
    """Daily: put closed case files whose retention period has passed before the DPO.

    Runs on every scheduler tick; it is idempotent (one review per record, ever), so running
    it hourly instead of daily only costs a few queries.
    """
    return list_due_for_review()
