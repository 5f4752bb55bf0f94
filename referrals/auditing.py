"""Field-level change history of referrals (django-auditlog); views of snapshots are audited in
``referrals.services``."""

from auditlog.registry import auditlog

from referrals.models import Referral, ReferralSettings, TrackDeadline

# The snapshot is written once when sending; its content is in the referral, not repeated here.
auditlog.register(Referral, exclude_fields=["version", "snapshot"], m2m_fields={"consents"})
auditlog.register(TrackDeadline)
auditlog.register(ReferralSettings)
