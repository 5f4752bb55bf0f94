from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import categories
from cases.choices import NeedStatus, Severity
from cases.models.households import CaseRecord
from cases.querysets import NeedQuerySet, SpecialCategoryQuerySet
from core.choices import OrganisationType


class Disputable(models.Model):
    """§ 84 Abs. 2 SGB X: a fact the person disputes carries that note wherever it appears."""

    disputed_note = models.TextField(
        _("von der Person bestritten"),
        blank=True,
        help_text=_("Was die Person bestreitet; erscheint überall als „bestritten“."),
    )

    class Meta:
        abstract = True

    @property
    def is_disputed(self) -> bool:
        return bool(self.disputed_note.strip())


class Need(Disputable, CaseRecord):
    """A Handlungsbedarf of one person."""

    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="needs", verbose_name=_("Person")
    )
    problem_situation = models.ForeignKey(
        "directory.ProblemSituation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Problemlage"),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    severity = models.CharField(
        _("Gewicht"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    since = models.DateField(_("besteht seit"), default=timezone.localdate)
    category = models.CharField(max_length=60, editable=False, db_index=True)
    is_special_category = models.BooleanField(
        _("besondere Kategorie (Art. 9 DSGVO)"), default=False, editable=False
    )
    entrusted = models.BooleanField(
        _("anvertraut (§ 65 SGB VIII)"),
        default=False,
        help_text=_(
            "Im Rahmen persönlicher Hilfe anvertraut: Die Angabe verlässt das Jugendamt nur mit "
            "Einwilligung der Person, die sie anvertraut hat."
        ),
    )
    entrusted_by = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_needs",
        verbose_name=_("anvertraut von"),
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Handlungsbedarf")
        verbose_name_plural = _("Handlungsbedarfe")
        ordering = ["status", "-severity", "since"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return str(self.problem_situation)

    def save(self, *args, **kwargs):
        situation = self.problem_situation
        group = situation.parent.code if situation.parent_id else situation.code
        self.category = categories.need_category(group)
        self.is_special_category = categories.is_special(self.category)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.since and self.since > timezone.localdate():
            raise ValidationError({"since": _("„Besteht seit“ darf nicht in der Zukunft liegen.")})
        if self.person_id and self.person.organisation_id != self.organisation_id:
            raise ValidationError({"person": _("Die Person gehört zu einer anderen Akte.")})
        if (
            self.problem_situation_id
            and self.network_id
            and self.problem_situation.network_id != self.network_id
        ):
            raise ValidationError({"problem_situation": _("Unbekannte Problemlage.")})
        if self.entrusted:
            if self.organisation.type != OrganisationType.YOUTH_OFFICE:
                raise ValidationError(
                    {"entrusted": _("Nur das Jugendamt erfasst anvertraute Daten (§ 65 SGB VIII).")}
                )
            if not self.entrusted_by_id:
                raise ValidationError(
                    {"entrusted_by": _("Bitte geben Sie an, wer die Angaben anvertraut hat.")}
                )
            if self.entrusted_by.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"entrusted_by": _("Die Person gehört zu einer anderen Akte.")}
                )
        elif self.entrusted_by_id:
            raise ValidationError(
                {"entrusted_by": _("„Anvertraut von“ gilt nur für anvertraute Angaben.")}
            )

    @property
    def is_open(self) -> bool:
        return self.status in (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


def document_path(instance, filename):
    return f"cases/{instance.organisation_id}/{timezone.now():%Y/%m}/{filename}"


class Document(Disputable, CaseRecord):
    """A document in a person's file; medical ones are tagged (§ 76 SGB X)."""

    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="documents", verbose_name=_("Person")
    )
    title = models.CharField(_("Titel"), max_length=200)
    received_on = models.DateField(_("eingegangen am"), default=timezone.localdate)
    file = models.FileField(_("Datei"), upload_to=document_path, blank=True)
    from_doctor = models.BooleanField(
        _("stammt von einer Ärztin / einem Arzt (§ 76 SGB X)"), default=False
    )
    is_special_category = models.BooleanField(_("Gesundheitsdaten (Art. 9 DSGVO)"), default=False)
    category = models.CharField(max_length=60, editable=False)

    objects = SpecialCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-received_on", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Anything a doctor wrote is health data, whatever the author ticked.
        if self.from_doctor:
            self.is_special_category = True
        self.category = categories.HEALTH if self.is_special_category else categories.DOCUMENTS
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError(
                {"received_on": _("„Eingegangen am“ darf nicht in der Zukunft liegen.")}
            )
        if self.person_id and self.person.organisation_id != self.organisation_id:
            raise ValidationError({"person": _("Die Person gehört zu einer anderen Akte.")})
