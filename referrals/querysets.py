from django.db.models import Case, IntegerField, Q, Value, When

from core.permissions import Perm
from core.querysets import NetworkScopedQuerySet
from referrals.choices import AWAITING_RESPONSE, RUNNING, URGENT_TRACKS, Kind, Status


def overdue_q(today) -> Q:
    """Past the deadline that runs now: the answer while waiting, then the completion target."""
    return Q(status__in=AWAITING_RESPONSE, response_due__lt=today) | Q(
        status__in=RUNNING, completion_due__lt=today
    )


class ReferralQuerySet(NetworkScopedQuerySet):
    def visible_to(self, actor):
        """Sender and recipient see a referral; nobody else. Drafts and advisory pointers carry
        nothing to the recipient and stay with the sender."""
        if not (actor.is_member and actor.can(Perm.VIEW_REFERRALS)):
            return self.none()
        org = actor.organisation
        received = Q(recipient=org, kind=Kind.REFERRAL) & ~Q(status=Status.DRAFT)
        return self.filter(network_id=actor.network_id).filter(Q(sender=org) | received)

    def inbox(self, organisation):
        return self.filter(recipient=organisation, kind=Kind.REFERRAL).exclude(status=Status.DRAFT)

    def outbox(self, organisation):
        return self.filter(sender=organisation)

    def open(self):
        return self.filter(status__in=[*AWAITING_RESPONSE, *RUNNING])

    def overdue(self, today):
        return self.filter(overdue_q(today))

    def by_urgency(self):
        """Urgent tracks first, then what is due soonest (unanswered ones by answer deadline)."""
        return self.annotate(
            urgent_rank=Case(
                When(track__in=URGENT_TRACKS, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            waiting_rank=Case(
                When(status__in=AWAITING_RESPONSE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        ).order_by("waiting_rank", "urgent_rank", "response_due", "completion_due", "pk")
