"""Open Referral HSDS 3.0 export and import pages of the offer directory."""

import json

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core import audit
from core.choices import AuditAction
from core.permissions import Perm, requires
from directory import hsds

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXPORT_FILENAME = "angebote-hsds.json"


class HsdsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS-Datei (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text=gettext_lazy(
            "Eine Datei im Format Open Referral HSDS 3.0, z. B. ein Export aus Kurze Wege: "
            "eine Liste von Organisationen mit ihren Angeboten oder eine Liste von Angeboten."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Nur prüfen (Probelauf)"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Zeigt, was sich ändern würde, ohne etwas zu speichern. Zum Übernehmen das Häkchen "
            "entfernen und die Datei erneut hochladen."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


@requires(Perm.EXPORT_OFFERS)
@require_GET
def hsds_export(request):
    actor = request.actor
    document = hsds.export_network(actor.network)
    audit.record(
        actor=actor, action=AuditAction.EXPORT, obj=actor.network, purpose="HSDS-Export Angebote"
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@requires(Perm.IMPORT_OFFERS)
@require_http_methods(["GET", "POST"])
def hsds_import(request):
    actor = request.actor
    report = None
    if request.method == "POST":
        form = HsdsImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            report = hsds.import_document(actor.network, raw, dry_run=form.cleaned_data["dry_run"])
            if report.applied:
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=actor.network,
                    purpose="HSDS-Import Angebote",
                )
    else:
        form = HsdsImportForm()
    context = {"form": form, "report": report, "can_export": actor.can(Perm.EXPORT_OFFERS)}
    return render(request, "directory/hsds_import.html", context)


# Included from directory/urls.py (inside the "directory" namespace).
