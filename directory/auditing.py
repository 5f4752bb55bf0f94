"""Change history of offers and taxonomy (not personal data, but who changed what matters)."""

from auditlog.registry import auditlog

from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation

auditlog.register(ProblemSituation)
auditlog.register(
    Offer,
    exclude_fields=["search_text", "freshness_reminded_at"],
    m2m_fields={"problem_situations"},
)
auditlog.register(Place)
auditlog.register(OpeningHours)
auditlog.register(OpeningException)
