"""Planning conferences and series, changing and cancelling them, and the invitations that go
out: .ics files that calendar programs (and the icalendar library) read back, with one UID for
the life of the appointment and no personal data of clients."""

import itertools
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from cases.factories import NeedFactory
from conferences import ical, services
from conferences.choices import Frequency, Status
from conferences.models import CalendarToken, Conference, Series
from conferences.tests.conftest import begin, next_week_at, plan
from core.choices import Role
from core.factories import member
from core.models import Notification
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def parse(payload: bytes):
    calendar = Calendar.from_ical(payload)
    return calendar, list(calendar.walk("VEVENT"))


def test_a_monthly_series_keeps_weekday_and_position(case_worker, youth_office):
    # 2nd Tuesday of a month, 14:00 local time, across the change to winter/summer time.
    start = timezone.make_aware(datetime(2027, 1, 12, 14, 0))
    starts = services.occurrences(start, Frequency.MONTHLY, 12)
    local = [timezone.localtime(s) for s in starts]
    assert all(moment.weekday() == 1 for moment in local)
    assert all(8 <= moment.day <= 14 for moment in local)
    assert {moment.hour for moment in local} == {14}
    assert [m.month for m in local] == list(range(1, 13))


def test_a_fifth_weekday_becomes_the_last_one():
    start = timezone.make_aware(datetime(2027, 3, 30, 9, 0))  # 5th Tuesday of March
    months = [timezone.localtime(s) for s in services.occurrences(start, Frequency.MONTHLY, 3)]
    assert [m.date().isoformat() for m in months] == ["2027-03-30", "2027-04-27", "2027-05-25"]


def test_planning_a_series_creates_every_meeting(case_worker, youth_office, youth_worker):
    conferences = plan(
        case_worker, youth_office, people=[youth_worker], frequency=Frequency.BIWEEKLY, count=4
    )
    assert len(conferences) == 4
    assert Series.objects.get().conferences.count() == 4
    gaps = {(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(conferences)}
    assert gaps == {14}
    assert len({c.uid for c in conferences}) == 4
    assert all(list(c.invited_people.all()) == [youth_worker] for c in conferences)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=2)}, "starts_at", "Vergangenheit"),
        ({"title": " "}, "title", "Titel"),
        ({"title": "Runde 02.05.1988"}, "title", "Kalendern"),
        ({"location": "", "video_url": ""}, "location", "Ort oder einen Videolink"),
        ({"organisations": []}, "organisations", "andere Organisation"),
    ],
)
def test_bad_plans_are_refused_and_change_nothing(
    case_worker, youth_office, change, field, message
):
    start = change.pop("starts_at", next_week_at())
    arguments = {
        "title": "Fallberatung",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "location": "Kreishaus",
        "organisations": [youth_office],
        **change,
    }
    with pytest.raises(ValidationError) as refused:
        services.plan_conference(actor_for(case_worker), **arguments)
    assert message in " ".join(refused.value.message_dict[field])
    assert Conference.objects.count() == 0


def test_an_end_before_the_start_is_refused(case_worker, youth_office):
    start = next_week_at()
    with pytest.raises(ValidationError) as refused:
        services.plan_conference(
            actor_for(case_worker),
            title="Fallberatung",
            starts_at=start,
            ends_at=start - timedelta(minutes=1),
            location="Kreishaus",
            organisations=[youth_office],
        )
    assert "ends_at" in refused.value.message_dict


def test_participants_outside_the_network_are_refused(
    case_worker, youth_office, outsider_org, outsider, partner, dpo
):
    with pytest.raises(ValidationError) as refused:
        plan(case_worker, outsider_org)
    assert "gehört nicht zum Netzwerk" in refused.value.message_dict["organisations"][0]
    # A person of an organisation that is not invited (or of another network) is refused too.
    with pytest.raises(ValidationError) as refused:
        plan(case_worker, youth_office, people=[outsider])
    assert "people" in refused.value.message_dict
    assert Conference.objects.count() == 0
    # Staff of the organiser are fine.
    assert plan(case_worker, youth_office, people=[dpo])


def test_only_planning_roles_plan(dpo, youth_office):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plan(dpo, youth_office)


def test_a_series_has_between_two_and_24_meetings(case_worker, youth_office):
    with pytest.raises(ValidationError):
        plan(case_worker, youth_office, frequency=Frequency.MONTHLY, count=25)
    assert Series.objects.count() == 0


# --- invitations -----------------------------------------------------------------------------


