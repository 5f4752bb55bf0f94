"""Notifications and their e-mails carry no personal data: organisation names, the reference
number, dates and a link. Whoever follows the link logs in and sees what their role allows.

Each test runs a real step (send, accept, message, escalation, revocation, …) with the e-mails
leaving after the commit, and searches subject and body for everything personal the referral
is about.
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from cases import categories
from cases.services import revoke_consent
from core.choices import LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, UserFactory, member
from core.models import Notification
from core.notifications import notify
from core.permissions import actor_for
from referrals import services
from referrals.choices import DeclineReason, Outcome, Track
from referrals.escalation import escalate_overdue
from referrals.factories import consent_for
from referrals.models import Referral

pytestmark = pytest.mark.django_db

SITE = "https://kurzewege.example"
MASTER = categories.MASTER_DATA
HOUSING = categories.need_category("housing")
REASON = "Räumungsklage durch Vermieter Krause wegen drei Monatsmieten"
MESSAGE = "Frau Beispiel ruft morgen früh selbst bei Ihnen an"
NOTE = "Hausbesuch ergab Schimmel im Kinderzimmer"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def personal(anna, housing_need):
    """Everything about Anna that must never appear in an e-mail."""
    anna.phone = "0171 5550123"
    anna.email = "anna.beispiel@example.net"
    anna.save()
    household = anna.household
    household.street = "Lindenweg 17"
    household.save()
    housing_need.description = "Mietrückstand seit Januar, Kündigung liegt vor"
    housing_need.save()
    return [
        anna.first_name,
        anna.last_name,
        "02.05.1988",
        "1988-05-02",
        "Lindenweg",
        anna.phone,
        anna.email,
        housing_need.description,
        REASON,
        MESSAGE,
        NOTE,
    ]


@pytest.fixture
def consent(anna, social_office):
    return consent_for(anna, social_office, categories=[MASTER, HOUSING])


@pytest.fixture
def sender(case_worker):
    return actor_for(case_worker)


@pytest.fixture
def recipient(social_worker):
    return actor_for(social_worker)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run ``step`` and let its after-commit work (the e-mails) happen; return the new mails."""

    def run(step):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = step()
        return result, mail.outbox[before:]

    return run


@pytest.fixture
def send(committed, sender, anna, social_office, consent, housing_need, personal):
    def run(**kwargs):
        kwargs.setdefault("recipient", social_office)
        return committed(
            lambda: services.create_referral(
                actor=sender,
                person=anna,
                reason=REASON,
                message=MESSAGE,
                categories=[MASTER, HOUSING],
                needs=[housing_need],
                track=Track.HOUSING_LOSS,
                **kwargs,
            )
        )

    return run


def assert_no_personal_data(messages, personal):
    assert messages, "expected at least one e-mail"
    for message in messages:
        for text in (message.subject, message.body):
            for value in personal:
                assert value.casefold() not in text.casefold(), (value, text)


def link(path):
    return f"{SITE}{path}"


def test_sending_mails_the_recipients_staff_without_personal_data(
    send, personal, social_worker, social_lead, case_worker
):
    referral, messages = send()
    assert sorted(m.to[0] for m in messages) == sorted([social_worker.email, social_lead.email])
    assert_no_personal_data(messages, personal)
    message = messages[0]
    assert message.subject == (
        f"Kurze Wege: Neue Überleitung Ü-{referral.pk} von Jobcenter A "
        f"(dringend: drohender Wohnungsverlust), Antwort bis "
        f"{referral.response_due.strftime('%d.%m.%Y')}"
    )
    assert link(referral.get_absolute_url()) in message.body
    assert "keine Angaben zu Personen" in message.body
    # The snapshot itself really holds the data the mail leaves out.
    assert referral.snapshot["person"]["first_name"] == "Anna"


def test_answering_mails_the_sender_without_personal_data(
    send, committed, recipient, personal, case_worker
):
    referral, _ = send()
    _, messages = committed(lambda: services.accept(actor=recipient, referral=referral))
    assert [m.to for m in messages] == [[case_worker.email]]
    assert_no_personal_data(messages, personal)
    assert messages[0].subject == (
        f"Kurze Wege: Überleitung Ü-{referral.pk} an Sozialamt Musterkreis: angenommen"
    )
    assert link(referral.get_absolute_url()) in messages[0].body

    _, messages = committed(
        lambda: services.complete(
            actor=recipient, referral=referral, outcome=Outcome.HELP_GIVEN, note=NOTE
        )
    )
    assert [m.to for m in messages] == [[case_worker.email]]
    assert_no_personal_data(messages, personal)


def test_declining_mails_the_sender_without_the_explanation(
    send, committed, recipient, personal, case_worker
):
    referral, _ = send()
    _, messages = committed(
        lambda: services.decline(
            actor=recipient, referral=referral, reason=DeclineReason.OTHER, note=NOTE
        )
    )
    assert [m.to for m in messages] == [[case_worker.email]]
    assert_no_personal_data(messages, personal)


