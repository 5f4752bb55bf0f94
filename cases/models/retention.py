from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import RetentionRecordType, ReviewStatus
from cases.querysets import RetentionQuerySet
from core.models import NetworkOwned


class RetentionRule(NetworkOwned):
    """How long an organisation keeps a kind of case file after it closes.

    Without a rule the default of the organisation's legal regime applies
    (``cases.retention.DEFAULT_YEARS``).
    """

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    record_type = models.CharField(
        _("Art der Akte"), max_length=20, choices=RetentionRecordType.choices
    )
    years = models.PositiveSmallIntegerField(
        _("Jahre nach Abschluss"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    note = models.CharField(_("Grundlage"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Aufbewahrungsfrist")
        verbose_name_plural = _("Aufbewahrungsfristen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type"], name="retention_rule_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_record_type_display()} ({self.years})"

    def clean(self):
        if (
            self.organisation_id
            and self.network_id
            and self.organisation.network_id != self.network_id
        ):
            raise ValidationError(_("Die Organisation gehört zu einem anderen Netzwerk."))


class DeletionReview(NetworkOwned):
    """A closed case file whose retention period has passed, waiting for the DPO's decision."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    record_type = models.CharField(max_length=20, choices=RetentionRecordType.choices)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("löschen ab"))
    listed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("Stand"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("Vermerk"), max_length=300, blank=True)

    objects = RetentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Löschprüfung")
        verbose_name_plural = _("Löschprüfungen")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type", "object_id"], name="deletion_review_once"
            )
        ]

    def __str__(self):
        return f"{self.get_record_type_display()} {self.object_id}"


class ErasedCaseStatistic(NetworkOwned):
    """What remains of an erased case file: counts without any personal data."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    record_type = models.CharField(max_length=20, choices=RetentionRecordType.choices)
    opened_year = models.PositiveSmallIntegerField()
    closed_year = models.PositiveSmallIntegerField()
    persons = models.PositiveSmallIntegerField()
    need_counts = models.JSONField(default=dict)  # {"housing.rent_arrears": 1, …}
    plan_steps = models.PositiveIntegerField(default=0)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("anonymisierte Fallstatistik")
        verbose_name_plural = _("anonymisierte Fallstatistiken")

    def __str__(self):
        return f"{self.organisation} {self.closed_year}"
