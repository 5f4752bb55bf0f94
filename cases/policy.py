"""The one answer to "may organisation X receive data category C about person P for purpose Y
now, and on which legal basis?".

Referrals, case conferences and exports ask ``decide()``; nothing else grants a transfer. The
rules, in the order they are checked:

1. The recipient is another organisation of the same network (no transfer outside it).
2. A partner without statutory duty (legal regime "none") receives data only after it has
   acknowledged the secrecy and purpose notice (§ 78 SGB X).
3. Out of the Jugendamt only with a recorded assessment that the transfer does not endanger the
   help (§ 64 Abs. 2 SGB VIII).
4. A consent (§ 67b SGB X) of the person that was recorded *before* the moment asked about
   (server time; nothing retroactive), is in its period, not revoked by then, and names this
   recipient, this purpose and this category. Data entrusted to the Jugendamt (§ 65 SGB VIII)
   needs the consent of the person who entrusted it, and no statutory basis ever covers it.
5. Otherwise a statutory basis the network configured for the sender's legal regime, the
   recipient's type, the purpose and the category. Documents from a doctor do not travel on a
   statutory basis when the person objected (§ 76 Abs. 2 SGB X).

Everything else is refused, with the reason in plain German.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import categories
from cases.choices import Purpose, Signatory
from cases.models import (
    Consent,
    Document,
    HelpAssessment,
    Need,
    Person,
    SecrecyAcknowledgement,
    StatutoryBasis,
)
from cases.models.consents import SECRECY_NOTICE_VERSION
from core.choices import LegalRegime, OrganisationType


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    consent: Consent | None = None
    statute: StatutoryBasis | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def legal_basis(self) -> str:
        """What the audit trail and the proof of transfer record as the basis."""
        if self.consent is not None:
            return _("Einwilligung vom %(date)s (§ 67b SGB X), Nr. %(pk)s") % {
                "date": timezone.localtime(self.consent.given_at).strftime("%d.%m.%Y"),
                "pk": self.consent.pk,
            }
        if self.statute is not None:
            return self.statute.label
        return ""


def _refuse(reason: str) -> Decision:
    return Decision(allowed=False, reason=reason)


def decide(
    *,
    recipient,
    person: Person,
    category: str,
    purpose: str,
    at=None,
    record: Need | Document | None = None,
) -> Decision:
    """Whether ``recipient`` may receive ``category`` about ``person`` for ``purpose`` at ``at``.

    ``record`` narrows the question to one record, for the rules that follow a record rather
    than a category (entrusted data, documents from a doctor).
    """
    at = at or timezone.now()
    controller = person.organisation
    label = categories.label(category, person.network_id)
    if recipient.network_id != person.network_id:
        return _refuse(_("%(name)s gehört nicht zum Netzwerk.") % {"name": recipient.name})
    if recipient.pk == controller.pk:
        return _refuse(_("Die eigene Organisation ist kein Empfänger."))
    if purpose not in Purpose.values:
        return _refuse(_("Unbekannter Zweck."))
    if recipient.legal_regime == LegalRegime.NONE and not _acknowledged_secrecy(recipient, at):
        return _refuse(
            _(
                "%(name)s hat die Verpflichtung zu Geheimhaltung und Zweckbindung "
                "(§ 78 SGB X) noch nicht bestätigt."
            )
            % {"name": recipient.name}
        )
    if controller.type == OrganisationType.YOUTH_OFFICE and not _help_not_endangered(
        person, recipient, purpose, at
    ):
        return _refuse(
            _(
                "Es fehlt die dokumentierte Prüfung, dass die Übermittlung an %(name)s den Erfolg "
                "der Hilfe nicht gefährdet (§ 64 Abs. 2 SGB VIII)."
            )
            % {"name": recipient.name}
        )

    entrusted_by = record.entrusted_by if isinstance(record, Need) and record.entrusted else None
    consent = _covering_consent(person, recipient, category, purpose, at, entrusted_by)
    if consent is not None:
        return Decision(allowed=True, reason=_("Einwilligung liegt vor."), consent=consent)

    if entrusted_by is not None:
        return _refuse(
            _(
                "Anvertraute Angaben (§ 65 SGB VIII) dürfen nur mit Einwilligung von %(name)s "
                "weitergegeben werden."
            )
            % {"name": entrusted_by.full_name}
        )
    from_doctor = isinstance(record, Document) and record.from_doctor
    if from_doctor and person.objects_to_medical_transfer:
        return _refuse(
            _(
                "Die Person hat der Übermittlung ärztlicher Unterlagen widersprochen "
                "(§ 76 Abs. 2 SGB X); nur eine Einwilligung erlaubt sie."
            )
        )
    statute = _statutory_basis(controller, recipient, category, purpose)
    if statute is not None:
        return Decision(allowed=True, reason=statute.label, statute=statute)
    return _refuse(
        _("Keine Einwilligung für %(category)s gegenüber %(name)s.")
        % {"category": label, "name": recipient.name}
    )


def decide_all(*, recipient, person: Person, purpose: str, at=None) -> dict[str, Decision]:
    """A decision for every category of the network, e.g. for a referral form."""
    return {
        code: decide(recipient=recipient, person=person, category=code, purpose=purpose, at=at)
        for code, _label in categories.choices_for_network(person.network_id)
    }


def may_pass_on(holder) -> Decision:
    """Whether an organisation may pass on data it received (forwarding a referral).

    A partner without statutory duty received the data under § 78 SGB X and may use it only
    for the purpose it was given for: it can never pass it on.
    """
    if holder.legal_regime == LegalRegime.NONE:
        return _refuse(
            _("%(name)s hat die Daten nach § 78 SGB X erhalten und darf sie nicht weitergeben.")
            % {"name": holder.name}
        )
    return Decision(allowed=True, reason="")


def _acknowledged_secrecy(recipient, at) -> bool:
    # A changed notice must be acknowledged again: only the current version counts.
    return SecrecyAcknowledgement.objects.filter(
        organisation=recipient, acknowledged_at__lte=at, notice_version=SECRECY_NOTICE_VERSION
    ).exists()


def _help_not_endangered(person, recipient, purpose, at) -> bool:
    latest = (
        HelpAssessment.objects.filter(
            person=person, recipient=recipient, purpose=purpose, created_at__lte=at
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest is not None and not latest.endangers_help


def _covering_consent(person, recipient, category, purpose, at, entrusted_by):
    consents = (
        Consent.objects.of_controller(person.organisation)
        .filter(data_subject=person, recipients=recipient)
        .filter(purposes__has=purpose, categories__has=category)
        .valid_at(at)
    )
    if entrusted_by is None:
        # A consent of the entrusting third party covers only what that party entrusted.
        consents = consents.filter(signatory__in=[Signatory.SELF, Signatory.GUARDIAN])
    elif entrusted_by.pk == person.pk:
        # What a child confided is not the parents' to release: the guardian's consent is not
        # enough, only the young person's own.
        consents = consents.filter(
            Q(signatory=Signatory.SELF)
            | Q(signatory=Signatory.ENTRUSTING, signatory_person=entrusted_by)
        )
    else:
        consents = consents.filter(signatory_person=entrusted_by).exclude(signatory=Signatory.SELF)
    return consents.order_by("-given_at", "-pk").first()


def _statutory_basis(controller, recipient, category, purpose):
    return (
        StatutoryBasis.objects.filter(
            network_id=controller.network_id,
            is_active=True,
            sender_regime=controller.legal_regime,
        )
        .filter(
            recipient_types__has=recipient.type,
            purposes__has=purpose,
            categories__has=category,
        )
        .order_by("label")
        .first()
    )
