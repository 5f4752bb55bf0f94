from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REFERRAL = "referral", _("Überleitung")
    POINTER = "pointer", _("beratender Hinweis")


class Track(models.TextChoices):
    """Urgency tracks. The seeds name three situations that must be handled fast."""

    STANDARD = "standard", _("Standard")
    HOUSING_LOSS = "housing_loss", _("dringend: drohender Wohnungsverlust")
    SCHOOL_TO_WORK = "school_to_work", _("Übergang Schule–Beruf")
    BENEFIT_PAYMENT = "benefit_payment", _("dringend: Leistungsauszahlung")


# (working days to respond, working days to complete) unless the network sets its own.
DEFAULT_DEADLINES = {
    Track.STANDARD: (10, 40),
    Track.HOUSING_LOSS: (2, 10),
    Track.SCHOOL_TO_WORK: (5, 20),
    Track.BENEFIT_PAYMENT: (2, 5),
}
URGENT_TRACKS = (Track.HOUSING_LOSS, Track.BENEFIT_PAYMENT)


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SENT = "sent", _("gesendet")
    RECEIVED = "received", _("eingegangen")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    FORWARDED = "forwarded", _("weitergeleitet")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    COMPLETED = "completed", _("abgeschlossen")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


# Waiting for the recipient's answer: the response deadline runs.
AWAITING_RESPONSE = (Status.SENT, Status.RECEIVED)
# Accepted and not yet finished: the completion target runs.
RUNNING = (Status.ACCEPTED, Status.IN_PROGRESS)
OPEN_STATUSES = (*AWAITING_RESPONSE, *RUNNING)
CLOSED_STATUSES = (Status.DECLINED, Status.FORWARDED, Status.COMPLETED, Status.WITHDRAWN)


class Outcome(models.TextChoices):
    HELP_GIVEN = "help_given", _("Hilfe geleistet")
    PARTLY = "partly", _("teilweise geholfen")
    CLIENT_DID_NOT_COME = "client_did_not_come", _("Person ist nicht gekommen")
    NOT_RESPONSIBLE = "not_responsible", _("nicht zuständig")
    CLIENT_DECLINED = "client_declined", _("Person hat die Hilfe abgelehnt")
    OTHER = "other", _("sonstiges Ergebnis")


class PointerOutcome(models.TextChoices):
    ARRIVED = "arrived", _("Person ist angekommen")
    NOT_ARRIVED = "not_arrived", _("Person ist nicht angekommen")
    UNKNOWN = "unknown", _("nicht bekannt")


class DeclineReason(models.TextChoices):
    NOT_RESPONSIBLE = "not_responsible", _("nicht zuständig")
    NO_CAPACITY = "no_capacity", _("keine Kapazität")
    NOT_ELIGIBLE = "not_eligible", _("Voraussetzungen nicht erfüllt")
    INCOMPLETE = "incomplete", _("Angaben reichen nicht aus")
    OTHER = "other", _("anderer Grund")


class OnRevocation(models.TextChoices):
    CONTINUE = "continue", _("weiterbearbeiten, aber ohne neue Daten")
    CLOSE = "close", _("Überleitung beenden")


class EventKind(models.TextChoices):
    STATUS = "status", _("Statuswechsel")
    ESCALATION = "escalation", _("Eskalation")
    REVOCATION = "revocation", _("Widerruf der Einwilligung")
    NEEDS_RESOLVED = "needs_resolved", _("Handlungsbedarf erledigt")
