"""Who sees which case records: only the controller's own staff, never another organisation.

There is no shared case pool and no cross-organisation person index: every queryset here is
scoped to the actor's organisation (the controller). Special category data (health, addiction,
documents from a doctor) is additionally hidden from roles that do not need it.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from core.permissions import Perm
from core.querysets import NetworkScopedQuerySet


class CaseQuerySet(NetworkScopedQuerySet):
    def visible_to(self, actor):
        if actor is None or actor.organisation is None or not actor.can(Perm.VIEW_CASES):
            return self.none()
        return self.filter(network_id=actor.network_id, organisation_id=actor.organisation.pk)

    def of_controller(self, organisation):
        """Everything one organisation holds (subject access, retention): no role filter."""
        return self.filter(network_id=organisation.network_id, organisation=organisation)


class PersonQuerySet(CaseQuerySet):
    def search(self, text: str):
        """Name or household number, within the queryset (which is one organisation's file).

        Names are matched on the folded ``name_key``, so "Müller" and "Mueller" (or "Yılmaz"
        and "Yilmaz") find each other, and one plain column is scanned instead of two
        upper-cased ones.
        """
        from cases.models.households import name_key

        query = Q()
        for word in text.split():
            query &= Q(name_key__contains=name_key(word, "")) | Q(household__number__icontains=word)
        return self.filter(query)

    def possible_duplicates(self, *, organisation, first_name: str, last_name: str, birth_date):
        from cases.models.households import name_key

        return self.of_controller(organisation).filter(
            birth_date=birth_date, name_key=name_key(first_name, last_name)
        )

    def active(self):
        return self.filter(erased_at__isnull=True)


class HidesSpecialCategory:
    """Health, addiction and medical records only for roles that need them (Art. 9 DSGVO)."""

    def for_actor(self, actor):
        if actor is not None and not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
            return self.filter(is_special_category=False)
        return self


class SpecialCategoryQuerySet(HidesSpecialCategory, CaseQuerySet):
    def visible_to(self, actor):
        return super().visible_to(actor).for_actor(actor)


class NeedQuerySet(SpecialCategoryQuerySet):
    def open(self):
        from cases.choices import OPEN_NEED_STATUSES

        return self.filter(status__in=OPEN_NEED_STATUSES)


class ConsentQuerySet(CaseQuerySet):
    def valid_at(self, moment=None):
        """Given before ``moment`` (no retroactive consent), in its period, not yet revoked."""
        moment = moment or timezone.now()
        day = timezone.localdate(moment)
        return self.filter(given_at__lte=moment, valid_from__lte=day, valid_until__gte=day).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment)
        )

    def expiring_within(self, days: int):
        today = timezone.localdate()
        return self.valid_at().filter(valid_until__lte=today + timedelta(days=days))


class PlanGoalQuerySet(HidesSpecialCategory, NetworkScopedQuerySet):
    """Goals are read through their plan (already scoped); ``for_actor`` hides health goals."""


class PlanStepQuerySet(SpecialCategoryQuerySet):
    def open(self):
        from cases.choices import OPEN_STEP_STATUSES

        return self.filter(status__in=OPEN_STEP_STATUSES)


class RetentionQuerySet(NetworkScopedQuerySet):
    def visible_to(self, actor):
        if actor is None or actor.organisation is None or not actor.can(Perm.MANAGE_RETENTION):
            return self.none()
        return self.filter(network_id=actor.network_id, organisation_id=actor.organisation.pk)
