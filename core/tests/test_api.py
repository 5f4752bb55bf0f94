import pytest

from core.choices import Role
from core.factories import MunicipalityFactory, OrganisationFactory, member
from core.models import ApiToken, Membership
from core.permissions import actor_for
from core.services import create_api_token

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_the_endpoints(client):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Kurze Wege API"
    assert {
        "/api/organisations",
        "/api/organisations/{organisation_id}",
        "/api/municipalities",
        "/api/me",
    } <= set(document["paths"])


def test_the_api_requires_authentication(client):
    response = client.get("/api/organisations")
    assert response.status_code == 401
    assert response.json()["detail"] == "Anmeldung erforderlich."


def test_the_session_of_a_logged_in_user_works(client_for, case_worker):
    data = client_for(case_worker).get("/api/me").json()
    assert data["organisation"] == "Jobcenter A"
    assert data["roles"] == [Role.CASE_WORKER]


def test_a_token_acts_as_its_organisation(client, case_worker):
    _token, key = create_api_token(actor=actor_for(case_worker), name="Fachverfahren")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["organisation"] == "Jobcenter A"
    assert ApiToken.objects.get().last_used_at is not None
    assert key not in str(ApiToken.objects.values_list())  # only the hash is stored


def test_a_revoked_token_or_withdrawn_membership_stops_working(client, case_worker):
    token, key = create_api_token(actor=actor_for(case_worker), name="alt")
    Membership.objects.filter(user=case_worker).update(is_active=False)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    Membership.objects.filter(user=case_worker).update(is_active=True)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer kw_erfunden").status_code == 401


def test_organisations_are_filtered_sorted_and_paginated(client_for, case_worker, jobcenter):
    town = MunicipalityFactory(network=jobcenter.network, name="Babenhausen")
    for i in range(3):
        OrganisationFactory(
            network=jobcenter.network, name=f"Stadtteilzentrum {i}", municipality=town
        )
    client = client_for(case_worker)
    data = client.get("/api/organisations", {"q": "stadtteil", "sort": "-name", "limit": 2}).json()
    assert data["count"] == 3
    assert [o["name"] for o in data["items"]] == ["Stadtteilzentrum 2", "Stadtteilzentrum 1"]
    by_town = client.get("/api/organisations", {"municipality": town.pk}).json()
    assert by_town["count"] == 3
    bad = client.get("/api/organisations", {"type": "raumschiff"})
    assert bad.status_code == 422


def test_a_role_without_the_permission_gets_403(client_for, jobcenter):
    user = member("ghost_role", jobcenter, username="ohne")
    assert client_for(user).get("/api/organisations").status_code == 403


def test_the_api_token_page_shows_the_key_once_and_revokes_after_confirmation(
    client_for, jobcenter
):
    user = member(Role.PARTNER_STAFF, jobcenter, username="partnerin")
    client = client_for(user)
    created = client.post("/konto/api-schluessel/", {"name": "Export"})
    assert created.context["new_key"].startswith("kw_")
    assert client.get("/konto/api-schluessel/").context["new_key"] is None
    token = ApiToken.objects.get(user=user)
    confirm = client.get(f"/konto/api-schluessel/{token.pk}/widerrufen/")
    assert "Ja, widerrufen" in confirm.text
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(f"/konto/api-schluessel/{token.pk}/widerrufen/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_empty_token_name_is_refused_with_a_message(client_for, case_worker):
    response = client_for(case_worker).post("/konto/api-schluessel/", {"name": ""})
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client_for, case_worker, jobcenter):
    token, _key = create_api_token(actor=actor_for(case_worker), name="fremd")
    colleague = member(Role.CASE_WORKER, jobcenter, username="kollege")
    assert (
        client_for(colleague).post(f"/konto/api-schluessel/{token.pk}/widerrufen/").status_code
        == 404
    )
