"""The conference list, one conference with its agenda (audited), planning, holding and
cancelling, and putting a case on the agenda."""

from typing import Literal

import ninja
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from cases.api.common import BODY, _own_person
from cases.models import Need
from conferences import selectors, services
from conferences.api.common import (
    MAX_LIMIT,
    _aware,
    _conference,
    _conferences,
    _named,
    _network_users,
    _run,
    action_data,
    agenda,
    item_data,
    may_cancel,
    may_hold,
    router,
)
from conferences.api.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    ConferenceCancelIn,
    ConferenceConflictOut,
    ConferenceListOut,
    ConferenceOut,
    ConferencePlanIn,
    ConferenceStepOut,
)
from conferences.choices import Status
from conferences.disclosure import view_for
from core.models import Organisation
from core.permissions import Perm

# Service field names → the API's (``ConferencePlanIn`` / ``AgendaItemIn``).
PLAN_RENAME = {"organisations": "organisation_ids", "people": "person_ids"}
ITEM_RENAME = {"person": "person_id", "needs": "need_ids"}
# Steps taken through ``/conferences/{id}/actions/{name}``.
STEPS = {
    "hold": (gettext_lazy("als durchgeführt vermerken"), may_hold),
    "cancel": (gettext_lazy("absagen"), may_cancel),
}


@router.get(
    "/conferences",
    response=list[ConferenceListOut],
    summary="Fallberatungen der eigenen Organisation (ohne Fälle)",
)
@api_requires(Perm.VIEW_CONFERENCES)
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_conferences(
    request,
    when: Literal["upcoming", "past", "all"] = "upcoming",
    status: Status | None = None,
):
    """Those the own organisation organises or is invited to, like the list page: upcoming ones
    (default) by start, past ones and all newest first. Metadata only, never a case."""
    return _conferences(request.auth, when=when, status=status or "")


def _detail(actor, conference):
    conference.agenda = agenda(actor, conference)
    general = (
        conference.actions.filter(item__isnull=True)
        .select_related("owner", "owner_user", "referral")
        .order_by("due_date", "pk")
    )
    actions = []
    for action in general:
        action.conference = conference
        actions.append(action_data(actor, action))
    conference.general_actions = actions
    conference.can_present = (
        actor.can(Perm.PRESENT_CASES)
        and conference.status == Status.PLANNED
        and services.takes_part(actor.organisation, conference)
    )
    return conference


@router.get(
    "/conferences/{int:conference_id}",
    response=ConferenceOut,
    summary="Eine Fallberatung mit Tagesordnung und Vereinbarungen (protokolliert)",
)
@api_requires(Perm.VIEW_CONFERENCES)
def get_conference(request, conference_id: int):
    """The agenda exactly as the own organisation may see it: its own cases in full (with the
    case-file link ``person_id``), the others' pseudonymised, health needs only for roles that
    may see special category data, name, birth date and address only while a consent covers
    the own organisation for the case conference. Every read is audited, one entry per case."""
    actor = request.auth
    return _detail(actor, _conference(actor, conference_id))


@router.post(
    "/conferences",
    response={201: list[ConferenceListOut]},
    summary="Fallberatung oder Terminreihe planen (Einladungen werden versandt)",
)
@api_requires(Perm.PLAN_CONFERENCES)
def plan_conferences(request, payload: ConferencePlanIn):
    """The own organisation invites; ``frequency`` and ``count`` plan a series. Answers every
    planned meeting in order. Refused with 422 (German messages, nothing planned) for a start
    in the past, an end before the start, neither place nor video link, no other organisation,
    organisations or people outside the network or not taking part."""
    actor = request.auth
    errors = []
    organisations = _named(
        Organisation.objects.visible_to(actor),
        payload.organisation_ids,
        (*BODY, "organisation_ids"),
        errors,
        _("Diese Organisation gibt es im Netzwerk nicht."),
    )
    people = _named(
        _network_users(actor),
        payload.person_ids,
        (*BODY, "person_ids"),
        errors,
        _("Diese Person gibt es im Netzwerk nicht."),
    )
    if errors:
        raise ValidationError(errors)
    planned = _run(
        actor,
        lambda: services.plan_conference(
            actor,
            title=payload.title,
            starts_at=_aware(payload.starts_at),
            ends_at=_aware(payload.ends_at),
            location=payload.location,
            video_url=payload.video_url,
            organisations=organisations,
            people=people,
            frequency=payload.frequency or "",
            count=payload.count,
        ),
        rename=PLAN_RENAME,
    )
    rows = _conferences(actor).filter(pk__in=[c.pk for c in planned]).order_by("starts_at", "pk")
    return ninja.Status(201, list(rows))


