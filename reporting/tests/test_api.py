"""The indicator and agreement API: the dashboard's rules for API clients, with small cells
always suppressed (what the API returns leaves the platform).

The figures are those of ``fixtures_views`` (March 2026), counted by hand there: network A 14
referrals (Jobcenter 10, JA 12, Stadtteilzentrum 6), 3 of them urgent (housing loss), one more
Jobcenter → JA in February; the Jobcenter–JA agreement 8, the JA–Stadtteilzentrum one 4."""

# The shared fixtures are imported by name and requested as arguments of the same name.
# ruff: noqa: F811

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agreements.tests.conftest import in_force
from core.choices import Role
from core.factories import member
from core.permissions import actor_for
from core.services import create_api_token
from reporting import indicators
from reporting.tests.fixtures_views import (  # noqa: F401
    FAMILY_MEASURE,
    MARCH,
    MEASURE,
    agreement,
    coordinator,
    family_agreement,
    flows,
    jobcenter_lead,
    partner_lead,
    youth_lead,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Nicht gefunden."}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figures(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {
        row["key"]: {k: row[k] for k in ("value", "n", "suppressed")}
        for row in response.json()["indicators"]
    }


def locations(response) -> dict[tuple, str]:
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


# --- /api/indicators ------------------------------------------------------------------------------


def test_the_coordinator_gets_every_indicator_of_the_network(flows, coordinator):
    response = login(coordinator).get("/api/indicators", MARCH)
    data = response.json()
    assert data["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert data["suppressed_below"] == 5
    assert [row["key"] for row in data["indicators"]] == list(indicators.REGISTRY)
    found = figures(response)
    assert found["referrals"] == {"value": 14.0, "n": 14, "suppressed": False}
    # Zero reveals nobody: no pointers is 0, not suppressed.
    assert found["pointers"] == {"value": 0.0, "n": 0, "suppressed": False}
    # Nothing answered yet: no value to measure, not a suppressed one.
    assert found["response_days_median"] == {"value": None, "n": 0, "suppressed": False}
    referrals = data["indicators"][0]
    assert (referrals["label"], referrals["kind"], referrals["better"]) == (
        "Überleitungen",
        "count",
        "higher",
    )
    assert data["measures"] == []


def test_the_coordinator_narrows_to_an_organisation(flows, coordinator, partner):
    response = login(coordinator).get("/api/indicators", {**MARCH, "organisation_id": partner.pk})
    assert figures(response)["referrals"] == {"value": 6.0, "n": 6, "suppressed": False}


@pytest.mark.parametrize(("lead", "expected"), [("jobcenter_lead", 10), ("youth_lead", 12)])
def test_a_team_lead_gets_the_own_organisation(flows, request, lead, expected):
    response = login(request.getfixturevalue(lead)).get("/api/indicators", MARCH)
    assert figures(response)["referrals"] == {
        "value": float(expected),
        "n": expected,
        "suppressed": False,
    }


def test_a_team_lead_asking_for_another_organisation_is_refused(
    flows, jobcenter_lead, jobcenter, partner
):
    client = login(jobcenter_lead)
    refused = client.get("/api/indicators", {**MARCH, "organisation_id": partner.pk})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Kennzahlen anderer Organisationen sieht die Netzwerkkoordination."
    }
    own = client.get("/api/indicators", {**MARCH, "organisation_id": jobcenter.pk})
    assert figures(own)["referrals"]["value"] == 10.0


def test_an_organisation_of_another_network_is_unknown(flows, coordinator, outsider_org):
    response = login(coordinator).get(
        "/api/indicators", {**MARCH, "organisation_id": outsider_org.pk}
    )
    assert locations(response) == {("query", "organisation_id"): "Unbekannte Organisation."}


def test_a_count_of_three_is_suppressed(flows, coordinator):
    """Urgent (housing loss) referrals in March: JA's 3 to the Jobcenter."""
    response = login(coordinator).get("/api/indicators", {**MARCH, "track": "housing_loss"})
    assert figures(response)["referrals"] == {"value": None, "n": None, "suppressed": True}
    assert "3" not in str(figures(response)["referrals"])


