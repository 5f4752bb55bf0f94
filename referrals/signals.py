from django.dispatch import receiver

from cases.signals import consent_revoked
from referrals.services import apply_revocation


@receiver(consent_revoked, dispatch_uid="referrals_consent_revoked")
def revocation_reaches_referrals(sender, consent, actor=None, **kwargs):
    apply_revocation(consent, actor)
