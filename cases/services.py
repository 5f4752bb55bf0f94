"""Writes to case files. Every write is validated, atomic and audited with the person it is about.

Views call these functions; they never save case models themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import Responsible
from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    PlanVersion,
    SecrecyAcknowledgement,
)
from cases.signals import consent_revoked
from core import audit
from core.choices import AuditAction, LegalRegime
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.permissions import Perm

PURPOSE_CASE_WORK = "Fallarbeit"

# The basis on which an organisation processes its own clients' data.
OWN_PROCESSING_BASIS = {
    LegalRegime.SGB_II: "§ 67a, § 67b SGB X i. V. m. § 50 SGB II",
    LegalRegime.SGB_III: "§ 67a, § 67b SGB X i. V. m. § 394 SGB III",
    LegalRegime.SGB_VIII: "§§ 62, 63 SGB VIII",
    LegalRegime.SGB_XII: "§ 67a, § 67b SGB X i. V. m. § 118 SGB XII",
    LegalRegime.NONE: "Art. 6 Abs. 1 DSGVO",
}


class DuplicatePerson(Exception):
    """The organisation already has a person with this name and birth date."""

    def __init__(self, matches):
        super().__init__("possible duplicate")
        self.matches = list(matches)


def own_basis(organisation) -> str:
    return OWN_PROCESSING_BASIS.get(organisation.legal_regime, "")


def audit_case(actor, action, items, purpose: str = PURPOSE_CASE_WORK) -> None:
    """Record ``(obj, person)`` pairs as one batch on the actor's organisation's basis."""
    items = list(items)
    if items:
        audit.record_many(
            actor=actor,
            action=action,
            items=items,
            purpose=purpose,
            legal_basis=own_basis(actor.organisation),
        )


def _require(actor, perm: Perm) -> None:
    actor.require(perm)


def _own(actor, instance) -> None:
    """New records belong to the actor's organisation; existing ones must already do so."""
    if instance.pk is None:
        instance.network_id = actor.network_id
        instance.organisation = actor.organisation
        instance.created_by = actor.user
    elif instance.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


def _action(instance) -> AuditAction:
    return AuditAction.CREATE if instance.pk is None else AuditAction.UPDATE


# --- households and persons ----------------------------------------------------------------


@transaction.atomic
def save_household(*, actor, household: Household) -> Household:
    _require(actor, Perm.EDIT_CASES)
    _own(actor, household)
    action = _action(household)
    _save(household)
    members = list(household.members.all())
    audit_case(actor, action, [(household, m) for m in members] or [(household, None)])
    return household


@transaction.atomic
def save_person(*, actor, person: Person, allow_duplicate: bool = False) -> Person:
    """Create or update a person; a new one that looks like an existing one raises first."""
    _require(actor, Perm.EDIT_CASES)
    _own(actor, person)
    action = _action(person)
    if action == AuditAction.CREATE and not allow_duplicate and person.birth_date:
        matches = Person.objects.possible_duplicates(
            organisation=actor.organisation,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
        ).active()
        if matches:
            raise DuplicatePerson(matches)
    _save(person)
    audit_case(actor, action, [(person, person)])
    return person


@transaction.atomic
def create_household_with_applicant(
    *, actor, household: Household, applicant: Person, allow_duplicate: bool = False
) -> Household:
    save_household(actor=actor, household=household)
    applicant.household = household
    save_person(actor=actor, person=applicant, allow_duplicate=allow_duplicate)
    return household


# --- needs and documents -------------------------------------------------------------------


@transaction.atomic
def save_need(*, actor, need: Need) -> Need:
    _require(actor, Perm.EDIT_CASES)
    _own(actor, need)
    action = _action(need)
    _save(need)
    # Special category data is written only by someone allowed to read it back.
    if need.is_special_category and not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        raise PermissionDenied(_("Gesundheitsdaten dürfen Sie nicht erfassen."))
    audit_case(actor, action, [(need, need.person)])
    return need


@transaction.atomic
def save_document(*, actor, document: Document) -> Document:
    _require(actor, Perm.EDIT_CASES)
    _own(actor, document)
    action = _action(document)
    _save(document)
    if document.is_special_category and not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        raise PermissionDenied(_("Gesundheitsdaten dürfen Sie nicht erfassen."))
    audit_case(actor, action, [(document, document.person)])
    return document


# --- cooperation plan ----------------------------------------------------------------------


def plan_subjects(plan: CooperationPlan) -> list[Person]:
    if plan.person_id:
        return [plan.person]
    return list(plan.household.members.all())