def test_an_agreement_counts_between_its_parties_and_judges_its_measures(
    flows, agreement, coordinator
):
    """5 + 3 = 8 referrals between Jobcenter and JA; 5 per month, March = 1.0 month: met."""
    response = login(coordinator).get("/api/indicators", {**MARCH, "agreement_id": agreement.pk})
    assert figures(response)["referrals"] == {"value": 8.0, "n": 8, "suppressed": False}
    [measure] = response.json()["measures"]
    assert measure["title"] == MEASURE
    assert measure["indicator"] == "referrals"
    assert measure["target"] == 5.0
    assert measure["target_period"] == "month"
    assert measure["scaled_target"] == 5.0
    assert measure["value"] == 8.0
    assert measure["suppressed"] is False
    assert (measure["state"], measure["state_label"]) == ("met", "Ziel erreicht")


def test_a_suppressed_measure_is_not_judged_either(flows, family_agreement, youth_lead):
    """JA → Stadtteilzentrum: 4 referrals against 1 per month. "Ziel erreicht" would tell
    that the hidden number is at least 1."""
    response = login(youth_lead).get(
        "/api/indicators", {**MARCH, "agreement_id": family_agreement.pk}
    )
    assert figures(response)["referrals"] == {"value": None, "n": None, "suppressed": True}
    [measure] = response.json()["measures"]
    assert measure["title"] == FAMILY_MEASURE
    assert (measure["value"], measure["suppressed"]) == (None, True)
    assert (measure["state"], measure["state_label"]) == ("", "")


def test_a_party_lead_gets_the_agreements_figures_of_its_page(
    flows, coordinator, jobcenter_lead, jobcenter, youth_office, partner
):
    """A three-party agreement (Jobcenter, JA, Stadtteilzentrum): on its page the Jobcenter's
    team lead sees 14 referrals between the parties (5 + 3 + 2 + 4); the API ("same permissions
    as the pages") must give the lead the same number, not the Jobcenter's own 10."""
    three = in_force(actor_for(coordinator), jobcenter, youth_office, partner, title="Drei")
    client = login(jobcenter_lead)
    page = client.get(f"/kooperationen/{three.pk}/", MARCH).context["report"]
    on_page = next(row.result.n for row in page.rows if row.indicator.key == "referrals")
    api = client.get("/api/indicators", {**MARCH, "agreement_id": three.pk})
    assert figures(api)["referrals"]["n"] == on_page


def test_an_agreement_the_team_lead_is_no_party_to_is_not_found(
    flows, agreement, family_agreement, jobcenter_lead, partner_lead
):
    client = login(jobcenter_lead)
    visible = client.get("/api/indicators", {**MARCH, "agreement_id": agreement.pk})
    assert figures(visible)["referrals"]["value"] == 8.0
    hidden = client.get("/api/indicators", {**MARCH, "agreement_id": family_agreement.pk})
    assert hidden.status_code == 404
    assert hidden.json() == NOT_FOUND
    missing = client.get("/api/indicators", {**MARCH, "agreement_id": 987654})
    assert missing.json() == NOT_FOUND
    # The Stadtteilzentrum is party to the family agreement only.
    other = login(partner_lead).get("/api/indicators", {**MARCH, "agreement_id": agreement.pk})
    assert other.status_code == 404


def test_another_networks_coordinator_never_gets_network_a(flows, agreement, outsider_org):
    client = login(member(Role.NETWORK_COORDINATOR, outsider_org, username="koordination-b"))
    # Network B's own seven March referrals.
    assert figures(client.get("/api/indicators", MARCH))["referrals"]["value"] == 7.0
    hidden = client.get("/api/indicators", {**MARCH, "agreement_id": agreement.pk})
    assert hidden.status_code == 404
    assert client.get("/api/agreements").json() == []
    assert client.get(f"/api/agreements/{agreement.pk}").status_code == 404


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            {"start": (timezone.localdate() + timedelta(days=5)).isoformat()},
            {
                ("query", "start"): "Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine "
                "Zahlen."
            },
        ),
        (
            {"start": "2026-03-31", "end": "2026-03-01"},
            {("query", "end"): "Das Ende des Zeitraums liegt vor seinem Beginn."},
        ),
        ({**MARCH, "track": "eilig"}, {("query", "track"): "Unbekannte Dringlichkeit."}),
        ({"start": "31.03.2026"}, {("query", "start"): "Bitte ein Datum (JJJJ-MM-TT) angeben."}),
    ],
)
def test_a_bad_scope_is_422_with_a_german_message(coordinator, query, errors):
    for path in ("/api/indicators", "/api/indicators/referrals/monthly"):
        assert locations(login(coordinator).get(path, query)) == errors


