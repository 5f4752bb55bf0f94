"""Subject access (Art. 15 DSGVO): the DPO hands a person everything the own organisation holds
about them, including who saw it – and nothing another organisation holds."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases import subject_access
from cases.factories import ConsentFactory, DocumentFactory, NeedFactory, PersonFactory
from cases.services import audit_case
from core import audit
from core.choices import AuditAction, Role
from core.factories import member
from core.models import AuditEntry
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_file(anna, ben, case_worker, youth_office):
    """Anna's record at the Jobcenter: needs (one about health), a document, a consent, a read."""
    NeedFactory(person=anna, code="housing.rent_arrears", description="Mietrückstand März")
    NeedFactory(
        person=anna,
        code="health.mental",
        description="Angststörung, in Behandlung",
        disputed_note="Anna sagt: keine Diagnose",
    )
    DocumentFactory(person=anna, title="Attest Dr. Weber", from_doctor=True)
    ConsentFactory(
        data_subject=anna, recipients=[youth_office], categories=["master_data", "household"]
    )
    audit_case(actor_for(case_worker), AuditAction.VIEW, [(anna, anna)])
    return anna


@pytest.fixture
def namesake(youth_office):
    """The Jugendamt's own record of a person with the same name and birth date."""
    other = PersonFactory(
        organisation=youth_office,
        first_name="Anna",
        last_name="Beispiel",
        birth_date=date(1988, 5, 2),
        phone="0151 999999",
    )
    NeedFactory(person=other, code="family.childcare", description="Geheimnis im Jugendamt")
    return other


def _bundle(client, person):
    response = client.get(reverse("cases:subject_access_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["auskunft.json", "auskunft.pdf"]
    return archive


def test_the_bundle_holds_needs_consents_and_who_saw_the_person(
    client_for, dpo, case_worker, anna_file, namesake
):
    archive = _bundle(client_for(dpo), anna_file)
    raw = archive.read("auskunft.json").decode("utf-8")
    data = json.loads(raw)

    assert data["person"]["vorname"] == "Anna"
    assert data["person"]["geburtsdatum"] == "1988-05-02"
    needs = {need["problemlage"]: need for need in data["handlungsbedarfe"]}
    assert len(needs) == 2
    health = next(need for need in data["handlungsbedarfe"] if need["gesundheitsdaten"])
    assert health["beschreibung"] == "Angststörung, in Behandlung"
    assert health["bestritten"] == "Anna sagt: keine Diagnose"
    assert data["dokumente"][0]["von_aerztin_oder_arzt"] is True
    (consent,) = data["einwilligungen"]
    assert consent["empfaenger"] == ["Jugendamt A"]
    assert consent["widerrufen_am"] is None
    viewed = [
        entry
        for entry in data["protokoll"]
        if entry["aktion"] == "angesehen" and entry["wer"] == case_worker.get_full_name()
    ]
    assert viewed
    assert viewed[0]["organisation"] == "Jobcenter A"
    assert viewed[0]["rechtsgrundlage"]
    # Nothing of the Jugendamt's namesake record.
    assert "Geheimnis im Jugendamt" not in raw
    assert "0151 999999" not in raw


def test_other_household_members_appear_only_by_first_name_and_role(
    client_for, dpo, anna_file, ben
):
    data = json.loads(_bundle(client_for(dpo), anna_file).read("auskunft.json"))

    household = data["bedarfsgemeinschaft"]
    assert household["eigene_rolle"] == "Antragsteller/in"
    assert household["weitere_mitglieder"] == [{"rolle": "Kind", "vorname": "Ben"}]
    assert "2010-09-01" not in json.dumps(data)  # Ben's birth date


def test_the_pdf_is_a_readable_report(client_for, dpo, anna_file):
    pdf = _bundle(client_for(dpo), anna_file).read("auskunft.pdf")
    assert pdf.startswith(b"%PDF")


def test_the_export_itself_is_audited(client_for, dpo, anna_file):
    _bundle(client_for(dpo), anna_file)

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.subject_ref == audit.ref(anna_file)
    assert entry.user == dpo
    assert "Art. 15 DSGVO" in entry.legal_basis


def test_case_workers_get_no_subject_access(client_for, case_worker, anna_file):
    client = client_for(case_worker)
    assert client.get(reverse("cases:subject_access")).status_code == 403
    export = reverse("cases:subject_access_export", args=[anna_file.pk])
    assert client.get(export).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_another_organisations_officer_cannot_export_the_person(
    client_for, youth_office, anna_file
):
    officer = member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt")
    export = reverse("cases:subject_access_export", args=[anna_file.pk])

    assert client_for(officer).get(export).status_code == 404
    with pytest.raises(PermissionDenied):
        subject_access.export_bundle(actor=actor_for(officer), person=anna_file)


def test_the_search_finds_only_the_own_organisations_persons(client_for, dpo, anna_file, namesake):
    response = client_for(dpo).get(
        reverse("cases:subject_access"), {"name": "anna beispiel", "birth_date": "1988-05-02"}
    )

    content = response.content.decode()
    assert "1 Person gefunden" in content
    assert reverse("cases:subject_access_export", args=[anna_file.pk]) in content
    assert reverse("cases:subject_access_export", args=[namesake.pk]) not in content
    # Showing search results is a read of personal data.
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, subject_ref=audit.ref(anna_file), user=dpo
    ).exists()


def test_a_search_without_a_name_is_explained(client_for, dpo, anna_file):
    response = client_for(dpo).get(reverse("cases:subject_access"), {"name": "", "birth_date": ""})
    assert "Bitte geben Sie einen Namen ein." in response.content.decode()


def test_an_unknown_name_gets_a_clear_empty_state(client_for, dpo, anna_file):
    response = client_for(dpo).get(reverse("cases:subject_access"), {"name": "Niemand"})
    assert "Keine Person Ihrer Organisation passt zu dieser Suche" in response.content.decode()
