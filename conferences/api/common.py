"""Shared by the conference API modules: the router, running a service call with its refusals
translated (the case-file API's 422 shape, 409 for refused steps, 422 per identifier found in
free text), lookups and what one organisation sees of an agenda item."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError, ValidationError

from cases.api.common import BODY, _error, _user_name, _write
from conferences import disclosure, selectors, services
from conferences.choices import Status
from conferences.models import Action, Conference
from core.models import Membership, User
from core.permissions import get_visible_or_404


class _Router(Router):
    """Operation ids ``conferences_api_<function>``, whichever submodule holds the function."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"conferences_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = _Router(tags=["Fallberatungen"])

MAX_LIMIT = 100


def _identifier_errors(exc: services.IdentifiersFound, loc) -> list[dict]:
    hint = _("Wenn der Text so bleiben soll, senden Sie ihn erneut mit confirm_identifiers: true.")
    return [
        _error(
            (*loc, exc.field),
            _("Der Text enthält vielleicht Angaben zur Person: %(finding)s. %(hint)s")
            % {"finding": finding, "hint": hint},
            "identifier",
        )
        for finding in exc.findings
    ]


def _run(actor, call, rename=None, loc=BODY):
    """A service call: refused steps answer 409 with the German message; identifiers in free
    text 422 (one error per finding); validation errors 422, missing rights 403, stale versions
    409 (via the case-file API's ``_write``). A refused call saves nothing."""
    try:
        return _write(actor, call, loc=loc, rename=rename)
    except services.ConferenceRefused as exc:
        raise HttpError(409, exc.message) from exc
    except services.IdentifiersFound as exc:
        raise ValidationError(_identifier_errors(exc, loc)) from exc


def _actor(context):
    return context["request"].auth


def _aware(moment):
    """A time sent without offset is meant in the platform's time zone (as on the pages)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _conferences(actor, *, when="all", status=""):
    """The list page's rows (visible conferences with their counts) and their participants, in
    a fixed number of queries however many there are."""
    found = selectors.conferences(actor, when=when, status=status)
    return found.prefetch_related("invited_organisations")


def _conference(actor, pk) -> Conference:
    """A conference the actor's organisation organises or is invited to; anything else 404."""
    return get_visible_or_404(_conferences(actor).select_related("network"), actor, pk=pk)


def _action(actor, pk) -> Action:
    return get_visible_or_404(
        Action.objects.select_related(
            "conference", "item", "owner", "owner_user", "referral", "conference__organiser"
        ),
        actor,
        pk=pk,
    )


def _network_users(actor):
    """Users with an active membership in the actor's network (others are not named)."""
    memberships = Membership.objects.active().filter(network_id=actor.network_id)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def _named(queryset, pks, loc, errors, message) -> list:
    """The records a list of ids in the body names, in the order sent; each missing or foreign
    id is an error at its index (the same message for both)."""
    unique = list(dict.fromkeys(pks))
    found = queryset.in_bulk(unique) if unique else {}
    for index, pk in enumerate(pks):
        if pk not in found:
            errors.append(_error((*loc, index), message))
    return [found[pk] for pk in unique if pk in found]


def may_hold(actor, conference) -> bool:
    return (
        services.is_organiser(actor, conference)
        and conference.status == Status.PLANNED
        and conference.has_begun
    )


def may_cancel(actor, conference) -> bool:
    return services.is_organiser(actor, conference) and conference.status == Status.PLANNED


# --- what the acting organisation sees of a case -----------------------------------------------


def _ref(organisation) -> dict:
    return {"id": organisation.pk, "name": organisation.name}


def action_data(actor, action) -> dict:
    return {
        "id": action.pk,
        "version": action.version,
        "conference_id": action.conference_id,
        "item_id": action.item_id,
        "title": action.title,
        "owner": _ref(action.owner),
        "owner_user": _user_name(action.owner_user),
        "owner_user_id": action.owner_user_id,
        "due_date": action.due_date,
        "status": action.status,
        "status_note": action.status_note,
        "done_at": action.done_at,
        "is_overdue": action.is_overdue,
        "referral_id": action.referral_id,
        "may_update": services.may_update_action(actor, action),
    }


def item_data(actor, view, conference) -> dict:
    """One agenda item from its ``disclosure`` view, field by field: never the stored identity
    or the case-file link unless the view grants them (a whole ``item.shared`` would also carry
    the needs the viewer's role may not see)."""
    item = view.item
    shared = view.shared
    for action in item.actions.all():
        action.conference = conference  # the same object: no query per action
    return {
        "id": item.pk,
        "version": item.version,
        "position": item.position,
        "case_label": item.case_label,
        "presenter": _ref(item.presenter),
        "presentation": item.presentation,
        "question": item.question,
        "minutes": item.minutes,
        "shared": {
            "municipality": shared.get("municipality", ""),
            "presented": shared.get("presented", {}),
            "household": shared.get("household", []),
        },
        "needs": view.needs,
        "identity": view.identity or None,
        "identity_withheld": view.identity_withheld,
        "identity_revoked_at": item.identity_revoked_at,
        "own": view.own,
        "person_id": item.person_id if view.own else None,
        "actions": [action_data(actor, action) for action in item.actions.all()],
    }


def agenda(actor, conference) -> list[dict]:
    """The items as the actor's organisation may see them; every case shown is audited."""
    views = [disclosure.view_for(actor, item) for item in selectors.items_of(conference)]
    services.record_views(actor, views)
    return [item_data(actor, view, conference) for view in views]
