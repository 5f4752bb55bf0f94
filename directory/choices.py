from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    PAUSED = "paused", _("pausiert")
    ARCHIVED = "archived", _("archiviert")


class Availability(models.TextChoices):
    ACCEPTING = "accepting", _("nimmt auf")
    WAITLIST = "waitlist", _("Warteliste")
    FULL = "full", _("keine freien Plätze")


class Costs(models.TextChoices):
    FREE = "free", _("kostenlos")
    REDUCED = "reduced", _("ermäßigt / nach Einkommen")
    FEE = "fee", _("kostenpflichtig")


class AccessType(models.TextChoices):
    WALK_IN = "walk_in", _("offene Sprechstunde (ohne Termin)")
    APPOINTMENT = "appointment", _("mit Termin")
    REFERRAL = "referral", _("nur mit Überleitung")
    PHONE = "phone", _("telefonisch")
    ONLINE = "online", _("online")


class TargetGroup(models.TextChoices):
    SINGLE_PARENTS = "single_parents", _("Alleinerziehende")
    UNDER_25 = "under_25", _("junge Menschen unter 25")
    FAMILIES = "families", _("Familien")
    MIGRANTS = "migrants", _("Zugewanderte und Geflüchtete")
    DISABILITIES = "disabilities", _("Menschen mit Behinderungen")
    WOMEN = "women", _("Frauen")
    OLDER = "older", _("Ältere (50+)")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Langzeitarbeitslose")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("stufenlos erreichbar")
    ACCESSIBLE_TOILET = "accessible_toilet", _("barrierefreies WC")
    HEARING_LOOP = "hearing_loop", _("Induktionsschleife")
    SIGN_LANGUAGE = "sign_language", _("Gebärdensprache nach Absprache")
    EASY_LANGUAGE = "easy_language", _("Leichte Sprache")
    PARKING = "parking", _("Behindertenparkplatz")


class PlaceKind(models.TextChoices):
    SERVICE = "service", _("Ort des Angebots")
    INTAKE = "intake", _("Anlaufstelle / Erstkontakt")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Montag")
    TUESDAY = 1, _("Dienstag")
    WEDNESDAY = 2, _("Mittwoch")
    THURSDAY = 3, _("Donnerstag")
    FRIDAY = 4, _("Freitag")
    SATURDAY = 5, _("Samstag")
    SUNDAY = 6, _("Sonntag")


WEEKDAY_SHORT = [_("Mo"), _("Di"), _("Mi"), _("Do"), _("Fr"), _("Sa"), _("So")]


# ISO 639-1 codes (639-3 where 639-1 has none) as HSDS expects them; the languages most
# asked for in German job centres.
class Language(models.TextChoices):
    GERMAN = "de", _("Deutsch")
    ENGLISH = "en", _("Englisch")
    ARABIC = "ar", _("Arabisch")
    TURKISH = "tr", _("Türkisch")
    RUSSIAN = "ru", _("Russisch")
    UKRAINIAN = "uk", _("Ukrainisch")
    POLISH = "pl", _("Polnisch")
    ROMANIAN = "ro", _("Rumänisch")
    BULGARIAN = "bg", _("Bulgarisch")
    PERSIAN = "fa", _("Persisch (Farsi/Dari)")
    KURDISH = "ku", _("Kurdisch")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somali")
    FRENCH = "fr", _("Französisch")
    SPANISH = "es", _("Spanisch")
    ITALIAN = "it", _("Italienisch")
    GREEK = "el", _("Griechisch")
    SERBO_CROATIAN = "hbs", _("Bosnisch/Kroatisch/Serbisch")
    SIGN = "gsg", _("Deutsche Gebärdensprache")
