"""Consents to share case data (§ 67b SGB X): record, list, revoke."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import ValidationError

from api.permissions import api_requires
from cases import categories
from cases.api.common import BODY, _audit_page, _error, _own_person, _user_name, _write, router
from cases.api.schemas import ConsentIn, ConsentOut, RevocationOut
from cases.models import Consent, Person
from cases.models.consents import add_months
from cases.services import audit_case, record_consent, revoke_consent
from core.choices import AuditAction
from core.models import Organisation
from core.permissions import Perm, get_visible_or_404


def _consents():
    return Consent.objects.select_related("data_subject", "revoked_by").prefetch_related(
        Prefetch("recipients", queryset=Organisation.objects.order_by("name"))
    )


@router.get(
    "/persons/{int:person_id}/consents",
    response=list[ConsentOut],
    summary="Einwilligungen einer Person",
)
@api_requires(Perm.VIEW_CASES)
def list_person_consents(request, person_id: int):
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    consents = list(_consents().visible_to(actor).filter(data_subject=person))
    audit_case(actor, AuditAction.VIEW, [(c, person) for c in consents] or [(person, person)])
    return consents


@router.get("/consents", response=list[ConsentOut], summary="Einwilligungen")
@api_requires(Perm.VIEW_CASES)
@_audit_page(lambda consents: [(c, c.data_subject) for c in consents])
def list_consents(request, person: int | None = None, valid_now: bool = False):
    """The own organisation's consents, newest first; ``valid_now``: only those in force."""
    consents = _consents().visible_to(request.auth)
    if person is not None:
        consents = consents.filter(data_subject_id=person)
    return consents.valid_at() if valid_now else consents


@router.get("/consents/{int:consent_id}", response=ConsentOut, summary="Eine Einwilligung")
@api_requires(Perm.VIEW_CASES)
def get_consent(request, consent_id: int):
    consent = get_visible_or_404(_consents(), request.auth, pk=consent_id)
    audit_case(request.auth, AuditAction.VIEW, [(consent, consent.data_subject)])
    return consent


CONSENT_RENAME = {
    "data_subject": "data_subject_id",
    "signatory_person": "signatory_person_id",
    "recipients": "recipient_ids",
}


@router.post("/consents", response={201: ConsentOut}, summary="Einwilligung erfassen (§ 67b SGB X)")
@api_requires(Perm.MANAGE_CONSENTS)
def create_consent(request, payload: ConsentIn):
    """Recorded as of now (server time). Recipients are organisations of the network;
    ``categories`` are the network's data categories (``master_data``, ``needs.housing`` …)."""
    actor = request.auth
    errors = []
    subject = _own_person(actor, payload.data_subject_id, (*BODY, "data_subject_id"), errors)
    signatory = _own_person(
        actor, payload.signatory_person_id, (*BODY, "signatory_person_id"), errors
    )
    ids = list(dict.fromkeys(payload.recipient_ids))
    recipients = list(Organisation.objects.filter(network_id=actor.network_id, pk__in=ids))
    known = {o.pk for o in recipients}
    for index, pk in enumerate(payload.recipient_ids):
        if pk not in known:
            message = _("Diese Organisation gibt es im Netzwerk nicht.")
            errors.append(_error((*BODY, "recipient_ids", index), message))
    valid = dict(categories.choices_for_network(actor.network_id))
    if unknown := [code for code in payload.categories if code not in valid]:
        message = _("Unbekannte Datenkategorie: %(codes)s") % {"codes": ", ".join(unknown)}
        errors.append(_error((*BODY, "categories"), message))
    if errors:
        raise ValidationError(errors)
    valid_from = payload.valid_from or timezone.localdate()
    consent = Consent(
        data_subject=subject,
        signatory_person=signatory,
        valid_from=valid_from,
        valid_until=payload.valid_until or add_months(valid_from, settings.CONSENT_DEFAULT_MONTHS),
        **payload.dict(
            exclude={
                "data_subject_id",
                "signatory_person_id",
                "recipient_ids",
                "valid_from",
                "valid_until",
            }
        ),
    )
    _write(
        actor,
        lambda: record_consent(actor=actor, consent=consent, recipients=recipients),
        rename=CONSENT_RENAME,
    )
    return Status(201, _consents().get(pk=consent.pk))


@router.post(
    "/consents/{int:consent_id}/revoke",
    response=ConsentOut,
    summary="Einwilligung widerrufen (ab sofort; erneuter Widerruf ändert nichts)",
)
@api_requires(Perm.MANAGE_CONSENTS)
def revoke(request, consent_id: int):
    actor = request.auth
    consent = get_visible_or_404(_consents(), actor, pk=consent_id)
    _write(actor, lambda: revoke_consent(actor=actor, consent=consent))
    return consent


@router.get(
    "/consents/{int:consent_id}/revoke",
    response=RevocationOut,
    summary="Ob und wann eine Einwilligung widerrufen wurde",
)
@api_requires(Perm.VIEW_CASES)
def get_revocation(request, consent_id: int):
    """The state ``POST`` on this address changes (every API address also answers ``GET``)."""
    consent = get_visible_or_404(_consents(), request.auth, pk=consent_id)
    audit_case(request.auth, AuditAction.VIEW, [(consent, consent.data_subject)])
    return {
        "consent_id": consent.pk,
        "revoked": consent.is_revoked,
        "revoked_at": consent.revoked_at,
        "revoked_by": _user_name(consent.revoked_by),
    }