def _step(name: str):
    if name not in STEPS:
        raise Http404
    return STEPS[name]


@router.get(
    "/conferences/{int:conference_id}/actions/{action}",
    response=ConferenceStepOut,
    summary="Ob ein Schritt jetzt möglich ist",
)
@api_requires(Perm.VIEW_CONFERENCES)
def get_step(request, conference_id: int, action: str):
    """The state ``POST`` on this address changes (every API address also answers ``GET``)."""
    label, check = _step(action)
    conference = _conference(request.auth, conference_id)
    return {"action": action, "label": str(label), "possible": check(request.auth, conference)}


@router.post(
    "/conferences/{int:conference_id}/actions/{action}",
    response={200: ConferenceListOut, 409: ConferenceConflictOut},
    summary="Schritt ausführen: hold (durchgeführt), cancel (absagen, mit reason)",
)
@api_requires(Perm.PLAN_CONFERENCES)
def take_step(request, conference_id: int, action: str, payload: ConferenceCancelIn | None = None):
    """Only the inviting organisation, only while planned; ``hold`` from the conference's day
    on. Anything else answers 409 with the reason and changes nothing. Cancelling sends the
    cancellation to the invited people."""
    actor = request.auth
    _step(action)
    conference = _conference(actor, conference_id)
    if action == "hold":
        _run(actor, lambda: services.hold_conference(actor, conference))
    else:
        reason = (payload or ConferenceCancelIn()).reason
        _run(actor, lambda: services.cancel_conference(actor, conference, reason=reason))
    return _conferences(actor).get(pk=conference.pk)


# --- cases on the agenda -----------------------------------------------------------------------


@router.get(
    "/conferences/{int:conference_id}/items",
    response=list[AgendaItemOut],
    summary="Die Fälle auf der Tagesordnung (protokolliert)",
)
@api_requires(Perm.VIEW_CONFERENCES)
def list_items(request, conference_id: int):
    """The agenda of ``/conferences/{id}`` on its own; audited the same way."""
    actor = request.auth
    return agenda(actor, _conference(actor, conference_id))


@router.post(
    "/conferences/{int:conference_id}/items",
    response={201: AgendaItemOut, 409: ConferenceConflictOut},
    summary="Einen Fall der eigenen Akte auf die Tagesordnung setzen",
)
@api_requires(Perm.PRESENT_CASES)
def add_item(request, conference_id: int, payload: AgendaItemIn):
    """Stored as the other participants will read it: pseudonymised (case label, age bands,
    household, municipality, needs) or, with ``presentation: identified``, with name, birth
    date and address — only when a consent of the person covers every participating
    organisation for the case conference (otherwise 422). A question that seems to name the
    person (names, birth dates, numbers) answers 422 with one error per finding; resend with
    ``confirm_identifiers: true`` to keep it. A conference no longer planned answers 409."""
    actor = request.auth
    conference = _conference(actor, conference_id)
    errors = []
    person = _own_person(actor, payload.person_id, (*BODY, "person_id"), errors)
    needs = _named(
        Need.objects.visible_to(actor),
        payload.need_ids,
        (*BODY, "need_ids"),
        errors,
        _("Diesen Handlungsbedarf gibt es in Ihrer Akte nicht."),
    )
    if errors:
        raise ValidationError(errors)
    item = _run(
        actor,
        lambda: services.add_item(
            actor,
            conference,
            person=person,
            needs=needs,
            question=payload.question,
            presentation=payload.presentation,
            confirm_identifiers=payload.confirm_identifiers,
        ),
        rename=ITEM_RENAME,
    )
    item = selectors.items_of(conference).get(pk=item.pk)
    return ninja.Status(201, item_data(actor, view_for(actor, item), conference))
