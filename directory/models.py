"""Offers (Angebote) of the network's organisations, where and when they take place."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.models import Municipality, NetworkOwned, Organisation
from directory.choices import (
    Accessibility,
    AccessType,
    Availability,
    Costs,
    Language,
    OfferStatus,
    PlaceKind,
    TargetGroup,
    Weekday,
)
from directory.fields import CodeSetField
from directory.querysets import OfferQuerySet, ProblemSituationQuerySet


class ProblemSituation(NetworkOwned):
    """A node of the problem-situation taxonomy: a group (no parent) or a situation in it."""

    code = models.CharField(
        _("Code"),
        max_length=60,
        validators=[RegexValidator(r"^[a-z0-9_]+(\.[a-z0-9_]+)?$", _("Nur a–z, 0–9, _ und ."))],
        help_text=_("Stabiler Schlüssel, z. B. „housing.rent_arrears“; nicht nachträglich ändern."),
    )
    label = models.CharField(_("Bezeichnung"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Obergruppe"),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ProblemSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Problemlage")
        verbose_name_plural = _("Problemlagen")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="problem_situation_code"),
            models.UniqueConstraint(fields=["network", "uuid"], name="problem_situation_uuid"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("Die Taxonomie hat nur zwei Ebenen.")})
            if self.network_id and self.parent.network_id != self.network_id:
                raise ValidationError(
                    {"parent": _("Die Obergruppe gehört zu einem anderen Netzwerk.")}
                )


class Offer(VersionedModel, NetworkOwned):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offers", verbose_name=_("Träger")
    )
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"), help_text=_("In einfacher Sprache: Was bekommt man hier, wie läuft es?")
    )
    problem_situations = models.ManyToManyField(
        ProblemSituation,
        related_name="offers",
        verbose_name=_("Problemlagen"),
        help_text=_("Bei welchen Problemlagen hilft das Angebot?"),
    )
    tags = models.CharField(
        _("Schlagwörter"),
        max_length=300,
        blank=True,
        help_text=_("Durch Komma getrennt; werden bei der Volltextsuche gefunden."),
    )
    # Who it is for, and who not.
    target_groups = CodeSetField(_("Zielgruppen"), choices_class=TargetGroup)
    min_age = models.PositiveSmallIntegerField(
        _("Mindestalter"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("Höchstalter"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    eligibility = models.TextField(_("Wer kann kommen?"), blank=True)
    not_eligible = models.TextField(
        _("Wer kann nicht kommen?"),
        blank=True,
        help_text=_("Ausschlüsse, z. B. „nicht bei laufendem Insolvenzverfahren“."),
    )
    what_to_bring = models.TextField(_("Was mitbringen?"), blank=True)
    languages = CodeSetField(_("Sprachen"), choices_class=Language)
    costs = models.CharField(_("Kosten"), max_length=20, choices=Costs.choices, default=Costs.FREE)
    costs_note = models.CharField(_("Hinweis zu Kosten"), max_length=200, blank=True)
    access_types = CodeSetField(_("Zugang"), choices_class=AccessType)
    # Current availability; falls back to "accepting" after availability_until.
    availability = models.CharField(
        _("Aufnahme"), max_length=20, choices=Availability.choices, default=Availability.ACCEPTING
    )
    availability_until = models.DateField(
        _("gilt bis"),
        null=True,
        blank=True,
        help_text=_("Danach gilt wieder „nimmt auf“, z. B. Ende der Warteliste."),
    )
    availability_note = models.CharField(_("Hinweis zur Aufnahme"), max_length=200, blank=True)
    # Contact.
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    contact_note = models.CharField(
        _("Kontaktweg"),
        max_length=300,
        blank=True,
        help_text=_("Wie man Kontakt aufnimmt, z. B. bei vertraulichem Ort."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    last_verified = models.DateField(_("zuletzt geprüft"), default=timezone.localdate)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    freshness_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Plain text assembled from title, description, tags, problem situations and provider; the
    # full-text index (PostgreSQL expression index / SQLite FTS5 table) is built from it.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "uuid"], name="offer_uuid"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="offer_age_range",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status"], name="offer_network_status"),
            models.Index(fields=["organisation", "status"], name="offer_org_status"),
            models.Index(fields=["network", "last_verified"], name="offer_network_verified"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("directory:offer_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("Das Höchstalter liegt unter dem Mindestalter.")
        if self.availability != Availability.ACCEPTING and not self.availability_until:
            errors["availability_until"] = _(
                "Bitte angeben, bis wann die Warteliste oder der Aufnahmestopp gilt."
            )
        if (
            self.organisation_id
            and self.network_id
            and (self.organisation.network_id != self.network_id)
        ):
            errors["organisation"] = _("Der Träger gehört zu einem anderen Netzwerk.")
        if errors:
            raise ValidationError(errors)

    def current_availability(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.availability_until and self.availability_until < today:
            return Availability.ACCEPTING
        return self.availability

    def get_current_availability_display(self) -> str:
        return Availability(self.current_availability()).label

    @property
    def verification_due(self):
        return self.last_verified + timedelta(days=settings.OFFER_FRESHNESS_DAYS)

    def is_stale(self, today=None) -> bool:
        return self.verification_due < (today or timezone.localdate())


class Place(NetworkOwned):
    """Where an offer happens or where people first go (intake point).

    A confidential place (e.g. a women's shelter) keeps no address and no own coordinates:
    it is located at its municipality's centre for distance search, and people reach it only
    through the offer's contact route.
    """

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="places", verbose_name=_("Angebot")
    )
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("Art des Ortes"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.SERVICE
    )
    name = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("PLZ"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Bitte eine fünfstellige Postleitzahl angeben."))],
    )
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("Gemeinde")
    )
    latitude = models.FloatField(
        _("Breitengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("Längengrad"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    accessibility = CodeSetField(_("Barrierefreiheit"), choices_class=Accessibility)
    transport_note = models.CharField(_("Anfahrt"), max_length=200, blank=True)
    is_confidential = models.BooleanField(
        _("vertraulicher Ort"),
        default=False,
        help_text=_("Die Adresse wird nie angezeigt oder exportiert (z. B. Frauenhaus)."),
    )

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["kind", "pk"]
        indexes = [
            models.Index(fields=["network", "latitude", "longitude"], name="place_network_geo")
        ]

    def __str__(self):
        if self.is_confidential:
            return _("Vertraulicher Ort in %(municipality)s") % {"municipality": self.municipality}
        return ", ".join(
            p for p in [self.name, self.street, f"{self.postal_code} {self.city}"] if p
        )

    def clean(self):
        if (
            self.municipality_id
            and self.network_id
            and (self.municipality.network_id != self.network_id)
        ):
            raise ValidationError(
                {"municipality": _("Die Gemeinde gehört zu einem anderen Netzwerk.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Bitte Breiten- und Längengrad zusammen angeben."))

    def save(self, *args, **kwargs):
        # Enforced here, not in a form: no code path can store a confidential address.
        if self.is_confidential:
            self.street = self.postal_code = self.name = ""
            self.city = self.municipality.name
            self.latitude = self.longitude = None
        # Without a geocoder (no network access), the municipality's centre stands in.
        if self.latitude is None and self.municipality.latitude is not None:
            self.latitude = float(self.municipality.latitude)
            self.longitude = float(self.municipality.longitude)
        super().save(*args, **kwargs)


class OpeningHours(NetworkOwned):
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("Angebot")
    )
    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=Weekday.choices)
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))
    note = models.CharField(_("Hinweis"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_order"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("„bis“ muss nach „von“ liegen.")})


class OpeningException(NetworkOwned):
    """A day that differs from the weekly schedule: closed, or open at other times.

    Public holidays of the network's federal state close an offer unless an exception opens it.
    """

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("Angebot")
    )
    date = models.DateField(_("Datum"))
    is_closed = models.BooleanField(_("geschlossen"), default=True)
    opens = models.TimeField(_("von"), null=True, blank=True)
    closes = models.TimeField(_("bis"), null=True, blank=True)
    note = models.CharField(_("Hinweis"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Abweichende Öffnungszeit")
        verbose_name_plural = _("Abweichende Öffnungszeiten")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "date"], name="opening_exception_day")
        ]

    def __str__(self):
        if self.is_closed or not (self.opens and self.closes):
            return _("%(date)s geschlossen") % {"date": self.date.strftime("%d.%m.%Y")}
        return f"{self.date:%d.%m.%Y} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if not self.is_closed and not (self.opens and self.closes and self.opens < self.closes):
            raise ValidationError(_("Bitte für einen geöffneten Tag „von“ und „bis“ angeben."))
