"""Revoking the consent behind a referral takes effect on the referral at once: marked, recorded,
the recipient told; closed or continued as the network's rules say; nothing new may follow.
What was shared stays with the recipient, marked (DESIGN.md: "Data protection is the design").
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cases import categories
from cases.services import revoke_consent
from core.choices import AuditAction, LegalRegime, OrganisationType
from core.factories import OrganisationFactory
from core.models import AuditEntry, Notification
from core.permissions import actor_for
from referrals import services
from referrals.choices import EventKind, OnRevocation, Outcome, Status
from referrals.factories import consent_for
from referrals.models import Referral, ReferralEvent, ReferralMessage, ReferralSettings

pytestmark = pytest.mark.django_db

MASTER = categories.MASTER_DATA
HOUSING = categories.need_category("housing")


@pytest.fixture
def agency(network):
    return OrganisationFactory(
        network=network,
        name="Agentur für Arbeit A",
        type=OrganisationType.EMPLOYMENT_AGENCY,
        legal_regime=LegalRegime.SGB_III,
    )


@pytest.fixture
def sender(case_worker):
    return actor_for(case_worker)


@pytest.fixture
def recipient(social_worker):
    return actor_for(social_worker)


@pytest.fixture
def consent(anna, social_office, agency):
    return consent_for(anna, social_office, agency, categories=[MASTER, HOUSING])


@pytest.fixture
def referral(consent, anna, social_office, sender, housing_need):
    return services.create_referral(
        actor=sender,
        person=anna,
        recipient=social_office,
        reason="Räumungsklage angekündigt",
        categories=[MASTER, HOUSING],
        needs=[housing_need],
    )


@pytest.fixture
def revoke(django_capture_on_commit_callbacks, sender):
    """Revoke as the Jobcenter does; the signal (and the e-mails) follow the commit."""

    def run(consent):
        with django_capture_on_commit_callbacks(execute=True):
            revoke_consent(actor=sender, consent=consent)
        consent.refresh_from_db()
        return consent

    return run


def revocation_events(referral):
    return ReferralEvent.objects.filter(referral=referral, kind=EventKind.REVOCATION)


def test_revoking_marks_the_referral_records_it_and_tells_the_recipient(
    referral, consent, revoke, social_worker, sender
):
    mail.outbox.clear()
    revoke(consent)

    referral.refresh_from_db()
    assert referral.consent_revoked_at == consent.revoked_at
    assert referral.is_consent_revoked
    event = revocation_events(referral).get()
    assert event.note == "Keine neuen Daten mehr."
    assert (event.user, event.organisation) == (sender.user, sender.organisation)
    notice = Notification.objects.get(user=social_worker, key=f"referral:{referral.pk}:revoked")
    assert notice.text == (
        f"Die Einwilligung zu Überleitung Ü-{referral.pk} wurde widerrufen – keine neuen Daten mehr"
    )
    assert notice.organisation == referral.recipient
    assert [message.to for message in mail.outbox] == [[social_worker.email]]
    assert AuditEntry.objects.filter(
        object_ref=f"referrals.referral:{referral.pk}",
        action=AuditAction.UPDATE,
        purpose="Widerruf der Einwilligung",
    ).exists()


def test_by_default_the_referral_continues_without_new_data(referral, consent, revoke, recipient):
    revoke(consent)
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    assert revocation_events(referral).get().to_status == ""

    # The recipient can still answer and finish the help it started.
    services.accept(actor=recipient, referral=referral)
    services.complete(actor=recipient, referral=referral, outcome=Outcome.HELP_GIVEN)
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED


def test_when_the_network_says_close_open_referrals_are_withdrawn(
    referral, consent, revoke, network, sender
):
    ReferralSettings.objects.create(network=network, on_revocation=OnRevocation.CLOSE)
    revoke(consent)

    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN
    assert referral.closed_at is not None
    event = revocation_events(referral).get()
    assert (event.from_status, event.to_status) == (Status.SENT, Status.WITHDRAWN)
    assert event.note == "Die Überleitung wurde beendet."


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS])
def test_closing_reaches_every_open_status(referral, consent, revoke, network, status):
    ReferralSettings.objects.create(network=network, on_revocation=OnRevocation.CLOSE)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    revoke(consent)
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_closing_leaves_a_finished_referral_as_it_was_but_marked(
    referral, consent, revoke, network, recipient
):
    ReferralSettings.objects.create(network=network, on_revocation=OnRevocation.CLOSE)
    services.decline(actor=recipient, referral=referral, reason="not_responsible")
    revoke(consent)
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED
    assert referral.is_consent_revoked


def test_the_shared_snapshot_stays_with_the_recipient(referral, consent, revoke):
    shared = referral.snapshot
    revoke(consent)
    referral.refresh_from_db()
    assert referral.snapshot == shared
    assert referral.snapshot["person"]["first_name"] == "Anna"
    assert {entry["consent"] for entry in referral.bases.values()} == {consent.pk}


def test_after_revocation_forwarding_is_refused(referral, consent, revoke, recipient, agency):
    revoke(consent)
    referral.refresh_from_db()
    count = Referral.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.forward(actor=recipient, referral=referral, recipient=agency, categories=[MASTER])
    assert excinfo.value.message_dict["recipient"] == [
        "Die Einwilligung wurde widerrufen; die Daten dürfen nicht weiter."
    ]
    assert Referral.objects.count() == count
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_after_revocation_messages_need_the_confirmation_of_no_new_personal_data(
    referral, consent, revoke, recipient, sender
):
    revoke(consent)
    referral.refresh_from_db()
    for actor in (recipient, sender):
        with pytest.raises(ValidationError) as excinfo:
            services.post_message(actor=actor, referral=referral, body="Neue Adresse: …")
        assert (
            "Einwilligung wurde widerrufen" in excinfo.value.message_dict["no_new_personal_data"][0]
        )
    assert not ReferralMessage.objects.exists()

    services.post_message(
        actor=recipient,
        referral=referral,
        body="Termin bleibt bestehen.",
        no_new_personal_data=True,
    )
    assert ReferralMessage.objects.count() == 1


def test_before_revocation_messages_need_no_confirmation(referral, recipient):
    services.post_message(actor=recipient, referral=referral, body="Termin am Dienstag")
    assert ReferralMessage.objects.count() == 1


def test_a_referral_based_on_another_consent_is_untouched(
    referral, consent, revoke, ben, social_office, sender
):
    consent_for(ben, social_office)
    bens = services.create_referral(
        actor=sender, person=ben, recipient=social_office, reason="Ausbildung", categories=[MASTER]
    )
    revoke(consent)
    bens.refresh_from_db()
    assert bens.consent_revoked_at is None
    assert not revocation_events(bens).exists()
    assert not Notification.objects.filter(key=f"referral:{bens.pk}:revoked").exists()


def test_a_second_consent_of_the_same_person_keeps_its_referral_unmarked(
    referral, consent, revoke, anna, agency, sender
):
    """Anna consented separately to the agency; revoking the Sozialamt consent leaves it."""
    separate = consent_for(anna, agency)
    to_agency = services.create_referral(
        actor=sender, person=anna, recipient=agency, reason="Vermittlung", categories=[MASTER]
    )
    # The newest covering consent is the legal basis.
    assert list(to_agency.consents.all()) == [separate]
    revoke(consent)
    to_agency.refresh_from_db()
    assert to_agency.consent_revoked_at is None


def test_a_new_referral_on_the_revoked_consent_is_refused(
    referral, consent, revoke, anna, social_office, sender
):
    revoke(consent)
    count = Referral.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.create_referral(
            actor=sender,
            person=anna,
            recipient=social_office,
            reason="Neuer Anlass",
            categories=[MASTER],
            allow_duplicate=True,
        )
    assert excinfo.value.message_dict["categories"] == [
        "Keine Einwilligung für Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen) "
        "gegenüber Sozialamt Musterkreis."
    ]
    assert Referral.objects.count() == count


def test_revoking_twice_records_and_notifies_once(referral, consent, revoke, social_worker):
    revoke(consent)
    revoke(consent)
    assert revocation_events(referral).count() == 1
    assert Notification.objects.filter(key=f"referral:{referral.pk}:revoked").count() == 1


def test_the_handler_alone_hears_of_it_once_someone_took_the_referral_on(
    referral, consent, revoke, recipient, social_worker, social_lead
):
    services.accept(actor=recipient, referral=referral)
    revoke(consent)
    assert Notification.objects.filter(key=f"referral:{referral.pk}:revoked").count() == 1
    assert Notification.objects.get(key=f"referral:{referral.pk}:revoked").user == social_worker


def test_a_forwarded_copy_on_the_same_consent_is_marked_too(
    referral, consent, revoke, recipient, agency, network
):
    ReferralSettings.objects.create(network=network, on_revocation=OnRevocation.CLOSE)
    onward = services.forward(
        actor=recipient, referral=referral, recipient=agency, categories=[MASTER]
    )
    revoke(consent)
    referral.refresh_from_db()
    onward.refresh_from_db()
    assert referral.is_consent_revoked
    assert referral.status == Status.FORWARDED  # closed already: stays as it was
    assert onward.is_consent_revoked
    assert onward.status == Status.WITHDRAWN
