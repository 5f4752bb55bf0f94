"""The rules of an agreement's life: who may be a party, validity, entry into force,
termination around the notice date, yearly renewal and expiry, measures and deadlines."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import notifications
from agreements.choices import Renewal, Status
from agreements.models import Agreement, AgreementDeadline, Measure, Party, RenewalRecord
from core.models import Organisation
from core.permissions import Perm

# A runaway loop guard when the task has not run for years: more renewals than this at once
# means the data is wrong, not that 100 years passed.
MAX_CATCH_UP = 100


def check_terms(*, network, parties, valid_from, valid_until, signed_on=None) -> None:
    """The checks every agreement passes, from the page, the admin or the API."""
    errors = {}
    parties = list(parties)
    outside = [o for o in parties if o.network_id != network.pk]
    if outside:
        errors["parties"] = _("%(names)s gehört nicht zu diesem Netzwerk.") % {
            "names": ", ".join(o.name for o in outside)
        }
    elif len({o.pk for o in parties}) != len(parties):
        errors["parties"] = _("Jede Organisation kann nur einmal Vertragspartei sein.")
    elif len(parties) < 2:
        errors["parties"] = _("Eine Vereinbarung braucht mindestens zwei Vertragsparteien.")
    elif any(not o.is_active for o in parties):
        errors["parties"] = _("Inaktive Organisationen können keine Vereinbarung schließen.")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("Das Ende der Laufzeit liegt vor ihrem Beginn.")
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = _("Das Datum der Unterschrift liegt in der Zukunft.")
    if errors:
        raise ValidationError(errors)


def _require_manager(actor, agreement: Agreement | None = None) -> None:
    """Managing needs the right and, for an existing agreement, the actor's own network."""
    if not actor.can(Perm.MANAGE_AGREEMENTS):
        raise PermissionDenied
    if agreement is not None and agreement.network_id != actor.network_id:
        raise PermissionDenied


@transaction.atomic
def create_agreement(*, actor, parties, **fields) -> Agreement:
    _require_manager(actor)
    parties = list(parties)
    check_terms(network=actor.network, parties=parties, **_terms(fields))
    agreement = Agreement(network_id=actor.network_id, created_by=actor.user, **fields)
    agreement.full_clean(exclude=["network", "parties"])
    agreement.save()
    Party.objects.bulk_create(
        Party(network_id=actor.network_id, agreement=agreement, organisation=o) for o in parties
    )
    return agreement


@transaction.atomic
def update_agreement(*, actor, agreement: Agreement, parties, **fields) -> Agreement:
    """Change the terms; the version the editor started from must still be the current one."""
    _require_manager(actor, agreement)
    parties = list(parties)
    current = {k: getattr(agreement, k) for k in ("valid_from", "valid_until", "signed_on")}
    check_terms(network=agreement.network, parties=parties, **_terms({**current, **fields}))
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save()
    wanted = {o.pk for o in parties}
    agreement.party_rows.exclude(organisation_id__in=wanted).delete()
    present = set(agreement.party_rows.values_list("organisation_id", flat=True))
    Party.objects.bulk_create(
        Party(network_id=agreement.network_id, agreement=agreement, organisation=o)
        for o in parties
        if o.pk not in present
    )
    return agreement


def _terms(fields: dict) -> dict:
    return {k: fields.get(k) for k in ("valid_from", "valid_until", "signed_on")}


@transaction.atomic
def put_in_force(*, actor, agreement: Agreement, today: date | None = None) -> Agreement:
    _require_manager(actor, agreement)
    today = today or timezone.localdate()
    locked = _lock(agreement)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("Nur ein Entwurf kann in Kraft gesetzt werden."))
    if locked.signed_on is None:
        raise ValidationError(
            {"signed_on": _("Bitte tragen Sie zuerst das Datum der Unterschrift ein.")}
        )
    if locked.valid_until < today:
        raise ValidationError({"valid_until": _("Die Laufzeit ist bereits vorbei.")})
    if locked.party_rows.count() < 2:
        raise ValidationError(_("Eine Vereinbarung braucht mindestens zwei Vertragsparteien."))
    locked.status = Status.IN_FORCE
    locked.save()
    return locked


def end_after_termination(agreement: Agreement, on: date) -> date:
    """The last day of an agreement terminated on ``on``: the end of the running term if the
    notice date was kept (or it does not renew), else the end of the following term."""
    if agreement.renewal == Renewal.NONE or on <= agreement.notice_date:
        return agreement.valid_until
    return agreement.valid_until + relativedelta(years=1)


