from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import Responsible, StepStatus
from cases.models.households import CaseRecord
from cases.querysets import CaseQuerySet, PlanGoalQuerySet, PlanStepQuerySet
from core.models import NetworkOwned


class CooperationPlan(CaseRecord):
    """The Kooperationsplan (§ 15 SGB II) of a household or of one person.

    Goals and steps are the working copy; agreeing it stores a ``PlanVersion`` with the full
    content, so every agreed version stays readable. Every change to goals or steps bumps the
    plan's ``version`` (optimistic locking): an edit based on an older state is refused.
    """

    household = models.OneToOneField(
        "cases.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name=_("Bedarfsgemeinschaft"),
    )
    person = models.OneToOneField(
        "cases.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name=_("Person"),
    )
    starts_on = models.DateField(_("gilt ab"), default=timezone.localdate)
    changed_since_agreement = models.BooleanField(
        _("seit der letzten Vereinbarung geändert"), default=True, editable=False
    )

    class Meta:
        verbose_name = _("Kooperationsplan")
        verbose_name_plural = _("Kooperationspläne")
        constraints = [
            models.CheckConstraint(
                condition=(Q(household__isnull=False) & Q(person__isnull=True))
                | (Q(household__isnull=True) & Q(person__isnull=False)),
                name="plan_for_household_or_person",
            )
        ]

    def __str__(self):
        return _("Kooperationsplan für %(owner)s") % {"owner": self.household or self.person}

    def get_absolute_url(self):
        return reverse("cases:plan_detail", args=[self.pk])

    @property
    def owner(self):
        return self.household or self.person

    def clean(self):
        super().clean()
        owner = self.owner
        if owner is not None and owner.organisation_id != self.organisation_id:
            raise ValidationError(_("Der Plan gehört zu einer anderen Akte."))


class PlanGoal(NetworkOwned):
    plan = models.ForeignKey(
        CooperationPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("Plan")
    )
    title = models.CharField(_("Ziel"), max_length=300)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    # A goal named after a health need reveals it: hidden like the need (Art. 9 DSGVO).
    is_special_category = models.BooleanField(default=False, editable=False)

    objects = PlanGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class PlanStep(NetworkOwned):
    plan = models.ForeignKey(
        CooperationPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Plan")
    )
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Ziel")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    description = models.CharField(_("Schritt"), max_length=400)
    responsible = models.CharField(_("verantwortlich"), max_length=20, choices=Responsible.choices)
    responsible_person = models.ForeignKey(
        "cases.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    partner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Partnerorganisation"),
    )
    offer = models.ForeignKey(
        "directory.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Angebot"),
    )
    need = models.ForeignKey(
        "cases.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("zu Handlungsbedarf"),
    )
    due_on = models.DateField(_("bis"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    # A step for a health need (or under such a goal) reveals it, e.g. "Suchtberatung".
    is_special_category = models.BooleanField(default=False, editable=False)

    objects = PlanStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        ordering = ["position", "due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        errors = {}
        plan = self.plan if self.plan_id else None
        if plan and self.due_on and self.due_on < plan.starts_on:
            errors["due_on"] = _(
                "Der Schritt kann nicht vor Beginn des Plans (%(start)s) fällig sein."
            ) % {"start": plan.starts_on.strftime("%d.%m.%Y")}
        if self.goal_id and plan and self.goal.plan_id != plan.pk:
            errors["goal"] = _("Dieses Ziel gehört zu einem anderen Plan.")
        if self.responsible == Responsible.CLIENT and not self.responsible_person_id:
            errors["responsible_person"] = _("Bitte wählen Sie die verantwortliche Person.")
        if self.responsible == Responsible.PARTNER and not self.partner_id:
            errors["partner"] = _("Bitte wählen Sie die Partnerorganisation.")
        if self.responsible == Responsible.OFFER and not self.offer_id:
            errors["offer"] = _("Bitte wählen Sie das Angebot.")
        if self.partner_id and self.partner.network_id != self.network_id:
            errors["partner"] = _("Diese Organisation gehört nicht zum Netzwerk.")
        if self.offer_id and self.offer.network_id != self.network_id:
            errors["offer"] = _("Dieses Angebot gehört nicht zum Netzwerk.")
        if (
            plan
            and self.responsible_person_id
            and self.responsible_person.organisation_id != plan.organisation_id
        ):
            errors["responsible_person"] = _("Die Person gehört zu einer anderen Akte.")
        if plan and self.need_id and self.need.organisation_id != plan.organisation_id:
            errors["need"] = _("Der Handlungsbedarf gehört zu einer anderen Akte.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.responsible == Responsible.OFFER and self.offer_id and not self.partner_id:
            self.partner_id = self.offer.organisation_id
        self.is_special_category = bool(
            (self.need_id and self.need.is_special_category) or self.goal.is_special_category
        )
        super().save(*args, **kwargs)

    @property
    def responsible_label(self) -> str:
        if self.responsible == Responsible.CLIENT and self.responsible_person_id:
            return self.responsible_person.full_name
        if self.responsible == Responsible.OFFER and self.offer_id:
            return f"{self.offer.title} ({self.offer.organisation.name})"
        if self.responsible == Responsible.PARTNER and self.partner_id:
            return self.partner.name
        if self.responsible == Responsible.OWN_ORGANISATION:
            return self.organisation.name
        return self.get_responsible_display()

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.status in (StepStatus.OPEN, StepStatus.IN_PROGRESS)
        )


class PlanVersion(NetworkOwned):
    """One agreed version of a plan, kept forever with its content."""

    plan = models.ForeignKey(
        CooperationPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Plan")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    number = models.PositiveIntegerField(_("Fassung"))
    agreed_on = models.DateField(_("vereinbart am"))
    agreed_at = models.DateTimeField(_("erfasst am"), default=timezone.now, editable=False)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vereinbart durch"),
    )
    agreed_with = models.CharField(
        _("vereinbart mit"),
        max_length=300,
        help_text=_("Wer den Plan mit Ihnen vereinbart hat, z. B. „Anna Beispiel“."),
    )
    content = models.JSONField(_("Inhalt"), editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vereinbarte Fassung")
        verbose_name_plural = _("vereinbarte Fassungen")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self):
        return _("Fassung %(number)s vom %(date)s") % {
            "number": self.number,
            "date": self.agreed_on.strftime("%d.%m.%Y"),
        }

    def clean(self):
        super().clean()
        if self.agreed_on and self.agreed_on > timezone.localdate():
            raise ValidationError(
                {"agreed_on": _("Ein Plan kann nicht in der Zukunft vereinbart worden sein.")}
            )
