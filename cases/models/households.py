import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import MemberRole
from cases.querysets import CaseQuerySet, PersonQuerySet
from core.concurrency import VersionedModel
from core.models import NetworkOwned
from directory.choices import Language
from directory.fields import CodeSetField

postal_code_validator = RegexValidator(r"^\d{5}$", _("Die Postleitzahl hat genau 5 Ziffern."))


def name_key(first_name: str, last_name: str) -> str:
    """Case-, accent- and spacing-insensitive key for duplicate detection ("Müller" = "Mueller")."""
    text = f"{first_name} {last_name}".casefold()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    # NFKD keeps the Turkish dotless ı as it is; "Yılmaz" must match "YILMAZ" and "Yilmaz".
    text = text.replace("ı", "i")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("-", " ").split())


class CaseRecord(VersionedModel, NetworkOwned):
    """A record in one organisation's case file. That organisation is the controller."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verantwortliche Stelle"),
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (
            self.organisation_id
            and self.network_id
            and self.organisation.network_id != self.network_id
        ):
            raise ValidationError(_("Die Organisation gehört zu einem anderen Netzwerk."))


class ClosableCase(models.Model):
    """Retention starts when the case closes; a legal hold stops deletion."""

    closed_on = models.DateField(_("Fall abgeschlossen am"), null=True, blank=True)
    legal_hold = models.BooleanField(
        _("Aufbewahrungspflicht (nicht löschen)"),
        default=False,
        help_text=_("z. B. laufendes Gerichtsverfahren; verhindert die Löschung."),
    )
    legal_hold_reason = models.CharField(_("Grund der Aufbewahrung"), max_length=300, blank=True)
    erased_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean_closing(self):
        if self.closed_on and self.closed_on > timezone.localdate():
            raise ValidationError(
                {"closed_on": _("Ein Fall kann nicht in der Zukunft abgeschlossen werden.")}
            )
        if self.legal_hold and not self.legal_hold_reason.strip():
            raise ValidationError(
                {"legal_hold_reason": _("Bitte geben Sie den Grund der Aufbewahrungspflicht an.")}
            )


class Household(ClosableCase, CaseRecord):
    """A Bedarfsgemeinschaft in one organisation's case file."""

    number = models.CharField(
        _("Nummer der Bedarfsgemeinschaft"),
        max_length=30,
        blank=True,
        help_text=_("z. B. 06432BG0012345"),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("Postleitzahl"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Gemeinde"),
    )
    # Generated, never derived from personal data: how the case appears when pseudonymised.
    case_label = models.CharField(_("Fallkennung"), max_length=20, blank=True, editable=False)

    class Meta:
        verbose_name = _("Bedarfsgemeinschaft")
        verbose_name_plural = _("Bedarfsgemeinschaften")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                condition=~Q(number=""),
                name="household_number_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "case_label"],
                name="household_case_label_unique_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "closed_on"])]

    def __str__(self):
        applicant = next((m for m in self.members.all() if m.role == MemberRole.APPLICANT), None)
        name = applicant.last_name if applicant else _("ohne Antragsteller/in")
        if self.number:
            return _("BG %(number)s (%(name)s)") % {"number": self.number, "name": name}
        return _("Haushalt %(name)s") % {"name": name}

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if not self.case_label:
                self.case_label = _next_case_label(self)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:household_detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.clean_closing()
        if (
            self.municipality_id
            and self.network_id
            and self.municipality.network_id != self.network_id
        ):
            raise ValidationError({"municipality": _("Diese Gemeinde gehört nicht zum Netzwerk.")})


def _next_case_label(household) -> str:
    """The next "2026-0042" of the organisation.

    The highest label counts, not the number of households (that shrinks when files are
    erased). Locking the organisation row makes concurrent creations take turns.
    """
    from core.models import Organisation

    prefix = f"{timezone.localdate().year}-"
    list(
        Organisation.objects.select_for_update()
        .filter(pk=household.organisation_id)
        .values_list("pk", flat=True)
    )
    last = (
        Household.objects.filter(
            organisation_id=household.organisation_id, case_label__startswith=prefix
        )
        .order_by(Length("case_label").desc(), "-case_label")
        .values_list("case_label", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


class Person(ClosableCase, CaseRecord):
    """A person in one organisation's case file, with or without a household."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("Bedarfsgemeinschaft"),
    )
    role = models.CharField(
        _("Rolle im Haushalt"),
        max_length=20,
        choices=MemberRole.choices,
        default=MemberRole.APPLICANT,
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    name_key = models.CharField(max_length=210, editable=False, db_index=True)
    birth_date = models.DateField(_("Geburtsdatum"))
    languages = CodeSetField(
        _("Sprachen"),
        choices_class=Language,
        help_text=_("Sprachen, in denen die Person beraten werden kann."),
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    # Address only for persons without a household; members live at the household's address.
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("Postleitzahl"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gemeinde"),
    )
    objects_to_medical_transfer = models.BooleanField(
        _("widerspricht der Übermittlung ärztlicher Unterlagen (§ 76 Abs. 2 SGB X)"),
        default=False,
    )
    disputed_note = models.TextField(
        _("bestrittene Angaben (§ 84 Abs. 2 SGB X)"),
        blank=True,
        help_text=_("Welche Stammdaten die Person für unrichtig hält."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name", "birth_date"]
        indexes = [models.Index(fields=["organisation", "birth_date", "name_key"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.first_name, self.last_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.household_id:
            return (
                reverse("cases:household_detail", args=[self.household_id]) + f"#person-{self.pk}"
            )
        return reverse("cases:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def home_municipality(self):
        return self.household.municipality if self.household_id else self.municipality

    def clean(self):
        super().clean()
        self.clean_closing()
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                raise ValidationError(
                    {"birth_date": _("Das Geburtsdatum darf nicht in der Zukunft liegen.")}
                )
            if self.birth_date.year < today.year - 120:
                raise ValidationError(
                    {"birth_date": _("Bitte prüfen Sie das Geburtsdatum (mehr als 120 Jahre).")}
                )
        if self.household_id and self.household.organisation_id != self.organisation_id:
            raise ValidationError(
                {"household": _("Die Bedarfsgemeinschaft gehört zu einer anderen Akte.")}
            )
        if (
            self.municipality_id
            and self.network_id
            and self.municipality.network_id != self.network_id
        ):
            raise ValidationError({"municipality": _("Diese Gemeinde gehört nicht zum Netzwerk.")})
