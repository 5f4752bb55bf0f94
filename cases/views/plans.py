"""Cooperation plan pages (Kooperationsplan, § 15 SGB II) and "Passende Angebote finden".

Reads are audited for every person the plan is about; every change goes through the services
with the plan version the user started from, so a stale edit is refused, never merged.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.choices import StepStatus
from cases.forms.plans import (
    AddOfferForm,
    AgreeForm,
    GoalForm,
    PlanStartForm,
    StepDeleteForm,
    StepForm,
    add_service_errors,
)
from cases.models import CooperationPlan, Household, Need, Person, PlanGoal, PlanStep
from cases.services import (
    add_offer_as_step,
    agree_plan,
    audit_case,
    content_for,
    delete_step,
    plan_content,
    plan_for,
    plan_subjects,
    save_goal,
    save_plan_start,
    save_step,
)
from core.choices import AuditAction
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.models import Organisation
from core.pdf import pdf_response
from core.permissions import Perm, get_visible_or_404, requires
from directory.choices import Language
from directory.matching import DEFAULT_RADIUS_KM, Needs, match_offers
from directory.models import Offer

ADULT_AGE = 18

# --- helpers ---------------------------------------------------------------------------------


def _plans():
    # The owner's members are prefetched: Household.__str__ and plan_subjects read them.
    return CooperationPlan.objects.select_related(
        "household__municipality", "person", "organisation"
    ).prefetch_related("household__members")


def _get_plan(request, pk) -> CooperationPlan:
    return get_visible_or_404(_plans(), request.actor, pk=pk)


def _steps():
    return PlanStep.objects.select_related(
        "responsible_person", "partner", "offer__organisation", "organisation"
    )


def _people(plan) -> list[Person]:
    return [p for p in plan_subjects(plan) if p.erased_at is None]


def _partners(actor) -> list[Organisation]:
    return list(
        Organisation.objects.visible_to(actor)
        .filter(is_active=True)
        .exclude(pk=actor.organisation.pk)
        .order_by("name")
    )


def _join_names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s und %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _default_agreed_with(plan) -> str:
    people = _people(plan)
    adults = [p for p in people if p.age >= ADULT_AGE] or people
    return _join_names([p.full_name for p in adults])


def _audit_plan(actor, obj, plan, action=AuditAction.VIEW, extra=()) -> None:
    audit_case(actor, action, [(obj, p) for p in plan_subjects(plan)] + list(extra))


def _day(value):
    return date.fromisoformat(value) if value else None


def _status_label(value) -> str:
    try:
        return StepStatus(value).label
    except ValueError:
        return value


def readable_content(content: dict) -> dict:
    """A stored version's JSON (or the working copy as JSON) with dates and labels for display."""
    return {
        "starts_on": _day(content.get("starts_on")),
        "goals": [
            {
                "title": goal["title"],
                "steps": [
                    {
                        "description": step["description"],
                        "responsible_label": step["responsible_label"],
                        "due_on": _day(step.get("due_on")),
                        "status": step.get("status"),
                        "status_label": _status_label(step.get("status")),
                    }
                    for step in goal["steps"]
                ],
            }
            for goal in content.get("goals", [])
        ],
    }


