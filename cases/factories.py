"""Factories for case records; every record belongs to ``organisation`` (the controller)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from cases.choices import MemberRole, Purpose, Responsible
from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
)
from core.factories import MunicipalityFactory, OrganisationFactory
from directory.factories import situation


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organisation = factory.SubFactory(OrganisationFactory, jobcenter=True)
    network = factory.SelfAttribute("organisation.network")
    number = factory.Sequence(lambda n: f"06432BG{n:07d}")
    street = factory.Faker("street_address", locale="de_DE")
    postal_code = "64807"
    municipality = factory.LazyAttribute(
        lambda o: o.organisation.municipality or MunicipalityFactory(network=o.network)
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory, jobcenter=True)
    network = factory.SelfAttribute("organisation.network")
    household = None
    role = MemberRole.APPLICANT
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    birth_date = date(1985, 3, 14)
    languages = factory.LazyFunction(lambda: ["de"])


def member_of(household: Household, **kwargs) -> Person:
    """A person in ``household``'s case file (same organisation)."""
    kwargs.setdefault("role", MemberRole.APPLICANT)
    return PersonFactory(organisation=household.organisation, household=household, **kwargs)


class NeedFactory(factory.django.DjangoModelFactory):
    """``code`` picks the problem situation of the person's network, e.g. "housing.rent_arrears"."""

    class Meta:
        model = Need
        exclude = ["code"]

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    network = factory.SelfAttribute("person.network")
    code = "housing.rent_arrears"
    problem_situation = factory.LazyAttribute(lambda o: situation(o.network, o.code))
    description = "Mietrückstand von zwei Monaten"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    network = factory.SelfAttribute("person.network")
    title = "Bescheid"


class ConsentFactory(factory.django.DjangoModelFactory):
    """A valid consent recorded now; pass ``recipients=[org, …]`` (required: no blanket consent)."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    data_subject = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("data_subject.organisation")
    network = factory.SelfAttribute("data_subject.network")
    purposes = factory.LazyFunction(lambda: [Purpose.REFERRAL])
    categories = factory.LazyFunction(lambda: ["master_data"])
    informed_purpose = True
    informed_refusal = True
    informed_revocation = True
    given_at = factory.LazyFunction(timezone.now)
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create and extracted:
            self.recipients.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationPlan

    household = factory.SubFactory(HouseholdFactory)
    person = None
    organisation = factory.LazyAttribute(lambda o: (o.household or o.person).organisation)
    network = factory.SelfAttribute("organisation.network")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(PlanFactory)
    network = factory.SelfAttribute("plan.network")
    title = "Wohnung sichern"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStep

    goal = factory.SubFactory(GoalFactory)
    plan = factory.SelfAttribute("goal.plan")
    network = factory.SelfAttribute("goal.network")
    organisation = factory.SelfAttribute("plan.organisation")
    description = "Termin bei der Schuldnerberatung vereinbaren"
    responsible = Responsible.OWN_ORGANISATION
