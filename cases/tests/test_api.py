"""The case-file API: the caller's own organisation only, audited reads, validated writes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import MemberRole
from cases.factories import (
    ConsentFactory,
    GoalFactory,
    HouseholdFactory,
    NeedFactory,
    PersonFactory,
    PlanFactory,
    StepFactory,
    member_of,
)
from cases.models import Consent, CooperationPlan, Household, Need, Person, PlanStep
from core.choices import AuditAction, Role
from core.concurrency import STALE_MESSAGE
from core.factories import MunicipalityFactory, member
from core.models import AuditEntry
from core.permissions import actor_for
from core.services import create_api_token

pytestmark = pytest.mark.django_db

JSON = "application/json"


def bearer(user):
    _token, key = create_api_token(actor=actor_for(user), name="Fachverfahren")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def locations(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def jobcenter_file(household, anna, ben, youth_office):
    """Everything the Jobcenter holds about the Beispiel household."""
    plan = PlanFactory(household=household)
    step = StepFactory(goal=GoalFactory(plan=plan))
    return {
        "household": household,
        "person": anna,
        "need": NeedFactory(person=anna),
        "plan": plan,
        "step": step,
        "consent": ConsentFactory(data_subject=anna, recipients=[youth_office]),
    }


@pytest.fixture
def youth_file(youth_office):
    """The Jugendamt's own file: a household and a young person without one."""
    household = HouseholdFactory(organisation=youth_office, number="JA-1")
    tim = member_of(household, first_name="Tim", last_name="Jung", birth_date=date(2009, 1, 5))
    lea = PersonFactory(
        organisation=youth_office,
        first_name="Lea",
        last_name="Beispiel",
        municipality=household.municipality,
    )
    return {"household": household, "person": tim, "loner": lea}


# --- isolation ---------------------------------------------------------------------------------


def test_the_jugendamt_gets_404_for_everything_in_the_jobcenters_file(
    client, youth_worker, jobcenter_file
):
    auth = bearer(youth_worker)
    f = {name: record.pk for name, record in jobcenter_file.items()}
    missing = client.get("/api/households/987654", **auth)
    assert missing.status_code == 404
    reads = [
        f"/api/households/{f['household']}",
        f"/api/households/{f['household']}/plan",
        f"/api/persons/{f['person']}",
        f"/api/persons/{f['person']}/needs",
        f"/api/persons/{f['person']}/consents",
        f"/api/persons/{f['person']}/plan",
        f"/api/needs/{f['need']}",
        f"/api/plans/{f['plan']}",
        f"/api/plans/{f['plan']}/steps",
        f"/api/consents/{f['consent']}",
        f"/api/consents/{f['consent']}/revoke",
    ]
    for path in reads:
        response = client.get(path, **auth)
        assert response.status_code == 404, path
        assert response.json() == missing.json(), path

    writes = [
        ("patch", f"/api/persons/{f['person']}", {"version": 1, "first_name": "X"}),
        ("patch", f"/api/needs/{f['need']}", {"version": 1, "status": "resolved"}),
        ("post", f"/api/persons/{f['person']}/needs", {"problem_situation": "finances.debt"}),
        ("post", f"/api/consents/{f['consent']}/revoke", {}),
        ("post", f"/api/households/{f['household']}/plan", {}),
    ]
    for method, path, body in writes:
        response = getattr(client, method)(path, body, content_type=JSON, **auth)
        assert response.status_code == 404, path
    jobcenter_file["person"].refresh_from_db()
    assert jobcenter_file["person"].first_name == "Anna"
    assert Need.objects.get(pk=f["need"]).status == "open"
    assert Consent.objects.get(pk=f["consent"]).revoked_at is None
    assert not AuditEntry.objects.filter(user=youth_worker).exclude(object_ref__startswith="core.")


