from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    IN_FORCE = "in_force", _("in Kraft")
    TERMINATED = "terminated", _("gekündigt")
    EXPIRED = "expired", _("abgelaufen")


class Renewal(models.TextChoices):
    NONE = "none", _("endet mit Ablauf der Laufzeit")
    YEARLY = "yearly", _("verlängert sich jeweils um ein Jahr")


class TargetPeriod(models.TextChoices):
    """The period a target refers to; counts are scaled to the period a report looks at."""

    MONTH = "month", _("pro Monat")
    QUARTER = "quarter", _("pro Quartal")
    YEAR = "year", _("pro Jahr")


MONTHS_OF = {TargetPeriod.MONTH: 1, TargetPeriod.QUARTER: 3, TargetPeriod.YEAR: 12}
