"""Referrals (Überleitungen) and advisory pointers (beratende Hinweise) between organisations.

A referral carries a *snapshot*: the data the sender was allowed to share, frozen when it was
sent. The recipient sees only that snapshot, never the sender's live case file. Everything that
happens to a referral is a ``ReferralEvent`` with user and time.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.models import NetworkOwned
from directory.fields import CodeSetField
from referrals.choices import (
    AWAITING_RESPONSE,
    CLOSED_STATUSES,
    DEFAULT_DEADLINES,
    RUNNING,
    URGENT_TRACKS,
    DeclineReason,
    EventKind,
    Kind,
    OnRevocation,
    Outcome,
    PointerOutcome,
    Status,
    Track,
)
from referrals.querysets import ReferralQuerySet


class Referral(VersionedModel, NetworkOwned):
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.REFERRAL)
    sender = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("sendende Stelle"),
    )
    recipient = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("empfangende Stelle"),
    )
    offer = models.ForeignKey(
        "directory.Offer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("Angebot"),
    )
    # The sender's own records. They stay with the sender: the recipient never follows these
    # links (it reads ``snapshot``), and an erased case file leaves the referral in place.
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("Person"),
    )
    household = models.ForeignKey(
        "cases.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("Bedarfsgemeinschaft"),
    )
    needs = models.ManyToManyField(
        "cases.Need", blank=True, related_name="referrals", verbose_name=_("Anlass (Bedarfe)")
    )
    reason = models.TextField(_("Anlass"))
    track = models.CharField(
        _("Dringlichkeit"), max_length=30, choices=Track.choices, default=Track.STANDARD
    )
    message = models.TextField(_("Nachricht an die empfangende Stelle"), blank=True)
    categories = CodeSetField(_("übermittelte Datenkategorien"))
    # {category: {"basis": "...", "consent": id | None, "statute": id | None}} at sending time.
    bases = models.JSONField(_("Rechtsgrundlagen"), default=dict, editable=False)
    consents = models.ManyToManyField(
        "cases.Consent", blank=True, related_name="referrals", verbose_name=_("Einwilligungen")
    )
    snapshot = models.JSONField(_("übermittelte Daten"), default=dict, editable=False)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    received_at = models.DateTimeField(_("eingegangen am"), null=True, blank=True)
    responded_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    response_due = models.DateField(_("Antwort fällig bis"), null=True, blank=True)
    completion_due = models.DateField(_("Erledigung angestrebt bis"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bearbeitet von"),
    )
    decline_reason = models.CharField(
        _("Grund der Ablehnung"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("Ergebnis"), max_length=30, choices=Outcome.choices, blank=True)
    pointer_outcome = models.CharField(
        _("Ist die Person angekommen?"), max_length=20, choices=PointerOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("Rückmeldung"), blank=True)
    forwarded_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwards",
        verbose_name=_("weitergeleitet aus"),
    )
    consent_revoked_at = models.DateTimeField(
        _("Einwilligung widerrufen am"), null=True, blank=True
    )
    # Kept for statistics when the case file is deleted: where the person lived at sending, and
    # the working days (network calendar) to the answer and to completion, so that medians and
    # percentiles are plain SQL aggregates (see docs/decisions/0010-indicators.md).
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gemeinde"),
        editable=False,
    )
    response_workdays = models.PositiveSmallIntegerField(
        _("Arbeitstage bis zur Antwort"), null=True, blank=True, editable=False
    )
    completion_workdays = models.PositiveSmallIntegerField(
        _("Arbeitstage bis zum Abschluss"), null=True, blank=True, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(_("Eskalationsstufe"), default=0)
    escalated_at = models.DateTimeField(_("zuletzt eskaliert am"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("Überleitung")
        verbose_name_plural = _("Überleitungen")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "status"], name="referral_recipient_status"),
            models.Index(fields=["sender", "status"], name="referral_sender_status"),
            models.Index(fields=["network", "status", "response_due"], name="referral_due"),
            models.Index(fields=["network", "sent_at"], name="referral_network_sent"),
        ]

    def __str__(self):
        return _("%(kind)s %(number)s an %(recipient)s") % {
            "kind": self.get_kind_display(),
            "number": self.number,
            "recipient": self.recipient.name,
        }

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def number(self) -> str:
        """The reference to quote on the phone ("Ü-1042")."""
        return f"Ü-{self.pk}" if self.kind == Kind.REFERRAL else f"H-{self.pk}"

    @property
    def is_urgent(self) -> bool:
        return self.track in URGENT_TRACKS

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_consent_revoked(self) -> bool:
        return self.consent_revoked_at is not None

    def due_date(self):
        """The deadline that runs now: the answer while waiting, then the completion target."""
        if self.status in AWAITING_RESPONSE:
            return self.response_due
        if self.status in RUNNING:
            return self.completion_due
        return None

    def is_overdue(self, today=None) -> bool:
        due = self.due_date()
        return due is not None and due < (today or timezone.localdate())


class ReferralEvent(NetworkOwned):
    """One thing that happened to a referral, by whom and when (the lifecycle's record)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Art"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("von"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("nach"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Ereignis einer Überleitung")
        verbose_name_plural = _("Ereignisse von Überleitungen")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral_id}: {self.get_kind_display()} {self.to_status}"


