"""Needs (Handlungsbedarfe) of persons and cooperation plans with their goals and steps."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError, ValidationError

from api.permissions import api_requires
from cases import categories
from cases.api.common import (
    BODY,
    _apply,
    _check_version,
    _error,
    _found,
    _needs,
    _own_person,
    _situation,
    _write,
    router,
)
from cases.api.schemas import DetailOut, NeedIn, NeedOut, NeedPatch, PlanOut, StepIn, StepOut
from cases.models import CooperationPlan, Household, Need, Person, PlanGoal, PlanStep, PlanVersion
from cases.services import (
    audit_case,
    content_for,
    plan_for,
    plan_subjects,
    save_goal,
    save_need,
    save_step,
)
from core.choices import AuditAction
from core.models import Organisation
from core.permissions import Perm, get_visible_or_404
from directory.models import Offer


def _require_special(actor, situation) -> None:
    """Health needs are written only by roles allowed to read them back (403, not 422)."""
    special = categories.is_special(categories.need_category(situation.parent.code))
    if special and not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        raise HttpError(403, _("Gesundheitsdaten dürfen Sie nicht erfassen."))


def _plans(actor):
    """Plans with goals and steps; health goals and steps only for roles that may see them."""
    steps = PlanStep.objects.for_actor(actor).select_related(
        "responsible_person", "partner", "offer__organisation", "organisation", "need"
    )
    goals = PlanGoal.objects.for_actor(actor).prefetch_related(Prefetch("steps", steps))
    return CooperationPlan.objects.select_related("household", "person").prefetch_related(
        Prefetch("goals", queryset=goals),
        Prefetch("versions", queryset=PlanVersion.objects.select_related("agreed_by")),
        "household__members",
    )


def _read_plan(actor, plan):
    audit_case(actor, AuditAction.VIEW, [(plan, p) for p in plan_subjects(plan)] or [(plan, None)])
    for version in plan.versions.all():
        version.content = content_for(actor, version.content)
    return plan


# --- needs -------------------------------------------------------------------------------------


@router.get("/persons/{int:person_id}/needs", response=list[NeedOut], summary="Handlungsbedarfe")
@api_requires(Perm.VIEW_CASES)
def list_needs(request, person_id: int):
    """The person's needs the caller may see (health needs only with the right to see them)."""
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    needs = list(_needs(actor).filter(person=person))
    audit_case(actor, AuditAction.VIEW, [(n, person) for n in needs] or [(person, person)])
    return needs


@router.get("/needs/{int:need_id}", response=NeedOut, summary="Ein Handlungsbedarf")
@api_requires(Perm.VIEW_CASES)
def get_need(request, need_id: int):
    need = get_visible_or_404(_needs(request.auth), request.auth, pk=need_id)
    audit_case(request.auth, AuditAction.VIEW, [(need, need.person)])
    return need


NEED_RENAME = {"entrusted_by": "entrusted_by_id"}


def _need_refs(actor, changes: dict, errors) -> dict:
    """Codes and ids of the body as model values."""
    if changes.get("problem_situation") is not None:
        loc = (*BODY, "problem_situation")
        changes["problem_situation"] = _situation(actor, changes["problem_situation"], loc, errors)
    if "entrusted_by_id" in changes:
        loc = (*BODY, "entrusted_by_id")
        changes["entrusted_by"] = _own_person(actor, changes.pop("entrusted_by_id"), loc, errors)
    return changes


@router.post(
    "/persons/{int:person_id}/needs", response={201: NeedOut}, summary="Handlungsbedarf erfassen"
)
@api_requires(Perm.EDIT_CASES)
def create_need(request, person_id: int, payload: NeedIn):
    """``entrusted``/``entrusted_by_id`` (§ 65 SGB VIII) only at a Jugendamt."""
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    errors = []
    changes = _need_refs(actor, payload.dict(exclude_none=True), errors)
    if errors:
        raise ValidationError(errors)
    _require_special(actor, changes["problem_situation"])
    need = Need(person=person, **changes)
    _write(actor, lambda: save_need(actor=actor, need=need), rename=NEED_RENAME)
    return Status(201, need)


@router.patch(
    "/needs/{int:need_id}",
    response={200: NeedOut, 409: DetailOut},
    summary="Handlungsbedarf ändern (nur gesendete Felder)",
)
@api_requires(Perm.EDIT_CASES)
def update_need(request, need_id: int, payload: NeedPatch):
    actor = request.auth
    need = get_visible_or_404(_needs(actor).select_related("person"), actor, pk=need_id)
    _check_version(need, payload.version)
    errors = []
    changes = _need_refs(actor, payload.dict(exclude_unset=True, exclude={"version"}), errors)
    if errors:
        raise ValidationError(errors)
    if changes.get("problem_situation") is not None:
        _require_special(actor, changes["problem_situation"])
    errors = _apply(need, changes, BODY)
    if errors:
        raise ValidationError(errors)
    need._expected_version = payload.version
    _write(actor, lambda: save_need(actor=actor, need=need), rename=NEED_RENAME)
    return need


# --- cooperation plans -------------------------------------------------------------------------


@router.get("/plans/{int:plan_id}", response=PlanOut, summary="Ein Kooperationsplan")
@api_requires(Perm.VIEW_CASES)
def get_plan(request, plan_id: int):
    """Goals, steps and every agreed version (number, date, agreed with, content)."""
    return _read_plan(
        request.auth, get_visible_or_404(_plans(request.auth), request.auth, pk=plan_id)
    )


