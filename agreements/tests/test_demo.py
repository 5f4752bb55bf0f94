"""The demo's cooperation agreements: the Jobcenter–Jugendamt agreement in every demo network,
consistent with the demo year it is measured on.

The demo county and one synthetic county are generated on a small scale with the steps the
agreements build on (the same scale and steps as the conference demo tests). Assertions run over
every network and every generated referral between the parties (never a hand-picked one); each
first checks that the rows it is about exist, so an empty result cannot pass by accident.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agreements.choices import Status
from agreements.models import Agreement, AgreementDeadline, Measure
from agreements.services import agreement_deadlines
from core.demo.generator import generate
from referrals.choices import Kind
from referrals.choices import Status as ReferralStatus
from referrals.models import Referral, deadlines_for
from reporting import indicators, reports
from reporting.scope import checked_scope

pytestmark = pytest.mark.django_db

SCALE = 0.03  # as in conferences/tests/test_demo_conferences.py
STEPS = ("Angebote", "Fallakten", "Überleitungen", "Fallberatungen", "Kooperationsvereinbarungen")
NETWORKS = 2  # the demo county and a synthetic one
TITLE = "Kooperationsvereinbarung Jobcenter – Jugendamt"


def _generate(seed=42, scale=SCALE):
    return generate(seed=seed, scale=scale, networks=NETWORKS, log=lambda _: None, steps=STEPS)


def _main(ctx) -> Agreement:
    return Agreement.objects.get(network=ctx.network, title=TITLE)


def _parties(agreement) -> set[int]:
    return set(agreement.party_rows.values_list("organisation_id", flat=True))


def test_every_network_has_the_jobcenter_youth_office_agreement_in_force_renewed_once():
    contexts = _generate()
    assert len(contexts) == NETWORKS
    this_year = timezone.localdate().year
    for ctx in contexts:
        found = Agreement.objects.filter(network=ctx.network, title=TITLE)
        assert found.count() == 1
        agreement = found.get()
        assert agreement.status == Status.IN_FORCE
        assert agreement.signed_on is not None
        assert agreement.applies_on(timezone.localdate())
        jobcenter, youth = ctx.organisations["jobcenter"], ctx.organisations["youth_office"]
        assert _parties(agreement) == {jobcenter.pk, youth.pk}
        # Renewed once on 31 December last year: from then to the end of this year.
        (renewal,) = agreement.renewals.all()
        assert renewal.network_id == ctx.network.pk
        assert renewal.previous_until == date(this_year - 1, 12, 31)
        assert renewal.new_until == agreement.valid_until == date(this_year, 12, 31)
        # Every party row and measure belongs to the agreement's network (tenant isolation).
        assert not agreement.party_rows.exclude(network=ctx.network).exists()
        assert not agreement.measures.exclude(network=ctx.network).exists()


def test_measures_are_measurable_by_a_registered_indicator_or_carry_a_progress_note():
    contexts = _generate()
    for ctx in contexts:
        measures = list(_main(ctx).measures.all())
        unmeasured = [m for m in measures if not m.indicator]
        measured = [m for m in measures if m.indicator]
        assert unmeasured
        assert measured
        for measure in unmeasured:
            assert measure.progress_note.strip(), measure
            assert measure.target is None, measure  # a target needs an indicator (MeasureForm)
        for measure in measured:
            assert measure.indicator in indicators.REGISTRY, measure
            assert measure.target is not None, measure
    # Every measure of every demo agreement (the drafts' and the Sozialamt's included) names
    # an indicator the registry knows, and a track only where that indicator filters by track:
    # what MeasureForm would let a user save.
    everything = Measure.objects.exclude(indicator="")
    assert everything.count() > len(contexts)
    for measure in everything:
        assert measure.indicator in indicators.REGISTRY, measure
        if measure.track:
            assert "track" in indicators.get(measure.indicator).filters, measure


def test_the_agreement_deadlines_agree_with_the_demo_referrals_due_dates():
    """Each referral between the parties sent while the agreement applied has the due dates
    ``deadlines_for`` gives today (the agreement's deadlines override the network's), counted
    in working days of the network's federal state from the day it was sent."""
    contexts = _generate()
    by_agreement = 0
    for ctx in contexts:
        network = ctx.network
        agreement = _main(ctx)
        parties = _parties(agreement)
        overridden = set(AgreementDeadline.objects.filter(agreement=agreement).values_list("track"))
        assert overridden
        referrals = (
            Referral.objects.filter(
                network=network,
                kind=Kind.REFERRAL,
                sent_at__isnull=False,
                sender_id__in=parties,
                recipient_id__in=parties,
            )
            .exclude(status=ReferralStatus.DRAFT)
            .select_related("sender", "recipient")
        )
        checked = 0
        for referral in referrals:
            sent_on = timezone.localdate(referral.sent_at)
            if not agreement.applies_on(sent_on):
                continue
            response, completion = deadlines_for(
                network, referral.track, referral.sender, referral.recipient, sent_on
            )
            assert referral.response_due == network.add_working_days(sent_on, response), referral
            assert referral.completion_due == network.add_working_days(sent_on, completion), (
                referral
            )
            checked += 1
            if (referral.track,) in overridden:
                # The agreement is what sets these deadlines, not the network's setting.
                assert agreement_deadlines(
                    network, referral.track, referral.sender, referral.recipient, sent_on
                ) == (response, completion)
                by_agreement += 1
        assert checked > 0, network
    # Few referrals between two offices at this scale: the tracks with the agreement's own
    # deadlines (housing loss, school to work) occur in the demo county, not in every network.
    assert by_agreement > 0


def test_the_agreement_indicators_compute_for_the_demo_year():
    contexts = _generate()
    today = timezone.localdate()
    for ctx in contexts:
        agreement = _main(ctx)
        # The demo year: referrals of the last 365 days, conferences of the last twelve months.
        scope = checked_scope(
            ctx.network, today - timedelta(days=365), today, parties=frozenset(_parties(agreement))
        )
        report = reports.build(
            scope, title=agreement.title, suppress=False, agreement=agreement, charts_wanted=False
        )
        values = {row.indicator.key: row.result.value for row in report.rows}
        assert set(values) == set(indicators.REGISTRY)
        assert values["referrals"] > 0
        assert values["conferences_held"] > 0
        # Only referrals between the parties: no more than the network sent in the period.
        network_wide = indicators.get("referrals").compute(
            checked_scope(ctx.network, today - timedelta(days=365), today)
        )
        assert values["referrals"] < network_wide.value
        # Every measure is listed; those with an indicator and a target are judged.
        assert [m for m, _row in report.measures] == list(agreement.measures.all())
        for measure, row in report.measures:
            if measure.indicator:
                assert row is not None, measure
                assert row.judgement is not None, measure
            else:
                assert row is None, measure
