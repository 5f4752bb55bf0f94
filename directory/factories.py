"""Factories for offers and their places and hours (shared by all apps' tests)."""

from datetime import time

import factory

from core.factories import MunicipalityFactory, OrganisationFactory
from directory.choices import AccessType, OfferStatus
from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation


def situation(network, code: str) -> ProblemSituation:
    """The seeded taxonomy node ``code`` of ``network``."""
    return ProblemSituation.objects.get(network=network, code=code)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SelfAttribute("organisation.network")
    title = factory.Sequence(lambda n: f"Angebot {n}")
    description = "Beratung und Begleitung."
    status = OfferStatus.PUBLISHED
    languages = ["de"]
    access_types = [AccessType.APPOINTMENT]

    @factory.post_generation
    def situations(self, create, codes, **kwargs):
        """``OfferFactory(situations=["finances.debt"])`` links seeded taxonomy nodes."""
        if create and codes:
            self.problem_situations.set(
                ProblemSituation.objects.filter(network=self.network, code__in=codes)
            )


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    offer = factory.SubFactory(OfferFactory)
    network = factory.SelfAttribute("offer.network")
    municipality = factory.SubFactory(
        MunicipalityFactory, network=factory.SelfAttribute("..network")
    )
    street = "Hauptstraße 1"
    postal_code = "64832"
    city = factory.SelfAttribute("municipality.name")


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    offer = factory.SubFactory(OfferFactory)
    network = factory.SelfAttribute("offer.network")
    weekday = 0
    opens = time(9)
    closes = time(12)


class OpeningExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningException

    offer = factory.SubFactory(OfferFactory)
    network = factory.SelfAttribute("offer.network")
    is_closed = True
