"""Forms for households, persons, needs and documents. Rules live on the models; forms only
offer the choices the actor may use (own organisation, own network)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Document, Household, Need, Person
from core.choices import OrganisationType
from core.concurrency import VersionCheckedForm
from core.models import Municipality
from directory.choices import Language
from directory.models import ProblemSituation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_UPLOADS = (".pdf", ".jpg", ".jpeg", ".png")


class HouseholdForm(VersionCheckedForm):
    class Meta:
        model = Household
        fields = ["number", "street", "postal_code", "municipality", "closed_on"]
        widgets = {"closed_on": DATE_WIDGET}

    def __init__(self, *args, network_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            network_id=network_id
        ).order_by("name")
        if self.instance.pk is None:
            del self.fields["closed_on"]


class PersonForm(VersionCheckedForm):
    languages = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sprachen, in denen die Person beraten werden kann."),
    )

    class Meta:
        model = Person
        fields = [
            "role",
            "first_name",
            "last_name",
            "birth_date",
            "languages",
            "phone",
            "email",
            "street",
            "postal_code",
            "municipality",
            "objects_to_medical_transfer",
            "disputed_note",
            "closed_on",
        ]
        widgets = {"birth_date": DATE_WIDGET, "closed_on": DATE_WIDGET}

    def __init__(self, *args, network_id, in_household: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if in_household:
            # Members live at the household's address and close with it.
            for name in ("street", "postal_code", "municipality", "closed_on"):
                del self.fields[name]
        else:
            del self.fields["role"]
            self.fields["municipality"].queryset = Municipality.objects.filter(
                network_id=network_id
            ).order_by("name")
            self.fields["municipality"].required = True
        if self.instance.pk is None:
            self.fields.pop("closed_on", None)
            del self.fields["disputed_note"]


class ApplicantForm(PersonForm):
    """The first member, entered together with a new household."""

    prefix = "applicant"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, in_household=True, **kwargs)
        del self.fields["role"]
        del self.fields["edit_version"]


class NeedForm(VersionCheckedForm):
    class Meta:
        model = Need
        fields = [
            "problem_situation",
            "description",
            "severity",
            "status",
            "since",
            "disputed_note",
            "entrusted",
            "entrusted_by",
        ]
        widgets = {"since": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        from core.permissions import Perm

        situations = ProblemSituation.objects.filter(
            network_id=actor.network_id, parent__isnull=False, is_active=True
        ).select_related("parent")
        if not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
            situations = situations.exclude(parent__code="health")
        field = self.fields["problem_situation"]
        field.queryset = situations.order_by("parent__position", "position", "code")
        field.label_from_instance = lambda s: f"{s.parent.label}: {s.label}"
        if actor.organisation.type == OrganisationType.YOUTH_OFFICE:
            self.fields["entrusted_by"].queryset = Person.objects.of_controller(
                actor.organisation
            ).filter(erased_at__isnull=True)
            self.fields["entrusted_by"].help_text = _(
                "Wer die Angaben anvertraut hat – die Person selbst oder z. B. die Großmutter "
                "(dann zuerst als Person ohne Bedarfsgemeinschaft anlegen)."
            )
            if self.instance.pk is None:
                self.initial.setdefault("entrusted_by", person.pk)
        else:
            del self.fields["entrusted"]
            del self.fields["entrusted_by"]
        if self.instance.pk is None:
            del self.fields["disputed_note"]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "received_on", "file", "from_doctor", "is_special_category"]
        widgets = {"received_on": DATE_WIDGET}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from core.permissions import Perm

        if not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
            del self.fields["from_doctor"]
            del self.fields["is_special_category"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size"):
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
            if not upload.name.lower().endswith(ALLOWED_UPLOADS):
                raise forms.ValidationError(_("Erlaubt sind PDF, JPG und PNG."))
        return upload


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name oder BG-Nummer"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Akten"),
        required=False,
        choices=[
            ("households", _("Bedarfsgemeinschaften")),
            ("persons", _("Personen ohne Bedarfsgemeinschaft")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("open", _("laufend")), ("closed", _("abgeschlossen")), ("all", _("alle"))],
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeinde"), required=False, queryset=Municipality.objects.none()
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("-created", _("zuletzt angelegt")),
            ("name", _("Name")),
            ("number", _("BG-Nummer")),
        ],
    )

    def __init__(self, *args, network_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            network_id=network_id
        ).order_by("name")
