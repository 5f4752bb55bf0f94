"""The problem-situation taxonomy: seeded per network, edited by that network's admin."""

import pytest
from django.urls import reverse

from core.factories import NetworkFactory
from directory.models import ProblemSituation
from directory.services import seed_taxonomy
from directory.taxonomy import DEFAULT_TAXONOMY

pytestmark = pytest.mark.django_db


def test_every_new_network_gets_the_two_level_taxonomy():
    network = NetworkFactory()
    nodes = ProblemSituation.objects.filter(network=network)
    groups = nodes.filter(parent__isnull=True)
    assert groups.count() == len(DEFAULT_TAXONOMY)
    assert nodes.count() == len(DEFAULT_TAXONOMY) + sum(len(s) for _, _, s in DEFAULT_TAXONOMY)
    debt = nodes.get(code="finances.debt")
    assert (debt.label, debt.parent.code) == ("Schulden", "finances")
    # The situations the seeds name are all there.
    for code in [
        "mobility.driving_licence",
        "qualification.german_language",
        "health.mental",
        "housing.threatened_loss",
        "transition.apprenticeship_search",
        "finances.benefit_payment",
        "age.older_jobseekers",
    ]:
        assert nodes.filter(code=code).exists(), code


def test_seeding_again_adds_only_what_is_missing():
    network = NetworkFactory()
    ProblemSituation.objects.filter(network=network, code="health.addiction").delete()
    assert seed_taxonomy(network) == 1
    assert seed_taxonomy(network) == 0


def test_the_network_admin_adds_and_renames_situations(client_for, network_admin, network):
    client = client_for(network_admin)
    housing = ProblemSituation.objects.get(network=network, code="housing")
    response = client.post(
        reverse("admin:directory_problemsituation_add"),
        {
            "code": "housing.energy_debt",
            "label": "Energieschulden",
            "parent": housing.pk,
            "position": 350,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = ProblemSituation.objects.get(code="housing.energy_debt")
    assert created.network == network

    duplicate = client.post(
        reverse("admin:directory_problemsituation_add"),
        {"code": "housing.energy_debt", "label": "Doppelt", "parent": housing.pk, "position": 1},
    )
    assert "Diesen Code gibt es in Ihrem Netzwerk schon." in duplicate.content.decode()

    wrong_prefix = client.post(
        reverse("admin:directory_problemsituation_add"),
        {"code": "finances.energy", "label": "Falsch", "parent": housing.pk, "position": 1},
    )
    assert "beginnt mit dem Code ihrer Obergruppe" in wrong_prefix.content.decode()


def test_a_rename_reaches_the_search_index(client_for, network_admin, network, offers):
    debt = ProblemSituation.objects.get(network=network, code="finances.debt")
    client_for(network_admin).post(
        reverse("admin:directory_problemsituation_change", args=[debt.pk]),
        {"label": "Überschuldung", "parent": debt.parent_id, "position": 1, "is_active": "on"},
    )
    debt.refresh_from_db()
    assert debt.label == "Überschuldung"
    assert debt.code == "finances.debt"  # read-only after creation
    assert "Überschuldung" in offers["debt"].__class__.objects.get(pk=offers["debt"].pk).search_text


def test_other_networks_taxonomy_is_invisible_in_the_admin(
    client_for, network_admin, other_network
):
    foreign = ProblemSituation.objects.get(network=other_network, code="finances.debt")
    client = client_for(network_admin)
    response = client.get(reverse("admin:directory_problemsituation_change", args=[foreign.pk]))
    assert response.status_code in (302, 404)
    listing = client.get(reverse("admin:directory_problemsituation_changelist") + "?q=Schulden")
    assert listing.content.decode().count("finances.debt") == 1


def test_case_workers_cannot_edit_the_taxonomy(client_for, case_worker):
    response = client_for(case_worker).get(reverse("admin:directory_problemsituation_changelist"))
    assert response.status_code == 404
