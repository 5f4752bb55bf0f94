"""Forms for consents (§ 67b SGB X), the consent register and the § 64 Abs. 2 SGB VIII assessment.

The rules about a consent live on the model (``Consent.clean`` and ``clean_recipients``); these
forms only offer the choices the actor may use and put the model's messages on the right fields.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import categories
from cases.choices import Purpose, Signatory
from cases.models import Consent, HelpAssessment, Need, Person
from cases.models.consents import add_months
from core.choices import OrganisationType
from core.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Extension and the first bytes of the file must agree: a renamed file is not a scan.
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
INFORMED_FIELDS = ("informed_purpose", "informed_refusal", "informed_revocation")
EXPIRING_DAYS = 30


def recipient_organisations(actor):
    """Who may be named as recipient: the network's active organisations except the own one."""
    return (
        Organisation.objects.filter(network_id=actor.network_id, is_active=True)
        .exclude(pk=actor.organisation.pk)
        .order_by("type", "name")
    )


def signatory_persons(actor, person: Person):
    """Who may sign for the person: the household's other members and whoever entrusted data
    for this person's needs (§ 65 SGB VIII), all from the actor's own case file."""
    entrusting = Need.objects.visible_to(actor).filter(person=person, entrusted=True)
    query = Q(pk__in=entrusting.values("entrusted_by"))
    if person.household_id:
        query |= Q(household_id=person.household_id) & ~Q(pk=person.pk)
    return (
        Person.objects.visible_to(actor).active().filter(query).order_by("last_name", "first_name")
    )


