"""Field-level change history of agreements (django-auditlog)."""

from auditlog.registry import auditlog

from agreements.models import Agreement, AgreementDeadline, Measure, Party

auditlog.register(Agreement, exclude_fields=["version"])
auditlog.register(Party)
auditlog.register(Measure, exclude_fields=["version"])
auditlog.register(AgreementDeadline)
