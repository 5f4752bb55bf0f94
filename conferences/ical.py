"""iCalendar (.ics) for invitations and the personal calendar feed, built with ``icalendar``.

An event carries time, place, video link, organiser and the number of cases on the agenda, and a
link to the conference page; never a case, a name or a question. The UID stays the same for the
life of the appointment and SEQUENCE counts its changes, so calendar programs update or cancel
the entry they already hold.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, vCalAddress, vText

from conferences.choices import Status
from core.notifications import absolute_url, in_default_language

PRODID = "-//Kurze Wege//Fallberatungen//DE"
UID_DOMAIN = "kurzewege"


def uid_of(conference) -> str:
    return f"{conference.uid}@{UID_DOMAIN}"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _description(conference, item_count: int) -> str:
    link = absolute_url(reverse("conferences:detail", args=[conference.pk]))
    lines = [
        _("Einladung: %(organiser)s") % {"organiser": conference.organiser.name},
        ngettext(
            "%(count)s Fall auf der Tagesordnung.",
            "%(count)s Fälle auf der Tagesordnung.",
            item_count,
        )
        % {"count": item_count},
    ]
    if conference.video_url:
        lines.append(_("Videokonferenz: %(url)s") % {"url": conference.video_url})
    if conference.status == Status.CANCELLED:
        lines.insert(0, _("ABGESAGT"))
    lines.append(_("Tagesordnung und Unterlagen nach Anmeldung: %(link)s") % {"link": link})
    lines.append(_("Aus Datenschutzgründen enthält dieser Termin keine Angaben zu Personen."))
    return "\n".join(lines)


def event_for(conference, *, item_count: int | None = None, attendees=()) -> Event:
    if item_count is None:
        item_count = conference.items.count()
    event = Event()
    event.add("uid", uid_of(conference))
    event.add("sequence", conference.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conference.starts_at)
    event.add("dtend", conference.ends_at)
    event.add("summary", conference.title)
    event.add("location", conference.location or conference.video_url)
    event.add("description", _description(conference, item_count))
    event.add("url", absolute_url(reverse("conferences:detail", args=[conference.pk])))
    event.add("status", "CANCELLED" if conference.status == Status.CANCELLED else "CONFIRMED")
    event.add(
        "organizer",
        _address(
            conference.organiser.email or settings.DEFAULT_FROM_EMAIL, conference.organiser.name
        ),
    )
    for user in attendees:
        if user.email:
            event.add(
                "attendee",
                _address(
                    user.email,
                    user.get_full_name() or user.username,
                    role="REQ-PARTICIPANT",
                    partstat="NEEDS-ACTION",
                    rsvp="FALSE",
                ),
            )
    return event


@in_default_language
def invitation(conference, attendees=()) -> bytes:
    """One appointment as METHOD:REQUEST, or METHOD:CANCEL once it is cancelled."""
    method = "CANCEL" if conference.status == Status.CANCELLED else "REQUEST"
    calendar = _calendar(method)
    calendar.add_component(event_for(conference, attendees=attendees))
    return calendar.to_ical()


@in_default_language
def feed(conferences, *, name: str) -> bytes:
    """A subscribable calendar (no METHOD): cancelled meetings stay, marked CANCELLED."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for conference in conferences:
        calendar.add_component(event_for(conference, item_count=conference.item_count))
    return calendar.to_ical()
