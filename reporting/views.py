"""The indicator dashboard and the network report. Coordination sees the network (and may filter
by organisation); a team lead sees the cooperation of the own organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from agreements.selectors import agreements_at_a_glance
from core import audit
from core.choices import AuditAction
from core.permissions import Perm, requires
from reporting import exports, reports
from reporting.forms import PeriodForm

FORMATS = ("pdf", "xlsx", "csv")


def _form_and_scope(request):
    network_wide = request.actor.can(Perm.VIEW_NETWORK_REPORTS)
    # Bound even without parameters: the defaults (running year) come from the form's clean().
    form = PeriodForm(request.GET or {}, actor=request.actor, organisation_filter=network_wide)
    fixed = {} if network_wide else {"organisation_id": request.actor.organisation.pk}
    if not form.is_valid():
        return form, None
    try:
        return form, form.scope(**fixed)
    except ValidationError:
        return form, None


def _title(request, scope) -> str:
    if request.actor.can(Perm.VIEW_NETWORK_REPORTS) and not scope.organisation_id:
        return _("Netzwerkbericht %(network)s") % {"network": request.actor.network.name}
    name = request.actor.organisation.name
    if scope.organisation_id and scope.organisation_id != request.actor.organisation.pk:
        from core.models import Organisation

        name = Organisation.objects.get(pk=scope.organisation_id).name
    return _("Kooperationsbericht %(organisation)s") % {"organisation": name}


@requires(Perm.VIEW_REPORTS)
def dashboard(request):
    form, scope = _form_and_scope(request)
    context = {"form": form, "report": None}
    if scope is not None:
        report = reports.build(scope, title=_title(request, scope), suppress=False)
        recipients, matrix_rows = reports.matrix(report.flow)
        context.update(
            report=report,
            recipients=recipients,
            matrix_rows=matrix_rows,
            agreements=agreements_at_a_glance(request.actor, scope),
            query=request.GET.urlencode(),
        )
    return render(request, "reporting/dashboard.html", context, status=200 if scope else 400)


@requires(Perm.VIEW_REPORTS)
def network_report(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    form, scope = _form_and_scope(request)
    if scope is None:
        return render(request, "reporting/dashboard.html", {"form": form}, status=400)
    report = reports.build(
        scope, title=_title(request, scope), suppress=True, charts_wanted=fmt == "pdf"
    )
    audit.record(
        actor=request.actor,
        action=AuditAction.EXPORT,
        obj=request.actor.organisation,
        purpose="Kennzahlenbericht",
        legal_basis="keine personenbezogenen Daten",
    )
    filename = f"kennzahlen-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    return exports.respond(fmt, report, filename, request=request)
