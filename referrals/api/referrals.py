"""Inbox, outbox, one referral (audited), creating one, and what may travel to whom."""

from typing import Literal

import ninja
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from cases import categories as case_categories
from cases.api.common import BODY, _error, _found
from cases.models import Need, Person
from cases.services import audit_case
from core.choices import AuditAction
from core.models import Organisation
from core.permissions import Perm, get_visible_or_404
from directory.models import Offer
from referrals import selectors, services, snapshot
from referrals.api.common import MAX_LIMIT, _duplicates, _referral, _referrals, _run, router
from referrals.api.schemas import (
    ConflictOut,
    ReferralIn,
    ReferralListOut,
    ReferralOptionsOut,
    ReferralOut,
    ReferralStateOut,
)
from referrals.choices import Kind, Status, Track

# The pages' status filter: groups of statuses, "all", or one status.
STATUS_FILTERS = (*selectors.STATUS_FILTERS, "all", *Status.values)
CREATE_RENAME = {"recipient": "recipient_id", "offer": "offer_id", "needs": "need_ids"}


@router.get(
    "/referrals",
    response=list[ReferralListOut],
    summary="Eingang oder Ausgang der eigenen Organisation (ohne übermittelte Daten)",
)
@api_requires(Perm.VIEW_REFERRALS)
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_referrals(
    request,
    box: Literal["inbox", "outbox"] = "inbox",
    status: str = "open",
    track: Track | None = None,
    overdue: bool = False,
    escalated: bool = False,
    kind: Kind | None = None,
    q: str = "",
):
    """Like the inbox and outbox pages: the inbox urgent first and by deadline, the outbox newest
    first. ``status``: open (default), waiting, running, closed, draft, all or one status;
    ``kind`` only narrows the outbox (the inbox holds referrals only); ``q``: a number
    ("Ü-12") or an organisation's name."""
    actor = request.auth
    if status not in STATUS_FILTERS:
        message = _("Unbekannter Status. Möglich: %(values)s") % {
            "values": ", ".join(STATUS_FILTERS)
        }
        raise ValidationError([_error(("query", "status"), message)])
    filters = {
        "status": status,
        "track": track or "",
        "overdue": overdue,
        "escalated": escalated,
        "q": q,
    }
    if box == "outbox":
        return selectors.outbox(actor, kind=kind or "", **filters)
    return selectors.inbox(actor, **filters)


@router.get(
    "/referrals/{int:referral_id}",
    response=ReferralOut,
    summary="Eine Überleitung mit den übermittelten Daten (protokolliert)",
)
@api_requires(Perm.VIEW_REFERRALS)
def get_referral(request, referral_id: int):
    """Every read is audited; the recipient's first read marks the referral as received (and
    stops the clock for "unread"). Health data only for roles that may see special category
    data."""
    actor = request.auth
    referral = services.record_view(actor=actor, referral=_referral(actor, referral_id))
    return referral


@router.post(
    "/referrals",
    response={201: ReferralStateOut, 409: ConflictOut},
    summary="Überleitung oder beratenden Hinweis anlegen (und senden)",
)
@api_requires(Perm.SEND_REFERRALS)
def create_referral(request, payload: ReferralIn):
    """About a person of the own case file (others: 404). Only categories the policy covers for
    the recipient may travel (``/persons/{id}/referral-options`` shows which and why); an open
    referral of the person to the same organisation or offer answers 409 with its ids unless
    ``allow_duplicate`` is true. Nothing is saved when anything is refused."""
    actor = request.auth
    person = get_visible_or_404(
        Person.objects.active().select_related("household", "organisation"),
        actor,
        pk=payload.person_id,
    )
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
    ids = list(dict.fromkeys(payload.need_ids))
    needs = list(Need.objects.visible_to(actor).open().filter(person=person, pk__in=ids))
    known = {need.pk for need in needs}
    for index, pk in enumerate(payload.need_ids):
        if pk not in known:
            message = _("Diesen offenen Handlungsbedarf gibt es bei dieser Person nicht.")
            errors.append(_error((*BODY, "need_ids", index), message))
    if errors:
        raise ValidationError(errors)
    try:
        referral = _run(
            actor,
            lambda: services.create_referral(
                actor=actor,
                person=person,
                kind=payload.kind,
                recipient=recipient,
                offer=offer,
                needs=needs,
                reason=payload.reason,
                track=payload.track,
                message=payload.message,
                categories=payload.categories,
                send=payload.send,
                allow_duplicate=payload.allow_duplicate,
            ),
            rename=CREATE_RENAME,
        )
    except services.DuplicateReferral as exc:
        return ninja.Status(409, _duplicates(exc))
    return ninja.Status(201, _referrals().get(pk=referral.pk))


@router.get(
    "/persons/{int:person_id}/referral-options",
    response=ReferralOptionsOut,
    summary="Welche Daten einer Person an eine Organisation übermittelt werden dürfen",
)
@api_requires(Perm.SEND_REFERRALS)
def referral_options(request, person_id: int, recipient: int | None = None):
    """Per data category of the network: allowed or not, the policy's reason and the legal
    basis that would be recorded — what the referral form shows. Only for persons of the own
    case file (others: 404); the read is audited like the case file's."""
    actor = request.auth
    person = get_visible_or_404(
        Person.objects.active().select_related("organisation"), actor, pk=person_id
    )
    if recipient is None:  # optional in the signature only so that 403 comes before 422
        raise ValidationError(
            [_error(("query", "recipient"), _("Pflichtangabe fehlt."), "missing")]
        )
    target = Organisation.objects.visible_to(actor).filter(pk=recipient).first()
    if target is None:
        raise ValidationError(
            [_error(("query", "recipient"), _("Diese Organisation gibt es im Netzwerk nicht."))]
        )
    decisions = snapshot.decisions_for(person, target)
    labels = dict(case_categories.choices_for_network(person.network_id))
    audit_case(actor, AuditAction.VIEW, [(person, person)], purpose=services.PURPOSE_REFERRAL)
    return {
        "person_id": person.pk,
        "recipient": target,
        "categories": [
            {
                "code": code,
                "label": labels.get(code, code),
                "allowed": decision.allowed,
                "reason": decision.reason,
                "legal_basis": decision.legal_basis if decision.allowed else "",
            }
            for code, decision in decisions.items()
        ],
    }
