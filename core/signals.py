import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core import audit
from core.choices import AuditAction
from core.middleware import AUTH_STARTED_KEY
from core.permissions import actor_for


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    request.session[AUTH_STARTED_KEY] = time.time()
    audit.record(actor=actor_for(user), action=AuditAction.LOGIN, obj=user, user=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=actor_for(user), action=AuditAction.LOGOUT, obj=user, user=user)