@transaction.atomic
def plan_for(*, actor, household: Household | None = None, person: Person | None = None):
    """The owner's plan, created empty on first use."""
    _require(actor, Perm.VIEW_CASES)
    owner = household or person
    if owner is None or owner.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    lookup = {"household": household} if household else {"person": person}
    plan = CooperationPlan.objects.filter(**lookup).first()
    if plan is None:
        _require(actor, Perm.EDIT_CASES)
        plan = CooperationPlan(**lookup)
        _own(actor, plan)
        _save(plan)
        audit_case(actor, AuditAction.CREATE, [(plan, p) for p in plan_subjects(plan)])
    return plan


def _bump(plan: CooperationPlan, expected_version: int | None) -> None:
    """Compare-and-set on the plan: a change based on an older state is refused."""
    won = CooperationPlan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, changed_since_agreement=True
    )
    if not won:
        raise StaleEditError(str(STALE_MESSAGE))
    plan.version = expected_version + 1
    plan.changed_since_agreement = True


def _check_plan(actor, plan) -> None:
    _require(actor, Perm.EDIT_CASES)
    if plan.organisation_id != actor.organisation.pk:
        raise PermissionDenied


@transaction.atomic
def save_plan_start(*, actor, plan: CooperationPlan, starts_on, expected_version: int | None):
    _check_plan(actor, plan)
    late = plan.steps.filter(due_on__lt=starts_on).first()
    if late is not None:
        raise ValidationError(
            {
                "starts_on": _("Der Schritt „%(step)s“ wäre dann vor Beginn des Plans fällig.")
                % {"step": late.description}
            }
        )
    _bump(plan, expected_version)
    plan.starts_on = starts_on
    CooperationPlan.objects.filter(pk=plan.pk).update(starts_on=starts_on)
    audit_case(actor, AuditAction.UPDATE, [(plan, p) for p in plan_subjects(plan)])
    return plan


def _save_plan_item(actor, plan: CooperationPlan, item, siblings, expected_version):
    """Goals and steps: validated, appended at the end when new, saved with the plan's CAS."""
    _check_plan(actor, plan)
    action = _action(item)
    item.plan = plan
    item.network_id = plan.network_id
    if item.pk is None:
        item.position = siblings.count() + 1
    item.full_clean()
    _bump(plan, expected_version)
    item.save()
    audit_case(actor, action, [(item, p) for p in plan_subjects(plan)])
    return item


@transaction.atomic
def save_goal(*, actor, plan: CooperationPlan, goal: PlanGoal, expected_version: int | None):
    return _save_plan_item(actor, plan, goal, plan.goals, expected_version)


@transaction.atomic
def save_step(*, actor, plan: CooperationPlan, step: PlanStep, expected_version: int | None):
    step.organisation_id = plan.organisation_id
    return _save_plan_item(actor, plan, step, plan.steps, expected_version)


@transaction.atomic
def delete_step(*, actor, plan: CooperationPlan, step: PlanStep, expected_version: int | None):
    _check_plan(actor, plan)
    if step.plan_id != plan.pk:
        raise PermissionDenied
    _bump(plan, expected_version)
    audit_case(actor, AuditAction.DELETE, [(step, p) for p in plan_subjects(plan)])
    step.delete()


@transaction.atomic
def add_offer_as_step(
    *,
    actor,
    need: Need,
    offer,
    goal_title: str = "",
    due_on=None,
    expected_version: int | None = None,
) -> PlanStep:
    """ "Passendes Angebot übernehmen": a step with the offer as responsible party.

    The step goes into the plan of the need's household (or person, if they have none), under
    a goal named after the need unless another title is given.
    """
    person = need.person
    plan = (
        plan_for(actor=actor, household=person.household)
        if person.household_id
        else plan_for(actor=actor, person=person)
    )
    if expected_version is None:
        expected_version = plan.version
    title = goal_title.strip() or str(need.problem_situation)
    goal = plan.goals.filter(title=title).first()
    if goal is None:
        goal = save_goal(
            actor=actor,
            plan=plan,
            goal=PlanGoal(title=title, is_special_category=need.is_special_category),
            expected_version=expected_version,
        )
        expected_version = plan.version
    step = PlanStep(
        goal=goal,
        description=_("Angebot „%(title)s“ wahrnehmen") % {"title": offer.title},
        responsible=Responsible.OFFER,
        offer=offer,
        need=need,
        due_on=due_on,
    )
    return save_step(actor=actor, plan=plan, step=step, expected_version=expected_version)


