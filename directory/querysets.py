"""Who sees which offers, and the filters every search and list shares.

Everyone in a network reads published offers; staff of the owning organisation also see its
drafts, paused and archived offers, and only they may change them.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.querysets import NetworkScopedQuerySet
from core.workdays import is_public_holiday
from directory.choices import OfferStatus


class ProblemSituationQuerySet(NetworkScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def leaves(self):
        return self.filter(parent__isnull=False)


class OfferQuerySet(NetworkScopedQuerySet):
    def visible_to(self, actor):
        scoped = super().visible_to(actor)
        if actor is None or actor.organisation is None:
            return scoped
        return scoped.filter(
            Q(status=OfferStatus.PUBLISHED) | Q(organisation_id=actor.organisation.pk)
        )

    def editable_by(self, actor):
        from core.permissions import Perm

        if actor is None or actor.organisation is None or not actor.can(Perm.EDIT_OFFERS):
            return self.none()
        return self.filter(network_id=actor.network_id, organisation_id=actor.organisation.pk)

    def published(self):
        return self.filter(status=OfferStatus.PUBLISHED)

    def current(self):
        """Offers their owners still run: published or paused (not draft, not archived)."""
        return self.filter(status__in=[OfferStatus.PUBLISHED, OfferStatus.PAUSED])

    def stale(self, today=None):
        today = today or timezone.localdate()
        return self.filter(last_verified__lt=today - timedelta(days=settings.OFFER_FRESHNESS_DAYS))

    def open_on_weekday(self, weekday: int):
        from directory.models import OpeningHours

        return self.filter(
            Exists(OpeningHours.objects.filter(offer=OuterRef("pk"), weekday=weekday))
        )

    def open_at(self, moment: datetime, federal_state: str):
        """Open at ``moment`` (local time): an exception for that day replaces the weekly hours;
        on a public holiday of the state only an exception opens the offer."""
        from directory.models import OpeningException, OpeningHours

        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        day, time = moment.date(), moment.time()
        exceptions_today = OpeningException.objects.filter(offer=OuterRef("pk"), date=day)
        opened_by_exception = Exists(
            exceptions_today.filter(is_closed=False, opens__lte=time, closes__gt=time)
        )
        if is_public_holiday(day, federal_state):
            return self.filter(opened_by_exception)
        regular = Exists(
            OpeningHours.objects.filter(
                offer=OuterRef("pk"), weekday=day.weekday(), opens__lte=time, closes__gt=time
            )
        )
        return self.filter((regular & ~Exists(exceptions_today)) | opened_by_exception)

    def covering(self, codes):
        """Offers addressing any of these problem-situation codes (a group code covers its
        situations, and a situation is covered by an offer for its whole group)."""
        codes = list(codes)
        groups = {code.split(".")[0] for code in codes}
        links = self.model.problem_situations.through.objects.filter(offer_id=OuterRef("pk"))
        return self.filter(
            Exists(
                links.filter(
                    Q(problemsituation__code__in=codes)
                    | Q(problemsituation__code__in=groups)
                    | Q(problemsituation__parent__code__in=codes)
                )
            )
        )
