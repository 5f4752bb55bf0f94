"""Proof of transfer for the data subject's access export (Art. 15 Abs. 1 lit. c DSGVO): what
this organisation shared about the person, with whom, when, and on which legal basis."""

from cases import categories
from referrals.choices import Status
from referrals.models import Referral


def transfers(organisation, person) -> list[dict]:
    referrals = (
        Referral.objects.filter(sender=organisation, person=person)
        .exclude(status=Status.DRAFT)
        .select_related("recipient", "offer")
        .order_by("sent_at", "pk")
    )
    labels = dict(categories.choices_for_network(person.network_id))
    return [
        {
            "nummer": referral.number,
            "art": referral.get_kind_display(),
            "empfaenger": referral.recipient.name,
            "angebot": referral.offer.title if referral.offer else None,
            "gesendet_am": referral.sent_at,
            "anlass": referral.reason,
            "daten": [
                {"kategorie": labels.get(code, code), "rechtsgrundlage": entry["basis"]}
                for code, entry in sorted(referral.bases.items())
            ],
            "uebermittelter_inhalt": referral.snapshot,
            "stand": referral.get_status_display(),
            "ergebnis": referral.get_outcome_display()
            or referral.get_pointer_outcome_display()
            or referral.get_decline_reason_display(),
            "einwilligung_widerrufen_am": referral.consent_revoked_at,
        }
        for referral in referrals
    ]
