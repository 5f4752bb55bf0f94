"""Agreement pages: the list, the agreement with its measures and indicators for a period,
editing, entry into force, termination, the signed document and the yearly report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements import selectors, services
from agreements.forms import (
    AgreementFilterForm,
    AgreementForm,
    DeadlineForm,
    DocumentForm,
    MeasureForm,
    PartyForm,
    TerminateForm,
)
from agreements.models import Agreement, Measure
from core import audit
from core.choices import AuditAction
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate, query_without_page
from referrals.models import deadlines_for
from reporting import exports, reports
from reporting.forms import PeriodForm
from reporting.views import FORMATS


def _agreement(request, pk) -> Agreement:
    return get_visible_or_404(
        selectors.with_parties(Agreement.objects.select_related("network", "terminated_by")),
        request.actor,
        pk=pk,
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@requires(Perm.VIEW_AGREEMENTS)
def agreement_list(request):
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request,
        selectors.agreement_list(
            request.actor,
            q=filters.get("q", ""),
            status=filters.get("status", ""),
            sort=filters.get("sort") or "title",
        ),
    )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.get(k) for k in ("q", "status")),
            "query": query_without_page(request),
        },
    )


def _period(request, agreement):
    """The period form of an agreement page: by default the running calendar year."""
    form = PeriodForm(request.GET or {}, actor=request.actor, organisation_filter=False)
    if not form.is_valid():
        return form, None
    try:
        return form, selectors.agreement_scope(agreement, form.scope())
    except ValidationError:
        return form, None


@requires(Perm.VIEW_AGREEMENTS)
def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    form, scope = _period(request, agreement)
    context = {"agreement": agreement, "form": form, "report": None}
    if scope is not None:
        report = reports.build(scope, title=agreement.title, suppress=False, agreement=agreement)
        recipients, matrix_rows = reports.matrix(report.flow)
        context.update(
            report=report,
            recipients=recipients,
            matrix_rows=matrix_rows,
            query=request.GET.urlencode(),
        )
    context["deadlines"] = list(agreement.deadlines.all())
    context["renewals"] = list(agreement.renewals.all())
    return render(
        request, "agreements/agreement_detail.html", context, status=200 if scope else 400
    )


@requires(Perm.VIEW_AGREEMENTS)
def agreement_report(request, pk, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    agreement = _agreement(request, pk)
    form, scope = _period(request, agreement)
    if scope is None:
        return render(
            request,
            "agreements/agreement_detail.html",
            {"agreement": agreement, "form": form, "report": None},
            status=400,
        )
    report = reports.build(
        scope,
        title=_("Kooperationsbericht: %(title)s") % {"title": agreement.title},
        suppress=True,
        agreement=agreement,
        charts_wanted=fmt == "pdf",
    )
    audit.record(
        actor=request.actor,
        action=AuditAction.EXPORT,
        obj=agreement,
        purpose="Kooperationsbericht",
        legal_basis="keine personenbezogenen Daten",
    )
    filename = f"kooperationsbericht-{agreement.pk}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    return exports.respond(fmt, report, filename, request=request)


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = AgreementForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(
                actor=request.actor, parties=form.cleaned_data["parties"], **form.terms()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Die Vereinbarung wurde als Entwurf angelegt."))
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "heading": _("Vereinbarung anlegen"), "submit": _("Als Entwurf anlegen")},
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = _agreement(request, pk)
    form = AgreementForm(request.POST or None, instance=agreement, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        agreement._expected_version = form.cleaned_data.get("edit_version")
        try:
            services.update_agreement(
                actor=request.actor,
                agreement=agreement,
                parties=form.cleaned_data["parties"],
                **form.terms(),
            )
        except StaleEditError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Die Vereinbarung wurde gespeichert."))
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "agreement": agreement,
            "heading": _("Vereinbarung bearbeiten"),
            "submit": _("Speichern"),
        },
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def agreement_activate(request, pk):
    agreement = _agreement(request, pk)
    if request.method == "POST":
        try:
            services.put_in_force(actor=request.actor, agreement=agreement)
        except (ValidationError, StaleEditError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Die Vereinbarung ist in Kraft."))
        return redirect(agreement)
    return render(request, "agreements/agreement_activate.html", {"agreement": agreement})


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def agreement_terminate(request, pk):
    agreement = _agreement(request, pk)
    form = TerminateForm(request.POST or None, agreement=agreement, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.terminate(
                actor=request.actor,
                agreement=agreement,
                party=form.cleaned_data["party"],
                note=form.cleaned_data["note"],
            )
        except StaleEditError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Die Kündigung wurde erfasst."))
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_terminate.html",
        {
            "agreement": agreement,
            "form": form,
            "ends_on": services.end_after_termination(agreement, timezone.localdate()),
            "heading": _("Kündigung erfassen"),
            "submit": _("Kündigung erfassen"),
        },
    )


@requires(Perm.VIEW_AGREEMENTS)
def agreement_document(request, pk):
    agreement = _agreement(request, pk)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document_name or f"vereinbarung-{agreement.pk}.pdf",
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def agreement_upload(request, pk):
    agreement = _agreement(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.attach_document(
            actor=request.actor, agreement=agreement, upload=form.cleaned_data["document"]
        )
        messages.success(request, _("Das Dokument wurde gespeichert."))
        return redirect(agreement)
    return render(
        request,
        "agreements/document_form.html",
        {
            "agreement": agreement,
            "form": form,
            "multipart": True,
            "heading": _("Unterzeichnete Vereinbarung hochladen"),
            "submit": _("Hochladen"),
        },
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def party_edit(request, pk, party_pk):
    agreement = _agreement(request, pk)
    party = get_object_or_404(agreement.party_rows.select_related("organisation"), pk=party_pk)
    form = PartyForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Die Ansprechperson wurde gespeichert."))
        return redirect(agreement)
    return render(
        request,
        "agreements/party_form.html",
        {
            "agreement": agreement,
            "party": party,
            "form": form,
            "heading": _("Ansprechperson: %(name)s") % {"name": party.organisation.name},
            "submit": _("Speichern"),
        },
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk, measure_pk=None):
    agreement = _agreement(request, pk)
    measure = (
        get_object_or_404(agreement.measures, pk=measure_pk)
        if measure_pk
        else Measure(agreement=agreement)
    )
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        if measure.pk:
            measure._expected_version = form.cleaned_data.get("edit_version")
        try:
            services.save_measure(actor=request.actor, measure=measure)
        except StaleEditError:
            form.add_error(None, STALE_MESSAGE)
        else:
            messages.success(request, _("Die Maßnahme wurde gespeichert."))
            return redirect(f"{agreement.get_absolute_url()}#massnahmen")
    return render(
        request,
        "agreements/measure_form.html",
        {
            "agreement": agreement,
            "measure": measure,
            "form": form,
            "heading": _("Maßnahme bearbeiten") if measure.pk else _("Maßnahme hinzufügen"),
            "submit": _("Speichern"),
        },
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def measure_delete(request, pk, measure_pk):
    agreement = _agreement(request, pk)
    measure = get_object_or_404(agreement.measures, pk=measure_pk)
    if request.method == "POST":
        services.delete_measure(actor=request.actor, measure=measure)
        messages.success(request, _("Die Maßnahme wurde entfernt."))
        return redirect(f"{agreement.get_absolute_url()}#massnahmen")
    return render(
        request, "agreements/measure_delete.html", {"agreement": agreement, "measure": measure}
    )


@requires(Perm.MANAGE_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def deadline_edit(request, pk):
    agreement = _agreement(request, pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_deadline(actor=request.actor, agreement=agreement, **form.cleaned_data)
        messages.success(request, _("Die Frist wurde gespeichert."))
        return redirect(f"{agreement.get_absolute_url()}#fristen")
    network_defaults = [
        (label, deadlines_for(agreement.network, track))
        for track, label in form.fields["track"].choices
        if track
    ]
    return render(
        request,
        "agreements/deadline_form.html",
        {
            "agreement": agreement,
            "form": form,
            "deadlines": agreement.deadlines.all(),
            "network_defaults": network_defaults,
            "heading": _("Fristen festlegen"),
            "submit": _("Frist speichern"),
        },
    )
