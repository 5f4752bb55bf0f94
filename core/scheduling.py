"""Periodic background tasks (reminders, escalations, renewals).

Apps register their periodic tasks here; ``manage.py run_periodic_tasks`` (from cron, e.g.
hourly) enqueues them for the worker (``manage.py db_worker``) or, with ``--now``, runs them
in the calling process. Every periodic task must be idempotent: running it twice sends
nothing twice.
"""

PERIODIC_TASKS: list = []


def periodic(task):
    """Register a django-tasks ``Task`` to run on every scheduler tick."""
    if task not in PERIODIC_TASKS:
        PERIODIC_TASKS.append(task)
    return task
