from cases.models.consents import Consent, HelpAssessment, SecrecyAcknowledgement, StatutoryBasis
from cases.models.households import CaseRecord, Household, Person
from cases.models.needs import Document, Need
from cases.models.plans import CooperationPlan, PlanGoal, PlanStep, PlanVersion
from cases.models.retention import DeletionReview, ErasedCaseStatistic, RetentionRule

__all__ = [
    "CaseRecord",
    "Consent",
    "CooperationPlan",
    "DeletionReview",
    "Document",
    "ErasedCaseStatistic",
    "HelpAssessment",
    "Household",
    "Need",
    "Person",
    "PlanGoal",
    "PlanStep",
    "PlanVersion",
    "RetentionRule",
    "SecrecyAcknowledgement",
    "StatutoryBasis",
]