def content_for(actor, content: dict) -> dict:
    """A stored plan content without health goals and steps for roles that may not see them."""
    if actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        return content
    return content | {
        "goals": [
            goal | {"steps": [step for step in goal["steps"] if not step.get("special")]}
            for goal in content.get("goals", [])
            if not goal.get("special")
        ]
    }


def plan_content(plan: CooperationPlan) -> dict:
    """The plan as agreed: plain data, kept unchanged in ``PlanVersion.content``."""
    steps_by_goal: dict[int, list[PlanStep]] = {}
    steps = plan.steps.select_related(
        "responsible_person", "partner", "offer__organisation", "organisation"
    )
    for step in steps:
        steps_by_goal.setdefault(step.goal_id, []).append(step)
    return {
        "starts_on": plan.starts_on.isoformat(),
        "goals": [
            {
                "title": goal.title,
                "special": goal.is_special_category,
                "steps": [
                    {
                        "description": step.description,
                        "special": step.is_special_category,
                        "responsible": step.responsible,
                        "responsible_label": step.responsible_label,
                        "offer_id": step.offer_id,
                        "due_on": step.due_on.isoformat() if step.due_on else None,
                        "status": step.status,
                    }
                    for step in steps_by_goal.get(goal.pk, [])
                ],
            }
            for goal in plan.goals.all()
        ],
    }


@transaction.atomic
def agree_plan(
    *, actor, plan: CooperationPlan, agreed_on, agreed_with: str, expected_version: int | None
) -> PlanVersion:
    """Keep the current content as the next agreed version."""
    _check_plan(actor, plan)
    if not plan.steps.exists():
        raise ValidationError(_("Ein Plan ohne Schritte kann nicht vereinbart werden."))
    won = CooperationPlan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, changed_since_agreement=False
    )
    if not won:
        raise StaleEditError(str(STALE_MESSAGE))
    plan.version = expected_version + 1
    plan.changed_since_agreement = False
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion(
        plan=plan,
        network_id=plan.network_id,
        organisation_id=plan.organisation_id,
        number=last + 1,
        agreed_on=agreed_on,
        agreed_by=actor.user,
        agreed_with=agreed_with,
        content=plan_content(plan),
    )
    version.full_clean()
    version.save()
    audit_case(actor, AuditAction.CREATE, [(version, p) for p in plan_subjects(plan)])
    return version


# --- consent and the special rules ---------------------------------------------------------


@transaction.atomic
def record_consent(*, actor, consent: Consent, recipients) -> Consent:
    """Record a consent as of now (server time); it can never cover anything earlier."""
    _require(actor, Perm.MANAGE_CONSENTS)
    if consent.pk is not None:
        raise ValidationError(_("Eine erfasste Einwilligung wird nicht geändert, nur widerrufen."))
    _own(actor, consent)
    consent.given_at = timezone.now()
    recipients = list(recipients)
    consent.full_clean()
    consent.clean_recipients(recipients)
    consent.save()
    consent.recipients.set(recipients)
    audit_case(actor, AuditAction.CREATE, [(consent, consent.data_subject)])
    return consent


@transaction.atomic
def revoke_consent(*, actor, consent: Consent) -> Consent:
    """Revoke now. From this moment no transfer may rely on it; revoking twice changes nothing."""
    _require(actor, Perm.MANAGE_CONSENTS)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor.user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_case(actor, AuditAction.UPDATE, [(locked, locked.data_subject)])
        transaction.on_commit(
            lambda: consent_revoked.send(sender=Consent, consent=locked, actor=actor)
        )
    consent.revoked_at, consent.revoked_by = locked.revoked_at, locked.revoked_by
    return locked


@transaction.atomic
def acknowledge_secrecy(*, actor) -> SecrecyAcknowledgement:
    """§ 78 SGB X, for the actor's organisation (a partner without statutory duty)."""
    _require(actor, Perm.ACKNOWLEDGE_SECRECY)
    organisation = actor.organisation
    if organisation.legal_regime != LegalRegime.NONE:
        raise ValidationError(
            _("Nur Partner ohne gesetzliche Aufgabe bestätigen die Verpflichtung nach § 78 SGB X.")
        )
    acknowledgement, created = SecrecyAcknowledgement.objects.get_or_create(
        organisation=organisation,
        defaults={"network_id": organisation.network_id, "acknowledged_by": actor.user},
    )
    if created:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=acknowledgement)
    return acknowledgement


@transaction.atomic
def record_help_assessment(*, actor, assessment: HelpAssessment) -> HelpAssessment:
    _require(actor, Perm.EDIT_CASES)
    _own(actor, assessment)
    _save(assessment)
    audit_case(actor, AuditAction.CREATE, [(assessment, assessment.person)])
    return assessment