# --- /api/indicators/{key}/monthly ----------------------------------------------------------------


def test_one_entry_per_month(flows, coordinator):
    """February 1 (suppressed), March 14, April none (0, shown)."""
    response = login(coordinator).get(
        "/api/indicators/referrals/monthly", {"start": "2026-02-01", "end": "2026-04-30"}
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["key"], data["label"]) == ("referrals", "Überleitungen")
    assert data["period"] == {"start": "2026-02-01", "end": "2026-04-30"}
    assert data["months"] == [
        {"month": "2026-02", "value": None, "n": None, "suppressed": True},
        {"month": "2026-03", "value": 14.0, "n": 14, "suppressed": False},
        {"month": "2026-04", "value": 0.0, "n": 0, "suppressed": False},
    ]


def test_the_monthly_figures_of_a_team_lead_are_the_own_organisations(flows, jobcenter_lead):
    """The Jobcenter: the February referral is its own (still 1, suppressed), March 10."""
    response = login(jobcenter_lead).get(
        "/api/indicators/referrals/monthly", {"start": "2026-02-01", "end": "2026-03-31"}
    )
    assert [(m["month"], m["value"]) for m in response.json()["months"]] == [
        ("2026-02", None),
        ("2026-03", 10.0),
    ]


def test_an_unknown_indicator_is_404(coordinator):
    response = login(coordinator).get("/api/indicators/wartezeit/monthly", MARCH)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- /api/agreements ---------------------------------------------------------------------------


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()]


def test_agreements_lists_only_the_visible_ones(
    agreement, family_agreement, coordinator, jobcenter_lead, youth_lead, partner_lead
):
    both = ["Familien im Stadtteil", "Kooperation Jobcenter – Jugendamt"]
    assert titles(login(coordinator).get("/api/agreements")) == both
    # JA is party to both, the Jobcenter and the Stadtteilzentrum to one each.
    assert titles(login(youth_lead).get("/api/agreements")) == both
    assert titles(login(jobcenter_lead).get("/api/agreements")) == [
        "Kooperation Jobcenter – Jugendamt"
    ]
    assert titles(login(partner_lead).get("/api/agreements")) == ["Familien im Stadtteil"]


def test_one_agreement_with_parties_deadlines_and_measures(
    agreement, jobcenter_lead, jobcenter, youth_office
):
    response = login(jobcenter_lead).get(f"/api/agreements/{agreement.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == agreement.pk
    assert data["status"] == "in_force"
    assert (data["valid_from"], data["valid_until"]) == ("2026-01-01", "2026-12-31")
    # Three months' notice before 31 Dec 2026.
    assert data["notice_date"] == "2026-09-30"
    assert [p["id"] for p in data["parties"]] == [jobcenter.pk, youth_office.pk]
    assert data["measures"] == [MEASURE]
    assert data["deadlines"] == []


def test_an_agreement_the_team_lead_may_not_see_is_404(agreement, family_agreement, jobcenter_lead):
    client = login(jobcenter_lead)
    assert client.get(f"/api/agreements/{agreement.pk}").status_code == 200
    hidden = client.get(f"/api/agreements/{family_agreement.pk}")
    assert hidden.status_code == 404
    assert hidden.json() == NOT_FOUND
    assert "Familien" not in hidden.content.decode()


# --- who may ask at all ---------------------------------------------------------------------------


PATHS = ("/api/indicators", "/api/indicators/referrals/monthly", "/api/agreements")


def test_roles_without_reports_are_refused(agreement, case_worker, dpo, network_admin):
    for user in (case_worker, dpo, network_admin):
        client = login(user)
        for path in (*PATHS, f"/api/agreements/{agreement.pk}"):
            response = client.get(path)
            assert response.status_code == 403, (user.username, path)
            assert response.json() == {"detail": "Keine Berechtigung für diese Aktion."}


def test_anonymous_clients_get_401(agreement):
    for path in (*PATHS, f"/api/agreements/{agreement.pk}"):
        response = Client().get(path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Anmeldung erforderlich."}


def test_a_bearer_token_acts_as_the_team_lead(flows, jobcenter_lead):
    _token, key = create_api_token(actor=actor_for(jobcenter_lead), name="Fachverfahren")
    response = Client().get("/api/indicators", MARCH, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert figures(response)["referrals"]["value"] == 10.0
