"""The lifecycle's steps, forwarding and the thread between the two organisations."""

import ninja
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from api.permissions import api_requires
from cases import categories as case_categories
from cases.api.common import BODY, _found
from core.models import Organisation
from core.permissions import Perm
from directory.models import Offer
from referrals import services
from referrals.api.common import (
    ACTION_NAMES,
    _duplicates,
    _referral,
    _referrals,
    _run,
    actions_for,
    forward_refusal,
    router,
)
from referrals.api.schemas import (
    ActionIn,
    ActionStateOut,
    ConflictOut,
    ForwardIn,
    ForwardOptionsOut,
    MessageIn,
    MessageOut,
    ReferralStateOut,
)
from referrals.transitions import ACTIONS, RECIPIENT

# Service field names → the API's (``ActionIn`` / ``ForwardIn``).
ACTION_RENAME = {"outcome_note": "note", "pointer_outcome": "outcome"}
FORWARD_RENAME = {"recipient": "recipient_id", "offer": "offer_id"}


def _action(name: str):
    if name not in ACTION_NAMES:
        raise Http404
    return ACTIONS[name]


@router.get(
    "/referrals/{int:referral_id}/actions/{action}",
    response=ActionStateOut,
    summary="Ob ein Schritt jetzt möglich ist",
)
@api_requires(Perm.VIEW_REFERRALS)
def get_action(request, referral_id: int, action: str):
    """The state ``POST`` on this address changes (every API address also answers ``GET``)."""
    step = _action(action)
    referral = _referral(request.auth, referral_id)
    return {
        "action": step.name,
        "label": str(step.label),
        "possible": step.name in actions_for(request.auth, referral),
    }


@router.post(
    "/referrals/{int:referral_id}/actions/{action}",
    response={200: ReferralStateOut, 409: ConflictOut},
    summary="Schritt ausführen: send, accept, decline, start, complete, withdraw, record_arrival",
)
@api_requires(Perm.VIEW_REFERRALS)
def take_action(request, referral_id: int, action: str, payload: ActionIn | None = None):
    """The recipient accepts, declines (``decline_reason``, ``note``), starts and completes
    (``outcome``, ``note``); the sender sends a draft (``allow_duplicate``), withdraws
    (``note``) and records whether the person arrived after an advisory pointer (``outcome``,
    ``note``). A step the current status does not allow — or that a colleague took a moment
    earlier — answers 409 and changes nothing."""
    actor = request.auth
    _action(action)
    referral = _referral(actor, referral_id)
    body = payload or ActionIn()
    calls = {
        "send": lambda: services.send_referral(
            actor=actor, referral=referral, allow_duplicate=body.allow_duplicate
        ),
        "accept": lambda: services.accept(actor=actor, referral=referral),
        "decline": lambda: services.decline(
            actor=actor, referral=referral, reason=body.decline_reason, note=body.note
        ),
        "start": lambda: services.start(actor=actor, referral=referral),
        "complete": lambda: services.complete(
            actor=actor, referral=referral, outcome=body.outcome, note=body.note
        ),
        "withdraw": lambda: services.withdraw(actor=actor, referral=referral, note=body.note),
        "record_arrival": lambda: services.record_arrival(
            actor=actor, referral=referral, outcome=body.outcome, note=body.note
        ),
    }
    try:
        _run(actor, calls[action], rename=ACTION_RENAME)
    except services.DuplicateReferral as exc:
        return ninja.Status(409, _duplicates(exc))
    return _referrals().get(pk=referral.pk)


# --- forwarding --------------------------------------------------------------------------------


def _received(actor, referral_id):
    """Only the recipient forwards; for the sender the address does not exist (as the page)."""
    referral = _referral(actor, referral_id)
    if services.side_of(actor, referral) != RECIPIENT:
        raise Http404
    return referral


@router.get(
    "/referrals/{int:referral_id}/forward",
    response=ForwardOptionsOut,
    summary="Ob und mit welchen Daten weitergeleitet werden kann",
)
@api_requires(Perm.HANDLE_REFERRALS)
def get_forward(request, referral_id: int):
    actor = request.auth
    referral = _received(actor, referral_id)
    reason = forward_refusal(actor, referral)
    labels = dict(case_categories.choices_for_network(referral.network_id))
    return {
        "possible": not reason,
        "reason": reason,
        "categories": [{"code": c, "label": labels.get(c, c)} for c in referral.categories],
    }


@router.post(
    "/referrals/{int:referral_id}/forward",
    response={201: ReferralStateOut, 409: ConflictOut},
    summary="An eine andere Organisation weiterleiten (gleiche oder weniger Daten)",
)
@api_requires(Perm.HANDLE_REFERRALS)
def forward_referral(request, referral_id: int, payload: ForwardIn):
    """Answers the new referral (sent by the own organisation); the original is closed as
    forwarded. Refused with 422 for a partner without statutory duty (§ 78 SGB X), after a
    revocation, for categories the referral did not carry or the policy does not cover."""
    actor = request.auth
    referral = _received(actor, referral_id)
    errors = []
    recipient = _found(
        Organisation.objects.visible_to(actor),
        payload.recipient_id,
        (*BODY, "recipient_id"),
        errors,
        _("Diese Organisation gibt es im Netzwerk nicht."),
    )
    offer = _found(
        Offer.objects.visible_to(actor).select_related("organisation"),
        payload.offer_id,
        (*BODY, "offer_id"),
        errors,
        _("Dieses Angebot gibt es im Netzwerk nicht."),
    )
    if errors:
        raise ValidationError(errors)
    onward = _run(
        actor,
        lambda: services.forward(
            actor=actor,
            referral=referral,
            recipient=recipient,
            offer=offer,
            categories=payload.categories,
            message=payload.message,
        ),
        rename=FORWARD_RENAME,
    )
    return ninja.Status(201, _referrals().get(pk=onward.pk))


# --- the thread --------------------------------------------------------------------------------


@router.get(
    "/referrals/{int:referral_id}/messages",
    response=list[MessageOut],
    summary="Nachrichten zwischen den beiden Organisationen (protokolliert)",
)
@api_requires(Perm.VIEW_REFERRALS)
def list_messages(request, referral_id: int):
    """Oldest first. Reading the thread is reading the referral: audited, and the recipient's
    first read marks it received, as opening the page does."""
    actor = request.auth
    referral = services.record_view(actor=actor, referral=_referral(actor, referral_id))
    return list(referral.messages.select_related("author", "organisation"))


@router.post(
    "/referrals/{int:referral_id}/messages",
    response={201: MessageOut, 409: ConflictOut},
    summary="Nachricht schreiben",
)
@api_requires(Perm.HANDLE_REFERRALS)
def post_message(request, referral_id: int, payload: MessageIn):
    """After the consent was revoked only messages without new personal data are allowed, and
    the writer confirms that with ``no_new_personal_data: true`` (otherwise 422)."""
    actor = request.auth
    referral = _referral(actor, referral_id)
    message = _run(
        actor,
        lambda: services.post_message(
            actor=actor,
            referral=referral,
            body=payload.body,
            no_new_personal_data=payload.no_new_personal_data,
        ),
    )
    return ninja.Status(201, message)
