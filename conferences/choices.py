from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PLANNED = "planned", _("geplant")
    HELD = "held", _("durchgeführt")
    CANCELLED = "cancelled", _("abgesagt")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("wöchentlich")
    BIWEEKLY = "biweekly", _("alle zwei Wochen")
    MONTHLY = "monthly", _("monatlich (gleicher Wochentag, z. B. 2. Dienstag)")


class Presentation(models.TextChoices):
    PSEUDONYMISED = "pseudonymised", _("pseudonymisiert")
    IDENTIFIED = "identified", _("mit Namen (Einwilligung aller Teilnehmenden)")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("offen")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


# Age bands of a pseudonymised presentation: coarse enough not to single anyone out.
AGE_BANDS = (
    (0, 5, _("unter 6")),
    (6, 14, _("6–14")),
    (15, 17, _("15–17")),
    (18, 24, _("18–24")),
    (25, 34, _("25–34")),
    (35, 49, _("35–49")),
    (50, 64, _("50–64")),
    (65, 200, _("65 und älter")),
)

MAX_SERIES_OCCURRENCES = 24