@transaction.atomic
def terminate(
    *, actor, agreement: Agreement, party: Organisation, note: str = "", on: date | None = None
) -> Agreement:
    _require_manager(actor, agreement)
    on = on or timezone.localdate()
    locked = _lock(agreement)
    if locked.status != Status.IN_FORCE:
        raise ValidationError(
            _("Kündigen lässt sich nur eine Vereinbarung, die in Kraft ist (Status: %(s)s).")
            % {"s": locked.get_status_display()}
        )
    if not locked.party_rows.filter(organisation=party).exists():
        raise ValidationError({"party": _("Kündigen kann nur eine Vertragspartei.")})
    locked.status = Status.TERMINATED
    locked.terminated_on = on
    locked.terminated_by = party
    locked.termination_note = note.strip()
    locked.ends_on = end_after_termination(locked, on)
    locked.save()
    notifications.terminated(locked)
    return locked


def _lock(agreement: Agreement) -> Agreement:
    locked = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    locked._expected_version = agreement.version  # the version the user saw
    return locked


@transaction.atomic
def renew_and_expire(today: date | None = None) -> dict[str, int]:
    """The daily run: renew agreements whose term ends today or ended unnoticed, expire those
    that are over. Idempotent: a second run on the same day changes nothing."""
    today = today or timezone.localdate()
    renewed = expired = 0
    due = Agreement.objects.select_for_update(of=("self",)).filter(
        status__in=(Status.IN_FORCE, Status.TERMINATED), valid_until__lte=today
    )
    for agreement in due:
        for _n in range(MAX_CATCH_UP):
            if not _renews_now(agreement, today):
                break
            record = RenewalRecord.objects.create(
                network_id=agreement.network_id,
                agreement=agreement,
                previous_until=agreement.valid_until,
                new_until=agreement.valid_until + relativedelta(years=1),
            )
            agreement.valid_until = record.new_until
            agreement.save()
            notifications.renewed(agreement, record)
            renewed += 1
        if agreement.valid_until < today:
            agreement.status = Status.EXPIRED
            agreement.save()
            notifications.expired(agreement)
            expired += 1
    return {"renewed": renewed, "expired": expired}


def _renews_now(agreement: Agreement, today: date) -> bool:
    if agreement.valid_until > today or agreement.renewal != Renewal.YEARLY:
        return False
    if agreement.status == Status.TERMINATED:
        # Terminated after the notice date: one more term, up to ends_on.
        return agreement.ends_on is not None and agreement.valid_until < agreement.ends_on
    return agreement.status == Status.IN_FORCE


# --- measures and deadlines ----------------------------------------------------------------------


def save_measure(*, actor, measure: Measure) -> Measure:
    _require_manager(actor, measure.agreement)
    if measure.pk is None:
        last = measure.agreement.measures.order_by("-position").values_list("position", flat=True)
        measure.position = (last.first() or 0) + 1
        measure.network_id = measure.agreement.network_id
    measure.save()
    return measure


def delete_measure(*, actor, measure: Measure) -> None:
    _require_manager(actor, measure.agreement)
    measure.delete()


def set_deadline(*, actor, agreement: Agreement, track: str, response_days, completion_days):
    _require_manager(actor, agreement)
    if response_days > completion_days:
        raise ValidationError(
            {"response_days": _("Die Antwortfrist ist länger als die Erledigungsfrist.")}
        )
    deadline = AgreementDeadline.objects.filter(agreement=agreement, track=track).first()
    deadline = deadline or AgreementDeadline(
        agreement=agreement, track=track, network_id=agreement.network_id
    )
    deadline.response_days, deadline.completion_days = response_days, completion_days
    deadline.full_clean(validate_unique=False)
    deadline.save()
    return deadline


def agreement_deadlines(network, track, sender, recipient, day) -> tuple[int, int] | None:
    """For ``referrals.models.DEADLINE_OVERRIDES``: the shortest deadlines of the agreements
    between ``sender`` and ``recipient`` in force on ``day``."""
    day = day or timezone.localdate()
    found = (
        AgreementDeadline.objects.filter(
            track=track,
            agreement__in=Agreement.objects.filter(network=network)
            .effective_on(day)
            .between(sender, recipient),
        )
        .values_list("response_days", "completion_days")
        .order_by("response_days", "completion_days")
        .first()
    )
    return tuple(found) if found else None


@transaction.atomic
def attach_document(*, actor, agreement: Agreement, upload) -> Agreement:
    """Store the signed document (a new upload replaces the old one)."""
    _require_manager(actor, agreement)
    old = agreement.document.name if agreement.document else ""
    agreement.document.save(f"{agreement.uuid}.pdf", upload, save=False)
    agreement.document_name = upload.name[:200]
    agreement.save()
    if old and old != agreement.document.name:
        transaction.on_commit(lambda: agreement.document.storage.delete(old))
    return agreement
