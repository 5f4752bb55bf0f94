"""Case conferences (kollegiale Fallberatung) between the organisations of a network.

A case is put on the agenda as a *presentation*: a frozen, pseudonymised description (case
label, age bands, household composition, municipality, needs) that the other organisations
read instead of the case file. A presentation with identity additionally stores name, birth date
and address; the other organisations see them only while the policy confirms a consent that
covers them (``conferences.disclosure``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conferences.choices import ActionStatus, Frequency, Presentation, Status
from conferences.querysets import ActionQuerySet, AgendaItemQuerySet, ConferenceQuerySet
from core.concurrency import VersionedModel
from core.models import NetworkOwned


class Series(NetworkOwned):
    """A recurring round, e.g. the monthly Jobcenter–Jugendamt case conference."""

    title = models.CharField(_("Titel"), max_length=200)
    organiser = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("einladende Organisation"),
    )
    frequency = models.CharField(_("Rhythmus"), max_length=20, choices=Frequency.choices)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Terminreihe")
        verbose_name_plural = _("Terminreihen")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Conference(VersionedModel, NetworkOwned):
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("Terminreihe"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    organiser = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="conferences_organised",
        verbose_name=_("einladende Organisation"),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    video_url = models.URLField(_("Videolink"), blank=True)
    invited_organisations = models.ManyToManyField(
        "core.Organisation",
        related_name="conferences_invited",
        verbose_name=_("eingeladene Organisationen"),
    )
    invited_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="conferences_invited",
        verbose_name=_("eingeladene Personen"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    minutes = models.TextField(_("allgemeines Protokoll"), blank=True)
    cancel_reason = models.CharField(_("Grund der Absage"), max_length=300, blank=True)
    # iCalendar: one UID for the whole life of the appointment; SEQUENCE counts its changes.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fallberatung")
        verbose_name_plural = _("Fallberatungen")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["network", "starts_at"], name="conference_network_start")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("conferences:detail", args=[self.pk])

    @property
    def has_begun(self) -> bool:
        """From the day of the conference on, it can be held and minuted."""
        return timezone.localdate(self.starts_at) <= timezone.localdate()


class AgendaItem(VersionedModel, NetworkOwned):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="items", verbose_name=_("Fallberatung")
    )
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    presenter = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vorstellende Organisation"),
    )
    # The presenter's own records; only the presenter follows these links.
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_items",
        verbose_name=_("Person"),
    )
    needs = models.ManyToManyField(
        "cases.Need", blank=True, related_name="conference_items", verbose_name=_("Bedarfe")
    )
    case_label = models.CharField(_("Fallkennung"), max_length=30)
    question = models.TextField(_("Fragestellung"))
    presentation = models.CharField(
        _("Darstellung"),
        max_length=20,
        choices=Presentation.choices,
        default=Presentation.PSEUDONYMISED,
    )
    # What every participant reads: case label, age bands, household, municipality, needs.
    shared = models.JSONField(_("geteilte Angaben"), default=dict, editable=False)
    # Name, birth date, address: only with a presentation with identity.
    identity = models.JSONField(_("Angaben zur Identität"), default=dict, editable=False)
    consents = models.ManyToManyField(
        "cases.Consent",
        blank=True,
        related_name="conference_items",
        verbose_name=_("Einwilligungen"),
    )
    legal_basis = models.TextField(_("Rechtsgrundlage"), blank=True, editable=False)
    identity_revoked_at = models.DateTimeField(
        _("Einwilligung widerrufen am"), null=True, blank=True, editable=False
    )
    warnings_confirmed = models.BooleanField(
        _("Hinweise auf Identifikatoren geprüft"), default=False, editable=False
    )
    minutes = models.TextField(_("Protokoll"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fall auf der Tagesordnung")
        verbose_name_plural = _("Fälle auf der Tagesordnung")
        ordering = ["conference", "position", "pk"]

    def __str__(self):
        return self.case_label

    def get_absolute_url(self):
        return reverse("conferences:detail", args=[self.conference_id]) + f"#punkt-{self.pk}"

    @property
    def is_identified(self) -> bool:
        return self.presentation == Presentation.IDENTIFIED

    def audit_basis(self, consent_ids=None) -> str:
        """The basis in the audit trail's short form (the full text stays on the item)."""
        if not self.is_identified:
            return self.legal_basis[:120]
        ids = consent_ids if consent_ids is not None else [c.pk for c in self.consents.all()]
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Einwilligung Nr. %(ids)s (§ 67b SGB X)") % {"ids": ", ".join(map(str, ids))}
        return text[:120]


class Action(VersionedModel, NetworkOwned):
    """An agreed action: who does what by when."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="actions", verbose_name=_("Fallberatung")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("zum Fall"),
    )
    title = models.CharField(_("Vereinbarung"), max_length=300)
    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="conference_actions",
        verbose_name=_("zuständige Organisation"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_actions",
        verbose_name=_("zuständige Person"),
    )
    due_date = models.DateField(_("fällig bis"))
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        db_index=True,
    )
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    status_note = models.CharField(_("Vermerk"), max_length=300, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_actions",
        verbose_name=_("Überleitung"),
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vereinbarte Maßnahme")
        verbose_name_plural = _("vereinbarte Maßnahmen")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="action_owner_due")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conferences:detail", args=[self.conference_id]) + f"#massnahme-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < timezone.localdate()


class CalendarToken(models.Model):
    """The secret in a user's calendar feed address (calendar programs cannot log in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Kalenderadresse")
        verbose_name_plural = _("Kalenderadressen")

    def __str__(self):
        return str(self.user)