class ReferralMessage(NetworkOwned):
    """The thread between the two organisations on one referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("Nachricht"))
    created_at = models.DateTimeField(_("geschrieben am"), default=timezone.now)

    class Meta:
        verbose_name = _("Nachricht zu einer Überleitung")
        verbose_name_plural = _("Nachrichten zu Überleitungen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.referral_id}: {self.organisation}"


class TrackDeadline(NetworkOwned):
    """A network's own deadlines for a track (otherwise ``DEFAULT_DEADLINES``)."""

    track = models.CharField(_("Dringlichkeit"), max_length=30, choices=Track.choices)
    response_days = models.PositiveSmallIntegerField(_("Antwort in Arbeitstagen"))
    completion_days = models.PositiveSmallIntegerField(_("Erledigung in Arbeitstagen"))

    class Meta:
        verbose_name = _("Frist einer Dringlichkeitsstufe")
        verbose_name_plural = _("Fristen der Dringlichkeitsstufen")
        constraints = [
            models.UniqueConstraint(fields=["network", "track"], name="track_deadline_unique"),
            models.CheckConstraint(
                condition=models.Q(completion_days__gte=models.F("response_days")),
                name="track_completion_after_response",
            ),
        ]

    def __str__(self):
        return f"{self.get_track_display()}: {self.response_days}/{self.completion_days}"


class ReferralSettings(models.Model):
    """How a network handles referrals (one row per network; defaults when missing)."""

    network = models.OneToOneField(
        "core.Network", on_delete=models.CASCADE, related_name="referral_settings"
    )
    on_revocation = models.CharField(
        _("Bei Widerruf der Einwilligung"),
        max_length=20,
        choices=OnRevocation.choices,
        default=OnRevocation.CONTINUE,
    )
    second_escalation_after = models.PositiveSmallIntegerField(
        _("Netzwerkkoordination informieren nach weiteren Arbeitstagen"), default=2
    )

    class Meta:
        verbose_name = _("Regeln für Überleitungen")
        verbose_name_plural = _("Regeln für Überleitungen")

    def __str__(self):
        return str(self.network)

    @classmethod
    def for_network(cls, network):
        found = cls.objects.filter(network=network).first()
        return found or cls(network=network)


# Functions (network, track, sender, recipient, day) -> (response, completion) | None that set
# deadlines for a pair of organisations; the agreements app registers the agreements' deadlines
# here, so the referrals app needs no knowledge of agreements. The shortest answer wins.
DEADLINE_OVERRIDES: list = []


def deadlines_for(network, track: str, sender=None, recipient=None, day=None) -> tuple[int, int]:
    """(response, completion) working days of ``track`` from ``sender`` to ``recipient``.

    An agreement between the two organisations in force on ``day`` sets them; otherwise the
    network's own setting; otherwise the defaults.
    """
    if sender is not None and recipient is not None:
        found = [
            deadlines
            for override in DEADLINE_OVERRIDES
            if (deadlines := override(network, track, sender, recipient, day)) is not None
        ]
        if found:
            return min(found)
    custom = TrackDeadline.objects.filter(network=network, track=track).first()
    if custom is not None:
        return custom.response_days, custom.completion_days
    return DEFAULT_DEADLINES[Track(track)]
