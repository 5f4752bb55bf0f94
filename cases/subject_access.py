"""Subject access (Auskunft, Art. 15 DSGVO, § 83 SGB X): everything one organisation holds about
one person, as a JSON file and a readable PDF in one ZIP.

The data protection officer prepares it. They have no access to case files otherwise, so the
records are read with ``of_controller(actor.organisation)``: always the own organisation's file,
never another organisation's record of a person with the same name.
"""

from __future__ import annotations

import io
import json
import zipfile

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import categories
from cases.choices import Purpose, Responsible
from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    HelpAssessment,
    Need,
    Person,
    PlanVersion,
)
from cases.retention import due_on, period_for, record_type_of
from cases.services import own_basis
from core import audit
from core.choices import AuditAction, LegalRegime
from core.models import AuditEntry
from core.pdf import render_pdf_bytes
from core.permissions import Perm
from directory.choices import Language

SUBJECT_ACCESS_PURPOSE = "Auskunft nach Art. 15 DSGVO"
SUBJECT_ACCESS_BASIS = "Art. 15 DSGVO, § 83 SGB X"
REPORT_TEMPLATE = "cases/subject_access_report.html"


# Other apps add what they hold about the person under their own key (referrals: the proof of
# every transfer). ``(organisation, person) -> list[dict]``, registered from AppConfig.ready.
SECTIONS: dict = {}


def register_section(key: str, collect_section) -> None:
    SECTIONS[key] = collect_section


def _staff_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _local(moment):
    return timezone.localtime(moment) if moment else None


def _member_label(member) -> str:
    """Other household members appear only by first name and role."""
    return f"{member.first_name} ({member.get_role_display()})"


def collect(organisation, person: Person) -> dict:
    """Everything ``organisation`` holds about ``person``, as plain data (dates as dates)."""
    if person.organisation_id != organisation.pk:
        raise PermissionDenied
    person = (
        Person.objects.of_controller(organisation)
        .select_related("household__municipality", "municipality", "created_by")
        .get(pk=person.pk)
    )
    household = person.household
    members = list(household.members.exclude(pk=person.pk)) if household else []
    period = period_for(organisation, record_type_of(household or person))
    return {
        "auskunft": {
            "erstellt_am": timezone.localtime(),
            "verantwortliche_stelle": organisation.name,
            "rechtskreis": LegalRegime(organisation.legal_regime).label,
            "rechtsgrundlage_der_verarbeitung": own_basis(organisation),
            "rechtsgrundlage_der_auskunft": SUBJECT_ACCESS_BASIS,
        },
        "person": _master_data(person),
        "bedarfsgemeinschaft": _household(household, person, members),
        "aufbewahrung": {
            "jahre_nach_abschluss": period.years,
            "fall_abgeschlossen_am": (household or person).closed_on,
            "loeschung_vorgesehen_ab": due_on(household or person, period.years),
            "aufbewahrungspflicht": (household or person).legal_hold,
        },
        "handlungsbedarfe": _needs(organisation, person),
        "dokumente": _documents(organisation, person),
        "kooperationsplaene": _plans(organisation, person, members),
        "einwilligungen": _consents(organisation, person),
        "pruefungen_64_sgb_viii": _assessments(organisation, person),
        **{key: collect_section(organisation, person) for key, collect_section in SECTIONS.items()},
        "protokoll": _audit_trail(organisation, person),
        "aenderungshistorie": _change_history(organisation, person),
    }


def _master_data(person: Person) -> dict:
    data = {
        "vorname": person.first_name,
        "nachname": person.last_name,
        "geburtsdatum": person.birth_date,
        "sprachen": [str(dict(Language.choices).get(code, code)) for code in person.languages],
        "telefon": person.phone,
        "e_mail": person.email,
        "widerspruch_aerztliche_unterlagen_76_sgb_x": person.objects_to_medical_transfer,
        "bestrittene_angaben": person.disputed_note,
        "angelegt_am": _local(person.created_at),
        "angelegt_von": _staff_name(person.created_by),
        "fall_abgeschlossen_am": person.closed_on,
    }
    if not person.household_id:
        data["anschrift"] = {
            "strasse": person.street,
            "postleitzahl": person.postal_code,
            "gemeinde": person.municipality.name if person.municipality else "",
        }
    return data


def _household(household, person, members) -> dict | None:
    if household is None:
        return None
    return {
        "nummer": household.number,
        "anschrift": {
            "strasse": household.street,
            "postleitzahl": household.postal_code,
            "gemeinde": household.municipality.name,
        },
        "eigene_rolle": person.get_role_display(),
        "weitere_mitglieder": [
            {"rolle": m.get_role_display(), "vorname": m.first_name} for m in members
        ],
    }


