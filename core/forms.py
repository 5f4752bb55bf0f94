from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {
            "name": _("Wofür wird der Schlüssel benutzt? z. B. „Fachverfahren-Anbindung“")
        }


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField()


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Deliberately silent about which of the two was wrong.
        "invalid_login": _(
            "Die Anmeldung ist fehlgeschlagen: Benutzername oder Passwort stimmen nicht. "
            "Achten Sie auf Groß- und Kleinschreibung."
        ),
        "inactive": _("Dieses Benutzerkonto ist deaktiviert."),
    }
