"""In-app notifications and the e-mail that points to them.

E-mails carry no personal data of clients: the subject and body hold the notice text (which the
callers keep to organisation names and reference numbers) and a link; whoever follows the link
logs in and sees what their role allows. Each notice has a key; notifying the same user twice
with one key does nothing the second time, so background tasks can run again safely.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Notification

EMAIL_SUBJECT_PREFIX = "Kurze Wege: "


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notify(users, *, text: str, url: str, key: str, organisation=None, email: bool = True):
    """Create one notification per user (once per ``key``) and e-mail the new ones."""
    created = []
    for user in {u.pk: u for u in users}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, organisation=organisation, text=text[:300], url=url, key=key
                    )
                )
        except IntegrityError:
            continue  # already notified with this key
    if email and created:
        transaction.on_commit(lambda: _send_emails([n.pk for n in created]))
    return created


def _send_emails(notification_ids) -> None:
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user")
    messages, sent = [], []
    for notification in notifications:
        if not notification.user.email:
            continue
        body = _(
            "Guten Tag,\n\n%(text)s\n\nBitte melden Sie sich an, um die Einzelheiten zu sehen:\n"
            "%(link)s\n\nAus Datenschutzgründen enthält diese E-Mail keine Angaben zu Personen.\n"
        ) % {"text": notification.text, "link": absolute_url(notification.url or "/")}
        messages.append(
            (EMAIL_SUBJECT_PREFIX + notification.text, body, None, [notification.user.email])
        )
        sent.append(notification.pk)
    if messages:
        send_mass_mail(messages, fail_silently=False)
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=timezone.now())


def in_default_language(func):
    """Run ``func`` in the site's language: what it stores (notices, event notes, snapshots,
    legal bases) is a record for every reader, not text for the current user's screen."""
    import functools

    from django.utils import translation

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapped
