"""Cooperation plans (§ 15 SGB II) of the Jobcenter's households, planned as rows.

Goals follow the household's needs (never health needs: the plan is shared more widely than
health data may be); steps name the client, the Jobcenter, a partner organisation or an offer
of the network that addresses the need. Agreed versions carry ``content`` in exactly the shape
``cases.services.plan_content`` gives, as if the case worker had pressed "vereinbaren".
"""

from __future__ import annotations

from bisect import bisect
from datetime import date, timedelta
from itertools import accumulate

from cases import categories
from cases.choices import OPEN_NEED_STATUSES, MemberRole, Responsible, StepStatus
from cases.demo import texts
from cases.demo.bulk import Tables
from cases.demo.people import Case, aware, full_name
from cases.models import CooperationPlan, PlanGoal, PlanStep, PlanVersion
from core.demo.generator import DemoContext
from core.models import Organisation
from directory.choices import OfferStatus
from directory.models import Offer

PLAN_SHARE_OPEN = 0.6
PLAN_SHARE_CLOSED = 0.3
AGREED_SHARE = 0.8
OVERDUE_STATUSES = (StepStatus.DONE, StepStatus.DROPPED, StepStatus.OPEN, StepStatus.IN_PROGRESS)
OVERDUE_WEIGHTS = list(accumulate((55, 10, 20, 15)))
FUTURE_STATUSES = (StepStatus.OPEN, StepStatus.IN_PROGRESS, StepStatus.DONE)
FUTURE_WEIGHTS = list(accumulate((55, 40, 5)))
CLOSED_STATUSES = (StepStatus.DONE, StepStatus.DONE, StepStatus.DROPPED)


