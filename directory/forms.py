from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionCheckedForm
from core.models import Municipality
from directory.choices import AccessType, Language, TargetGroup, Weekday
from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (30, "30 km"), (50, "50 km")]
DEFAULT_RADIUS = 20


def problem_choices(network_id):
    """Grouped choices: the group itself (covers all of it), then its situations."""
    nodes = list(
        ProblemSituation.objects.filter(network_id=network_id, is_active=True).select_related(
            "parent"
        )
    )
    groups = [node for node in nodes if node.parent_id is None]
    choices = [("", _("alle Problemlagen"))]
    for group in groups:
        children = [(n.code, n.label) for n in nodes if n.parent_id == group.pk]
        options = [(group.code, _("%(group)s – alle") % {"group": group.label}), *children]
        choices.append((group.label, options))
    return choices


class OfferSearchForm(forms.Form):
    """The search's parameters, shared by the search page and the API."""

    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("z. B. Schuldnerberatung, Sprachkurs …")}
        ),
    )
    problem = forms.ChoiceField(label=_("Problemlage"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Gemeinde (Ort des Angebots)"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("alle Gemeinden"),
    )
    target_group = forms.ChoiceField(
        label=_("Zielgruppe"),
        required=False,
        choices=[("", _("alle Zielgruppen")), *TargetGroup.choices],
    )
    language = forms.ChoiceField(
        label=_("Sprache"), required=False, choices=[("", _("alle Sprachen")), *Language.choices]
    )
    open = forms.ChoiceField(
        label=_("Geöffnet"),
        required=False,
        choices=[("", _("alle Zeiten")), ("now", _("jetzt geöffnet")), *Weekday.choices],
    )
    access = forms.ChoiceField(
        label=_("Zugang"), required=False, choices=[("", _("jeder Zugang")), *AccessType.choices]
    )
    step_free = forms.BooleanField(label=_("stufenlos erreichbar"), required=False)
    near = forms.CharField(
        label=_("Entfernung ab"),
        required=False,
        max_length=200,
        help_text=_("Gemeinde, PLZ oder Adresse"),
    )
    radius = forms.TypedChoiceField(
        label=_("Umkreis"),
        required=False,
        coerce=int,
        choices=RADIUS_CHOICES,
        empty_value=DEFAULT_RADIUS,
        initial=DEFAULT_RADIUS,
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("relevance", _("Relevanz")),
            ("distance", _("Entfernung")),
            ("title", _("Titel A–Z")),
            ("verified", _("zuletzt geprüft")),
        ],
    )

    def __init__(self, *args, network_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = problem_choices(network_id)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            network_id=network_id
        ).order_by("name")

    def clean_radius(self):
        return self.cleaned_data.get("radius") or DEFAULT_RADIUS


class OfferForm(VersionCheckedForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "problem_situations",
            "tags",
            "target_groups",
            "min_age",
            "max_age",
            "eligibility",
            "not_eligible",
            "what_to_bring",
            "languages",
            "costs",
            "costs_note",
            "access_types",
            "availability",
            "availability_until",
            "availability_note",
            "phone",
            "email",
            "website",
            "contact_note",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "not_eligible": forms.Textarea(attrs={"rows": 3}),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
            "availability_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "problem_situations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, network_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_situations"].queryset = ProblemSituation.objects.filter(
            network_id=network_id, is_active=True, parent__isnull=False
        ).select_related("parent")
        self.fields["problem_situations"].label_from_instance = lambda node: (
            f"{node.parent.label}: {node.label}"
        )


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = [
            "kind",
            "name",
            "street",
            "postal_code",
            "city",
            "municipality",
            "latitude",
            "longitude",
            "accessibility",
            "transport_note",
            "is_confidential",
        ]

    def __init__(self, *args, network_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            network_id=network_id
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_confidential") and (cleaned.get("street") or cleaned.get("latitude")):
            raise forms.ValidationError(
                _(
                    "Bei einem vertraulichen Ort bitte keine Adresse und keine Koordinaten "
                    "eintragen – sie würden nicht gespeichert. Der Kontaktweg des Angebots "
                    "genügt."
                )
            )
        return cleaned


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes", "note"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class OpeningExceptionForm(forms.ModelForm):
    class Meta:
        model = OpeningException
        fields = ["date", "is_closed", "opens", "closes", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


def _formset(form, extra):
    return forms.inlineformset_factory(
        Offer, form.Meta.model, form=form, extra=extra, can_delete=True
    )


PlaceFormSet = _formset(PlaceForm, 1)
OpeningHoursFormSet = _formset(OpeningHoursForm, 2)
OpeningExceptionFormSet = _formset(OpeningExceptionForm, 1)
