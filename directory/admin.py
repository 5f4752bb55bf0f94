"""Network admins edit their network's problem-situation taxonomy in the admin."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import NetworkScopedAdmin, site
from directory.models import ProblemSituation


class ProblemSituationForm(forms.ModelForm):
    class Meta:
        model = ProblemSituation
        fields = ["code", "label", "parent", "position", "is_active"]

    def __init__(self, *args, network_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.network_id = network_id

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = ProblemSituation.objects.filter(network_id=self.network_id, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Diesen Code gibt es in Ihrem Netzwerk schon."))
        return code

    def clean(self):
        cleaned = super().clean()
        parent, code = cleaned.get("parent"), cleaned.get("code")
        if parent and code and not code.startswith(f"{parent.code}."):
            self.add_error(
                "code",
                _("Der Code einer Problemlage beginnt mit dem Code ihrer Obergruppe („%(p)s.“).")
                % {"p": parent.code},
            )
        return cleaned


@admin.register(ProblemSituation, site=site)
class ProblemSituationAdmin(NetworkScopedAdmin):
    form = ProblemSituationForm
    list_display = ("label", "code", "parent", "position", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("label", "code")
    ordering = ("position", "code")

    def get_readonly_fields(self, request, obj=None):
        # Codes are referenced by offers, needs, imports and exports: fixed once created.
        return ("code",) if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        network_id = request.actor.network_id

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, network_id=network_id, **inner)

        return ScopedForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = ProblemSituation.objects.visible_to(request.actor).filter(
                parent__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