def _plan_redirect(plan, anchor: str = ""):
    return redirect(plan.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _refused(form, error) -> None:
    """Put a service refusal on the form: stale edits with the German message, nothing saved."""
    if isinstance(error, StaleEditError):
        form.add_error(None, STALE_MESSAGE)
    else:
        add_service_errors(form, error)


# --- opening a plan --------------------------------------------------------------------------


@requires(Perm.VIEW_CASES)
def household_plan(request, pk):
    household = get_visible_or_404(Household.objects.all(), request.actor, pk=pk)
    # plan_for creates the plan on first use and requires EDIT_CASES only then.
    return redirect(plan_for(actor=request.actor, household=household))


@requires(Perm.VIEW_CASES)
def person_plan(request, pk):
    person = get_visible_or_404(Person.objects.all(), request.actor, pk=pk)
    if person.household_id:
        # One plan per household, as "Angebot übernehmen" does: members plan together.
        return redirect("cases:household_plan", pk=person.household_id)
    return redirect(plan_for(actor=request.actor, person=person))


# --- the plan page ---------------------------------------------------------------------------


def _detail_context(request, plan, **bound_forms) -> dict:
    actor = request.actor
    can_edit = actor.can(Perm.EDIT_CASES)
    goals = list(
        plan.goals.for_actor(actor).prefetch_related(
            Prefetch("steps", queryset=_steps().for_actor(actor))
        )
    )
    versions = list(plan.versions.select_related("agreed_by"))
    subjects = plan_subjects(plan)
    needs = list(
        Need.objects.visible_to(actor)
        .open()
        .filter(person__in=[p.pk for p in subjects])
        .select_related("problem_situation", "person")
    )
    _audit_plan(actor, plan, plan, extra=[(need, need.person) for need in needs])
    context = {
        "plan": plan,
        "owner": plan.owner,
        "goals": goals,
        "has_steps": any(goal.steps.all() for goal in goals),
        "versions": versions,
        "latest_version": versions[0] if versions else None,
        "needs": needs,
        "can_edit": can_edit,
        "today": timezone.localdate(),
    }
    if can_edit:
        context |= {
            "start_form": bound_forms.get("start_form") or PlanStartForm(plan=plan),
            "goal_form": bound_forms.get("goal_form") or GoalForm(plan=plan),
            "agree_form": bound_forms.get("agree_form")
            or AgreeForm(plan=plan, agreed_with=_default_agreed_with(plan)),
        }
    return context


@requires(Perm.VIEW_CASES)
def plan_detail(request, pk):
    plan = _get_plan(request, pk)
    return render(request, "cases/plan_detail.html", _detail_context(request, plan))


@requires(Perm.EDIT_CASES)
@require_POST
def plan_start(request, pk):
    plan = _get_plan(request, pk)
    form = PlanStartForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            save_plan_start(
                actor=request.actor,
                plan=plan,
                starts_on=form.cleaned_data["starts_on"],
                expected_version=form.expected_version,
            )
        except (StaleEditError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Der Plan gilt jetzt ab %(date)s.")
                % {"date": plan.starts_on.strftime("%d.%m.%Y")},
            )
            return _plan_redirect(plan)
    return render(
        request, "cases/plan_detail.html", _detail_context(request, plan, start_form=form)
    )


@requires(Perm.EDIT_CASES)
@require_POST
def goal_add(request, pk):
    plan = _get_plan(request, pk)
    form = GoalForm(request.POST, plan=plan)
    if form.is_valid():
        goal = PlanGoal(title=form.cleaned_data["title"])
        try:
            save_goal(
                actor=request.actor, plan=plan, goal=goal, expected_version=form.expected_version
            )
        except (StaleEditError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("Das Ziel „%(title)s“ wurde hinzugefügt.") % {"title": goal.title}
            )
            return _plan_redirect(plan, f"goal-{goal.pk}")
    return render(request, "cases/plan_detail.html", _detail_context(request, plan, goal_form=form))


def _step_form_page(request, plan, step: PlanStep):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = StepForm(
        data,
        plan=plan,
        step=step,
        people=_people(plan),
        partners=_partners(actor),
        organisation=plan.organisation,
    )
    if data is not None and form.is_valid():
        form.apply_to(step)
        try:
            save_step(actor=actor, plan=plan, step=step, expected_version=form.expected_version)
        except (StaleEditError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Der Schritt wurde gespeichert."))
            return _plan_redirect(plan, f"step-{step.pk}")
    elif data is None and step.pk:
        _audit_plan(actor, step, plan)
    return render(
        request,
        "cases/plan_step_form.html",
        {"form": form, "plan": plan, "goal": step.goal, "step": step},
    )


@requires(Perm.EDIT_CASES)
def step_add(request, pk, goal_pk):
    plan = _get_plan(request, pk)
    goal = get_object_or_404(
        PlanGoal.objects.for_actor(request.actor).filter(plan=plan), pk=goal_pk
    )
    return _step_form_page(request, plan, PlanStep(goal=goal))


@requires(Perm.EDIT_CASES)
def step_edit(request, pk, step_pk):
    plan = _get_plan(request, pk)
    step = get_object_or_404(
        _steps().for_actor(request.actor).select_related("goal").filter(plan=plan), pk=step_pk
    )
    return _step_form_page(request, plan, step)


@requires(Perm.EDIT_CASES)
def step_delete(request, pk, step_pk):
    actor = request.actor
    plan = _get_plan(request, pk)
    step = get_object_or_404(
        _steps().for_actor(request.actor).select_related("goal").filter(plan=plan), pk=step_pk
    )
    if request.method == "POST":
        form = StepDeleteForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                delete_step(
                    actor=actor, plan=plan, step=step, expected_version=form.expected_version
                )
            except (StaleEditError, ValidationError) as error:
                _refused(form, error)
            else:
                messages.success(request, _("Der Schritt wurde gelöscht."))
                return _plan_redirect(plan, f"goal-{step.goal_id}")
    else:
        form = StepDeleteForm(plan=plan)
        _audit_plan(actor, step, plan)
    return render(
        request, "cases/plan_step_delete.html", {"form": form, "plan": plan, "step": step}
    )


@requires(Perm.EDIT_CASES)
@require_POST
def plan_agree(request, pk):
    plan = _get_plan(request, pk)
    form = AgreeForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            version = agree_plan(
                actor=request.actor,
                plan=plan,
                agreed_on=form.cleaned_data["agreed_on"],
                agreed_with=form.cleaned_data["agreed_with"],
                expected_version=form.expected_version,
            )
        except (StaleEditError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Der Plan ist als Fassung %(number)s vereinbart.") % {"number": version.number},
            )
            return _plan_redirect(plan)
    return render(
        request, "cases/plan_detail.html", _detail_context(request, plan, agree_form=form)
    )


# --- agreed versions and the client's copy ---------------------------------------------------


@requires(Perm.VIEW_CASES)
def plan_version(request, pk, number):
    plan = _get_plan(request, pk)
    version = get_object_or_404(plan.versions.select_related("agreed_by"), number=number)
    latest = plan.versions.values_list("number", flat=True).first()
    _audit_plan(request.actor, version, plan)
    return render(
        request,
        "cases/plan_version.html",
        {
            "plan": plan,
            "version": version,
            "content": readable_content(content_for(request.actor, version.content)),
            "is_latest": version.number == latest,
        },
    )


def _print_context(request, plan, action) -> dict:
    versions = plan.versions.select_related("agreed_by")
    wanted = request.GET.get("fassung")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        version = get_object_or_404(versions, number=int(wanted))
    else:
        version = versions.first()  # newest first
    content = version.content if version else plan_content(plan)
    _audit_plan(request.actor, version or plan, plan, action=action)
    people = _people(plan)
    return {
        "plan": plan,
        "version": version,
        "content": readable_content(content_for(request.actor, content)),
        "names": _join_names([p.full_name for p in people]),
        "organisation": plan.organisation,
        "contact_person": request.user.get_full_name(),
        "printed_on": timezone.localdate(),
        "unagreed_changes": bool(version) and not wanted and plan.changed_since_agreement,
    }


@requires(Perm.VIEW_CASES)
def plan_print(request, pk):
    plan = _get_plan(request, pk)
    context = _print_context(request, plan, AuditAction.VIEW)
    return render(request, "cases/plan_print.html", context)


@requires(Perm.VIEW_CASES)
def plan_pdf(request, pk):
    plan = _get_plan(request, pk)
    context = _print_context(request, plan, AuditAction.EXPORT) | {"is_pdf": True}
    suffix = f"-fassung-{context['version'].number}" if context["version"] else "-entwurf"
    return pdf_response(
        "cases/plan_print.html",
        context,
        filename=f"kooperationsplan-{plan.pk}{suffix}.pdf",
        request=request,
    )


# --- "Passende Angebote finden" for a need ---------------------------------------------------


def _needs_queryset():
    return Need.objects.select_related(
        "person__household__municipality", "person__municipality", "problem_situation"
    )


def _offer_prefix(offer_pk) -> str:
    return f"offer-{offer_pk}"


def _match_page(request, need: Need, bound: AddOfferForm | None = None):
    actor = request.actor
    person = need.person
    situation = need.problem_situation
    # Advice in German is the default; another language the person speaks ranks offers.
    language = next((code for code in person.languages if code != "de"), None)
    needs = Needs(
        codes=(situation.code,),
        age=person.age,
        language=language,
        municipality=person.home_municipality,
    )
    matches = match_offers(actor, needs, labels={situation.code: situation.label})
    can_add = need.is_open and actor.can(Perm.EDIT_CASES)
    rows = []
    for match in matches:
        form = None
        if can_add:
            prefix = _offer_prefix(match.offer.pk)
            if bound is not None and bound.prefix == prefix:
                form = bound
            else:
                form = AddOfferForm(prefix=prefix, initial={"goal_title": situation.label})
        rows.append({"match": match, "form": form})
    plans = CooperationPlan.objects.visible_to(actor)
    if person.household_id:
        plan = plans.filter(household_id=person.household_id).first()
    else:
        plan = plans.filter(person=person).first()
    audit_case(actor, AuditAction.VIEW, [(need, person)])
    return render(
        request,
        "cases/need_match.html",
        {
            "need": need,
            "person": person,
            "situation": situation,
            "needs": needs,
            "language_label": Language(language).label if language in Language.values else "",
            "rows": rows,
            "can_add": can_add,
            "bound": bound,
            "plan": plan,
            "search_url": reverse("directory:search")
            + "?"
            + urlencode({"problem": situation.code}),
            "radius_km": DEFAULT_RADIUS_KM,
        },
    )


@requires(Perm.VIEW_CASES)
def need_match(request, pk):
    need = get_visible_or_404(_needs_queryset(), request.actor, pk=pk)
    return _match_page(request, need)


@requires(Perm.EDIT_CASES)
@require_POST
def need_add_offer(request, pk, offer_pk):
    actor = request.actor
    need = get_visible_or_404(_needs_queryset(), actor, pk=pk)
    offer = get_visible_or_404(Offer.objects.select_related("organisation"), actor, pk=offer_pk)
    if not need.is_open:
        messages.error(
            request,
            _("Dieser Handlungsbedarf ist abgeschlossen; es wird kein Angebot mehr übernommen."),
        )
        return redirect("cases:need_match", pk=need.pk)
    form = AddOfferForm(request.POST, prefix=_offer_prefix(offer.pk))
    if form.is_valid():
        try:
            step = add_offer_as_step(
                actor=actor,
                need=need,
                offer=offer,
                goal_title=form.cleaned_data["goal_title"],
                due_on=form.cleaned_data["due_on"],
            )
        except (StaleEditError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("„%(title)s“ steht jetzt als Schritt im Kooperationsplan.")
                % {"title": offer.title},
            )
            return redirect(reverse("cases:plan_detail", args=[step.plan_id]) + f"#step-{step.pk}")
    form.offer = offer
    return _match_page(request, need, bound=form)


urlpatterns = [
    path("bg/<int:pk>/plan/", household_plan, name="household_plan"),
    path("personen/<int:pk>/plan/", person_plan, name="person_plan"),
    path("plaene/<int:pk>/", plan_detail, name="plan_detail"),
    path("plaene/<int:pk>/beginn/", plan_start, name="plan_start"),
    path("plaene/<int:pk>/ziele/", goal_add, name="plan_goal_add"),
    path("plaene/<int:pk>/ziele/<int:goal_pk>/schritt/", step_add, name="plan_step_add"),
    path("plaene/<int:pk>/schritte/<int:step_pk>/", step_edit, name="plan_step_edit"),
    path("plaene/<int:pk>/schritte/<int:step_pk>/loeschen/", step_delete, name="plan_step_delete"),
    path("plaene/<int:pk>/vereinbaren/", plan_agree, name="plan_agree"),
    path("plaene/<int:pk>/fassungen/<int:number>/", plan_version, name="plan_version"),
    path("plaene/<int:pk>/druck/", plan_print, name="plan_print"),
    path("plaene/<int:pk>/plan.pdf", plan_pdf, name="plan_pdf"),
    path("bedarfe/<int:pk>/angebote/", need_match, name="need_match"),
    path(
        "bedarfe/<int:pk>/angebote/<int:offer_pk>/uebernehmen/",
        need_add_offer,
        name="need_add_offer",
    ),
]
