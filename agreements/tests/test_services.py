"""The rules of an agreement's life as the services enforce them: who may be a party, the
checks on dates, entry into force, termination by a party, and the deadlines an agreement sets
for referrals between its parties (which override the network's)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from agreements import services
from agreements.choices import Status
from agreements.models import Agreement, AgreementDeadline, Party
from agreements.tests.conftest import draft, in_force
from core.choices import LegalRegime, OrganisationType
from core.concurrency import StaleEditError
from core.factories import OrganisationFactory, member
from core.models import Notification
from core.permissions import actor_for
from referrals.choices import Track
from referrals.factories import send_referral_about
from referrals.models import TrackDeadline, deadlines_for

pytestmark = pytest.mark.django_db

TOO_FEW = "Eine Vereinbarung braucht mindestens zwei Vertragsparteien."
TWICE = "Jede Organisation kann nur einmal Vertragspartei sein."


def assert_nothing_stored():
    assert not Agreement.objects.exists()
    assert not Party.objects.exists()


# --- create ---------------------------------------------------------------------------------


def test_it_creates_a_draft_with_both_parties(coordination, coordinator, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)

    assert agreement.status == Status.DRAFT
    assert agreement.network_id == jobcenter.network_id
    assert agreement.created_by == coordinator
    assert set(agreement.party_rows.values_list("organisation_id", flat=True)) == {
        jobcenter.pk,
        youth_office.pk,
    }


def test_it_refuses_a_single_party(coordination, jobcenter):
    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter)

    assert caught.value.message_dict == {"parties": [TOO_FEW]}
    assert_nothing_stored()


def test_it_refuses_the_same_organisation_twice(coordination, jobcenter):
    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, jobcenter)

    assert caught.value.message_dict == {"parties": [TWICE]}
    assert_nothing_stored()


def test_a_duplicate_among_enough_parties_is_refused_not_a_database_error(
    coordination, jobcenter, youth_office
):
    # Two distinct parties (Jobcenter, Jugendamt) would be enough, but the Jobcenter is named
    # twice: a message for the form, not the unique constraint one_party_per_org failing.
    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, jobcenter, youth_office)

    assert caught.value.message_dict == {"parties": [TWICE]}
    assert_nothing_stored()


def test_it_refuses_a_party_of_another_network(coordination, jobcenter, outsider_org):
    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, outsider_org)

    assert caught.value.message_dict == {
        "parties": ["Jobcenter B gehört nicht zu diesem Netzwerk."]
    }
    assert_nothing_stored()


def test_it_refuses_an_inactive_organisation(coordination, jobcenter, network):
    closed = OrganisationFactory(network=network, name="Beratungsstelle alt", is_active=False)

    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, closed)

    assert caught.value.message_dict == {
        "parties": ["Inaktive Organisationen können keine Vereinbarung schließen."]
    }
    assert_nothing_stored()


def test_it_refuses_an_end_before_the_start(coordination, jobcenter, youth_office):
    with pytest.raises(ValidationError) as caught:
        draft(
            coordination,
            jobcenter,
            youth_office,
            valid_from=date(2026, 1, 1),
            valid_until=date(2025, 12, 31),
        )

    assert caught.value.message_dict == {
        "valid_until": ["Das Ende der Laufzeit liegt vor ihrem Beginn."]
    }
    assert_nothing_stored()


def test_a_one_day_term_is_allowed(coordination, jobcenter, youth_office):
    """Start and end on the same day is a (short) term, not an end before the start."""
    agreement = draft(
        coordination,
        jobcenter,
        youth_office,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 1, 1),
    )

    assert agreement.pk is not None


def test_it_refuses_a_signing_date_in_the_future(coordination, jobcenter, youth_office):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, youth_office, signed_on=tomorrow)

    assert caught.value.message_dict == {
        "signed_on": ["Das Datum der Unterschrift liegt in der Zukunft."]
    }
    assert_nothing_stored()


def test_it_reports_every_broken_rule_at_once(coordination, jobcenter):
    """The form shows all problems in one go, not one per submit."""
    with pytest.raises(ValidationError) as caught:
        draft(
            coordination,
            jobcenter,
            valid_from=date(2026, 6, 1),
            valid_until=date(2026, 5, 31),
            signed_on=timezone.localdate() + timedelta(days=3),
        )

    assert set(caught.value.message_dict) == {"parties", "valid_until", "signed_on"}
    assert_nothing_stored()


def test_a_notice_period_of_a_year_is_refused(coordination, jobcenter, youth_office):
    # At most 11 months: with 12 the notice date would lie before the term even began.
    with pytest.raises(ValidationError) as caught:
        draft(coordination, jobcenter, youth_office, notice_months=12)

    assert "notice_months" in caught.value.message_dict
    assert_nothing_stored()


@pytest.mark.parametrize("role", ["case_worker", "team_lead"])
def test_only_the_network_coordination_may_create(role, jobcenter, youth_office):
    user = member(role, jobcenter, username=f"ohne-recht-{role}")

    with pytest.raises(PermissionDenied):
        draft(actor_for(user), jobcenter, youth_office)

    assert_nothing_stored()


# --- update -----------------------------------------------------------------------------------


def test_update_adds_and_removes_parties(coordination, jobcenter, youth_office, partner):
    agreement = draft(coordination, jobcenter, youth_office)
    Party.objects.filter(agreement=agreement, organisation=jobcenter).update(
        contact_name="Frau Koch"
    )

    services.update_agreement(
        actor=coordination,
        agreement=agreement,
        parties=[jobcenter, partner],
        title="Kooperation Jobcenter – Stadtteilzentrum",
    )

    rows = {p.organisation_id: p for p in Party.objects.filter(agreement=agreement)}
    assert set(rows) == {jobcenter.pk, partner.pk}
    # The party that stays keeps its row and with it its contact person.
    assert rows[jobcenter.pk].contact_name == "Frau Koch"
    agreement.refresh_from_db()
    assert agreement.title == "Kooperation Jobcenter – Stadtteilzentrum"


def test_update_refuses_an_outside_party_and_keeps_the_parties(
    coordination, jobcenter, youth_office, outsider_org
):
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.update_agreement(
            actor=coordination, agreement=agreement, parties=[jobcenter, outsider_org]
        )

    assert caught.value.message_dict == {
        "parties": ["Jobcenter B gehört nicht zu diesem Netzwerk."]
    }
    assert set(agreement.party_rows.values_list("organisation_id", flat=True)) == {
        jobcenter.pk,
        youth_office.pk,
    }


def test_update_refuses_dropping_to_one_party(coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.update_agreement(actor=coordination, agreement=agreement, parties=[jobcenter])

    assert caught.value.message_dict == {"parties": [TOO_FEW]}
    assert agreement.party_rows.count() == 2


def test_update_refuses_an_end_before_the_stored_start(coordination, jobcenter, youth_office):
    # Stored: valid from 2026-01-01. A new end of 2025-06-30 lies before that start.
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.update_agreement(
            actor=coordination,
            agreement=agreement,
            parties=[jobcenter, youth_office],
            valid_until=date(2025, 6, 30),
        )

    assert "valid_until" in caught.value.message_dict
    agreement.refresh_from_db()
    assert agreement.valid_until == date(2026, 12, 31)


def test_a_case_worker_may_not_update(coordination, case_worker, jobcenter, youth_office, partner):
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(PermissionDenied):
        services.update_agreement(
            actor=actor_for(case_worker), agreement=agreement, parties=[jobcenter, partner]
        )

    assert agreement.party_rows.count() == 2
    assert not agreement.party_rows.filter(organisation=partner).exists()


# --- entry into force -------------------------------------------------------------------------


def test_put_in_force_sets_the_status(coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)

    result = services.put_in_force(actor=coordination, agreement=agreement, today=date(2026, 1, 1))

    assert result.status == Status.IN_FORCE
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_put_in_force_needs_the_signing_date(coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office, signed_on=None)

    with pytest.raises(ValidationError) as caught:
        services.put_in_force(actor=coordination, agreement=agreement, today=date(2026, 1, 1))

    assert caught.value.message_dict == {
        "signed_on": ["Bitte tragen Sie zuerst das Datum der Unterschrift ein."]
    }
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_put_in_force_needs_a_draft(coordination, jobcenter, youth_office):
    agreement = in_force(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.put_in_force(actor=coordination, agreement=agreement, today=date(2026, 2, 1))

    assert caught.value.messages == ["Nur ein Entwurf kann in Kraft gesetzt werden."]


def test_put_in_force_refuses_a_term_that_is_over(coordination, jobcenter, youth_office):
    # Valid until 2026-12-31; on 2027-01-01 there is nothing left to put in force.
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.put_in_force(actor=coordination, agreement=agreement, today=date(2027, 1, 1))

    assert caught.value.message_dict == {"valid_until": ["Die Laufzeit ist bereits vorbei."]}


def test_a_case_worker_may_not_put_in_force(coordination, case_worker, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(PermissionDenied):
        services.put_in_force(actor=actor_for(case_worker), agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


# --- termination ------------------------------------------------------------------------------


def test_a_party_terminates_and_the_steering_people_are_told(
    coordination, coordinator, jobcenter_lead, youth_lead, case_worker, jobcenter, youth_office
):
    # Terminated on 2026-06-15, before the notice date 2026-09-30: ends with the term.
    agreement = in_force(coordination, jobcenter, youth_office)

    result = services.terminate(
        actor=coordination,
        agreement=agreement,
        party=youth_office,
        note="  Neuordnung der Zuständigkeiten  ",
        on=date(2026, 6, 15),
    )

    assert result.status == Status.TERMINATED
    assert result.terminated_by == youth_office
    assert result.terminated_on == date(2026, 6, 15)
    assert result.termination_note == "Neuordnung der Zuständigkeiten"
    assert result.ends_on == date(2026, 12, 31)
    notices = Notification.objects.filter(key=f"agreement-terminated:{agreement.pk}")
    assert {n.user for n in notices} == {coordinator, jobcenter_lead, youth_lead}
    assert notices.first().text == (
        "„Kooperation Jobcenter – Jugendamt“ wurde von Jugendamt A zum 31.12.2026 gekündigt."
    )


def test_only_a_party_may_terminate(coordination, jobcenter, youth_office, partner):
    agreement = in_force(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.terminate(
            actor=coordination, agreement=agreement, party=partner, on=date(2026, 6, 15)
        )

    assert caught.value.message_dict == {"party": ["Kündigen kann nur eine Vertragspartei."]}
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert not Notification.objects.exists()


def test_a_draft_cannot_be_terminated(coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)

    with pytest.raises(ValidationError) as caught:
        services.terminate(
            actor=coordination, agreement=agreement, party=jobcenter, on=date(2026, 6, 15)
        )

    assert caught.value.messages == [
        "Kündigen lässt sich nur eine Vereinbarung, die in Kraft ist (Status: Entwurf)."
    ]


def test_a_terminated_agreement_cannot_be_terminated_again(coordination, jobcenter, youth_office):
    agreement = in_force(coordination, jobcenter, youth_office)
    agreement = services.terminate(
        actor=coordination, agreement=agreement, party=jobcenter, on=date(2026, 6, 15)
    )

    with pytest.raises(ValidationError) as caught:
        services.terminate(
            actor=coordination, agreement=agreement, party=youth_office, on=date(2026, 10, 2)
        )

    assert caught.value.messages == [
        "Kündigen lässt sich nur eine Vereinbarung, die in Kraft ist (Status: gekündigt)."
    ]
    agreement.refresh_from_db()
    # The first termination stands: by the Jobcenter, to the end of 2026.
    assert agreement.terminated_by == jobcenter
    assert agreement.ends_on == date(2026, 12, 31)


def test_a_termination_on_an_outdated_page_is_refused(coordination, jobcenter, youth_office):
    """Someone saved the agreement after the page was loaded: nothing is terminated."""
    seen = in_force(coordination, jobcenter, youth_office)
    Agreement.objects.filter(pk=seen.pk).update(version=F("version") + 1)

    with pytest.raises(StaleEditError):
        services.terminate(
            actor=coordination, agreement=seen, party=jobcenter, on=date(2026, 6, 15)
        )

    seen.refresh_from_db()
    assert seen.status == Status.IN_FORCE
    assert not Notification.objects.exists()


def test_a_case_worker_may_not_terminate(coordination, case_worker, jobcenter, youth_office):
    agreement = in_force(coordination, jobcenter, youth_office)

    with pytest.raises(PermissionDenied):
        services.terminate(actor=actor_for(case_worker), agreement=agreement, party=jobcenter)

    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


# --- deadlines between the parties -------------------------------------------------------------
# Network A has no deadlines of its own: the defaults apply, standard (10, 40), housing loss
# (2, 10). The agreement sets standard to (3, 15) for referrals between its two parties.

JUNE = date(2026, 6, 1)


@pytest.fixture
def with_deadline(coordination, jobcenter, youth_office):
    agreement = in_force(coordination, jobcenter, youth_office)
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.STANDARD,
        response_days=3,
        completion_days=15,
    )
    return agreement


def test_the_agreement_sets_the_deadlines_in_both_directions(
    with_deadline, network, jobcenter, youth_office
):
    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (3, 15)
    assert deadlines_for(network, Track.STANDARD, youth_office, jobcenter, JUNE) == (3, 15)


def test_a_third_organisation_keeps_the_network_deadlines(
    with_deadline, network, jobcenter, partner
):
    assert deadlines_for(network, Track.STANDARD, jobcenter, partner, JUNE) == (10, 40)


def test_a_track_the_agreement_does_not_set_keeps_the_network_deadlines(
    with_deadline, network, jobcenter, youth_office
):
    assert deadlines_for(network, Track.HOUSING_LOSS, jobcenter, youth_office, JUNE) == (2, 10)


@pytest.mark.parametrize(
    "day",
    [date(2025, 12, 31), date(2027, 1, 1)],
    ids=["before-the-term", "after-the-term"],
)
def test_outside_the_term_the_network_deadlines_apply(
    day, with_deadline, network, jobcenter, youth_office
):
    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, day) == (10, 40)


def test_on_the_first_and_last_day_of_the_term_the_agreement_applies(
    with_deadline, network, jobcenter, youth_office
):
    for day in (date(2026, 1, 1), date(2026, 12, 31)):
        assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, day) == (3, 15)


def test_a_draft_sets_no_deadlines(coordination, network, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office)
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.STANDARD,
        response_days=3,
        completion_days=15,
    )

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (10, 40)


def test_an_expired_agreement_sets_no_deadlines(with_deadline, network, jobcenter, youth_office):
    # Expired although the day asked about lies within the old term: expiry is final.
    Agreement.objects.filter(pk=with_deadline.pk).update(status=Status.EXPIRED)

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (10, 40)


def test_a_terminated_agreement_applies_until_it_ends(
    coordination, with_deadline, network, jobcenter, youth_office
):
    services.terminate(
        actor=coordination, agreement=with_deadline, party=jobcenter, on=date(2026, 3, 1)
    )

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (3, 15)


def test_of_two_agreements_the_shorter_deadline_wins(
    coordination, with_deadline, network, jobcenter, youth_office, partner
):
    # A second agreement among three parties sets standard to (5, 10): the answer (3 < 5)
    # decides, so (3, 15) of the first agreement wins, completion included.
    second = in_force(coordination, jobcenter, youth_office, partner, title="Netzwerk Familie")
    services.set_deadline(
        actor=coordination,
        agreement=second,
        track=Track.STANDARD,
        response_days=5,
        completion_days=10,
    )

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (3, 15)
    # Jobcenter – Stadtteilzentrum is covered by the second agreement only.
    assert deadlines_for(network, Track.STANDARD, jobcenter, partner, JUNE) == (5, 10)


def test_the_agreement_overrides_the_networks_own_deadlines(
    coordination, network, jobcenter, youth_office, partner
):
    """The agreement is the more specific rule, even where it grants more time."""
    TrackDeadline.objects.create(
        network=network, track=Track.STANDARD, response_days=8, completion_days=30
    )
    agreement = in_force(coordination, jobcenter, youth_office)
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.STANDARD,
        response_days=12,
        completion_days=50,
    )

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (12, 50)
    assert deadlines_for(network, Track.STANDARD, jobcenter, partner, JUNE) == (8, 30)


def test_an_agreement_of_another_network_sets_nothing(
    coordination, with_deadline, other_network, jobcenter, youth_office
):
    assert deadlines_for(other_network, Track.STANDARD, jobcenter, youth_office, JUNE) == (
        10,
        40,
    )


def test_a_referral_sent_between_the_parties_gets_the_agreed_deadlines(
    coordination, network, jobcenter, youth_office, anna, case_worker
):
    """The real way: consent, snapshot, send. The agreement runs around today's date."""
    today = timezone.localdate()
    agreement = in_force(
        coordination,
        jobcenter,
        youth_office,
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=300),
        signed_on=today - timedelta(days=40),
        today=today,
    )
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.STANDARD,
        response_days=3,
        completion_days=15,
    )

    social_office = OrganisationFactory(
        network=network,
        name="Sozialamt A",
        type=OrganisationType.SOCIAL_WELFARE_OFFICE,
        legal_regime=LegalRegime.SGB_XII,
    )

    to_youth_office = send_referral_about(anna, youth_office, user=case_worker)
    to_social_office = send_referral_about(anna, social_office, user=case_worker)

    sent_on = timezone.localdate(to_youth_office.sent_at)
    assert to_youth_office.response_due == network.add_working_days(sent_on, 3)
    assert to_youth_office.completion_due == network.add_working_days(sent_on, 15)
    # No agreement with the Sozialamt: the network default of 10 working days.
    assert to_social_office.response_due == network.add_working_days(
        timezone.localdate(to_social_office.sent_at), 10
    )


