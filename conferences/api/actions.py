"""Agreed actions: recording them in a conference, the own organisation's task list and keeping
their status current."""

from typing import Literal

import ninja
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from cases.api.common import BODY, _found
from conferences import selectors, services
from conferences.api.common import (
    MAX_LIMIT,
    _action,
    _conference,
    _network_users,
    _run,
    action_data,
    router,
)
from conferences.api.schemas import (
    ActionStatusIn,
    AgreedActionIn,
    AgreedActionOut,
    ConferenceConflictOut,
    TaskOut,
)
from conferences.models import AgendaItem
from core.models import Organisation
from core.permissions import Perm

# Service field names → the API's (``AgreedActionIn``).
ACTION_RENAME = {"item": "item_id", "owner": "owner_id", "owner_user": "owner_user_id"}


def task_data(actor, action) -> dict:
    conference = action.conference
    return {
        **action_data(actor, action),
        "conference": {
            "id": conference.pk,
            "title": conference.title,
            "starts_at": conference.starts_at,
            "status": conference.status,
        },
        "case_label": action.item.case_label if action.item_id else "",
    }


@router.get(
    "/conferences/{int:conference_id}/actions",
    response=list[AgreedActionOut],
    summary="Die Vereinbarungen einer Fallberatung",
)
@api_requires(Perm.VIEW_CONFERENCES)
def list_conference_actions(request, conference_id: int):
    """Every action agreed in the conference, per case and general ones, by due date."""
    actor = request.auth
    conference = _conference(actor, conference_id)
    actions = conference.actions.select_related("owner", "owner_user", "item").order_by(
        "due_date", "pk"
    )
    result = []
    for action in actions:
        action.conference = conference
        result.append(action_data(actor, action))
    return result


@router.post(
    "/conferences/{int:conference_id}/actions",
    response={201: AgreedActionOut, 409: ConferenceConflictOut},
    summary="Vereinbarung festhalten: wer macht was bis wann",
)
@api_requires(Perm.VIEW_CONFERENCES)
def add_action(request, conference_id: int, payload: AgreedActionIn):
    """The inviting organisation records any action, the presenting organisation those about
    its own case (``item_id``); others get 409, as before the conference's day. ``due_date``
    must be a working day, or ``due_in_days`` counts working days from today. An action about a
    pseudonymised case whose title seems to name the person answers 422 until it is resent with
    ``confirm_identifiers: true``."""
    actor = request.auth
    conference = _conference(actor, conference_id)
    errors = []
    item = _found(
        AgendaItem.objects.filter(conference=conference).select_related("person", "presenter"),
        payload.item_id,
        (*BODY, "item_id"),
        errors,
        _("Diesen Fall gibt es auf dieser Tagesordnung nicht."),
    )
    owner = _found(
        Organisation.objects.visible_to(actor),
        payload.owner_id,
        (*BODY, "owner_id"),
        errors,
        _("Diese Organisation gibt es im Netzwerk nicht."),
    )
    owner_user = _found(
        _network_users(actor),
        payload.owner_user_id,
        (*BODY, "owner_user_id"),
        errors,
        _("Diese Person gibt es im Netzwerk nicht."),
    )
    if errors:
        raise ValidationError(errors)
    action = _run(
        actor,
        lambda: services.add_action(
            actor,
            conference,
            item=item,
            title=payload.title,
            owner=owner,
            owner_user=owner_user,
            due_date=payload.due_date,
            due_in_days=payload.due_in_days,
            confirm_identifiers=payload.confirm_identifiers,
        ),
        rename=ACTION_RENAME,
    )
    return ninja.Status(201, action_data(actor, _action(actor, action.pk)))


class _TaskPagination(LimitOffsetPagination):
    """Rows are built once the page is cut (they need the actor for ``may_update``)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [task_data(request.auth, action) for action in page["items"]]
        return page


@router.get(
    "/conference-actions",
    response=list[TaskOut],
    summary="Aufgaben der eigenen Organisation aus Fallberatungen",
)
@api_requires(Perm.VIEW_CONFERENCES)
@paginate(_TaskPagination, max_limit=MAX_LIMIT)
def list_tasks(
    request,
    status: Literal["open", "done", "dropped", "all"] = "open",
    overdue: bool = False,
    mine: bool = False,
    q: str = "",
):
    """The actions the own organisation is responsible for, by due date, like the task list
    page: ``overdue`` only open ones past their date, ``mine`` only the caller's own, ``q``
    words in the action, the conference's title or the case label."""
    return selectors.actions_for(request.auth, status=status, overdue=overdue, mine=mine, q=q)


@router.get(
    "/conference-actions/{int:action_id}/status",
    response=TaskOut,
    summary="Stand einer Vereinbarung",
)
@api_requires(Perm.VIEW_CONFERENCES)
def get_action_status(request, action_id: int):
    """The state ``POST`` on this address changes (every API address also answers ``GET``);
    ``version`` is what the ``POST`` sends back."""
    actor = request.auth
    return task_data(actor, _action(actor, action_id))


@router.post(
    "/conference-actions/{int:action_id}/status",
    response={200: TaskOut, 409: ConferenceConflictOut},
    summary="Stand einer Vereinbarung pflegen: open, done, dropped",
)
@api_requires(Perm.VIEW_CONFERENCES)
def set_action_status(request, action_id: int, payload: ActionStatusIn):
    """The responsible, the inviting and the presenting organisation keep the status; others
    get 409. ``version`` is the version read: if someone changed the action since, 409 and
    nothing is saved."""
    actor = request.auth
    action = _action(actor, action_id)
    _run(
        actor,
        lambda: services.set_action_status(
            actor, action, status=payload.status, note=payload.note, version=payload.version
        ),
    )
    return task_data(actor, _action(actor, action_id))
