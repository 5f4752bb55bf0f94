"""Factories shared by every app's tests (factory_boy + Faker de_DE)."""

from decimal import Decimal

import factory
from django.conf import settings

from core.choices import FederalState, LegalRegime, OrganisationType, Role
from core.models import Membership, Municipality, Network, Organisation, SocialArea, Team, User

factory.Faker._DEFAULT_LOCALE = "de_DE"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Landkreis Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    federal_state = FederalState.HE


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    network = factory.SubFactory(NetworkFactory)
    ags = factory.Sequence(lambda n: f"06{n:06d}")
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    latitude = Decimal("49.87000")
    longitude = Decimal("8.65000")


class SocialAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialArea

    municipality = factory.SubFactory(MunicipalityFactory)
    network = factory.SelfAttribute("municipality.network")
    name = factory.Sequence(lambda n: f"Sozialraum {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.NEIGHBOURHOOD_CENTRE
    legal_regime = LegalRegime.NONE
    city = factory.Faker("city")
    phone = "06071 1234-0"

    class Params:
        jobcenter = factory.Trait(type=OrganisationType.JOBCENTER, legal_regime=LegalRegime.SGB_II)
        youth_office = factory.Trait(
            type=OrganisationType.YOUTH_OFFICE, legal_regime=LegalRegime.SGB_VIII
        )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SelfAttribute("organisation.network")
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.LazyFunction(lambda: _hashed_password())


_PASSWORD_CACHE: dict[str, str] = {}


def _hashed_password() -> str:
    from django.contrib.auth.hashers import make_password

    if "hash" not in _PASSWORD_CACHE:
        _PASSWORD_CACHE["hash"] = make_password(settings.DEMO_PASSWORD)
    return _PASSWORD_CACHE["hash"]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SelfAttribute("organisation.network")
    role = Role.CASE_WORKER
    is_active = True


def member(
    role: Role | str = Role.CASE_WORKER, organisation: Organisation | None = None, **user_kwargs
) -> User:
    """A user with one active membership: the usual test persona."""
    organisation = organisation or OrganisationFactory(jobcenter=True)
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
