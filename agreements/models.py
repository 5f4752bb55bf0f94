"""Cooperation agreements between organisations of a network: parties and their contact
persons, validity with a yearly renewal rule, measures with targets, deadlines per track."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import Renewal, Status, TargetPeriod
from agreements.querysets import AgreementQuerySet
from core.concurrency import VersionedModel
from core.models import NetworkOwned
from referrals.choices import Track


def document_path(instance, filename: str) -> str:
    return f"vereinbarungen/{instance.network_id}/{instance.uuid}.pdf"


class Agreement(VersionedModel, NetworkOwned):
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    purpose = models.TextField(
        _("Ziel der Zusammenarbeit"),
        blank=True,
        help_text=_("Keine Angaben zu einzelnen Personen."),
    )
    parties = models.ManyToManyField(
        "core.Organisation",
        through="Party",
        related_name="agreements",
        verbose_name=_("Vertragsparteien"),
    )
    signed_on = models.DateField(_("unterzeichnet am"), null=True, blank=True)
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"))
    renewal = models.CharField(
        _("Verlängerung"), max_length=20, choices=Renewal.choices, default=Renewal.YEARLY
    )
    notice_months = models.PositiveSmallIntegerField(
        _("Kündigungsfrist in Monaten"),
        default=3,
        validators=[MaxValueValidator(11)],
        help_text=_("Kündigung bis spätestens so viele Monate vor Ablauf der Laufzeit."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    # Set on termination: the last day the agreement applies (the end of the running term if the
    # notice date was kept, else the end of the next term).
    ends_on = models.DateField(_("endet am"), null=True, blank=True, editable=False)
    terminated_on = models.DateField(_("gekündigt am"), null=True, blank=True, editable=False)
    terminated_by = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("gekündigt von"),
    )
    termination_note = models.CharField(_("Grund der Kündigung"), max_length=300, blank=True)
    document = models.FileField(
        _("unterzeichnetes Dokument"), upload_to=document_path, blank=True, editable=False
    )
    document_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kooperationsvereinbarung")
        verbose_name_plural = _("Kooperationsvereinbarungen")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def notice_date(self) -> date:
        """The last day a termination stops the next renewal."""
        return self.valid_until - relativedelta(months=self.notice_months)

    @property
    def renews(self) -> bool:
        return self.renewal == Renewal.YEARLY and self.status == Status.IN_FORCE

    @property
    def is_effective(self) -> bool:
        """Signed and not over: its rules (deadlines) apply within its validity."""
        return self.status in (Status.IN_FORCE, Status.TERMINATED)

    def applies_on(self, day: date) -> bool:
        return self.is_effective and self.valid_from <= day <= self.valid_until


class Party(NetworkOwned):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_rows")
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Vertragspartei")
        verbose_name_plural = _("Vertragsparteien")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="one_party_per_org")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Measure(VersionedModel, NetworkOwned):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("Maßnahme"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    indicator = models.CharField(
        _("Kennzahl"),
        max_length=40,
        blank=True,
        help_text=_("Leer lassen, wenn die Maßnahme nicht aus Daten der Plattform messbar ist."),
    )
    track = models.CharField(
        _("nur Dringlichkeit"), max_length=30, choices=Track.choices, blank=True
    )
    target = models.DecimalField(
        _("Zielwert"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_period = models.CharField(
        _("Zeitraum des Ziels"),
        max_length=20,
        choices=TargetPeriod.choices,
        default=TargetPeriod.YEAR,
    )
    progress_note = models.TextField(
        _("Stand"),
        blank=True,
        help_text=_("Für Maßnahmen ohne Kennzahl, z. B. „3 von 4 Hospitationen“."),
    )
    position = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementDeadline(NetworkOwned):
    """Deadlines for referrals between the parties; they override the network's."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="deadlines")
    track = models.CharField(_("Dringlichkeit"), max_length=30, choices=Track.choices)
    response_days = models.PositiveSmallIntegerField(
        _("Antwort in Arbeitstagen"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    completion_days = models.PositiveSmallIntegerField(
        _("Erledigung in Arbeitstagen"), validators=[MinValueValidator(1), MaxValueValidator(250)]
    )

    class Meta:
        verbose_name = _("Frist der Vereinbarung")
        verbose_name_plural = _("Fristen der Vereinbarung")
        ordering = ["track"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "track"], name="one_deadline_per_track")
        ]

    def __str__(self) -> str:
        return f"{self.get_track_display()}: {self.response_days}/{self.completion_days}"


class RenewalRecord(NetworkOwned):
    """One automatic renewal (history and the key of its notice)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="renewals")
    previous_until = models.DateField(_("bisher gültig bis"))
    new_until = models.DateField(_("jetzt gültig bis"))
    renewed_at = models.DateTimeField(_("verlängert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Verlängerung")
        verbose_name_plural = _("Verlängerungen")
        ordering = ["renewed_at"]
