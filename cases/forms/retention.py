"""Forms of the data protection officer's pages (retention review, subject access)."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HoldForm(forms.Form):
    note = forms.CharField(
        label=_("Warum bleibt die Akte?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. „Widerspruchsverfahren läuft“; der Vermerk wird gespeichert."),
        error_messages={"required": _("Bitte geben Sie an, warum die Akte bleibt.")},
    )


class SubjectSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Vor- und/oder Nachname der Person, die Auskunft verlangt."),
        error_messages={"required": _("Bitte geben Sie einen Namen ein.")},
    )
    birth_date = forms.DateField(
        label=_("Geburtsdatum"),
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum ein.")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Bitte geben Sie mindestens zwei Zeichen ein."))
        return name
