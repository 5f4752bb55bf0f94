"""Reads for the case pages: the case list and everything one case file page shows.

Every query starts from ``visible_to(actor)``, so another organisation's records and special
category data the role may not see are simply absent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from cases.choices import OPEN_STEP_STATUSES
from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanStep,
    PlanVersion,
)
from cases.services import audit_case
from core.choices import AuditAction, OrganisationType

CONSENT_EXPIRY_WARNING_DAYS = 30


def household_list(actor, *, q: str = "", status: str = "open", municipality=None, sort=""):
    households = Household.objects.visible_to(actor).filter(erased_at__isnull=True)
    if q:
        members = Person.objects.visible_to(actor).filter(household=OuterRef("pk")).search(q)
        households = households.filter(Q(number__icontains=q.strip()) | Q(Exists(members)))
    households = _by_status(households, status)
    if municipality is not None:
        households = households.filter(municipality=municipality)
    order = {"name": ["municipality__name", "-created_at"], "number": ["number"]}.get(
        sort, ["-created_at", "-pk"]
    )
    return (
        households.select_related("municipality")
        .prefetch_related(
            Prefetch("members", queryset=Person.objects.order_by("role", "birth_date"))
        )
        .order_by(*order)
    )


def person_list(actor, *, q: str = "", status: str = "open", municipality=None, sort=""):
    persons = Person.objects.visible_to(actor).active().filter(household__isnull=True)
    if q:
        persons = persons.search(q)
    persons = _by_status(persons, status)
    if municipality is not None:
        persons = persons.filter(municipality=municipality)
    order = {"name": ["last_name", "first_name"], "number": ["last_name"]}.get(
        sort, ["-created_at", "-pk"]
    )
    return persons.select_related("municipality").order_by(*order)


def _by_status(queryset, status):
    if status == "closed":
        return queryset.filter(closed_on__isnull=False)
    if status == "all":
        return queryset
    return queryset.filter(closed_on__isnull=True)


def _members(actor, household: Household | None, person: Person | None) -> list[Person]:
    needs = (
        Need.objects.visible_to(actor)
        .select_related("problem_situation__parent", "entrusted_by", "created_by")
        .order_by("status", "-since")
    )
    consents = Consent.objects.visible_to(actor).prefetch_related("recipients")
    documents = Document.objects.visible_to(actor)
    persons = (
        Person.objects.visible_to(actor)
        .prefetch_related(
            Prefetch("needs", queryset=needs, to_attr="visible_needs"),
            Prefetch("consents", queryset=consents, to_attr="all_consents"),
            Prefetch("documents", queryset=documents, to_attr="visible_documents"),
        )
        .order_by("role", "birth_date", "pk")
    )
    if household is not None:
        return list(persons.filter(household=household))
    return list(persons.filter(pk=person.pk))


def case_file(actor, *, household: Household | None = None, person: Person | None = None) -> dict:
    """Everything the case file page shows, and the audit entries for reading it."""
    members = _members(actor, household, person)
    now = timezone.now()
    today = timezone.localdate()
    for member in members:
        member.valid_consents = [c for c in member.all_consents if c.is_valid_at(now)]
    plan = _plan(actor, household=household, person=person)
    open_steps = list(plan.open_steps) if plan else []
    deadlines = _deadlines(members, open_steps, today)
    assessments = []
    if actor.organisation.type == OrganisationType.YOUTH_OFFICE:
        assessments = list(
            HelpAssessment.objects.visible_to(actor)
            .filter(person__in=members)
            .select_related("recipient", "person")
        )
    context = {"plan": plan, "assessments": assessments}
    events = timeline.events_for(actor, persons=members, household=household, context=context)
    _audit_view(actor, household, members)
    return {
        "household": household,
        "person": person,
        "members": members,
        "plan": plan,
        "open_steps": open_steps,
        "deadlines": deadlines,
        "events": events,
        "assessments": assessments,
        "is_youth_office": actor.organisation.type == OrganisationType.YOUTH_OFFICE,
        "today": today,
    }


def _plan(actor, *, household, person):
    plans = CooperationPlan.objects.visible_to(actor).prefetch_related(
        Prefetch(
            "steps",
            queryset=PlanStep.objects.for_actor(actor)
            .filter(status__in=OPEN_STEP_STATUSES)
            .select_related("offer__organisation", "partner", "responsible_person", "organisation")
            .order_by("due_on", "pk"),
            to_attr="open_steps",
        ),
        Prefetch("versions", queryset=PlanVersion.objects.select_related("agreed_by")),
    )
    lookup = {"household": household} if household is not None else {"person": person}
    return plans.filter(**lookup).first()


def _deadlines(members, open_steps, today) -> list[dict]:
    deadlines = [
        {
            "date": step.due_on,
            "text": step.description,
            "who": step.responsible_label,
            "overdue": step.due_on < today,
            "kind": _("Schritt im Kooperationsplan"),
        }
        for step in open_steps
        if step.due_on
    ]
    warn_until = today + timedelta(days=CONSENT_EXPIRY_WARNING_DAYS)
    for member in members:
        for consent in member.valid_consents:
            if consent.valid_until <= warn_until:
                deadlines.append(
                    {
                        "date": consent.valid_until,
                        "text": _("Einwilligung von %(name)s läuft ab")
                        % {"name": member.full_name},
                        "who": "",
                        "overdue": False,
                        "kind": _("Einwilligung"),
                    }
                )
    return sorted(deadlines, key=lambda item: item["date"])


def _audit_view(actor, household, members) -> None:
    """One entry per person shown, plus one per special category record (Art. 9 DSGVO)."""
    items = [(household or member, member) for member in members]
    for member in members:
        items += [(need, member) for need in member.visible_needs if need.is_special_category]
        items += [(doc, member) for doc in member.visible_documents if doc.is_special_category]
    audit_case(actor, AuditAction.VIEW, items)


# --- timeline sources of this app -----------------------------------------------------------


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _case_events(actor, *, persons, household, context) -> list[timeline.Event]:
    events = []
    for person in persons:
        for need in person.visible_needs:
            events.append(
                timeline.Event(
                    at=need.created_at,
                    kind=_("Handlungsbedarf"),
                    text=_("%(situation)s erfasst") % {"situation": need.problem_situation.label},
                    person=person.full_name,
                )
            )
        for consent in person.all_consents:
            events.append(
                timeline.Event(
                    at=consent.given_at,
                    kind=_("Einwilligung"),
                    text=_("Einwilligung erfasst (%(recipients)s)")
                    % {"recipients": ", ".join(r.name for r in consent.recipients.all())},
                    url=reverse("cases:consent_detail", args=[consent.pk]),
                    person=person.full_name,
                )
            )
            if consent.revoked_at:
                events.append(
                    timeline.Event(
                        at=consent.revoked_at,
                        kind=_("Einwilligung"),
                        text=_("Einwilligung widerrufen"),
                        url=reverse("cases:consent_detail", args=[consent.pk]),
                        person=person.full_name,
                    )
                )
        for document in person.visible_documents:
            events.append(
                timeline.Event(
                    at=_at(document.received_on),
                    kind=_("Dokument"),
                    text=document.title,
                    person=person.full_name,
                )
            )
    plan = context.get("plan")
    if plan is not None:
        for version in plan.versions.all():
            events.append(
                timeline.Event(
                    at=version.agreed_at,
                    kind=_("Kooperationsplan"),
                    text=_("Fassung %(number)s vereinbart mit %(with)s")
                    % {"number": version.number, "with": version.agreed_with},
                    url=reverse("cases:plan_version", args=[plan.pk, version.number]),
                )
            )
    for assessment in context.get("assessments", []):
        events.append(
            timeline.Event(
                at=assessment.created_at,
                kind=_("Prüfung § 64 SGB VIII"),
                text=_("Übermittlung an %(recipient)s geprüft")
                % {"recipient": assessment.recipient},
                person=assessment.person.full_name,
            )
        )
    return events


timeline.register(_case_events)


def cases_for_home(actor, limit: int = 5):
    """The case worker's home section: open files, overdue plan steps, consents running out."""
    from core.permissions import Perm

    if not actor.can(Perm.VIEW_CASES):
        return None
    today = timezone.localdate()
    overdue = (
        PlanStep.objects.visible_to(actor)
        .open()
        .filter(due_on__lt=today)
        .select_related("plan__household", "plan__person")
        .order_by("due_on", "pk")
    )
    expiring = (
        Consent.objects.visible_to(actor)
        .expiring_within(CONSENT_EXPIRY_WARNING_DAYS)
        .select_related("data_subject")
        .order_by("valid_until", "pk")
    )
    return {
        "open_households": Household.objects.visible_to(actor)
        .filter(closed_on__isnull=True, erased_at__isnull=True)
        .count(),
        "overdue_steps": list(overdue[:limit]),
        "overdue_count": overdue.count(),
        "expiring_consents": list(expiring[:limit]),
        "expiring_count": expiring.count(),
    }


def secrecy_for_home(actor):
    """Partners without statutory duty are asked to confirm § 78 SGB X until they have."""
    from cases.models import SecrecyAcknowledgement
    from core.choices import LegalRegime
    from core.permissions import Perm

    if not actor.can(Perm.ACKNOWLEDGE_SECRECY):
        return None
    if actor.organisation.legal_regime != LegalRegime.NONE:
        return None
    if SecrecyAcknowledgement.objects.filter(organisation=actor.organisation).exists():
        return None
    return {"organisation": actor.organisation}
