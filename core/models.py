import hashlib
import json
import re
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.choices import AuditAction, FederalState, LegalRegime, OrganisationType, Role
from core.concurrency import VersionedModel
from core.querysets import AuditEntryQuerySet, MembershipQuerySet, NetworkScopedQuerySet

DEFAULT_LEGAL_REGIME = {
    OrganisationType.JOBCENTER: LegalRegime.SGB_II,
    OrganisationType.YOUTH_OFFICE: LegalRegime.SGB_VIII,
    OrganisationType.SOCIAL_WELFARE_OFFICE: LegalRegime.SGB_XII,
    OrganisationType.EMPLOYMENT_AGENCY: LegalRegime.SGB_III,
}


class User(AbstractUser):
    """Staff account. Person data of clients never lives here."""

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Network(models.Model):
    """A county's cooperation network: the tenant boundary."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    federal_state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=FederalState.choices,
        help_text=_("Bestimmt die Feiertage für Fristen in Arbeitstagen."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def add_working_days(self, start, days: int):
        return workdays.add_working_days(start, days, self.federal_state)

    def is_working_day(self, day) -> bool:
        return workdays.is_working_day(day, self.federal_state)


class NetworkOwned(models.Model):
    """Every tenant-owned table carries network_id so it can be partitioned by tenant later."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, verbose_name=_("Netzwerk"))

    objects = NetworkScopedQuerySet.as_manager()

    class Meta:
        abstract = True


ags_validator = RegexValidator(r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel hat genau 8 Ziffern."))


class Municipality(NetworkOwned):
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel (AGS)"), max_length=8, validators=[ags_validator]
    )
    name = models.CharField(_("Name"), max_length=200)
    latitude = models.DecimalField(
        _("Breitengrad"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(47), MaxValueValidator(55.1)],
    )
    longitude = models.DecimalField(
        _("Längengrad"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(5.8), MaxValueValidator(15.1)],
    )

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "ags"], name="municipality_ags_unique_per_network"
            )
        ]

    def __str__(self):
        return self.name


class SocialArea(NetworkOwned):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="social_areas",
        verbose_name=_("Gemeinde"),
    )
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Sozialraum")
        verbose_name_plural = _("Sozialräume")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="social_area_unique_per_municipality"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"

    def clean(self):
        if (
            self.municipality_id
            and self.network_id
            and self.municipality.network_id != self.network_id
        ):
            raise ValidationError(
                {"municipality": _("Die Gemeinde gehört zu einem anderen Netzwerk.")}
            )


class Organisation(VersionedModel, NetworkOwned):
    # Stable identifier for exchange formats (Open Referral HSDS ids are UUIDs).
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    type = models.CharField(_("Art"), max_length=40, choices=OrganisationType.choices)
    legal_regime = models.CharField(
        _("Rechtskreis"), max_length=10, choices=LegalRegime.choices, default=LegalRegime.NONE
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("Gemeinde"),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("PLZ"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Die Postleitzahl hat 5 Ziffern."))],
    )
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="organisation_name_unique_per_network"
            ),
            models.UniqueConstraint(fields=["network", "uuid"], name="organisation_uuid"),
        ]
        indexes = [models.Index(fields=["network", "type"], name="organisation_network_type")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.pk])

    def clean(self):
        if (
            self.municipality_id
            and self.network_id
            and self.municipality.network_id != self.network_id
        ):
            raise ValidationError(
                {"municipality": _("Die Gemeinde gehört zu einem anderen Netzwerk.")}
            )
        expected = DEFAULT_LEGAL_REGIME.get(self.type)
        if expected and self.legal_regime != expected:
            raise ValidationError(
                {
                    "legal_regime": _(
                        "Für diese Art von Organisation ist der Rechtskreis %(regime)s vorgesehen."
                    )
                    % {"regime": LegalRegime(expected).label}
                }
            )


class Team(NetworkOwned):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("Organisation")
    )
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.network_id = self.organisation.network_id
        super().save(*args, **kwargs)


