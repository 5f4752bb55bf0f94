from django.dispatch import Signal, receiver

from cases.signals import consent_revoked
from referrals.services import apply_revocation


@receiver(consent_revoked, dispatch_uid="referrals_consent_revoked")
def revocation_reaches_referrals(sender, consent, actor=None, **kwargs):
    apply_revocation(consent, actor)


# sender=Referral, referral=<Referral>, origin=<str, e.g. "conference_action:12">, actor=<Actor>:
# a referral was created from the page, started elsewhere (an agreed action of a conference).
referral_created = Signal()