def test_set_deadline_refuses_an_answer_after_the_completion(
    coordination, with_deadline, network, jobcenter, youth_office
):
    with pytest.raises(ValidationError) as caught:
        services.set_deadline(
            actor=coordination,
            agreement=with_deadline,
            track=Track.STANDARD,
            response_days=20,
            completion_days=10,
        )

    assert caught.value.message_dict == {
        "response_days": ["Die Antwortfrist ist länger als die Erledigungsfrist."]
    }
    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, JUNE) == (3, 15)


def test_set_deadline_again_changes_the_one_row(coordination, with_deadline):
    services.set_deadline(
        actor=coordination,
        agreement=with_deadline,
        track=Track.STANDARD,
        response_days=4,
        completion_days=20,
    )

    rows = AgreementDeadline.objects.filter(agreement=with_deadline)
    assert list(rows.values_list("track", "response_days", "completion_days")) == [
        (Track.STANDARD, 4, 20)
    ]


def test_set_deadline_refuses_a_zero_day_answer(coordination, with_deadline):
    """The model's limits (answer in 1–60 working days) hold for the API as for the form."""
    with pytest.raises(ValidationError) as caught:
        services.set_deadline(
            actor=coordination,
            agreement=with_deadline,
            track=Track.HOUSING_LOSS,
            response_days=0,
            completion_days=5,
        )

    assert set(caught.value.message_dict) == {"response_days"}
    assert not AgreementDeadline.objects.filter(track=Track.HOUSING_LOSS).exists()


def test_a_case_worker_may_not_set_deadlines(case_worker, with_deadline):
    with pytest.raises(PermissionDenied):
        services.set_deadline(
            actor=actor_for(case_worker),
            agreement=with_deadline,
            track=Track.STANDARD,
            response_days=1,
            completion_days=2,
        )