class Membership(NetworkOwned):
    """A user's role in one organisation. Inactive until a network admin grants it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Benutzerkonto")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Team"),
    )
    role = models.CharField(_("Rolle"), max_length=40, choices=Role.choices)
    job_title = models.CharField(_("Funktion"), max_length=120, blank=True)
    is_active = models.BooleanField(
        _("freigeschaltet"),
        default=False,
        help_text=_("Erst freigeschaltete Mitgliedschaften geben Rechte."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["organisation__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["network", "role"], name="membership_network_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"

    def save(self, *args, **kwargs):
        self.network_id = self.organisation.network_id
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.team_id
            and self.organisation_id
            and self.team.organisation_id != self.organisation_id
        ):
            raise ValidationError({"team": _("Das Team gehört zu einer anderen Organisation.")})


class ApiToken(NetworkOwned):
    """A bearer token acting as one user in one organisation. Only the hash is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("Benutzerkonto")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("Organisation")
    )
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditChainHead(models.Model):
    """The last hash of one audit chain; locked while an entry is appended."""

    chain = models.CharField(max_length=40, unique=True)
    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Prüfkette")
        verbose_name_plural = _("Prüfketten")

    def __str__(self):
        return self.chain


_REF_PATTERN = re.compile(r"^[a-z_]+\.[a-z_]+:[0-9A-Za-z_-]+$")


class AuditEntry(models.Model):
    """One read or write of personal data. References only, never the data itself.

    Append-only: the model refuses updates and deletes, the queryset refuses bulk changes and
    the database refuses UPDATE (and DELETE on PostgreSQL) through triggers. Each entry's hash
    covers its content and the previous entry's hash, so a changed or removed row is detected
    by ``core.audit.verify_chain``.
    """

    chain = models.CharField(max_length=40)
    sequence = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    # Plain ids, no foreign key constraints: deleting a user or an organisation must never
    # touch (or be blocked by) the audit trail.
    network = models.ForeignKey(
        Network, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("Benutzer/in"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("handelnde Organisation"),
    )
    controller = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("Verantwortliche Stelle"),
    )
    action = models.CharField(_("Aktion"), max_length=30, choices=AuditAction.choices)
    object_ref = models.CharField(_("Objekt"), max_length=120, blank=True)
    subject_ref = models.CharField(
        _("betroffene Person"), max_length=120, blank=True, db_index=True
    )
    purpose = models.CharField(_("Zweck"), max_length=200, blank=True)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=120, blank=True)
    request_id = models.CharField(_("Anfrage-ID"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="audit_sequence_unique_per_chain"
            )
        ]
        indexes = [
            models.Index(fields=["network", "organisation", "created_at"], name="audit_org_time"),
            models.Index(
                fields=["network", "controller", "created_at"], name="audit_controller_time"
            ),
            models.Index(fields=["network", "user", "created_at"], name="audit_user_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_ref}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit entries cannot be changed")
        self.check_refs()
        super().save(*args, **kwargs)

    def check_refs(self):
        """Entries hold references, never data: refuse anything that is not 'app.model:id'."""
        for ref in (self.object_ref, self.subject_ref):
            if ref and not _REF_PATTERN.match(ref):
                raise ValueError(f"audit references look like 'app.model:id', got {ref!r}")

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be deleted")

    def canonical_content(self) -> str:
        return json.dumps(
            [
                self.chain,
                self.sequence,
                self.created_at.isoformat(),
                self.network_id,
                self.user_id,
                self.organisation_id,
                self.controller_id,
                self.action,
                self.object_ref,
                self.subject_ref,
                self.purpose,
                self.legal_basis,
                self.request_id,
                self.prev_hash,
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content().encode()).hexdigest()


class Notification(models.Model):
    """An in-app notice for one user. Never holds personal data of clients: a short text with
    organisation names and a reference number, and a link to the page that shows the rest to
    whoever may see it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("für")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    text = models.CharField(_("Mitteilung"), max_length=300)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # What makes a notice unique, e.g. "referral:12:escalation:1": sending it twice is a no-op.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("per E-Mail gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text
