"""Referral test data. ``send_referral_about`` goes the real way (consent, policy, snapshot);
``ReferralFactory`` writes a row directly, for lists and query counts."""

from datetime import timedelta

import factory
from django.utils import timezone

from cases.choices import Purpose
from cases.factories import ConsentFactory
from core.permissions import actor_for
from referrals import services
from referrals.choices import Kind, Status, Track
from referrals.models import Referral


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    person = None
    sender = factory.SubFactory("core.factories.OrganisationFactory", jobcenter=True)
    recipient = factory.SubFactory(
        "core.factories.OrganisationFactory", network=factory.SelfAttribute("..sender.network")
    )
    network = factory.SelfAttribute("sender.network")
    kind = Kind.REFERRAL
    reason = "Mietschulden, Räumungsklage angekündigt"
    track = Track.STANDARD
    status = Status.SENT
    categories = factory.LazyFunction(lambda: ["master_data"])
    snapshot = factory.LazyFunction(
        lambda: {"schema": 1, "person": {"first_name": "Erika", "last_name": "Muster"}}
    )
    bases = factory.LazyFunction(
        lambda: {"master_data": {"basis": "Einwilligung", "consent": None, "statute": None}}
    )
    sent_at = factory.LazyFunction(timezone.now)
    response_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    completion_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=56))


def consent_for(person, *recipients, categories=("master_data",), purposes=(Purpose.REFERRAL,)):
    return ConsentFactory(
        data_subject=person,
        recipients=list(recipients),
        categories=list(categories),
        purposes=list(purposes),
        given_at=timezone.now() - timedelta(minutes=1),
    )


def send_referral_about(person, recipient, *, user, categories=("master_data",), **kwargs):
    """A consent covering ``categories`` for ``recipient`` and a referral sent on it."""
    consent_for(person, recipient, categories=categories)
    kwargs.setdefault("reason", "Drohender Wohnungsverlust: Räumungsklage angekündigt")
    return services.create_referral(
        actor=actor_for(user),
        person=person,
        recipient=recipient,
        categories=list(categories),
        **kwargs,
    )