def _needs(organisation, person) -> list[dict]:
    needs = (
        Need.objects.of_controller(organisation)
        .filter(person=person)
        .select_related("problem_situation__parent", "created_by")
        .order_by("since", "pk")
    )
    return [
        {
            "problemlage": str(need.problem_situation),
            "bereich": categories.label(need.category, organisation.network_id),
            "beschreibung": need.description,
            "gewicht": need.get_severity_display(),
            "stand": need.get_status_display(),
            "besteht_seit": need.since,
            "gesundheitsdaten": need.is_special_category,
            # Who entrusted it stays out: § 65 SGB VIII protects that person too.
            "anvertraut_65_sgb_viii": need.entrusted,
            "bestritten": need.disputed_note,
            "erfasst_am": _local(need.created_at),
            "erfasst_von": _staff_name(need.created_by),
        }
        for need in needs
    ]


def _documents(organisation, person) -> list[dict]:
    documents = (
        Document.objects.of_controller(organisation)
        .filter(person=person)
        .select_related("created_by")
        .order_by("received_on", "pk")
    )
    return [
        {
            "titel": document.title,
            "eingegangen_am": document.received_on,
            "von_aerztin_oder_arzt": document.from_doctor,
            "gesundheitsdaten": document.is_special_category,
            "datei_vorhanden": bool(document.file),
            "bestritten": document.disputed_note,
            "erfasst_am": _local(document.created_at),
            "erfasst_von": _staff_name(document.created_by),
        }
        for document in documents
    ]


def _plans(organisation, person, members) -> list[dict]:
    query = Q(person=person)
    if person.household_id:
        query |= Q(household_id=person.household_id)
    plans = CooperationPlan.objects.of_controller(organisation).filter(query).order_by("pk")
    # Agreed versions store responsible persons by full name; others appear by first name.
    others = {f"{m.first_name} {m.last_name}": _member_label(m) for m in members}
    result = []
    for plan in plans:
        steps = plan.steps.select_related(
            "responsible_person", "partner", "offer__organisation", "organisation"
        )
        steps_by_goal: dict[int, list] = {}
        for step in steps:
            steps_by_goal.setdefault(step.goal_id, []).append(step)
        versions = PlanVersion.objects.filter(plan=plan).select_related("agreed_by")
        result.append(
            {
                "art": _("Plan der Bedarfsgemeinschaft")
                if plan.household_id
                else _("eigener Plan"),
                "gilt_ab": plan.starts_on,
                "aktueller_stand": [
                    {
                        "ziel": goal.title,
                        "schritte": [
                            _step(step, person, others) for step in steps_by_goal.get(goal.pk, [])
                        ],
                    }
                    for goal in plan.goals.all()
                ],
                "vereinbarte_fassungen": [
                    {
                        "fassung": version.number,
                        "vereinbart_am": version.agreed_on,
                        "vereinbart_mit": others.get(version.agreed_with, version.agreed_with),
                        "vereinbart_durch": _staff_name(version.agreed_by),
                        "inhalt": _version_content(version.content, others),
                    }
                    for version in versions
                ],
            }
        )
    return result


def _step(step, person, others) -> dict:
    responsible = step.responsible_label
    if step.responsible == Responsible.CLIENT and step.responsible_person_id != person.pk:
        responsible = others.get(responsible, _("ein anderes Mitglied"))
    return {
        "schritt": step.description,
        "verantwortlich": responsible,
        "bis": step.due_on,
        "stand": step.get_status_display(),
    }


def _version_content(content: dict, others: dict) -> dict:
    goals = []
    for goal in content.get("goals", []):
        steps = []
        for step in goal.get("steps", []):
            step = dict(step)
            label = step.get("responsible_label", "")
            if step.get("responsible") == Responsible.CLIENT and label in others:
                step["responsible_label"] = others[label]
            steps.append(step)
        goals.append({**goal, "steps": steps})
    return {**content, "goals": goals}


def _consents(organisation, person) -> list[dict]:
    consents = (
        Consent.objects.of_controller(organisation)
        .filter(data_subject=person)
        .select_related("signatory_person", "revoked_by")
        .prefetch_related("recipients")
        .order_by("given_at")
    )
    purposes = dict(Purpose.choices)
    result = []
    for consent in consents:
        signer = consent.signatory_person.full_name if consent.signatory_person_id else ""
        result.append(
            {
                "erfasst_am": _local(consent.given_at),
                "unterschrieben_von": consent.get_signatory_display(),
                "name_der_unterschreibenden_person": signer or consent.signatory_name,
                "empfaenger": sorted(r.name for r in consent.recipients.all()),
                "zwecke": [str(purposes.get(code, code)) for code in consent.purposes],
                "zweck_naeher": consent.purpose_note,
                "datenkategorien": [
                    categories.label(code, organisation.network_id) for code in consent.categories
                ],
                "gueltig_ab": consent.valid_from,
                "gueltig_bis": consent.valid_until,
                "form": consent.get_form_display(),
                "informiert_ueber_zweck": consent.informed_purpose,
                "informiert_ueber_folgen_der_verweigerung": consent.informed_refusal,
                "informiert_ueber_widerruf": consent.informed_revocation,
                "widerrufen_am": _local(consent.revoked_at),
            }
        )
    return result


