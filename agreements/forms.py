from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementDeadline, Measure, Party
from agreements.services import check_terms
from core.concurrency import VersionCheckedForm
from core.models import Organisation
from reporting import indicators

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(VersionCheckedForm):
    parties = forms.ModelMultipleChoiceField(
        label=_("Vertragsparteien"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mindestens zwei Organisationen des Netzwerks."),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "purpose",
            "parties",
            "signed_on",
            "valid_from",
            "valid_until",
            "renewal",
            "notice_months",
        ]
        widgets = {"signed_on": DATE, "valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Every active organisation of the network; a foreign id posted anyway is refused by
        # the field ("keine gültige Auswahl") and again by services.check_terms.
        self.fields["parties"].queryset = Organisation.objects.filter(
            network_id=actor.network_id, is_active=True
        ).order_by("name")
        if self.instance.pk:
            self.initial["parties"] = [p.organisation_id for p in self.instance.party_rows.all()]

    def clean(self):
        cleaned = super().clean()
        if "parties" in cleaned:
            try:
                check_terms(
                    network=self.actor.network,
                    parties=cleaned["parties"],
                    valid_from=cleaned.get("valid_from"),
                    valid_until=cleaned.get("valid_until"),
                    signed_on=cleaned.get("signed_on"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return cleaned

    def terms(self) -> dict:
        return {
            k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k != "parties"
        }


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["contact_name", "contact_email", "contact_phone"]


class MeasureForm(VersionCheckedForm):
    indicator = forms.ChoiceField(label=_("Kennzahl"), required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "indicator",
            "track",
            "target",
            "target_period",
            "progress_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            ("", _("keine – nicht aus Plattformdaten messbar")),
            *indicators.choices(),
        ]
        self.fields["indicator"].help_text = Measure._meta.get_field("indicator").help_text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") is not None and not cleaned.get("indicator"):
            self.add_error(
                "target", _("Ein Zielwert braucht eine Kennzahl, an der er gemessen wird.")
            )
        key = cleaned.get("indicator")
        if key and cleaned.get("track") and "track" not in indicators.get(key).filters:
            self.add_error("track", _("Diese Kennzahl unterscheidet keine Dringlichkeit."))
        return cleaned


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = AgreementDeadline
        fields = ["track", "response_days", "completion_days"]

    def clean(self):
        cleaned = super().clean()
        response, completion = cleaned.get("response_days"), cleaned.get("completion_days")
        if response and completion and response > completion:
            self.add_error(
                "response_days", _("Die Antwortfrist ist länger als die Erledigungsfrist.")
            )
        return cleaned

    def validate_unique(self):
        pass  # a second deadline for the same track replaces the first (services.set_deadline)


class TerminateForm(forms.Form):
    party = forms.ModelChoiceField(
        label=_("Kündigende Vertragspartei"), queryset=Organisation.objects.none()
    )
    note = forms.CharField(label=_("Grund (optional)"), max_length=300, required=False)

    def __init__(self, *args, agreement, actor, **kwargs):
        super().__init__(*args, **kwargs)
        parties = Organisation.objects.filter(
            pk__in=agreement.party_rows.values("organisation_id")
        ).order_by("name")
        self.fields["party"].queryset = parties
        if parties.filter(pk=actor.organisation.pk).exists():
            self.fields["party"].initial = actor.organisation.pk


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Unterzeichnete Vereinbarung (PDF)"), help_text=_("PDF, höchstens 20 MB.")
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("Die Datei ist größer als 20 MB."))
        head = upload.read(5)
        upload.seek(0)
        if not upload.name.lower().endswith(".pdf") or head != b"%PDF-":
            raise ValidationError(
                _("Bitte laden Sie die unterzeichnete Vereinbarung als PDF hoch.")
            )
        return upload


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("alle")),
            ("active", _("gültig (in Kraft oder gekündigt)")),
            ("draft", _("Entwurf")),
            ("terminated", _("gekündigt")),
            ("expired", _("abgelaufen")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("title", _("Titel")),
            ("until", _("Laufzeitende, früheste zuerst")),
            ("-until", _("Laufzeitende, späteste zuerst")),
        ],
    )