class PlanBuilder:
    def __init__(self, ctx: DemoContext, tables: Tables, organisation: Organisation):
        self.ctx, self.rng = ctx, ctx.rng
        self.plans = tables[CooperationPlan]
        self.goals = tables[PlanGoal]
        self.steps = tables[PlanStep]
        self.versions = tables[PlanVersion]
        self.organisation = organisation
        self.network_id = ctx.network.pk
        # Published offers of the network by problem situation code: (id, title, provider).
        self.offers: dict[str, list[tuple[int, str, int]]] = {}
        rows = (
            Offer.problem_situations.through.objects.filter(
                offer__network=ctx.network, offer__status=OfferStatus.PUBLISHED
            )
            .order_by("problemsituation__code", "offer__title", "offer_id")
            .values_list(
                "problemsituation__code", "offer_id", "offer__title", "offer__organisation"
            )
        )
        for code, offer_id, title, provider_id in rows:
            self.offers.setdefault(code, []).append((offer_id, title, provider_id))
        self.org_names = {org.pk: org.name for org in ctx.organisations.values()}
        self.partners: dict[tuple[str, ...], list[Organisation]] = {}
        self.count = 0

    def partner(self, specs: tuple[str, ...], which: float) -> Organisation | None:
        if specs not in self.partners:
            self.partners[specs] = [
                org
                for key, org in self.ctx.organisations.items()
                if key.startswith(specs) and org.pk != self.organisation.pk
            ]
        matches = self.partners[specs]
        return matches[int(which * len(matches))] if matches else None

    def build(self, cases: list[Case]) -> int:
        rng = self.rng
        for case in cases:
            if case.household is None or not case.adults:
                continue
            if rng.random() < (PLAN_SHARE_CLOSED if case.closed else PLAN_SHARE_OPEN):
                self._plan(case)
                self.count += 1
        return self.count

    def _plan(self, case: Case) -> None:
        rng = self.rng
        starts = min(case.opened + timedelta(days=rng.randint(7, 120)), case.end)
        plan = self.plans.add(
            network_id=self.network_id,
            organisation_id=self.organisation.pk,
            created_at=aware(starts, rng),
            created_by_id=case.worker_id,
            household_id=case.household["id"],
            starts_on=starts,
        )
        # One goal per group of needs, open needs first; no health goals (see module docstring).
        by_group: dict[str, dict] = {}
        for need in sorted(case.needs, key=lambda n: n["status"] not in OPEN_NEED_STATUSES):
            if need["category"] != categories.HEALTH:
                by_group.setdefault(need["category"], need)
        chosen = [(n["_code"], n) for n in by_group.values()][: rng.randint(1, 3)] or [("", None)]
        goals, steps = [], []
        for position, (code, need) in enumerate(chosen, start=1):
            goal = self.goals.add(
                network_id=self.network_id,
                plan_id=plan["id"],
                title=texts.GOALS.get(code, texts.WORK_GOAL),
                position=position,
                is_special_category=False,  # goals never follow health needs
            )
            goals.append(goal)
            self._steps(plan, case, goal, code, need, steps)
        versions = self._versions(plan, case, goals, steps)
        plan["version"] = 1 + len(goals) + len(steps) + versions

    def _steps(self, plan, case: Case, goal, code: str, need, steps: list[dict]) -> None:
        rng = self.rng
        group = code.partition(".")[0] or "work"
        options = texts.STEPS[group]
        start = plan["starts_on"]
        for responsible, description, specs in rng.sample(options, rng.randint(1, 3)):
            # The same draws for every step, used or not: the offers of the network change with
            # the offer catalogue and with today's date, and must not shift the draws for the
            # plans and consents after this one.
            which, due_days, with_need, status_roll = (
                rng.random(),
                rng.randint(14, 240),
                rng.random(),
                rng.random(),
            )
            values = {"partner_id": None, "offer_id": None, "responsible_person_id": None}
            for_need = need if need is not None and with_need < 0.8 else None
            if responsible == Responsible.OFFER:
                offers = self.offers.get(code)
                if not offers:
                    continue
                offer_id, title, provider_id = offers[int(which * len(offers))]
                # What PlanStep.save() stores: the offer's provider becomes the partner.
                values.update(offer_id=offer_id, partner_id=provider_id)
                description = texts.OFFER_STEP.format(title=title)[:400]
                label = f"{title} ({self.org_names.get(provider_id, '')})"
            elif responsible == Responsible.PARTNER:
                partner = self.partner(specs, which)
                if partner is None:
                    continue
                values["partner_id"] = partner.pk
                label = partner.name
            elif responsible == Responsible.CLIENT:
                person = need["_person"] if need is not None else case.adults[0]
                values["responsible_person_id"] = person["id"]
                label = full_name(person)
            else:
                label = self.organisation.name
            due_on = start + timedelta(days=due_days)
            if case.closed:
                due_on = max(start, min(due_on, case.closed))
            steps.append(
                self.steps.add(
                    network_id=self.network_id,
                    plan_id=plan["id"],
                    goal_id=goal["id"],
                    organisation_id=self.organisation.pk,
                    description=description,
                    responsible=responsible,
                    need_id=for_need["id"] if for_need is not None else None,
                    # What PlanStep.save() computes: special if its need or its goal is.
                    is_special_category=bool(
                        (for_need is not None and for_need["is_special_category"])
                        or goal["is_special_category"]
                    ),
                    due_on=due_on,
                    status=self._status(due_on, case, status_roll),
                    position=len(steps) + 1,
                    _label=label,
                    **values,
                )
            )

    def _status(self, due_on: date, case: Case, roll: float) -> str:
        if case.closed:
            return CLOSED_STATUSES[int(roll * len(CLOSED_STATUSES))]
        # Overdue steps (open or in progress after their date) are part of real files.
        options = OVERDUE_STATUSES if due_on < case.end else FUTURE_STATUSES
        weights = OVERDUE_WEIGHTS if due_on < case.end else FUTURE_WEIGHTS
        return options[bisect(weights, roll * weights[-1])]

    def _versions(self, plan: dict, case: Case, goals: list[dict], steps: list[dict]) -> int:
        """Agreed versions; returns how many. A plan never agreed keeps
        ``changed_since_agreement`` (default True)."""
        rng = self.rng
        if not steps or rng.random() >= AGREED_SHARE:
            return 0
        with_whom = " und ".join(
            full_name(p)
            for p in case.adults
            if p["role"] in (MemberRole.APPLICANT, MemberRole.PARTNER)
        )
        first_day = min(plan["starts_on"] + timedelta(days=rng.randint(0, 10)), case.end)
        days = [first_day]
        later = first_day + timedelta(days=rng.randint(60, 365))
        if rng.random() < 0.4 and later <= case.end:
            days.append(later)
        # The first version held the first steps, all still open; a second one is the current
        # state. With one version only, later progress counts as a change since agreement.
        first_steps = steps[: max(1, len(steps) - rng.randint(0, 1))]
        contents = [_content(plan, goals, first_steps, fresh=True)]
        if len(days) == 2:
            contents.append(_content(plan, goals, steps, fresh=False))
        for number, (day, content) in enumerate(zip(days, contents, strict=True), start=1):
            self.versions.add(
                network_id=self.network_id,
                plan_id=plan["id"],
                organisation_id=self.organisation.pk,
                number=number,
                agreed_on=day,
                agreed_at=aware(day, rng),
                agreed_by_id=case.worker_id,
                agreed_with=with_whom[:300],
                content=content,
            )
        plan["changed_since_agreement"] = contents[-1] != _content(plan, goals, steps, fresh=False)
        return len(days)


def _content(plan: dict, goals: list[dict], steps: list[dict], *, fresh: bool) -> dict:
    """``cases.services.plan_content`` of these steps (``fresh``: as agreed, all still open)."""
    return {
        "starts_on": plan["starts_on"].isoformat(),
        "goals": [
            {
                "title": goal["title"],
                "special": goal["is_special_category"],
                "steps": [
                    {
                        "description": step["description"],
                        "special": step["is_special_category"],
                        "responsible": str(step["responsible"]),
                        "responsible_label": step["_label"],
                        "offer_id": step["offer_id"],
                        "due_on": step["due_on"].isoformat() if step["due_on"] else None,
                        "status": str(StepStatus.OPEN if fresh else step["status"]),
                    }
                    for step in steps
                    if step["goal_id"] == goal["id"]
                ],
            }
            for goal in goals
        ],
    }
