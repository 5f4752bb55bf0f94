import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import ConsentForm, Purpose, Signatory
from cases.models.households import CaseRecord
from cases.querysets import CaseQuerySet, ConsentQuerySet
from core.choices import LegalRegime, OrganisationType
from core.models import NetworkOwned
from directory.fields import CodeSetField

# Age from which a young person may consent themselves (§ 36 SGB I).
SELF_CONSENT_AGE = 15


def consent_document_path(instance, filename):
    return f"consents/{instance.organisation_id}/{timezone.now():%Y/%m}/{filename}"


class Consent(CaseRecord):
    """An Einwilligung (§ 67b SGB X, Art. 7 DSGVO): specific, informed, before any transfer.

    Only ``revoked_at``/``revoked_by`` change after recording; everything else is the record of
    what the person agreed to. Rules about one consent live in ``clean()``; whether it allows a
    transfer is decided by ``cases.policy.decide``.
    """

    data_subject = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("betroffene Person"),
    )
    signatory = models.CharField(
        _("unterschrieben von"), max_length=20, choices=Signatory.choices, default=Signatory.SELF
    )
    signatory_person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_signed",
        verbose_name=_("unterschreibende Person (aus der Akte)"),
    )
    signatory_name = models.CharField(
        _("Name der unterschreibenden Person"), max_length=200, blank=True
    )
    capacity_confirmed = models.BooleanField(
        _("Einsichtsfähigkeit bestätigt (ab 15 Jahren, § 36 SGB I)"), default=False
    )
    recipients = models.ManyToManyField(
        "core.Organisation", related_name="+", verbose_name=_("Empfänger")
    )
    purposes = CodeSetField(_("Zwecke"), choices_class=Purpose, blank=False)
    purpose_note = models.TextField(_("Zweck, näher beschrieben"), blank=True)
    categories = CodeSetField(_("Datenkategorien"), blank=False)
    informed_purpose = models.BooleanField(_("über den Zweck informiert"), default=False)
    informed_refusal = models.BooleanField(
        _("über die Folgen einer Verweigerung informiert"), default=False
    )
    informed_revocation = models.BooleanField(
        _("über das Recht zum Widerruf informiert"), default=False
    )
    given_at = models.DateTimeField(_("erfasst am"), default=timezone.now, editable=False)
    valid_from = models.DateField(_("gültig ab"), default=timezone.localdate)
    valid_until = models.DateField(_("gültig bis"))
    form = models.CharField(
        _("Form"), max_length=20, choices=ConsentForm.choices, default=ConsentForm.WRITTEN
    )
    document = models.FileField(
        _("eingescannte Erklärung"), upload_to=consent_document_path, blank=True
    )
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("Widerruf erfasst von"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["data_subject", "valid_until"])]

    def __str__(self):
        return _("Einwilligung von %(person)s vom %(date)s") % {
            "person": self.data_subject,
            "date": timezone.localtime(self.given_at).strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self):
        return reverse("cases:consent_detail", args=[self.pk])

    def is_valid_at(self, moment) -> bool:
        day = timezone.localdate(moment)
        return (
            self.given_at <= moment
            and self.valid_from <= day <= self.valid_until
            and (self.revoked_at is None or self.revoked_at > moment)
        )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def signed_by_person(self):
        """The person whose will this consent expresses, for the § 65 check."""
        if self.signatory == Signatory.SELF:
            return self.data_subject
        return self.signatory_person

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate(self.given_at)
        if self.valid_from and self.valid_from < today:
            errors["valid_from"] = _(
                "Eine Einwilligung gilt frühestens ab heute; rückwirkend ist sie nicht möglich."
            )
        if self.valid_from and self.valid_until:
            if self.valid_until < self.valid_from:
                errors["valid_until"] = _("Das Ende liegt vor dem Beginn.")
            elif self.valid_until > add_months(self.valid_from, settings.CONSENT_MAX_MONTHS):
                errors["valid_until"] = _("Eine Einwilligung gilt höchstens %(months)s Monate.") % {
                    "months": settings.CONSENT_MAX_MONTHS
                }
        if not (self.informed_purpose and self.informed_refusal and self.informed_revocation):
            errors["informed_revocation"] = _(
                "Die Person muss über Zweck, Folgen einer Verweigerung und Widerrufsrecht "
                "informiert worden sein."
            )
        if self.data_subject_id:
            if self.data_subject.organisation_id != self.organisation_id:
                errors["data_subject"] = _("Die Person gehört zu einer anderen Akte.")
            else:
                errors |= self._signatory_errors()
        if self.signatory_person_id and self.signatory_person.organisation_id != (
            self.organisation_id
        ):
            errors["signatory_person"] = _("Die Person gehört zu einer anderen Akte.")
        if errors:
            raise ValidationError(errors)

    def _signatory_errors(self) -> dict:
        age = self.data_subject.age_on(timezone.localdate(self.given_at))
        if self.signatory == Signatory.SELF:
            if age < SELF_CONSENT_AGE:
                return {
                    "signatory": _(
                        "Unter 15 Jahren unterschreibt die gesetzliche Vertretung (§ 36 SGB I)."
                    )
                }
            if age < 18 and not self.capacity_confirmed:
                return {
                    "capacity_confirmed": _(
                        "Bitte bestätigen Sie, dass die junge Person die Tragweite versteht."
                    )
                }
            return {}
        if not (self.signatory_name.strip() or self.signatory_person_id):
            return {"signatory_name": _("Bitte geben Sie an, wer unterschrieben hat.")}
        if self.signatory == Signatory.GUARDIAN and age >= 18:
            return {"signatory": _("Die Person ist volljährig und willigt selbst ein.")}
        if self.signatory == Signatory.ENTRUSTING and not self.signatory_person_id:
            return {
                "signatory_person": _(
                    "Bitte wählen Sie die anvertrauende Person aus der Akte (§ 65 SGB VIII)."
                )
            }
        return {}

    def clean_recipients(self, recipients) -> None:
        """Recipients are named organisations of the same network, never the controller itself."""
        if not recipients:
            raise ValidationError(
                {"recipients": _("Bitte nennen Sie mindestens eine empfangende Organisation.")}
            )
        for organisation in recipients:
            if organisation.network_id != self.network_id:
                raise ValidationError(
                    {
                        "recipients": _("%(name)s gehört nicht zum Netzwerk.")
                        % {"name": organisation.name}
                    }
                )
            if organisation.pk == self.organisation_id:
                raise ValidationError(
                    {"recipients": _("Die eigene Organisation ist kein Empfänger.")}
                )


