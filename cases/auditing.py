"""Field-level change history of case records (django-auditlog); reads are audited in services."""

from auditlog.registry import auditlog

from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    RetentionRule,
    StatutoryBasis,
)

auditlog.register(Household, exclude_fields=["version"])
auditlog.register(Person, exclude_fields=["version", "name_key"])
auditlog.register(Need, exclude_fields=["version"])
auditlog.register(Document, exclude_fields=["version"])
auditlog.register(CooperationPlan, exclude_fields=["version"])
auditlog.register(PlanGoal)
auditlog.register(PlanStep)
auditlog.register(Consent, m2m_fields={"recipients"})
auditlog.register(HelpAssessment)
auditlog.register(StatutoryBasis)
auditlog.register(RetentionRule)