def test_the_jugendamt_cannot_reference_jobcenter_persons_in_its_writes(
    client, youth_worker, jobcenter_file, youth_file, youth_office
):
    anna = jobcenter_file["person"]
    response = client.post(
        "/api/consents",
        {
            "data_subject_id": anna.pk,
            "recipient_ids": [jobcenter_file["household"].organisation_id],
            "purposes": ["referral"],
            "categories": ["master_data"],
        },
        content_type=JSON,
        **bearer(youth_worker),
    )
    assert locations(response)[("body", "payload", "data_subject_id")] == (
        "Diese Person gibt es in Ihrer Akte nicht."
    )
    entrusted = client.post(
        f"/api/persons/{youth_file['person'].pk}/needs",
        {"problem_situation": "family.childcare", "entrusted": True, "entrusted_by_id": anna.pk},
        content_type=JSON,
        **bearer(youth_worker),
    )
    assert ("body", "payload", "entrusted_by_id") in locations(entrusted)
    assert not Consent.objects.filter(organisation=youth_office).exists()


def test_lists_never_include_another_organisations_records(
    client, case_worker, youth_worker, jobcenter_file, youth_file, jobcenter
):
    ConsentFactory(data_subject=youth_file["loner"], recipients=[jobcenter])
    jobcenter = bearer(case_worker)
    youth = bearer(youth_worker)

    assert ids(client.get("/api/households", **jobcenter)) == [jobcenter_file["household"].pk]
    assert ids(client.get("/api/households", **youth)) == [youth_file["household"].pk]
    jobcenter_persons = set(ids(client.get("/api/persons", **jobcenter)))
    assert jobcenter_persons == set(
        Person.objects.filter(household=jobcenter_file["household"]).values_list("pk", flat=True)
    )
    assert set(ids(client.get("/api/persons", **youth))) == {
        youth_file["person"].pk,
        youth_file["loner"].pk,
    }
    # The same surname in both files: each search finds only its own.
    assert ids(client.get("/api/persons", {"q": "Beispiel"}, **youth)) == [youth_file["loner"].pk]
    assert ids(client.get("/api/households", {"q": "Beispiel"}, **youth)) == []
    consents = ids(client.get("/api/consents", **jobcenter))
    assert consents == [jobcenter_file["consent"].pk]
    assert jobcenter_file["consent"].pk not in ids(client.get("/api/consents", **youth))


def test_households_are_searched_by_number_and_member_names_and_filtered_by_municipality(
    client_for, case_worker, household, anna, jobcenter, network
):
    babenhausen = MunicipalityFactory(network=network, name="Babenhausen")
    other = HouseholdFactory(
        organisation=jobcenter, number="06432BG0000099", municipality=babenhausen
    )
    member_of(other, first_name="Carla", last_name="Weber")
    client = client_for(case_worker)
    assert ids(client.get("/api/households", {"q": "anna beisp"})) == [household.pk]
    assert ids(client.get("/api/households", {"q": "0000099"})) == [other.pk]
    assert ids(client.get("/api/households", {"municipality": other.municipality_id})) == [other.pk]
    listed = client.get("/api/households", {"q": "Beispiel"}).json()["items"][0]
    assert [m["first_name"] for m in listed["members"]] == ["Anna"]
    assert listed["number"] == "06432BG0000001"


# --- special category data ---------------------------------------------------------------------