def add_model_errors(form, error: ValidationError) -> None:
    """Put a model's ValidationError on the form; keys the form has no field for go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, messages)


class ConsentRecordForm(forms.ModelForm):
    """Records one consent. The instance carries data subject, organisation and network."""

    class Meta:
        model = Consent
        fields = [
            "signatory",
            "signatory_person",
            "signatory_name",
            "capacity_confirmed",
            "recipients",
            "purposes",
            "purpose_note",
            "categories",
            "informed_purpose",
            "informed_refusal",
            "informed_revocation",
            "valid_from",
            "valid_until",
            "form",
            "document",
        ]
        widgets = {
            "signatory": forms.RadioSelect,
            "recipients": forms.CheckboxSelectMultiple,
            "form": forms.RadioSelect,
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
            "purpose_note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            # The generic checkbox markup has no room for a hint, so the label says it all.
            "capacity_confirmed": _(
                "Einsichtsfähigkeit: Ich bestätige, dass die junge Person versteht, worin sie "
                "einwilligt und was daraus folgt (nur nötig von 15 bis 17 Jahren, wenn sie "
                "selbst unterschreibt – § 36 SGB I)."
            ),
            "informed_purpose": _("Die Person wurde über den Zweck der Übermittlung informiert."),
            "informed_refusal": _(
                "Die Person wurde über die Folgen einer Verweigerung informiert (keine Nachteile "
                "bei Leistungen; die Hilfe kann langsamer sein)."
            ),
            "informed_revocation": _(
                "Die Person wurde über ihr Recht informiert, jederzeit mit Wirkung für die "
                "Zukunft zu widerrufen."
            ),
            "document": _("Eingescannte Erklärung"),
        }
        help_texts = {
            "signatory_person": _(
                "Nur nötig, wenn die unterschreibende Person in Ihrer Akte steht; bei einer "
                "anvertrauenden Person (§ 65 SGB VIII) ist die Auswahl Pflicht."
            ),
            "signatory_name": _("Wenn die unterschreibende Person nicht in der Akte steht."),
            "purpose_note": _("z. B. „Überleitung zur Schuldnerberatung wegen Mietrückstand“."),
            "valid_from": _("Frühestens heute – rückwirkend ist eine Einwilligung nicht möglich."),
            "document": _("PDF, JPG oder PNG, höchstens 10 MB."),
        }

    def __init__(self, *args, actor, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        today = timezone.localdate()
        # The instance's empty values would override a field's initial, so set them here.
        self.initial.setdefault("valid_from", today)
        if not self.initial.get("valid_until"):
            self.initial["valid_until"] = add_months(
                self.initial["valid_from"] or today, settings.CONSENT_DEFAULT_MONTHS
            )
        self.fields["valid_until"].help_text = _(
            "Vorschlag: %(default)s Monate; höchstens %(max)s Monate ab Beginn."
        ) % {"default": settings.CONSENT_DEFAULT_MONTHS, "max": settings.CONSENT_MAX_MONTHS}

        if not is_youth_office(actor.organisation):
            # Entrusted data (§ 65 SGB VIII) exists only at the Jugendamt; elsewhere a consent of
            # an entrusting person would never cover anything.
            self.fields["signatory"].choices = [
                choice for choice in Signatory.choices if choice[0] != Signatory.ENTRUSTING
            ]
        signatory_person = self.fields["signatory_person"]
        signatory_person.queryset = signatory_persons(actor, person)
        signatory_person.label_from_instance = lambda p: (
            _("%(name)s (geb. %(date)s)")
            % {
                "name": p.full_name,
                "date": p.birth_date.strftime("%d.%m.%Y"),
            }
        )
        signatory_person.empty_label = _("– niemand aus der Akte –")

        recipients = self.fields["recipients"]
        recipients.queryset = Organisation.objects.filter(
            network_id=actor.network_id, is_active=True
        )
        recipients.label_from_instance = lambda o: o.name
        recipients.help_text = _(
            "Nur namentlich genannte Organisationen; mindestens eine. Eine Einwilligung „an alle“ "
            "gibt es nicht."
        )
        recipients.error_messages["invalid_choice"] = _(
            "Nur Organisationen aus Ihrem Netzwerk können Empfänger sein."
        )
        recipients.error_messages["required"] = _(
            "Bitte nennen Sie mindestens eine empfangende Organisation."
        )
        self._offered_recipients = list(recipient_organisations(actor))

        self.fields["purposes"].help_text = _("Mindestens ein Zweck.")
        self.fields["purposes"].error_messages["required"] = _(
            "Bitte wählen Sie mindestens einen Zweck."
        )
        self.fields["categories"].choices = categories.choices_for_network(actor.network_id)
        self.fields["categories"].help_text = _("Nur die Daten, die wirklich nötig sind.")
        self.fields["categories"].error_messages["required"] = _(
            "Bitte wählen Sie mindestens eine Datenkategorie."
        )
        for name in INFORMED_FIELDS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "Pflichtangabe: Ohne diese Aufklärung ist die Einwilligung nicht wirksam."
            )
        self.fields["document"].widget = forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        )

    def recipient_groups(self):
        """The recipient checkboxes grouped by type of organisation, for the template."""
        by_pk = {str(o.pk): o for o in self._offered_recipients}
        groups: dict[str, list] = {}
        for choice in self["recipients"]:
            organisation = by_pk.get(str(choice.data["value"]))
            if organisation is not None:
                groups.setdefault(organisation.get_type_display(), []).append(choice)
        return list(groups.items())

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload and hasattr(upload, "size"):
            if upload.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
            name = upload.name.lower()
            extension = next((ext for ext in DOCUMENT_SIGNATURES if name.endswith(ext)), None)
            if extension is None:
                raise forms.ValidationError(_("Erlaubt sind nur PDF, JPG und PNG."))
            head = upload.read(8)
            upload.seek(0)
            if not head.startswith(DOCUMENT_SIGNATURES[extension]):
                raise forms.ValidationError(
                    _(
                        "Die Datei ist kein gültiges PDF, JPG oder PNG (der Inhalt passt nicht "
                        "zur Endung)."
                    )
                )
        return upload

    def clean(self):
        cleaned = super().clean()
        recipients = cleaned.get("recipients")
        if recipients is not None:
            self.instance.clean_recipients(list(recipients))
        return cleaned

    def _update_errors(self, errors):
        # The model checks "informed" as one rule; the form already marked each missing box.
        if hasattr(errors, "error_dict") and any(self.has_error(n) for n in INFORMED_FIELDS):
            errors.error_dict.pop("informed_revocation", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


STATUS_VALID = "valid"
STATUS_EXPIRING = "expiring"
STATUS_REVOKED = "revoked"
STATUS_EXPIRED = "expired"
STATUS_PENDING = "pending"


class ConsentFilterForm(forms.Form):
    """Search, filter and sort of the consent register."""

    q = forms.CharField(
        label=_("Name der Person"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[
            ("", _("alle")),
            (STATUS_VALID, _("gültig")),
            (STATUS_EXPIRING, _("läuft in 30 Tagen ab")),
            (STATUS_PENDING, _("noch nicht gültig")),
            (STATUS_REVOKED, _("widerrufen")),
            (STATUS_EXPIRED, _("abgelaufen")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("newest", _("zuletzt erfasst")),
            ("valid_until", _("gültig bis (früheste zuerst)")),
        ],
    )

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        for word in data.get("q", "").split():
            queryset = queryset.filter(
                Q(data_subject__first_name__icontains=word)
                | Q(data_subject__last_name__icontains=word)
            )
        now = timezone.now()
        today = timezone.localdate(now)
        status = data.get("status")
        if status == STATUS_VALID:
            queryset = queryset.valid_at(now)
        elif status == STATUS_EXPIRING:
            queryset = queryset.expiring_within(EXPIRING_DAYS)
        elif status == STATUS_PENDING:
            queryset = queryset.filter(revoked_at__isnull=True, valid_from__gt=today)
        elif status == STATUS_REVOKED:
            queryset = queryset.filter(revoked_at__isnull=False)
        elif status == STATUS_EXPIRED:
            queryset = queryset.filter(revoked_at__isnull=True, valid_until__lt=today)
        if data.get("sort") == "valid_until":
            return queryset.order_by("valid_until", "-given_at", "-pk")
        return queryset.order_by("-given_at", "-pk")


ENDANGERS_CHOICES = [
    ("no", _("Nein – die Übermittlung gefährdet den Erfolg der Hilfe nicht.")),
    ("yes", _("Ja – die Übermittlung würde den Erfolg der Hilfe in Frage stellen.")),
]


class HelpAssessmentForm(forms.ModelForm):
    """§ 64 Abs. 2 SGB VIII: the Jugendamt's documented assessment before a transfer."""

    endangers_help = forms.TypedChoiceField(
        label=_("Würde die Übermittlung den Erfolg der Hilfe in Frage stellen?"),
        choices=ENDANGERS_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte beantworten Sie die Frage.")},
    )

    class Meta:
        model = HelpAssessment
        fields = ["recipient", "purpose", "endangers_help", "reasoning"]
        widgets = {"reasoning": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "reasoning": _("Warum gefährdet die Übermittlung die Hilfe (nicht)? Pflichtangabe."),
        }
        error_messages = {
            "reasoning": {"required": _("Bitte begründen Sie Ihre Einschätzung.")},
            "recipient": {"required": _("Bitte wählen Sie den Empfänger.")},
            "purpose": {"required": _("Bitte wählen Sie den Zweck.")},
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipient_organisations(actor)
        self.fields["recipient"].empty_label = _("– bitte wählen –")
        self.fields["purpose"].choices = [("", _("– bitte wählen –")), *Purpose.choices]

    def clean_reasoning(self):
        reasoning = self.cleaned_data.get("reasoning", "").strip()
        if not reasoning:
            raise forms.ValidationError(_("Bitte begründen Sie Ihre Einschätzung."))
        return reasoning


def is_youth_office(organisation) -> bool:
    return organisation is not None and organisation.type == OrganisationType.YOUTH_OFFICE