def test_invitations_are_mailed_with_a_valid_ics_and_no_personal_data(
    case_worker, youth_office, youth_worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conference = plan(case_worker, youth_office, people=[youth_worker])[0]
    mail = next(m for m in mailoutbox if m.to == [youth_worker.email])
    assert "Einladung: Fallberatung Jobcenter – Jugendamt" in mail.subject
    assert "keine Angaben zu Personen" in mail.body
    (name, payload, mimetype) = mail.attachments[0]
    assert name == "einladung.ics"
    assert "method=REQUEST" in mimetype
    calendar, (event,) = parse(payload.encode() if isinstance(payload, str) else payload)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == ical.uid_of(conference)
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == conference.starts_at
    assert event.decoded("DTEND") == conference.ends_at
    assert str(event["LOCATION"]) == "Kreishaus, Raum 2.14"
    # The invited person and the one who planned it (who gets the appointment too).
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert attendees == {f"mailto:{youth_worker.email}", f"mailto:{case_worker.email}"}
    assert Notification.objects.filter(user=youth_worker, key__startswith="conference:").exists()


def test_an_update_keeps_the_uid_and_raises_the_sequence(
    conference,
    case_worker,
    youth_office,
    youth_worker,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    later = conference.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.update_conference(
            actor_for(case_worker),
            conference,
            version=conference.version,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
        )
    assert updated.sequence == 1
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Kurze Wege: Geändert:")
    _calendar, (event,) = parse(mail.attachments[0][1].encode())
    assert str(event["UID"]) == ical.uid_of(conference)
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == later


def test_a_stale_edit_is_refused(conference, case_worker):
    from core.concurrency import StaleEditError

    services.update_conference(
        actor_for(case_worker), conference, version=conference.version, location="Raum 3"
    )
    with pytest.raises(StaleEditError):
        services.update_conference(
            actor_for(case_worker), conference, version=conference.version, location="Raum 4"
        )
    conference.refresh_from_db()
    assert conference.location == "Raum 3"


def test_someone_no_longer_invited_gets_a_cancellation(
    conference, case_worker, youth_worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_conference(
            actor_for(case_worker), conference, version=conference.version, people=[]
        )
    mail = next(m for m in mailoutbox if m.to == [youth_worker.email])
    calendar, (event,) = parse(mail.attachments[0][1].encode())
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancelling_sends_a_cancel_with_the_same_uid(
    conference, case_worker, youth_worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_conference(actor_for(case_worker), conference, reason="Krankheit")
    conference.refresh_from_db()
    assert conference.status == Status.CANCELLED
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Kurze Wege: Abgesagt:")
    calendar, (event,) = parse(mail.attachments[0][1].encode())
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == ical.uid_of(conference)
    assert event["SEQUENCE"] == 1
    with pytest.raises(services.ConferenceRefused):
        services.hold_conference(actor_for(case_worker), conference)


def test_only_the_organiser_changes_the_conference(conference, youth_worker, youth_lead):
    for user in (youth_worker, youth_lead):
        with pytest.raises(services.ConferenceRefused):
            services.cancel_conference(actor_for(user), conference)
    conference.refresh_from_db()
    assert conference.status == Status.PLANNED


def test_a_conference_is_held_from_its_day_on(conference, case_worker):
    with pytest.raises(services.ConferenceRefused) as refused:
        services.hold_conference(actor_for(case_worker), conference)
    assert "erst am" in refused.value.message
    begin(conference)
    assert services.hold_conference(actor_for(case_worker), conference).status == Status.HELD


def test_the_ics_never_names_a_case(client, conference, case_worker, youth_worker, anna):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    services.add_item(
        actor_for(case_worker), conference, person=anna, needs=[need], question="Wohnung sichern?"
    )
    client.force_login(youth_worker)
    response = client.get(f"/fallberatungen/{conference.pk}/einladung.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    for value in ("Beispiel", "Anna", "1988", anna.household.number, anna.household.street):
        assert value not in text
    assert "Wohnung sichern" not in text
    _calendar, (event,) = parse(response.content)
    assert "1 Fall auf der Tagesordnung" in str(event["DESCRIPTION"])


def test_the_personal_feed_lists_the_own_appointments(
    client, conference, case_worker, youth_worker, youth_office, jobcenter
):
    other = plan(case_worker, youth_office)[0]  # youth_worker not invited personally
    client.force_login(youth_worker)
    client.post("/fallberatungen/kalender/")
    token = CalendarToken.objects.get(user=youth_worker).token
    client.logout()
    response = client.get(f"/fallberatungen/kalender/{token}.ics")
    assert response.status_code == 200
    calendar, events = parse(response.content)
    assert [str(e["UID"]) for e in events] == [ical.uid_of(conference)]
    assert str(calendar["X-WR-CALNAME"]) == "Kurze Wege: Fallberatungen"
    assert ical.uid_of(other) not in response.content.decode()
    # A new address invalidates the old one; a wrong token is not found.
    client.force_login(youth_worker)
    client.post("/fallberatungen/kalender/")
    client.logout()
    assert client.get(f"/fallberatungen/kalender/{token}.ics").status_code == 404


def test_the_feed_stops_when_the_membership_ends(client, conference, youth_worker):
    CalendarToken.objects.create(user=youth_worker, token="geheim")
    youth_worker.memberships.update(is_active=False)
    response = client.get("/fallberatungen/kalender/geheim.ics")
    _calendar, events = parse(response.content)
    assert events == []


def test_a_new_member_of_staff_is_invited_only_when_named(case_worker, youth_office):
    colleague = member(Role.CASE_WORKER, youth_office, username="neu", email="neu@example.org")
    conference = plan(case_worker, youth_office)[0]
    assert colleague not in conference.invited_people.all()
    assert time(14, 0) == timezone.localtime(conference.starts_at).time()
