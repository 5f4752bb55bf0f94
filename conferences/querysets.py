"""Who sees which conference: the organiser and the invited organisations, nobody else."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.permissions import Perm


def _participates(organisation_id):
    from conferences.models import Conference

    invited = Conference.invited_organisations.through.objects.filter(
        conference_id=OuterRef("pk"), organisation_id=organisation_id
    )
    return Q(organiser_id=organisation_id) | Exists(invited)


class ConferenceQuerySet(models.QuerySet):
    def visible_to(self, actor):
        if actor is None or actor.organisation is None or not actor.can(Perm.VIEW_CONFERENCES):
            return self.none()
        return self.filter(network_id=actor.network_id).filter(_participates(actor.organisation.pk))

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def past(self):
        return self.filter(ends_at__lt=timezone.now())


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, actor):
        from conferences.models import Conference

        return self.filter(conference__in=Conference.objects.visible_to(actor).values("pk"))


class ActionQuerySet(models.QuerySet):
    def visible_to(self, actor):
        from conferences.models import Conference

        return self.filter(conference__in=Conference.objects.visible_to(actor).values("pk"))

    def open(self):
        from conferences.choices import ActionStatus

        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def owned_by(self, organisation):
        return self.filter(owner=organisation)
