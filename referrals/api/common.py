"""Shared by the referral API modules: the router, running a service call with its refusals
translated (the case-file API's 422 shape, 409 for refused transitions), lookups and the
side-aware helpers the schemas use."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from cases.api.common import _write
from cases.policy import may_pass_on
from core.permissions import Perm, get_visible_or_404
from referrals import services
from referrals.models import Referral
from referrals.transitions import ACTIONS, RECIPIENT, SENDER, allowed, available


class _Router(Router):
    """Operation ids ``referrals_api_<function>``, whichever submodule holds the function."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"referrals_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = _Router(tags=["Überleitungen"])

MAX_LIMIT = 100

# Steps taken through ``/actions/{action}``; forwarding has its own address (it needs a target),
# "receive" happens by opening the referral.
ACTION_NAMES = ("send", "accept", "decline", "start", "complete", "withdraw", "record_arrival")


def _run(actor, call, rename=None):
    """A service call: refused transitions answer 409 with the German message; validation
    errors 422, missing rights 403 (both via the case-file API's ``_write``)."""
    try:
        return _write(actor, call, rename=rename)
    except services.TransitionRefused as exc:
        raise HttpError(409, exc.message) from exc


def _referrals():
    return Referral.objects.select_related(
        "sender", "recipient", "offer", "handler", "network", "person"
    )


def _referral(actor, pk) -> Referral:
    """A referral the actor's organisation sent or received; anything else is 404."""
    return get_visible_or_404(_referrals(), actor, pk=pk)


def _actor(context):
    return context["request"].auth


def is_sender(actor, referral) -> bool:
    return services.side_of(actor, referral) == SENDER


def owns_case_file(actor, referral) -> bool:
    """Whether the referral's person is in the actor's own case file: the original sender, not
    an organisation that forwarded what it received (the ids would point into another file)."""
    return (
        is_sender(actor, referral)
        and referral.person_id is not None
        and referral.person.organisation_id == actor.organisation.pk
    )


def actions_for(actor, referral) -> list[str]:
    """The steps the actor can take now (names for ``/actions/{action}``, and "forward")."""
    side = services.side_of(actor, referral)
    if side is None:
        return []
    if not actor.can(Perm.SEND_REFERRALS if side == SENDER else Perm.HANDLE_REFERRALS):
        return []
    names = [action.name for action in available(referral.kind, referral.status, side)]
    if side == SENDER and allowed(ACTIONS["send"], referral.kind, referral.status):
        names.insert(0, "send")
    if "forward" in names and forward_refusal(actor, referral):
        names.remove("forward")
    return names


def forward_refusal(actor, referral) -> str:
    """Why the actor cannot forward this referral now ("" when it can)."""
    if services.side_of(actor, referral) != RECIPIENT or not actor.can(Perm.HANDLE_REFERRALS):
        return _("Nur die empfangende Stelle kann eine Überleitung weiterleiten.")
    holder = may_pass_on(actor.organisation)
    if not holder:
        return holder.reason
    if referral.is_consent_revoked:
        return _("Die Einwilligung wurde widerrufen; die Daten dürfen nicht weiter.")
    if not allowed(ACTIONS["forward"], referral.kind, referral.status):
        return services.refuse_transition("forward", referral).message
    return ""


def _duplicates(exc: services.DuplicateReferral) -> dict:
    return {
        "detail": _(
            "Für diese Person gibt es schon eine offene Überleitung an diese Stelle. Öffnen Sie "
            "die vorhandene oder senden Sie allow_duplicate: true."
        ),
        "duplicates": exc.matches,
    }
