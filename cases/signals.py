"""Notifications other apps listen to (referrals react to a revoked consent).

Sent after the transaction commits, so listeners never see a revocation that was rolled back.
"""

from django.dispatch import Signal

# sender=Consent, consent=<Consent>, actor=<Actor>
consent_revoked = Signal()