def _assessments(organisation, person) -> list[dict]:
    assessments = (
        HelpAssessment.objects.of_controller(organisation)
        .filter(person=person)
        .select_related("recipient")
        .order_by("created_at")
    )
    return [
        {
            "erfasst_am": _local(item.created_at),
            "empfaenger": item.recipient.name,
            "zweck": item.get_purpose_display(),
            "gefaehrdet_die_hilfe": item.endangers_help,
            "begruendung": item.reasoning,
        }
        for item in assessments
    ]


def _object_kind(object_ref: str) -> str:
    label = object_ref.split(":", 1)[0]
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _audit_trail(organisation, person) -> list[dict]:
    """Who read or changed the person's data: every entry with the person as subject."""
    entries = (
        AuditEntry.objects.filter(network_id=organisation.network_id, subject_ref=audit.ref(person))
        .select_related("user", "organisation")
        .order_by("created_at", "sequence")
    )
    return [
        {
            "zeitpunkt": _local(entry.created_at),
            "wer": _staff_name(entry.user),
            "organisation": entry.organisation.name if entry.organisation else "",
            "aktion": entry.get_action_display(),
            "was": _object_kind(entry.object_ref),
            "zweck": entry.purpose,
            "rechtsgrundlage": entry.legal_basis,
        }
        for entry in entries
    ]


def _change_history(organisation, person) -> list[dict]:
    """Changes to the person's own records, with earlier values (the current ones are above)."""
    owned = {
        Person: [person.pk],
        Need: Need.objects.of_controller(organisation).filter(person=person),
        Document: Document.objects.of_controller(organisation).filter(person=person),
        Consent: Consent.objects.of_controller(organisation).filter(data_subject=person),
        HelpAssessment: HelpAssessment.objects.of_controller(organisation).filter(person=person),
    }
    query = Q()
    for model, pks in owned.items():
        if not isinstance(pks, list):
            pks = list(pks.values_list("pk", flat=True))
        if pks:
            query |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            )
    entries = (
        LogEntry.objects.filter(query).select_related("actor", "content_type").order_by("timestamp")
    )
    actions = {
        LogEntry.Action.CREATE: _("angelegt"),
        LogEntry.Action.UPDATE: _("geändert"),
        LogEntry.Action.DELETE: _("gelöscht"),
        LogEntry.Action.ACCESS: _("angesehen"),
    }
    return [
        {
            "zeitpunkt": _local(entry.timestamp),
            "wer": _staff_name(entry.actor),
            "was": str(entry.content_type.model_class()._meta.verbose_name),
            "aktion": str(actions.get(entry.action, entry.action)),
            # A creation holds the first values, which are the current data listed above.
            "aenderungen": {} if entry.action == LogEntry.Action.CREATE else _changes(entry),
        }
        for entry in entries
    ]


def _changes(entry) -> dict:
    model = entry.content_type.model_class()
    # Who entrusted a fact stays out here as everywhere in the export (§ 65 SGB VIII); related
    # sets (recipients) are listed with the consent itself.
    hidden = {str(Need._meta.get_field("entrusted_by").verbose_name)}
    for name, values in entry.changes_dict.items():
        if isinstance(values, dict):
            try:
                hidden.add(str(model._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                hidden.add(name)
    return {
        str(field): [str(value) for value in values]
        for field, values in entry.changes_display_dict.items()
        if str(field) not in hidden
    }


def render_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def render_pdf(data: dict, person: Person) -> bytes:
    return render_pdf_bytes(REPORT_TEMPLATE, {"data": data, "person": person})


@transaction.atomic
def export_bundle(*, actor, person: Person) -> bytes:
    """The ZIP for the person: ``auskunft.json`` and ``auskunft.pdf``; the export is audited."""
    actor.require(Perm.EXPORT_SUBJECT_DATA)
    organisation = actor.organisation
    if organisation is None or person.organisation_id != organisation.pk:
        raise PermissionDenied
    data = collect(organisation, person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("auskunft.json", render_json(data))
        bundle.writestr("auskunft.pdf", render_pdf(data, person))
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=person,
        subject=person,
        purpose=SUBJECT_ACCESS_PURPOSE,
        legal_basis=SUBJECT_ACCESS_BASIS,
    )
    return buffer.getvalue()


def search(actor, *, name: str, birth_date=None):
    """Persons of the actor's own organisation by name (and birth date); never any other's."""
    actor.require(Perm.EXPORT_SUBJECT_DATA)
    persons = Person.objects.of_controller(actor.organisation).active()
    query = Q()
    for word in name.split():
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    persons = persons.filter(query)
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    return persons.select_related("household").order_by("last_name", "first_name", "birth_date")
