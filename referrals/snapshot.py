"""What a referral carries: the policy's per-category answer and the frozen copy of the data.

``decisions_for`` asks ``cases.policy`` for every category (the form shows what is not covered
and why); ``build`` copies only the chosen, covered categories into plain JSON. The recipient
reads that copy and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from cases import categories
from cases.choices import Purpose
from cases.models import Document, Need, Person
from cases.policy import Decision, decide, decide_all
from core.notifications import in_default_language

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Excluded:
    """A record left out although its category was chosen (e.g. § 65 SGB VIII entrusted data)."""

    label: str
    reason: str


def decisions_for(person: Person, recipient, at=None) -> dict[str, Decision]:
    return decide_all(recipient=recipient, person=person, purpose=Purpose.REFERRAL, at=at)


def allowed(decisions: dict[str, Decision]) -> list[str]:
    return [code for code, decision in decisions.items() if decision.allowed]


def _record_decision(record, person, recipient, at) -> Decision:
    return decide(
        recipient=recipient,
        person=person,
        category=record.category,
        purpose=Purpose.REFERRAL,
        at=at,
        record=record,
    )


def _date(value):
    return value.isoformat() if value else None


def _need(need: Need) -> dict:
    return {
        "situation": need.problem_situation.label,
        "category": need.category,
        "description": need.description,
        "severity": need.get_severity_display(),
        "since": _date(need.since),
    }


@in_default_language
def build(
    *,
    person: Person,
    recipient,
    chosen: list[str],
    needs: list[Need],
    at=None,
    sender_name: str = "",
) -> tuple[dict, list[Excluded]]:
    """The snapshot of ``chosen`` categories. Callers have checked each category is allowed;
    record-level rules (entrusted needs, documents from a doctor) are checked here per record.
    """
    at = at or timezone.now()
    chosen = set(chosen)
    excluded: list[Excluded] = []
    data: dict = {
        "schema": SCHEMA_VERSION,
        "taken_at": at.isoformat(),
        "sender": sender_name,
        "categories": sorted(chosen),
    }
    if categories.MASTER_DATA in chosen:
        data["person"] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": _date(person.birth_date),
            "phone": person.phone,
            "email": person.email,
            "languages": list(person.languages),
        }
        if person.disputed_note:
            data["person"]["disputed_note"] = person.disputed_note
    if categories.HOUSEHOLD in chosen:
        data["household"] = _household(person, at)
    shared_needs = []
    for need in needs:
        if need.category not in chosen:
            continue
        if need.entrusted:
            decision = _record_decision(need, person, recipient, at)
            if not decision:
                excluded.append(Excluded(need.problem_situation.label, decision.reason))
                continue
        shared_needs.append(_need(need))
    if shared_needs:
        data["needs"] = shared_needs
    if categories.PLAN in chosen:
        data["plan"] = _plan(person, with_health=categories.HEALTH in chosen)
    documents = _documents(person, recipient, chosen, at, excluded)
    if documents:
        data["documents"] = documents
    return data, excluded


def _household(person: Person, at) -> dict:
    household = person.household
    if household is None:
        return {
            "street": person.street,
            "postal_code": person.postal_code,
            "municipality": str(person.municipality or ""),
            "members": [],
        }
    day = timezone.localdate(at)
    members = household.members.exclude(pk=person.pk).order_by("birth_date", "pk")
    return {
        "street": household.street,
        "postal_code": household.postal_code,
        "municipality": str(household.municipality or ""),
        # Other members only as far as the recipient needs the household's shape.
        "members": [
            {
                "first_name": member.first_name,
                "role": member.get_role_display(),
                "age": member.age_on(day),
            }
            for member in members
        ],
    }


def _plan(person: Person, *, with_health: bool) -> dict | None:
    from cases.models import CooperationPlan

    plan = (
        CooperationPlan.objects.filter(household=person.household_id).first()
        if person.household_id
        else CooperationPlan.objects.filter(person=person).first()
    )
    if plan is None:
        return None
    goals = []
    for goal in plan.goals.order_by("position", "pk"):
        if goal.is_special_category and not with_health:
            continue
        steps = [
            {
                "description": step.description,
                "responsible": step.get_responsible_display(),
                "due_on": _date(step.due_on),
                "status": step.get_status_display(),
                "special": step.is_special_category,
            }
            for step in goal.steps.order_by("position", "pk")
            if with_health or not step.is_special_category
        ]
        goals.append({"title": goal.title, "special": goal.is_special_category, "steps": steps})
    return {"starts_on": _date(plan.starts_on), "goals": goals}


def _documents(person, recipient, chosen, at, excluded) -> list[dict]:
    shared = []
    for document in Document.objects.filter(person=person).order_by("received_on", "pk"):
        if document.category not in chosen:
            continue
        decision = _record_decision(document, person, recipient, at)
        if not decision:
            excluded.append(Excluded(document.title, decision.reason))
            continue
        # Titles and dates only: files are handed over by the person or on request.
        shared.append(
            {
                "title": document.title,
                "received_on": _date(document.received_on),
                "category": document.category,
            }
        )
    return shared


_SECTIONS = {
    categories.MASTER_DATA: "person",
    categories.HOUSEHOLD: "household",
    categories.PLAN: "plan",
}


def narrowed_snapshot(data: dict, chosen) -> dict:
    """A copy of ``data`` with only the ``chosen`` categories (forwarding passes on less)."""
    chosen = set(chosen)
    with_health = categories.HEALTH in chosen
    narrowed = {key: data[key] for key in ("schema", "sender") if key in data}
    for category, key in _SECTIONS.items():
        if category in chosen and key in data:
            narrowed[key] = data[key]
    if narrowed.get("plan"):
        narrowed["plan"] = {
            **data["plan"],
            "goals": [
                {**goal, "steps": [s for s in goal["steps"] if with_health or not s["special"]]}
                for goal in data["plan"]["goals"]
                if with_health or not goal["special"]
            ],
        }
    for key in ("needs", "documents"):
        entries = [entry for entry in data.get(key, []) if entry["category"] in chosen]
        if entries:
            narrowed[key] = entries
    narrowed["categories"] = sorted(chosen)
    return narrowed


def shown_to(actor, referral, *, is_sender: bool) -> dict:
    """The snapshot as this actor may see it: health data only for roles that may see special
    category data; what was left out (and why) only for the sender."""
    from core.permissions import Perm

    data = dict(referral.snapshot)
    if not is_sender:
        data.pop("excluded", None)
    if actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        return data
    health = categories.HEALTH
    data["needs"] = [n for n in data.get("needs", []) if n["category"] != health]
    data["documents"] = [d for d in data.get("documents", []) if d["category"] != health]
    if data.get("plan"):
        data["plan"] = narrowed_snapshot({"plan": data["plan"]}, [categories.PLAN]).get("plan")
    data["health_hidden"] = health in referral.categories
    return data


def person_label(actor, referral) -> str:
    """The person's name for lists: from the own case file, else from what was received."""
    person = referral.person
    if person is not None and person.organisation_id == actor.organisation.pk:
        return person.full_name
    received = referral.snapshot.get("person") or {}
    return " ".join(filter(None, [received.get("first_name"), received.get("last_name")]))