def test_a_team_lead_sees_no_health_need_and_cannot_record_one(
    client, team_lead, case_worker, household, anna
):
    housing = NeedFactory(person=anna)
    health = NeedFactory(person=anna, code="health.mental", description="Depression")
    lead = bearer(team_lead)

    listed = client.get(f"/api/persons/{anna.pk}/needs", **lead).json()
    assert [n["id"] for n in listed] == [housing.pk]
    assert client.get(f"/api/needs/{health.pk}", **lead).status_code == 404
    detail = client.get(f"/api/households/{household.pk}", **lead).json()
    assert [n["id"] for n in detail["members"][0]["needs"]] == [housing.pk]
    assert "Depression" not in str(detail)
    edit = client.patch(
        f"/api/needs/{health.pk}", {"version": 1, "status": "resolved"}, content_type=JSON, **lead
    )
    assert edit.status_code == 404

    refused = client.post(
        f"/api/persons/{anna.pk}/needs",
        {"problem_situation": "health.addiction"},
        content_type=JSON,
        **lead,
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Gesundheitsdaten dürfen Sie nicht erfassen."}
    turned = client.patch(
        f"/api/needs/{housing.pk}",
        {"version": 1, "problem_situation": "health.physical"},
        content_type=JSON,
        **lead,
    )
    assert turned.status_code == 403
    assert Need.objects.filter(person=anna).count() == 2
    housing.refresh_from_db()
    assert (housing.problem_situation.code, housing.version) == ("housing.rent_arrears", 1)

    # The case manager plans with health data and sees both.
    both = client.get(f"/api/persons/{anna.pk}/needs", **bearer(case_worker)).json()
    assert {n["id"] for n in both} == {housing.pk, health.pk}
    assert next(n for n in both if n["id"] == health.pk)["is_special_category"] is True


# --- households and persons --------------------------------------------------------------------


def household_payload(municipality, **applicant):
    return {
        "number": "06432BG0000777",
        "street": "Am Markt 5",
        "postal_code": "64807",
        "municipality": municipality.pk,
        "applicant": {
            "first_name": "Sema",
            "last_name": "Yılmaz",
            "birth_date": "1990-04-12",
            "languages": ["de", "tr"],
            "phone": "0151 2345678",
            **applicant,
        },
    }


def test_a_household_is_created_with_its_applicant_and_a_duplicate_answers_409(
    client, case_worker, jobcenter
):
    auth = bearer(case_worker)
    municipality = jobcenter.municipality
    created = client.post(
        "/api/households", household_payload(municipality), content_type=JSON, **auth
    )
    assert created.status_code == 201, created.content
    data = created.json()
    household = Household.objects.get(pk=data["id"])
    assert household.organisation == jobcenter
    assert (data["number"], data["municipality"]["name"]) == ("06432BG0000777", "Dieburg")
    [applicant] = data["members"]
    assert (applicant["first_name"], applicant["role"]) == ("Sema", MemberRole.APPLICANT)
    assert applicant["languages"] == ["de", "tr"]
    assert applicant["needs"] == []
    assert Person.objects.get(pk=applicant["id"]).household == household

    again = household_payload(municipality, first_name="sema", last_name="Yılmaz")
    again["number"] = "06432BG0000778"
    duplicate = client.post("/api/households", again, content_type=JSON, **auth)
    assert duplicate.status_code == 409
    assert duplicate.json()["duplicates"] == [{"id": applicant["id"], "household_id": household.pk}]
    assert "Namen und Geburtsdatum" in duplicate.json()["detail"]
    assert Household.objects.count() == 1
    assert Person.objects.count() == 1

    lone = client.post(
        "/api/persons",
        {**again["applicant"], "municipality": municipality.pk},
        content_type=JSON,
        **auth,
    )
    assert lone.status_code == 409
    assert [d["id"] for d in lone.json()["duplicates"]] == [applicant["id"]]

    again["allow_duplicate"] = True
    assert client.post("/api/households", again, content_type=JSON, **auth).status_code == 201
    assert Person.objects.count() == 2


def test_a_member_is_added_to_a_household(client_for, case_worker, household, anna):
    response = client_for(case_worker).post(
        "/api/persons",
        {
            "household_id": household.pk,
            "role": "partner",
            "first_name": "Ole",
            "last_name": "Beispiel",
            "birth_date": "1987-01-30",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["household_id"] == household.pk
    assert household.members.get(first_name="Ole").role == "partner"


def test_bad_household_input_answers_422_in_german_and_saves_nothing(
    client, case_worker, jobcenter, household, outsider_org
):
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    payload = household_payload(jobcenter.municipality, birth_date=future, email="kaputt")
    payload |= {"number": household.number, "postal_code": "123"}
    errors = locations(
        client.post("/api/households", payload, content_type=JSON, **bearer(case_worker))
    )
    assert errors[("body", "payload", "applicant", "birth_date")] == (
        "Das Geburtsdatum darf nicht in der Zukunft liegen."
    )
    assert errors[("body", "payload", "applicant", "email")] == (
        "Bitte gültige E-Mail-Adresse eingeben."
    )
    assert errors[("body", "payload", "number")] == (
        "Diese Nummer ist in Ihrer Akte bereits vergeben."
    )
    foreign = household_payload(outsider_org.municipality)
    errors = locations(
        client.post("/api/households", foreign, content_type=JSON, **bearer(case_worker))
    )
    assert errors[("body", "payload", "municipality")] == (
        "Diese Gemeinde gibt es im Netzwerk nicht."
    )
    assert Household.objects.count() == 1
    assert not Person.objects.filter(first_name="Sema").exists()


def test_a_person_without_household_needs_a_municipality_and_members_no_address(
    client_for, case_worker, household
):
    client = client_for(case_worker)
    person = {"first_name": "Lia", "last_name": "Ohne", "birth_date": "1999-09-09"}
    errors = locations(client.post("/api/persons", person, content_type=JSON))
    assert errors[("body", "payload", "municipality")] == "Dieses Feld ist zwingend erforderlich."
    member = {**person, "household_id": household.pk, "street": "Anderswo 1"}
    errors = locations(client.post("/api/persons", member, content_type=JSON))
    assert errors[("body", "payload", "street")] == (
        "Mitglieder wohnen unter der Anschrift der Bedarfsgemeinschaft."
    )
    assert not Person.objects.filter(first_name="Lia").exists()


def test_a_person_is_changed_with_the_current_version_and_a_stale_one_changes_nothing(
    client, case_worker, anna
):
    auth = bearer(case_worker)
    path = f"/api/persons/{anna.pk}"
    changed = client.patch(
        path,
        {"version": 1, "phone": "06071 99", "languages": ["de", "ar"]},
        content_type=JSON,
        **auth,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    assert changed.json()["languages"] == ["ar", "de"]
    anna.refresh_from_db()
    assert (anna.phone, anna.first_name, anna.version) == ("06071 99", "Anna", 2)

    stale = client.patch(path, {"version": 1, "first_name": "Hanna"}, content_type=JSON, **auth)
    assert stale.status_code == 409
    assert stale.json() == {"detail": str(STALE_MESSAGE)}
    anna.refresh_from_db()
    assert (anna.first_name, anna.version) == ("Anna", 2)

    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.patch(
        path, {"version": 2, "birth_date": future, "last_name": None}, content_type=JSON, **auth
    )
    errors = locations(bad)
    assert errors[("body", "payload", "last_name")] == "Dieses Feld darf nicht null sein."
    anna.refresh_from_db()
    assert (anna.birth_date, anna.version) == (date(1988, 5, 2), 2)
    errors = locations(
        client.patch(path, {"version": 2, "birth_date": future}, content_type=JSON, **auth)
    )
    assert errors[("body", "payload", "birth_date")] == (
        "Das Geburtsdatum darf nicht in der Zukunft liegen."
    )
    assert client.patch(path, {"first_name": "X"}, content_type=JSON, **auth).status_code == 422


# --- needs -------------------------------------------------------------------------------------


def test_a_need_is_recorded_and_changed_with_optimistic_locking(client, case_worker, anna):
    auth = bearer(case_worker)
    created = client.post(
        f"/api/persons/{anna.pk}/needs",
        {"problem_situation": "finances.debt", "description": "Stromschulden", "severity": "high"},
        content_type=JSON,
        **auth,
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["problem_situation"] == {"code": "finances.debt", "label": "Schulden"}
    assert (data["category"], data["since"]) == ("needs.finances", timezone.localdate().isoformat())
    assert data["recorded_by"]

    path = f"/api/needs/{data['id']}"
    done = client.patch(path, {"version": 1, "status": "resolved"}, content_type=JSON, **auth)
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["version"]) == ("resolved", 2)
    stale = client.patch(
        path, {"version": 1, "description": "überschrieben"}, content_type=JSON, **auth
    )
    assert stale.status_code == 409
    need = Need.objects.get(pk=data["id"])
    assert (need.description, need.status, need.version) == ("Stromschulden", "resolved", 2)


def test_bad_need_input_answers_422_in_german(client, case_worker, anna):
    auth = bearer(case_worker)
    path = f"/api/persons/{anna.pk}/needs"
    unknown = client.post(path, {"problem_situation": "raumfahrt.mond"}, content_type=JSON, **auth)
    assert locations(unknown)[("body", "payload", "problem_situation")] == (
        "Unbekannte Problemlage: raumfahrt.mond"
    )
    group = client.post(path, {"problem_situation": "housing"}, content_type=JSON, **auth)
    assert ("body", "payload", "problem_situation") in locations(group)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    since = {"problem_situation": "finances.debt", "since": future}
    errors = locations(client.post(path, since, content_type=JSON, **auth))
    assert errors[("body", "payload", "since")] == (
        "„Besteht seit“ darf nicht in der Zukunft liegen."
    )
    extreme = {"problem_situation": "finances.debt", "severity": "extrem"}
    errors = locations(client.post(path, extreme, content_type=JSON, **auth))
    assert errors[("body", "payload", "severity")] == "Unzulässiger Wert."
    # § 65 SGB VIII: only a Jugendamt records entrusted data.
    entrusted = client.post(
        path,
        {"problem_situation": "finances.debt", "entrusted": True, "entrusted_by_id": anna.pk},
        content_type=JSON,
        **auth,
    )
    assert locations(entrusted)[("body", "payload", "entrusted")] == (
        "Nur das Jugendamt erfasst anvertraute Daten (§ 65 SGB VIII)."
    )
    assert not Need.objects.exists()


def test_the_jugendamt_records_who_entrusted_a_need(client, youth_worker, youth_file):
    grandmother = youth_file["loner"]
    response = client.post(
        f"/api/persons/{youth_file['person'].pk}/needs",
        {
            "problem_situation": "family.childcare",
            "entrusted": True,
            "entrusted_by_id": grandmother.pk,
        },
        content_type=JSON,
        **bearer(youth_worker),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["entrusted"], response.json()["entrusted_by_id"]) == (
        True,
        grandmother.pk,
    )


# --- plans -------------------------------------------------------------------------------------


def test_the_plan_shows_goals_steps_and_agreed_versions(
    client, case_worker, jobcenter_file, household
):
    from cases.services import agree_plan

    plan = jobcenter_file["plan"]
    actor = actor_for(case_worker)
    agree_plan(
        actor=actor,
        plan=plan,
        agreed_on=timezone.localdate(),
        agreed_with="Anna Beispiel",
        expected_version=plan.version,
    )
    auth = bearer(case_worker)
    data = client.get(f"/api/households/{household.pk}/plan", **auth).json()
    assert data["id"] == plan.pk
    assert client.get(f"/api/plans/{plan.pk}", **auth).json() == data
    [goal] = data["goals"]
    assert goal["title"] == "Wohnung sichern"
    assert goal["steps"][0]["description"] == "Termin bei der Schuldnerberatung vereinbaren"
    assert goal["steps"][0]["responsible_label"] == "Jobcenter A"
    [version] = data["versions"]
    assert (version["number"], version["agreed_with"]) == (1, "Anna Beispiel")
    assert version["agreed_on"] == timezone.localdate().isoformat()
    assert version["content"]["goals"][0]["title"] == "Wohnung sichern"
    assert data["changed_since_agreement"] is False


def test_a_household_without_plan_answers_404_until_one_is_started(
    client, case_worker, household, anna
):
    auth = bearer(case_worker)
    path = f"/api/households/{household.pk}/plan"
    assert client.get(path, **auth).status_code == 404
    started = client.post(path, **auth)
    assert started.status_code == 201
    assert client.post(path, **auth).status_code == 200
    assert client.get(path, **auth).json()["id"] == started.json()["id"]
    assert CooperationPlan.objects.filter(household=household).count() == 1


def test_steps_are_added_with_the_plan_version_and_refused_before_the_plan_starts(
    client, case_worker, household, anna
):
    auth = bearer(case_worker)
    plan = client.post(f"/api/households/{household.pk}/plan", **auth).json()
    path = f"/api/plans/{plan['id']}/steps"
    step = {
        "version": plan["version"],
        "goal_title": "Schulden regeln",
        "description": "Unterlagen sammeln",
        "responsible": "client",
        "responsible_person_id": anna.pk,
        "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }
    added = client.post(path, step, content_type=JSON, **auth)
    assert added.status_code == 201, added.content
    data = added.json()
    assert data["version"] == plan["version"] + 2  # the new goal and the step
    assert data["goals"][0]["steps"][0]["responsible_label"] == "Anna Beispiel"

    stale = client.post(path, step, content_type=JSON, **auth)
    assert stale.status_code == 409
    early = {**step, "version": data["version"], "due_on": "2000-01-01"}
    errors = locations(client.post(path, early, content_type=JSON, **auth))
    message = errors[("body", "payload", "due_on")]
    assert message.startswith("Der Schritt kann nicht vor Beginn des Plans")
    no_person = {
        **step,
        "version": data["version"],
        "goal_title": "Neu",
        "responsible_person_id": None,
    }
    assert ("body", "payload", "responsible_person_id") in locations(
        client.post(path, no_person, content_type=JSON, **auth)
    )
    assert PlanStep.objects.count() == 1
    # The refused step's new goal was not kept either.
    assert [g["title"] for g in client.get(f"/api/plans/{plan['id']}", **auth).json()["goals"]] == [
        "Schulden regeln"
    ]


# --- consents ----------------------------------------------------------------------------------


def consent_payload(person, *recipients, **changes):
    return {
        "data_subject_id": person.pk,
        "recipient_ids": [r.pk for r in recipients],
        "purposes": ["referral"],
        "purpose_note": "Überleitung zur Familienhilfe",
        "categories": ["master_data", "needs.family"],
        "informed_purpose": True,
        "informed_refusal": True,
        "informed_revocation": True,
        **changes,
    }


def test_a_consent_is_recorded(client, case_worker, anna, youth_office, partner):
    response = client.post(
        "/api/consents",
        consent_payload(anna, youth_office, partner),
        content_type=JSON,
        **bearer(case_worker),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert [r["name"] for r in data["recipients"]] == ["Jugendamt A", "Stadtteilzentrum Nord"]
    assert data["valid_from"] == timezone.localdate().isoformat()
    assert data["valid_until"] > data["valid_from"]
    assert (data["is_valid_now"], data["revoked_at"]) == (True, None)
    assert Consent.objects.get(pk=data["id"]).data_subject == anna


def test_consent_validation_answers_422_in_german(
    client, case_worker, anna, youth_office, outsider_org, jobcenter
):
    auth = bearer(case_worker)
    today = timezone.localdate()

    def errors(**changes):
        payload = consent_payload(anna, youth_office, **changes)
        return locations(client.post("/api/consents", payload, content_type=JSON, **auth))

    backwards = errors(valid_from=today.isoformat(), valid_until=(today - timedelta(1)).isoformat())
    assert backwards[("body", "payload", "valid_until")] == "Das Ende liegt vor dem Beginn."
    too_long = errors(valid_until=(today + timedelta(days=800)).isoformat())
    assert too_long[("body", "payload", "valid_until")] == (
        "Eine Einwilligung gilt höchstens 24 Monate."
    )
    retro = errors(valid_from=(today - timedelta(days=1)).isoformat())
    assert retro[("body", "payload", "valid_from")].startswith("Eine Einwilligung gilt frühestens")
    outside = errors(recipient_ids=[youth_office.pk, outsider_org.pk])
    assert outside[("body", "payload", "recipient_ids", 1)] == (
        "Diese Organisation gibt es im Netzwerk nicht."
    )
    own = errors(recipient_ids=[jobcenter.pk])
    assert (
        own[("body", "payload", "recipient_ids")] == "Die eigene Organisation ist kein Empfänger."
    )
    uninformed = errors(informed_refusal=False)
    assert uninformed[("body", "payload", "informed_revocation")].startswith(
        "Die Person muss über Zweck"
    )
    unknown = errors(categories=["master_data", "alles"])
    assert unknown[("body", "payload", "categories")] == "Unbekannte Datenkategorie: alles"
    assert errors(purposes=["werbung"])[("body", "payload", "purposes", 0)] == "Unzulässiger Wert."
    eight = member_of(
        anna.household, role=MemberRole.CHILD, birth_date=today.replace(year=today.year - 8)
    )
    child = locations(
        client.post(
            "/api/consents", consent_payload(eight, youth_office), content_type=JSON, **auth
        )
    )
    assert child[("body", "payload", "signatory")] == (
        "Unter 15 Jahren unterschreibt die gesetzliche Vertretung (§ 36 SGB I)."
    )
    assert not Consent.objects.exists()


def test_revoking_works_and_is_idempotent(client, case_worker, jobcenter_file):
    consent = jobcenter_file["consent"]
    auth = bearer(case_worker)
    path = f"/api/consents/{consent.pk}/revoke"
    assert client.get(path, **auth).json()["revoked"] is False
    first = client.post(path, **auth)
    assert first.status_code == 200, first.content
    assert first.json()["revoked_at"] is not None
    assert first.json()["is_valid_now"] is False
    second = client.post(path, **auth)
    assert second.status_code == 200
    assert second.json()["revoked_at"] == first.json()["revoked_at"]
    consent.refresh_from_db()
    assert consent.revoked_by == case_worker
    updates = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_ref=f"cases.consent:{consent.pk}"
    )
    assert updates.count() == 1
    state = client.get(path, **auth).json()
    assert (state["revoked"], state["revoked_by"]) == (True, case_worker.get_full_name())
    assert ids(client.get("/api/consents", {"valid_now": True}, **auth)) == []


def test_consents_are_written_only_with_the_right_to_manage_them(
    client_for, jobcenter, jobcenter_file, youth_office
):
    coordinator = member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")
    client = client_for(coordinator)
    consent = jobcenter_file["consent"]
    assert client.post(f"/api/consents/{consent.pk}/revoke").status_code == 403
    payload = consent_payload(jobcenter_file["person"], youth_office)
    assert client.post("/api/consents", payload, content_type=JSON).status_code == 403
    assert client.get(f"/api/consents/{consent.pk}").status_code == 403


# --- audit -------------------------------------------------------------------------------------


def test_reads_create_audit_entries_with_the_person_as_subject(
    client, case_worker, jobcenter_file, household, anna, ben
):
    auth = bearer(case_worker)
    need = jobcenter_file["need"]

    def entries():
        return set(
            AuditEntry.objects.filter(action=AuditAction.VIEW, user=case_worker).values_list(
                "object_ref", "subject_ref"
            )
        )

    client.get(f"/api/persons/{anna.pk}", **auth)
    assert entries() == {(f"cases.person:{anna.pk}", f"cases.person:{anna.pk}")}
    client.get(f"/api/households/{household.pk}", **auth)
    assert {
        (f"cases.household:{household.pk}", f"cases.person:{anna.pk}"),
        (f"cases.household:{household.pk}", f"cases.person:{ben.pk}"),
        (f"cases.need:{need.pk}", f"cases.person:{anna.pk}"),
    } <= entries()
    client.get(f"/api/plans/{jobcenter_file['plan'].pk}", **auth)
    client.get(f"/api/consents/{jobcenter_file['consent'].pk}", **auth)
    assert (f"cases.cooperationplan:{jobcenter_file['plan'].pk}", f"cases.person:{ben.pk}") in (
        entries()
    )
    assert (f"cases.consent:{jobcenter_file['consent'].pk}", f"cases.person:{anna.pk}") in (
        entries()
    )
    views = AuditEntry.objects.filter(action=AuditAction.VIEW, user=case_worker)
    before = views.count()
    page = client.get("/api/persons", {"limit": 1}, **auth).json()
    assert page["count"] == 2
    [listed] = views.order_by("-sequence")[:1]
    assert views.count() == before + 1  # only the person on the page, not Ben
    assert (listed.object_ref, listed.subject_ref) == (
        f"cases.person:{anna.pk}",
        f"cases.person:{anna.pk}",
    )


# --- access and the OpenAPI document -----------------------------------------------------------


def test_callers_without_login_or_case_rights_are_refused(
    client, client_for, jobcenter_file, partner, dpo
):
    household = jobcenter_file["household"]
    assert client.get("/api/households").status_code == 401
    assert client.get(f"/api/households/{household.pk}").status_code == 401
    partner_staff = member(Role.PARTNER_STAFF, partner, username="partnerin")
    assert client.get("/api/households", **bearer(partner_staff)).status_code == 403
    refused = client_for(dpo).get(f"/api/households/{household.pk}")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Keine Berechtigung für diese Aktion."}


def test_the_openapi_document_lists_the_case_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/households": {"get", "post"},
        "/api/households/{household_id}": {"get"},
        "/api/households/{household_id}/plan": {"get", "post"},
        "/api/persons": {"get", "post"},
        "/api/persons/{person_id}": {"get", "patch"},
        "/api/persons/{person_id}/needs": {"get", "post"},
        "/api/needs/{need_id}": {"get", "patch"},
        "/api/plans/{plan_id}": {"get"},
        "/api/plans/{plan_id}/steps": {"get", "post"},
        "/api/persons/{person_id}/consents": {"get"},
        "/api/consents": {"get", "post"},
        "/api/consents/{consent_id}": {"get"},
        "/api/consents/{consent_id}/revoke": {"get", "post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path


# --- query counts ------------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, response.content
    return len(captured)


def _add_households(jobcenter, youth_office, count):
    for _ in range(count):
        household = HouseholdFactory(organisation=jobcenter)
        adult = member_of(household)
        member_of(household, role=MemberRole.CHILD, birth_date=date(2015, 1, 1))
        NeedFactory(person=adult)
        ConsentFactory(data_subject=adult, recipients=[youth_office])


@pytest.mark.parametrize("path", ["/api/households", "/api/persons", "/api/consents"])
def test_list_queries_do_not_grow_with_the_number_of_records(
    client_for, case_worker, jobcenter, youth_office, path
):
    client = client_for(case_worker)
    _add_households(jobcenter, youth_office, 2)
    few = _queries(client, path)
    _add_households(jobcenter, youth_office, 8)
    assert client.get(path).json()["count"] >= 10
    assert _queries(client, path) == few


def test_the_household_page_queries_do_not_grow_with_members_and_needs(
    client_for, case_worker, household, anna
):
    client = client_for(case_worker)
    NeedFactory(person=anna)
    few = _queries(client, f"/api/households/{household.pk}")
    for _ in range(4):
        NeedFactory(person=member_of(household, role=MemberRole.OTHER))
    assert _queries(client, f"/api/households/{household.pk}") == few