def _owner_plan(actor, **owner):
    plan = _plans(actor).visible_to(actor).filter(**owner).first()
    if plan is None:
        raise Http404
    return _read_plan(actor, plan)


@router.get(
    "/households/{int:household_id}/plan",
    response=PlanOut,
    summary="Kooperationsplan einer Bedarfsgemeinschaft",
)
@api_requires(Perm.VIEW_CASES)
def get_household_plan(request, household_id: int):
    """404 while the household has no plan yet (``POST`` creates it)."""
    household = get_visible_or_404(Household.objects.all(), request.auth, pk=household_id)
    return _owner_plan(request.auth, household=household)


@router.get(
    "/persons/{int:person_id}/plan", response=PlanOut, summary="Kooperationsplan einer Person"
)
@api_requires(Perm.VIEW_CASES)
def get_person_plan(request, person_id: int):
    person = get_visible_or_404(Person.objects.all(), request.auth, pk=person_id)
    return _owner_plan(request.auth, person=person)


def _start_plan(request, **owner):
    actor = request.auth
    existed = CooperationPlan.objects.filter(**owner).exists()
    plan = _write(actor, lambda: plan_for(actor=actor, **owner))
    return Status(200 if existed else 201, _read_plan(actor, _plans(actor).get(pk=plan.pk)))


@router.post(
    "/households/{int:household_id}/plan",
    response={200: PlanOut, 201: PlanOut},
    summary="Kooperationsplan der Bedarfsgemeinschaft anlegen (201) oder vorhandenen liefern",
)
@api_requires(Perm.EDIT_CASES)
def start_household_plan(request, household_id: int):
    household = get_visible_or_404(Household.objects.all(), request.auth, pk=household_id)
    return _start_plan(request, household=household)


@router.post(
    "/persons/{int:person_id}/plan",
    response={200: PlanOut, 201: PlanOut},
    summary="Kooperationsplan der Person anlegen (201) oder vorhandenen liefern",
)
@api_requires(Perm.EDIT_CASES)
def start_person_plan(request, person_id: int):
    person = get_visible_or_404(Person.objects.all(), request.auth, pk=person_id)
    return _start_plan(request, person=person)


@router.get("/plans/{int:plan_id}/steps", response=list[StepOut], summary="Schritte eines Plans")
@api_requires(Perm.VIEW_CASES)
def list_steps(request, plan_id: int):
    plan = _read_plan(
        request.auth, get_visible_or_404(_plans(request.auth), request.auth, pk=plan_id)
    )
    return [step for goal in plan.goals.all() for step in goal.steps.all()]


STEP_RENAME = {
    "goal": "goal_id",
    "title": "goal_title",
    "responsible_person": "responsible_person_id",
    "partner": "partner_id",
    "offer": "offer_id",
    "need": "need_id",
}


@router.post(
    "/plans/{int:plan_id}/steps",
    response={201: PlanOut, 409: DetailOut},
    summary="Schritt hinzufügen (mit der zuletzt gelesenen Planversion)",
)
@api_requires(Perm.EDIT_CASES)
def create_step(request, plan_id: int, payload: StepIn):
    """Answers the whole plan with its new ``version``; a stale ``version`` answers 409."""
    actor = request.auth
    plan = get_visible_or_404(CooperationPlan.objects.all(), actor, pk=plan_id)
    _check_version(plan, payload.version)
    errors = []
    goal = _found(
        plan.goals.for_actor(actor),
        payload.goal_id,
        (*BODY, "goal_id"),
        errors,
        _("Dieses Ziel gehört nicht zu diesem Plan."),
    )
    if goal is None and payload.goal_id is None:
        goal = plan.goals.for_actor(actor).filter(title=payload.goal_title.strip()).first()
        if goal is None and not payload.goal_title.strip():
            errors.append(_error((*BODY, "goal_id"), _("Bitte ein Ziel angeben.")))
    not_found = _("Diesen Eintrag gibt es nicht.")
    refs = {
        "responsible_person": _own_person(
            actor, payload.responsible_person_id, (*BODY, "responsible_person_id"), errors
        ),
        "partner": _found(
            Organisation.objects.filter(network_id=actor.network_id),
            payload.partner_id,
            (*BODY, "partner_id"),
            errors,
            _("Diese Organisation gibt es im Netzwerk nicht."),
        ),
        "offer": _found(
            Offer.objects.visible_to(actor),
            payload.offer_id,
            (*BODY, "offer_id"),
            errors,
            not_found,
        ),
        "need": _found(_needs(actor), payload.need_id, (*BODY, "need_id"), errors, not_found),
    }
    if errors:
        raise ValidationError(errors)
    fields = payload.dict(include={"description", "responsible", "due_on", "status"})
    step = PlanStep(**fields, **refs)

    @transaction.atomic  # a new goal is kept only together with its step
    def add():
        version = payload.version
        if goal is None:
            new_goal = PlanGoal(title=payload.goal_title.strip())
            save_goal(actor=actor, plan=plan, goal=new_goal, expected_version=version)
            step.goal, version = new_goal, plan.version
        else:
            step.goal = goal
        save_step(actor=actor, plan=plan, step=step, expected_version=version)

    _write(actor, add, rename=STEP_RENAME)
    return Status(201, _read_plan(actor, _plans(actor).get(pk=plan.pk)))