def test_a_message_mails_the_other_side_but_not_its_author(
    send, committed, recipient, sender, personal, case_worker, social_worker
):
    referral, _ = send()
    services.accept(actor=recipient, referral=referral)  # the handler is now the one to tell
    _, messages = committed(
        lambda: services.post_message(actor=recipient, referral=referral, body=MESSAGE)
    )
    assert [m.to for m in messages] == [[case_worker.email]]
    assert_no_personal_data(messages, personal)
    assert link(f"{referral.get_absolute_url()}#nachrichten") in messages[0].body
    assert messages[0].subject == (
        f"Kurze Wege: Neue Nachricht von Sozialamt Musterkreis zu Überleitung Ü-{referral.pk}"
    )

    _, messages = committed(
        lambda: services.post_message(actor=sender, referral=referral, body=MESSAGE)
    )
    assert [m.to for m in messages] == [[social_worker.email]]
    assert_no_personal_data(messages, personal)


def test_withdrawing_mails_the_recipient_without_personal_data(
    send, committed, sender, personal, social_worker
):
    referral, _ = send()
    _, messages = committed(lambda: services.withdraw(actor=sender, referral=referral, note=NOTE))
    assert social_worker.email in [m.to[0] for m in messages]
    assert_no_personal_data(messages, personal)


def test_escalation_mails_carry_no_personal_data(
    send, committed, personal, social_lead, coordinator
):
    referral, _ = send()
    Referral.objects.filter(pk=referral.pk).update(response_due=date(2026, 3, 2))
    _, messages = committed(lambda: escalate_overdue(today=date(2026, 3, 12)))
    assert sorted(m.to[0] for m in messages) == sorted([social_lead.email, coordinator.email])
    assert_no_personal_data(messages, personal)
    to_lead = next(m for m in messages if m.to == [social_lead.email])
    to_coordination = next(m for m in messages if m.to == [coordinator.email])
    assert link(referral.get_absolute_url()) in to_lead.body
    assert link(reverse("referrals:escalations")) in to_coordination.body


def test_revocation_mails_carry_no_personal_data(
    send, committed, sender, consent, personal, social_worker
):
    referral, _ = send()
    _, messages = committed(lambda: revoke_consent(actor=sender, consent=consent))
    assert social_worker.email in [m.to[0] for m in messages]
    assert_no_personal_data(messages, personal)
    assert all(link(referral.get_absolute_url()) in m.body for m in messages)


def test_forwarding_mails_carry_no_personal_data(
    send, committed, recipient, personal, network, anna, case_worker
):
    agency = OrganisationFactory(
        network=network,
        name="Agentur für Arbeit A",
        type=OrganisationType.EMPLOYMENT_AGENCY,
        legal_regime=LegalRegime.SGB_III,
    )
    agency_staff = member(Role.CASE_WORKER, agency, username="agentur")
    consent_for(anna, agency, categories=[MASTER, HOUSING])
    referral, _ = send()
    onward, messages = committed(
        lambda: services.forward(
            actor=recipient, referral=referral, recipient=agency, categories=[MASTER], message=NOTE
        )
    )
    recipients = sorted(m.to[0] for m in messages)
    assert recipients == sorted([agency_staff.email, case_worker.email])
    assert_no_personal_data(messages, personal)
    assert link(onward.get_absolute_url()) in next(
        m.body for m in messages if m.to == [agency_staff.email]
    )


def test_every_notice_of_the_flow_is_free_of_personal_data(send, committed, recipient, personal):
    """The in-app notices are shown in lists and the header: the same rule as the e-mails."""
    referral, _ = send()
    services.accept(actor=recipient, referral=referral)
    services.post_message(actor=recipient, referral=referral, body=MESSAGE)
    texts = list(Notification.objects.values_list("text", flat=True))
    assert len(texts) >= 3
    for text in texts:
        for value in personal:
            assert value.casefold() not in text.casefold(), (value, text)


# --- core.notifications.notify -------------------------------------------------------------------


def test_notifying_twice_with_one_key_creates_one_notice_and_one_mail(committed):
    user = UserFactory(username="empfaengerin")
    _, first = committed(lambda: notify([user], text="Hinweis", url="/x/", key="test:1"))
    _, second = committed(lambda: notify([user], text="Hinweis", url="/x/", key="test:1"))
    assert Notification.objects.filter(user=user, key="test:1").count() == 1
    assert len(first) == 1
    assert second == []
    assert Notification.objects.get(user=user).emailed_at is not None


def test_another_key_is_another_notice(committed):
    user = UserFactory(username="empfaengerin")
    committed(lambda: notify([user, user], text="Hinweis", url="/x/", key="test:1"))
    committed(lambda: notify([user], text="Hinweis", url="/x/", key="test:2"))
    assert Notification.objects.filter(user=user).count() == 2
    assert len(mail.outbox) == 2


def test_a_user_without_e_mail_address_gets_the_notice_only(committed):
    user = UserFactory(username="ohne-mail", email="")
    _, messages = committed(lambda: notify([user], text="Hinweis", url="/x/", key="test:1"))
    assert messages == []
    notice = Notification.objects.get(user=user)
    assert notice.emailed_at is None


def test_the_mail_waits_for_the_commit(django_capture_on_commit_callbacks):
    user = UserFactory(username="empfaengerin")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([user], text="Hinweis", url="/x/", key="test:1")
    # The mail waits for the commit: a rollback drops it with the notice.
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_mail_links_to_the_site(committed):
    user = UserFactory(username="empfaengerin")
    _, (message,) = committed(
        lambda: notify([user], text="Hinweis", url="/ueberleitungen/7/", key="test:1")
    )
    assert message.subject == "Kurze Wege: Hinweis"
    assert f"{SITE}/ueberleitungen/7/" in message.body
