"""The referral pages as case workers use them: the form with its legal-basis checks, inbox and
outbox order and filters, the detail page with actions and thread, notices, the case file."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Need
from core.choices import AuditAction
from core.models import AuditEntry, Notification
from referrals.choices import Kind, Status, Track
from referrals.factories import ReferralFactory, consent_for, send_referral_about
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(client, case_worker):
    client.force_login(case_worker)
    return client


def form_data(recipient, **overrides):
    data = {
        "kind": Kind.REFERRAL,
        "recipient": recipient.pk,
        "reason": "Räumungsklage angekündigt, bitte Mietschulden prüfen",
        "track": Track.HOUSING_LOSS,
        "message": "",
        "categories": ["master_data", "needs.housing"],
        "submit": "send",
    }
    data.update(overrides)
    return data


# --- the form --------------------------------------------------------------------------------


def test_the_form_offers_only_covered_categories_and_says_why_not(
    worker, anna, social_office, housing_need
):
    consent_for(anna, social_office, categories=["master_data", "needs.housing"])
    url = reverse("referrals:create", args=[anna.pk])
    page = worker.get(f"{url}?recipient={social_office.pk}&need={housing_need.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rechtsgrundlage: Einwilligung vom" in html
    # Health data: no consent, so the box is disabled and the reason names the recipient.
    assert "Keine Einwilligung für Gesundheitsdaten" in html
    assert "gegenüber Sozialamt Musterkreis" in html
    health_box = html[html.index('value="health"') :].split(">", 1)[0]
    assert "disabled" in health_box


def test_the_categories_fragment_follows_the_chosen_recipient(worker, anna, social_office, partner):
    consent_for(anna, social_office, categories=["master_data"])
    url = reverse("referrals:categories", args=[anna.pk])
    to_office = worker.get(f"{url}?recipient={social_office.pk}").content.decode()
    to_partner = worker.get(f"{url}?recipient={partner.pk}").content.decode()
    assert "Rechtsgrundlage: Einwilligung" in to_office
    assert "Rechtsgrundlage" not in to_partner
    assert "Stadtteilzentrum Nord" in to_partner  # the reason why not


def test_sending_from_the_form_freezes_the_snapshot_and_redirects(
    worker, anna, social_office, housing_need
):
    consent_for(anna, social_office, categories=["master_data", "needs.housing"])
    response = worker.post(
        reverse("referrals:create", args=[anna.pk]),
        form_data(social_office, needs=[housing_need.pk]),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == referral.get_absolute_url()
    assert referral.status == Status.SENT
    assert referral.snapshot["person"]["last_name"] == "Beispiel"
    assert [n["situation"] for n in referral.snapshot["needs"]] == ["Drohender Wohnungsverlust"]
    # Two working days for a threatened loss of housing.
    assert referral.response_due > timezone.localdate()


def test_a_category_without_basis_is_refused_and_nothing_is_saved(worker, anna, social_office):
    consent_for(anna, social_office, categories=["master_data"])
    response = worker.post(
        reverse("referrals:create", args=[anna.pk]),
        form_data(social_office, categories=["master_data", "health"]),
    )
    assert response.status_code == 200
    assert "Keine Einwilligung für Gesundheitsdaten" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_empty_reason_is_a_field_error(worker, anna, social_office):
    consent_for(anna, social_office)
    response = worker.post(
        reverse("referrals:create", args=[anna.pk]),
        form_data(social_office, reason="   ", categories=["master_data"]),
    )
    assert "Bitte beschreiben Sie den Anlass." in response.content.decode()
    assert not Referral.objects.exists()


def test_an_open_referral_to_the_same_place_warns_before_a_second_one(
    worker, case_worker, anna, social_office
):
    first = send_referral_about(anna, social_office, user=case_worker)
    url = reverse("referrals:create", args=[anna.pk])
    warned = worker.post(url, form_data(social_office, categories=["master_data"]))
    html = warned.content.decode()
    assert "Es gibt schon eine offene Überleitung" in html
    assert first.number in html
    assert Referral.objects.count() == 1
    confirmed = worker.post(
        url, form_data(social_office, categories=["master_data"], allow_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Referral.objects.count() == 2


def test_an_advisory_pointer_carries_no_data_and_is_not_in_the_inbox(
    worker, client, anna, social_office, social_worker
):
    response = worker.post(
        reverse("referrals:create", args=[anna.pk]),
        form_data(social_office, kind=Kind.POINTER, categories=["master_data"]),
    )
    pointer = Referral.objects.get()
    assert response.status_code == 302
    assert pointer.kind == Kind.POINTER
    assert pointer.snapshot == {}
    assert pointer.categories == []
    client.force_login(social_worker)
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert f">{pointer.number}<" not in inbox
    assert "Keine offenen Überleitungen" in inbox


# --- inbox, outbox, detail -----------------------------------------------------------------------


def test_the_inbox_puts_urgent_unanswered_referrals_first(
    client, jobcenter, social_office, social_worker
):
    old = ReferralFactory(sender=jobcenter, recipient=social_office, track=Track.STANDARD)
    urgent = ReferralFactory(sender=jobcenter, recipient=social_office, track=Track.HOUSING_LOSS)
    accepted = ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        track=Track.BENEFIT_PAYMENT,
        status=Status.ACCEPTED,
    )
    client.force_login(social_worker)
    html = client.get(reverse("referrals:inbox")).content.decode()
    positions = [html.index(f">{r.number}<") for r in (urgent, old, accepted)]
    assert positions == sorted(positions)


def test_inbox_filters_by_track_and_overdue(client, jobcenter, social_office, social_worker):
    late = ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        response_due=timezone.localdate() - timedelta(days=2),
    )
    on_time = ReferralFactory(sender=jobcenter, recipient=social_office, track=Track.SCHOOL_TO_WORK)
    client.force_login(social_worker)
    overdue = client.get(reverse("referrals:inbox"), {"overdue": "on"}).content.decode()
    assert f">{late.number}<" in overdue
    assert f">{on_time.number}<" not in overdue
    by_track = client.get(reverse("referrals:inbox"), {"track": "school_to_work"}).content.decode()
    assert f">{on_time.number}<" in by_track
    assert f">{late.number}<" not in by_track
    empty = client.get(reverse("referrals:inbox"), {"status": "closed"}).content.decode()
    assert "Keine Überleitung passt zu diesen Filtern." in empty


def test_the_inbox_costs_the_same_queries_for_few_and_many(
    client, jobcenter, social_office, social_worker
):
    client.force_login(social_worker)
    ReferralFactory.create_batch(2, sender=jobcenter, recipient=social_office)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referrals:inbox"))
    ReferralFactory.create_batch(18, sender=jobcenter, recipient=social_office)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referrals:inbox"))
    assert len(many) == len(few)


def test_opening_a_referral_marks_it_received_and_audits_the_view(
    client, case_worker, social_worker, anna, social_office
):
    referral = send_referral_about(anna, social_office, user=case_worker)
    client.force_login(social_worker)
    page = client.get(referral.get_absolute_url()).content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert referral.received_at is not None
    assert "02.05.1988" in page  # the birth date from the snapshot, in German format
    assert "Nachweis der Übermittlung" in page
    assert "Einwilligung vom" in page
    views = AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_ref=f"referrals.referral:{referral.pk}"
    )
    assert views.filter(organisation=social_office).count() == 1


def test_the_recipient_accepts_writes_and_completes_and_the_sender_sees_the_outcome(
    client, case_worker, social_worker, anna, social_office, housing_need
):
    referral = send_referral_about(
        anna,
        social_office,
        user=case_worker,
        needs=[housing_need],
        categories=["master_data", "needs.housing"],
    )
    client.force_login(social_worker)
    client.get(referral.get_absolute_url())
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]))
    client.post(reverse("referrals:message", args=[referral.pk]), {"body": "Termin am Montag"})
    client.post(
        reverse("referrals:act", args=[referral.pk, "complete"]),
        {"outcome": "help_given", "note": "Mietschulden übernommen"},
    )
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    client.force_login(case_worker)
    case_file = client.get(anna.household.get_absolute_url()).content.decode()
    assert "Mietschulden übernommen" in case_file
    detail = client.get(referral.get_absolute_url()).content.decode()
    assert "Termin am Montag" in detail
    # The sender closes the need from the outcome.
    client.post(reverse("referrals:resolve_needs", args=[referral.pk]))
    assert Need.objects.get(pk=housing_need.pk).status == "resolved"


def test_a_refused_step_is_explained_and_changes_nothing(
    client, case_worker, social_worker, anna, social_office
):
    referral = send_referral_about(anna, social_office, user=case_worker)
    client.force_login(social_worker)
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]))
    response = client.post(reverse("referrals:act", args=[referral.pk, "accept"]), follow=True)
    assert (
        "ist nicht möglich: Die Überleitung hat den Status „angenommen“"
        in response.content.decode()
    )
    assert referral.events.filter(to_status=Status.ACCEPTED).count() == 1


def test_declining_needs_a_reason(client, case_worker, social_worker, anna, social_office):
    referral = send_referral_about(anna, social_office, user=case_worker)
    client.force_login(social_worker)
    response = client.post(
        reverse("referrals:act", args=[referral.pk, "decline"]), {"decline_reason": ""}, follow=True
    )
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED  # opened after the redirect, not declined
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert "Grund: Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_an_unknown_action_is_not_found(client, case_worker, anna, social_office):
    referral = send_referral_about(anna, social_office, user=case_worker)
    client.force_login(case_worker)
    assert client.post(reverse("referrals:act", args=[referral.pk, "delete"])).status_code == 404


# --- notices and the home page ---------------------------------------------------------------


def test_a_new_referral_reaches_the_recipient_as_a_notice_that_opens_the_referral(
    client, case_worker, social_worker, anna, social_office
):
    referral = send_referral_about(anna, social_office, user=case_worker)
    notice = Notification.objects.get(user=social_worker)
    client.force_login(social_worker)
    header = client.get(reverse("home")).content.decode()
    assert "1 neue Benachrichtigung" in header
    listing = client.get(reverse("notifications")).content.decode()
    assert referral.number in listing
    assert "Anna" not in listing
    opened = client.get(reverse("notification_open", args=[notice.pk]))
    assert opened["Location"] == referral.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_opens_another_users_notice(client, case_worker, social_worker, anna, social_office):
    send_referral_about(anna, social_office, user=case_worker)
    notice = Notification.objects.get(user=social_worker)
    client.force_login(case_worker)
    assert client.get(reverse("notification_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_home_page_counts_the_inbox(client, jobcenter, social_office, social_worker):
    ReferralFactory(sender=jobcenter, recipient=social_office, track=Track.HOUSING_LOSS)
    ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        response_due=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(social_worker)
    html = client.get(reverse("home")).content.decode()
    assert "Eingang: 2 warten auf Antwort (davon 2 neu), 1 überfällig." in html
