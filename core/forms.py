from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": _("Wofür wird der Schlüssel benutzt? z. B. „Fachverfahren-Anbindung“")}


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField()
