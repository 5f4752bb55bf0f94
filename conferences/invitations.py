"""E-mail invitations with the .ics attached, and the matching in-app notice.

The e-mail names the conference, time, place and organiser, never a case. A change or a
cancellation goes out again with the same UID and a higher SEQUENCE.
"""

from __future__ import annotations

from copy import copy

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.choices import Status
from core.notifications import EMAIL_SUBJECT_PREFIX, absolute_url, in_default_language, notify


def _when(conference) -> str:
    start = timezone.localtime(conference.starts_at)
    end = timezone.localtime(conference.ends_at)
    return f"{start:%d.%m.%Y, %H:%M}–{end:%H:%M}"


def _subject(conference) -> str:
    if conference.status == Status.CANCELLED:
        text = _("Abgesagt: %(title)s am %(when)s")
    elif conference.sequence:
        text = _("Geändert: %(title)s am %(when)s")
    else:
        text = _("Einladung: %(title)s am %(when)s")
    return text % {"title": conference.title, "when": _when(conference)}


def _body(conference) -> str:
    lines = [_("Guten Tag,"), "", _subject(conference), ""]
    lines.append(_("Einladende Organisation: %(name)s") % {"name": conference.organiser.name})
    if conference.location:
        lines.append(_("Ort: %(place)s") % {"place": conference.location})
    if conference.video_url:
        lines.append(_("Videolink: %(url)s") % {"url": conference.video_url})
    if conference.status == Status.CANCELLED and conference.cancel_reason:
        lines.append(_("Grund: %(reason)s") % {"reason": conference.cancel_reason})
    lines += [
        "",
        _("Tagesordnung nach Anmeldung: %(link)s")
        % {"link": absolute_url(conference.get_absolute_url())},
        "",
        _("Aus Datenschutzgründen enthält diese E-Mail keine Angaben zu Personen."),
    ]
    return "\n".join(lines)


def recipients(conference, removed_user_ids=()):
    from core.models import User

    ids = set(conference.invited_people.values_list("pk", flat=True))
    if conference.created_by_id:
        ids.add(conference.created_by_id)
    ids |= set(removed_user_ids)
    return list(User.objects.filter(pk__in=ids, is_active=True))


@in_default_language
def send(conference, removed_user_ids=()) -> None:
    """Notify and e-mail everyone invited (after commit); someone no longer invited gets a
    cancellation of the same appointment."""
    from conferences import ical

    people = recipients(conference, removed_user_ids)
    invited = [u for u in people if u.pk not in set(removed_user_ids)]
    notify(
        invited,
        text=_subject(conference),
        url=conference.get_absolute_url(),
        key=f"conference:{conference.pk}:{conference.sequence}",
        organisation=conference.organiser,
        email=False,
    )
    method = "CANCEL" if conference.status == Status.CANCELLED else "REQUEST"
    # One calendar file and one text for everyone invited (not rebuilt per person).
    subject, body = EMAIL_SUBJECT_PREFIX + _subject(conference), _body(conference)
    request = ical.invitation(conference, invited)
    messages = [(user.email, subject, body, request, method) for user in invited if user.email]
    removed = [u for u in people if u.pk in set(removed_user_ids) and u.email]
    if removed:
        gone = copy(conference)
        gone.status = Status.CANCELLED
        cancel = (EMAIL_SUBJECT_PREFIX + _subject(gone), _body(gone), ical.invitation(gone, []))
        messages += [(user.email, *cancel, "CANCEL") for user in removed]

    def deliver():
        for address, subject, body, payload, method in messages:
            message = EmailMessage(subject, body, to=[address])
            message.attach(
                "einladung.ics", payload, f"text/calendar; charset=utf-8; method={method}"
            )
            message.send(fail_silently=False)

    transaction.on_commit(deliver)
