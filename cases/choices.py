from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    APPLICANT = "applicant", _("Antragsteller/in")
    PARTNER = "partner", _("Partner/in")
    CHILD = "child", _("Kind")
    OTHER = "other", _("sonstiges Mitglied")


class Severity(models.TextChoices):
    LOW = "low", _("gering")
    MEDIUM = "medium", _("mittel")
    HIGH = "high", _("hoch")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    RESOLVED = "resolved", _("erledigt")
    OBSOLETE = "obsolete", _("nicht mehr relevant")


OPEN_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


class StepStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("läuft")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


OPEN_STEP_STATUSES = (StepStatus.OPEN, StepStatus.IN_PROGRESS)


class Responsible(models.TextChoices):
    CLIENT = "client", _("die Person selbst")
    OWN_ORGANISATION = "own_organisation", _("unsere Organisation")
    PARTNER = "partner", _("Partnerorganisation")
    OFFER = "offer", _("Angebot aus der Angebotslandkarte")


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Überleitung an eine andere Stelle oder ein Angebot")
    CASE_CONFERENCE = "case_conference", _("Fallberatung")
    JOINT_PLANNING = "joint_planning", _("gemeinsame Hilfe- und Kooperationsplanung")
    FEEDBACK = "feedback", _("Rückmeldung über den Verlauf")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("schriftlich")
    ELECTRONIC = "electronic", _("elektronisch")


class Signatory(models.TextChoices):
    SELF = "self", _("die betroffene Person selbst")
    GUARDIAN = "guardian", _("gesetzliche Vertretung (Sorgeberechtigte)")
    ENTRUSTING = "entrusting", _("Person, die die Angaben anvertraut hat (§ 65 SGB VIII)")


class RetentionRecordType(models.TextChoices):
    HOUSEHOLD = "household", _("Fallakte Bedarfsgemeinschaft")
    PERSON = "person", _("Personenakte ohne Bedarfsgemeinschaft")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("zu prüfen")
    ERASED = "erased", _("gelöscht")
    HELD = "held", _("zurückgestellt")