def add_months(day, months: int):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class StatutoryBasis(NetworkOwned):
    """A transfer the law allows without consent, as configured by the network administration.

    Example: § 69 Abs. 1 Nr. 1 SGB X – the Jobcenter tells the Agentur für Arbeit what it needs
    to fulfil its own statutory task. Never applies to data entrusted under § 65 SGB VIII.
    """

    label = models.CharField(
        _("Rechtsgrundlage"), max_length=200, help_text=_("z. B. „§ 69 Abs. 1 Nr. 1 SGB X“")
    )
    sender_regime = models.CharField(
        _("übermittelnde Stelle (Rechtskreis)"), max_length=10, choices=LegalRegime.choices
    )
    recipient_types = CodeSetField(
        _("empfangende Stellen (Art)"), choices_class=OrganisationType, blank=False
    )
    purposes = CodeSetField(_("Zwecke"), choices_class=Purpose, blank=False)
    categories = CodeSetField(_("Datenkategorien"), blank=False)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("gesetzliche Übermittlungsbefugnis")
        verbose_name_plural = _("gesetzliche Übermittlungsbefugnisse")
        ordering = ["label"]

    def __str__(self):
        return self.label


SECRECY_NOTICE_VERSION = 1


class SecrecyAcknowledgement(NetworkOwned):
    """§ 78 SGB X: a partner without statutory duty confirms secrecy and purpose limitation."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    notice_version = models.PositiveSmallIntegerField(default=SECRECY_NOTICE_VERSION)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Verpflichtung nach § 78 SGB X")
        verbose_name_plural = _("Verpflichtungen nach § 78 SGB X")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "notice_version"], name="secrecy_ack_once_per_version"
            )
        ]

    def __str__(self):
        return str(self.organisation)


class HelpAssessment(CaseRecord):
    """§ 64 Abs. 2 SGB VIII: the Jugendamt recorded that a transfer does not endanger the help."""

    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="help_assessments"
    )
    recipient = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Empfänger")
    )
    purpose = models.CharField(_("Zweck"), max_length=30, choices=Purpose.choices)
    endangers_help = models.BooleanField(
        _("Die Übermittlung würde den Erfolg der Hilfe in Frage stellen"), default=False
    )
    reasoning = models.TextField(_("Begründung"))

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Prüfung nach § 64 Abs. 2 SGB VIII")
        verbose_name_plural = _("Prüfungen nach § 64 Abs. 2 SGB VIII")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Prüfung für %(recipient)s") % {"recipient": self.recipient}

    def clean(self):
        super().clean()
        if self.organisation_id and self.organisation.type != OrganisationType.YOUTH_OFFICE:
            raise ValidationError(_("Diese Prüfung nimmt nur das Jugendamt vor."))
        if self.person_id and self.person.organisation_id != self.organisation_id:
            raise ValidationError({"person": _("Die Person gehört zu einer anderen Akte.")})
