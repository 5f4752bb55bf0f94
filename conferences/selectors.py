"""Reads for the conference pages, the task list, the home page and the case file timeline."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from conferences import disclosure, services
from conferences.choices import ActionStatus, Status
from conferences.models import Action, AgendaItem, Conference
from core.permissions import Perm

SORTS = {
    "start": ("starts_at", "pk"),
    "-start": ("-starts_at", "-pk"),
    "title": ("title", "starts_at"),
}


def conferences(actor, *, when: str = "upcoming", status: str = "", q: str = "", sort: str = ""):
    found = (
        Conference.objects.visible_to(actor)
        .select_related("organiser", "series")
        .annotate(
            item_count=Count("items", distinct=True),
            open_actions=Count(
                "actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True
            ),
        )
    )
    if when == "upcoming":
        found = found.upcoming()
        default = "start"
    elif when == "past":
        found = found.past()
        default = "-start"
    else:
        default = "-start"
    if status:
        found = found.filter(status=status)
    for word in (q or "").split():
        found = found.filter(Q(title__icontains=word) | Q(organiser__name__icontains=word))
    return found.order_by(*SORTS.get(sort, SORTS[default]))


def items_of(conference):
    return (
        AgendaItem.objects.filter(conference=conference)
        .select_related("presenter", "person__household", "conference")
        .prefetch_related(
            "consents",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "owner", "owner_user", "referral", "conference"
                ),
            ),
        )
        .order_by("position", "pk")
    )


def conference_page(actor, conference) -> dict:
    """The conference as the actor's organisation may see it; audits every case shown."""
    views = [disclosure.view_for(actor, item) for item in items_of(conference)]
    services.record_views(actor, views)
    general_actions = (
        conference.actions.filter(item__isnull=True)
        .select_related("owner", "owner_user", "referral", "conference")
        .order_by("due_date", "pk")
    )
    previous = services.series_predecessor(conference)
    carried = []
    # Only for organisations that were at the last meeting: its actions name its cases.
    if previous is not None and services.takes_part(actor.organisation, previous):
        carried = list(
            previous.actions.open()
            .select_related("owner", "owner_user", "item", "conference", "referral")
            .order_by("due_date", "pk")
        )
    return {
        "views": views,
        "general_actions": list(general_actions),
        "previous": previous,
        "carried_actions": carried,
        "participants": services.participants(conference),
        "people": list(conference.invited_people.order_by("last_name", "first_name")),
        "is_organiser": services.is_organiser(actor, conference),
        "can_present": actor.can(Perm.PRESENT_CASES)
        and conference.status == Status.PLANNED
        and services.takes_part(actor.organisation, conference),
    }


def actions_for(actor, *, status: str = "open", overdue: bool = False, mine: bool = False, q=""):
    """The actions the actor's organisation owns (its task list)."""
    found = (
        Action.objects.visible_to(actor)
        .owned_by(actor.organisation)
        .select_related("conference", "owner", "owner_user", "item", "referral")
    )
    if status in ActionStatus.values:
        found = found.filter(status=status)
    if overdue:
        found = found.overdue()
    if mine:
        found = found.filter(owner_user=actor.user)
    for word in (q or "").split():
        found = found.filter(
            Q(title__icontains=word)
            | Q(conference__title__icontains=word)
            | Q(item__case_label__icontains=word)
        )
    return found.order_by("due_date", "pk")


def for_home(actor):
    if not actor.can(Perm.VIEW_CONFERENCES):
        return None
    upcoming = list(
        Conference.objects.visible_to(actor)
        .upcoming()
        .filter(status=Status.PLANNED)
        .select_related("organiser")
        .order_by("starts_at")[:3]
    )
    own = Action.objects.visible_to(actor).owned_by(actor.organisation).open()
    counts = own.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate()))
    )
    if not upcoming and not counts["open"]:
        return None
    return {"upcoming": upcoming, "counts": counts}


def _conference_events(actor, *, persons, household, context) -> list[timeline.Event]:
    """The actor's own presentations of these persons and what was agreed about them."""
    if not actor.can(Perm.VIEW_CONFERENCES):
        return []
    items = (
        AgendaItem.objects.visible_to(actor)
        .filter(presenter=actor.organisation, person__in=[p.pk for p in persons])
        .select_related("conference", "person")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner")))
    )
    events = []
    for item in items:
        conference = item.conference
        events.append(
            timeline.Event(
                at=conference.starts_at,
                kind=_("Fallberatung"),
                text=_("%(label)s in „%(title)s“ (%(presentation)s, %(status)s)")
                % {
                    "label": item.case_label,
                    "title": conference.title,
                    "presentation": item.get_presentation_display(),
                    "status": conference.get_status_display(),
                },
                url=item.get_absolute_url(),
                person=item.person.full_name if item.person else "",
            )
        )
        for action in item.actions.all():
            events.append(
                timeline.Event(
                    at=action.created_at,
                    kind=_("Vereinbarung"),
                    text=_("%(title)s – %(owner)s, bis %(due)s (%(status)s)")
                    % {
                        "title": action.title,
                        "owner": action.owner.name,
                        "due": action.due_date.strftime("%d.%m.%Y"),
                        "status": action.get_status_display(),
                    },
                    url=action.get_absolute_url(),
                    person=item.person.full_name if item.person else "",
                )
            )
    return events


timeline.register(_conference_events)


FEED_PAST_DAYS = 90


def calendar_feed(user):
    """The user's own appointments (invited or organised by them) in every organisation they
    may act as, from three months back."""
    from core.models import Membership
    from core.permissions import actor_for

    ids: set[int] = set()
    organisations = (
        Membership.objects.active().filter(user=user).values_list("organisation_id", flat=True)
    )
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    for organisation_id in set(organisations):
        actor = actor_for(user, organisation_id)
        ids |= set(
            Conference.objects.visible_to(actor)
            .filter(Q(invited_people=user) | Q(created_by=user), ends_at__gte=since)
            .values_list("pk", flat=True)
        )
    return (
        Conference.objects.filter(pk__in=ids)
        .select_related("organiser")
        .annotate(item_count=Count("items"))
        .order_by("starts_at")
    )
