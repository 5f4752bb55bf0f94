import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.choices import OrganisationType, Role
from core.demo.generator import generate
from core.models import Membership, Municipality, Network, Organisation, SocialArea, Team, User

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    """Everything the generator decided, without database ids or timestamps."""
    rows = [
        *Network.objects.values_list("slug", "name", "federal_state"),
        *Municipality.objects.values_list("network__slug", "ags", "name", "latitude", "longitude"),
        *SocialArea.objects.values_list("municipality__ags", "name"),
        *Organisation.objects.values_list(
            "network__slug",
            "name",
            "type",
            "legal_regime",
            "municipality__ags",
            "street",
            "postal_code",
            "phone",
        ),
        *Team.objects.values_list("organisation__name", "name"),
        *User.objects.values_list("username", "first_name", "last_name", "email"),
        *Membership.objects.values_list(
            "user__username", "organisation__name", "role", "team__name", "is_active"
        ),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def _wipe_case_files():
    """Case records protect persons, offers and the taxonomy; they go first, dependants first."""
    from auditlog.context import disable_auditlog

    from cases import models as cases

    models = (
        cases.Consent,
        cases.Document,
        cases.HelpAssessment,
        cases.CooperationPlan,
        cases.Need,
        cases.Person,
        cases.Household,
        cases.StatutoryBasis,
        cases.SecrecyAcknowledgement,
        cases.RetentionRule,
        cases.DeletionReview,
        cases.ErasedCaseStatistic,
    )
    # Without the change history: one log entry per deleted row made the wipe slow.
    with disable_auditlog():
        for model in models:
            model.objects.all().delete()


def _wipe():
    from directory.models import Offer, ProblemSituation

    _wipe_case_files()
    Offer.objects.all().delete()
    ProblemSituation.objects.filter(parent__isnull=False).delete()
    ProblemSituation.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()
    Organisation.objects.all().delete()
    SocialArea.objects.all().delete()
    Municipality.objects.all().delete()
    Network.objects.all().delete()


def test_the_same_seed_gives_the_same_county():
    generate(seed=7, scale=0.1, networks=2, log=lambda _: None, steps=())
    first = _fingerprint()
    _wipe()
    generate(seed=7, scale=0.1, networks=2, log=lambda _: None, steps=())
    assert _fingerprint() == first


def test_another_seed_gives_another_county():
    generate(seed=7, scale=0.1, log=lambda _: None, steps=())
    first = _fingerprint()
    _wipe()
    generate(seed=8, scale=0.1, log=lambda _: None, steps=())
    assert _fingerprint() != first


def test_the_demo_county_looks_like_the_seeds_describe():
    (ctx,) = generate(seed=42, scale=0.2, log=lambda _: None, steps=())
    network = ctx.network
    assert network.federal_state == "HE"
    assert Municipality.objects.filter(network=network).count() == 23
    types = set(Organisation.objects.filter(network=network).values_list("type", flat=True))
    assert {
        OrganisationType.JOBCENTER,
        OrganisationType.YOUTH_OFFICE,
        OrganisationType.SOCIAL_WELFARE_OFFICE,
        OrganisationType.EMPLOYMENT_AGENCY,
        OrganisationType.MUNICIPAL_ADMINISTRATION,
        OrganisationType.VOLUNTEER_AGENCY,
        OrganisationType.SELF_HELP_CONTACT_POINT,
        OrganisationType.SCHOOL,
        OrganisationType.WELFARE_ORGANISATION,
    } <= types
    assert (
        Organisation.objects.filter(
            network=network, type=OrganisationType.NEIGHBOURHOOD_CENTRE
        ).count()
        == 10
    )
    roles = set(
        Membership.objects.filter(network=network, is_active=True).values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    vorort = User.objects.get(username="vorort")
    assert vorort.memberships.filter(is_active=True).count() == 2
    assert Membership.objects.filter(network=network, is_active=False).count() == 1


def test_scale_changes_the_number_of_staff():
    small = generate(seed=1, scale=0.1, log=lambda _: None, steps=())[0].counts["staff"]
    _wipe()
    large = generate(seed=1, scale=1.0, log=lambda _: None, steps=())[0].counts["staff"]
    assert large > small * 2


def test_the_command_loads_demo_data_only_into_an_empty_database(capsys):
    call_command("generate_demo", "--scale", "0.1", "--if-empty")
    assert Network.objects.count() == 1
    call_command("generate_demo", "--if-empty")
    assert Network.objects.count() == 1
    assert "fallmanager" in capsys.readouterr().out
    with pytest.raises(CommandError, match="bereits Netzwerke"):
        call_command("generate_demo")
