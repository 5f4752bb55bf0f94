import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction

from core import audit
from core.choices import AuditAction, Role
from core.factories import OrganisationFactory, member
from core.models import AuditEntry
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def _entries(actor, n=3):
    return [
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=actor.organisation,
            subject=f"cases.person:{i}",
            purpose="Fallbearbeitung",
            legal_basis="§ 67a SGB X",
        )
        for i in range(n)
    ]


def test_an_entry_holds_references_not_data(case_worker):
    entry = _entries(actor_for(case_worker), 1)[0]
    assert entry.object_ref == f"core.organisation:{entry.organisation_id}"
    assert entry.subject_ref == "cases.person:0"
    assert entry.user == case_worker
    with pytest.raises(ValueError, match=r"app\.model:id"):
        audit.record(
            actor=actor_for(case_worker),
            action=AuditAction.VIEW,
            obj="Max Mustermann, geb. 1.1.1980",
        )


def test_entries_form_an_unbroken_hash_chain(case_worker):
    actor = actor_for(case_worker)
    first, second, third = _entries(actor)
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert [e.sequence for e in (first, second, third)][1:] == [
        first.sequence + 1,
        first.sequence + 2,
    ]
    assert audit.verify_chain(first.chain) is None


def test_entries_cannot_be_changed_or_deleted_through_the_orm(case_worker):
    entry = _entries(actor_for(case_worker), 1)[0]
    entry.purpose = "anders"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="anders")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_updates(case_worker):
    entry = _entries(actor_for(case_worker), 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET purpose = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for the test runner's flush"
)
def test_postgresql_refuses_deletes(case_worker):
    entry = _entries(actor_for(case_worker), 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])


def _tamper(sql, params):
    """Simulate an attacker with database rights who first removes the trigger."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS core_auditentry_no_update"
            + (" ON core_auditentry" if connection.vendor == "postgresql" else "")
        )
        cursor.execute(sql, params)


def test_a_changed_entry_breaks_the_chain(case_worker):
    entries = _entries(actor_for(case_worker), 4)
    _tamper("UPDATE core_auditentry SET purpose = 'harmlos' WHERE id = %s", [entries[1].pk])
    assert audit.verify_chain(entries[0].chain) == entries[1].sequence


def test_a_removed_entry_breaks_the_chain(case_worker):
    entries = _entries(actor_for(case_worker), 4)
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
    assert audit.verify_chain(entries[0].chain) == entries[3].sequence


def test_a_removed_last_entry_is_noticed_by_the_chain_head(case_worker):
    entries = _entries(actor_for(case_worker), 3)
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
    assert audit.verify_chain(entries[0].chain) == entries[2].sequence


def test_networks_have_separate_chains(case_worker, outsider):
    mine = _entries(actor_for(case_worker), 1)[0]
    theirs = _entries(actor_for(outsider), 1)[0]
    assert mine.chain != theirs.chain
    assert theirs.prev_hash == audit.GENESIS_HASH or theirs.sequence > 1


def test_login_and_reads_of_staff_contacts_are_audited(client_for, case_worker, jobcenter):
    client = client_for(case_worker)
    assert AuditEntry.objects.filter(user=case_worker, action=AuditAction.LOGIN).exists()
    client.get(f"/organisationen/{jobcenter.pk}/")
    view = AuditEntry.objects.get(user=case_worker, action=AuditAction.VIEW)
    assert view.object_ref == f"core.organisation:{jobcenter.pk}"
    assert view.request_id  # ties the entry to the request log


def test_the_dpo_sees_entries_of_their_organisation_only(client_for, dpo, case_worker, jobcenter):
    neighbour = OrganisationFactory(network=jobcenter.network, name="Stadtteilzentrum Nord")
    partner = member(Role.PARTNER_STAFF, neighbour, username="partner")
    _entries(actor_for(case_worker), 2)
    _entries(actor_for(partner), 2)
    page = client_for(dpo).get("/datenschutz/protokoll/").context["page"]
    assert {e.organisation_id for e in page.object_list} == {jobcenter.pk}


def test_the_dpo_searches_by_person_user_and_period(client_for, dpo, case_worker):
    _entries(actor_for(case_worker), 3)
    client = client_for(dpo)
    by_person = client.get("/datenschutz/protokoll/", {"subject": "cases.person:1"}).context["page"]
    assert [e.subject_ref for e in by_person.object_list] == ["cases.person:1"]
    by_user = client.get(
        "/datenschutz/protokoll/", {"user": case_worker.username.upper(), "action": "view"}
    ).context["page"]
    assert by_user.paginator.count == 3
    future = client.get("/datenschutz/protokoll/", {"date_from": "2099-01-01"}).context["page"]
    assert future.paginator.count == 0


def test_a_reversed_period_is_explained(client_for, dpo):
    response = client_for(dpo).get(
        "/datenschutz/protokoll/", {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert "Das Ende des Zeitraums liegt vor dem Anfang." in response.text


def test_the_csv_export_contains_the_filtered_entries_and_is_itself_audited(
    client_for, dpo, case_worker
):
    _entries(actor_for(case_worker), 3)
    response = client_for(dpo).get(
        "/datenschutz/protokoll/export.csv", {"subject": "cases.person:2"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][0] == "Zeitpunkt"
    assert [row[7] for row in rows[1:]] == ["cases.person:2"]
    assert AuditEntry.objects.filter(user=dpo, action=AuditAction.EXPORT).count() == 1


def test_the_chain_check_on_the_audit_page_reports_an_intact_chain(client_for, dpo, case_worker):
    _entries(actor_for(case_worker), 2)
    response = client_for(dpo).get("/datenschutz/protokoll/", {"verify": "1"})
    assert "vollständig und unverändert" in response.text


def test_no_page_offers_to_edit_or_delete_audit_entries(client_for, network_admin):
    client = client_for(network_admin)
    assert client.get("/admin/core/auditentry/").status_code == 404
    assert "auditentry" not in client.get("/admin/").text.lower()
