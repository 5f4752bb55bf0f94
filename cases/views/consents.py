"""Consent pages (§ 67b SGB X, Art. 7 DSGVO), the § 78 SGB X acknowledgement of partners without
statutory duty and the Jugendamt's § 64 Abs. 2 SGB VIII assessment.

Views stay thin: the rules live on the models, writes go through ``cases.services``, and every
page that shows personal data records the read with ``audit_case``.
"""

import os
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import categories
from cases.choices import Purpose, Signatory
from cases.forms.consents import (
    EXPIRING_DAYS,
    ConsentFilterForm,
    ConsentRecordForm,
    HelpAssessmentForm,
    add_model_errors,
    is_youth_office,
)
from cases.models import Consent, HelpAssessment, Person, SecrecyAcknowledgement
from cases.models.consents import SECRECY_NOTICE_VERSION, SELF_CONSENT_AGE
from cases.services import (
    acknowledge_secrecy,
    audit_case,
    record_consent,
    record_help_assessment,
    revoke_consent,
)
from core.choices import AuditAction, LegalRegime
from core.pdf import pdf_response
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate, query_without_page

ADULT_AGE = 18

# --- read helpers ----------------------------------------------------------------------------


def person_url(person) -> str:
    """Link back to the person's case file. The case file pages belong to the households module;
    while its routes are missing the consent pages still work, only without that link."""
    try:
        return person.get_absolute_url()
    except NoReverseMatch:
        return ""


def consent_rule(age: int) -> str:
    """Who signs, in one sentence, for the form page."""
    if age < SELF_CONSENT_AGE:
        return _(
            "Unter 15 Jahren: Die gesetzliche Vertretung (Sorgeberechtigte) unterschreibt "
            "(§ 36 SGB I)."
        )
    if age < ADULT_AGE:
        return _(
            "15 bis 17 Jahre: Die junge Person kann selbst einwilligen (§ 36 SGB I). Sie "
            "bestätigen dann, dass sie versteht, worin sie einwilligt. Alternativ unterschreibt "
            "die gesetzliche Vertretung."
        )
    return _("Volljährig: Die Person willigt selbst ein.")


def consent_status(consent: Consent, now=None) -> tuple[str, str]:
    """(code, German label) of a consent at ``now``: what the register and the detail show."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if consent.revoked_at is not None and consent.revoked_at <= now:
        moment = timezone.localtime(consent.revoked_at)
        values = {"date": moment.strftime("%d.%m.%Y"), "time": moment.strftime("%H:%M")}
        if consent.revoked_by is not None:
            values["name"] = str(consent.revoked_by)
            return "revoked", _("widerrufen am %(date)s um %(time)s Uhr durch %(name)s") % values
        return "revoked", _("widerrufen am %(date)s um %(time)s Uhr") % values
    if consent.valid_until < today:
        return "expired", _("abgelaufen am %(date)s") % {
            "date": consent.valid_until.strftime("%d.%m.%Y")
        }
    if consent.valid_from > today:
        return "pending", _("noch nicht gültig – gilt ab %(date)s") % {
            "date": consent.valid_from.strftime("%d.%m.%Y")
        }
    label = _("gültig bis %(date)s") % {"date": consent.valid_until.strftime("%d.%m.%Y")}
    if consent.valid_until <= today + timedelta(days=EXPIRING_DAYS):
        return "expiring", _("%(label)s – läuft bald ab") % {"label": label}
    return "valid", label


STATUS_BADGE = {
    "valid": "success",
    "expiring": "warning",
    "pending": "info",
    "expired": "neutral",
    "revoked": "danger",
}


def _consent_queryset():
    return Consent.objects.select_related(
        "data_subject", "signatory_person", "revoked_by", "created_by", "organisation"
    ).prefetch_related("recipients")


def _get_consent(request, pk) -> Consent:
    return get_visible_or_404(_consent_queryset(), request.actor, pk=pk)


def consent_context(consent: Consent) -> dict:
    """Everything the detail page and the printable form show about one consent."""
    status, status_label = consent_status(consent)
    category_labels = dict(categories.choices_for_network(consent.network_id))
    purpose_labels = dict(Purpose.choices)
    person = consent.data_subject
    age = person.age_on(timezone.localdate(consent.given_at))
    return {
        "consent": consent,
        "person": person,
        "person_url": person_url(person),
        "controller": consent.organisation,
        "recipients": sorted(consent.recipients.all(), key=lambda o: o.name.casefold()),
        "purposes": [purpose_labels.get(code, code) for code in consent.purposes],
        "categories": [category_labels.get(code, code) for code in consent.categories],
        "status": status,
        "status_label": status_label,
        "status_badge": STATUS_BADGE[status],
        "age_at_signing": age,
        "minor_signs_self": consent.signatory == Signatory.SELF and age < ADULT_AGE,
        "signer_name": _signer_name(consent),
    }


def _signer_name(consent: Consent) -> str:
    if consent.signatory == Signatory.SELF:
        return consent.data_subject.full_name
    if consent.signatory_person_id:
        return consent.signatory_person.full_name
    return consent.signatory_name


# --- consent pages ---------------------------------------------------------------------------


@requires(Perm.VIEW_CASES)
def consent_list(request):
    actor = request.actor
    form = ConsentFilterForm(request.GET or None)
    consents = Consent.objects.visible_to(actor).select_related("data_subject", "revoked_by")
    page = paginate(request, form.apply(consents.prefetch_related("recipients")))
    now = timezone.now()
    rows = []
    for consent in page.object_list:
        status, label = consent_status(consent, now)
        rows.append({"consent": consent, "label": label, "badge": STATUS_BADGE[status]})
    audit_case(
        actor, AuditAction.VIEW, [(row["consent"], row["consent"].data_subject) for row in rows]
    )
    return render(
        request,
        "cases/consent_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "filtered": bool(request.GET.get("q") or request.GET.get("status")),
        },
    )


@requires(Perm.MANAGE_CONSENTS)
def consent_create(request, pk):
    actor = request.actor
    person = get_visible_or_404(Person.objects.active(), actor, pk=pk)
    consent = Consent(
        data_subject=person, organisation=actor.organisation, network_id=actor.network_id
    )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ConsentRecordForm(data, files, instance=consent, actor=actor, person=person)
    if data is not None and form.is_valid():
        try:
            consent = record_consent(
                actor=actor, consent=form.instance, recipients=form.cleaned_data["recipients"]
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Einwilligung von %(name)s wurde erfasst (gültig bis %(date)s).")
                % {"name": person.full_name, "date": consent.valid_until.strftime("%d.%m.%Y")},
            )
            return redirect(consent)
    audit_case(actor, AuditAction.VIEW, [(person, person)])
    age = person.age
    return render(
        request,
        "cases/consent_form.html",
        {
            "form": form,
            "person": person,
            "person_url": person_url(person),
            "age": age,
            "rule": consent_rule(age),
        },
    )


@requires(Perm.VIEW_CASES)
def consent_detail(request, pk):
    actor = request.actor
    consent = _get_consent(request, pk)
    audit_case(actor, AuditAction.VIEW, [(consent, consent.data_subject)])
    context = consent_context(consent)
    context["can_manage"] = actor.can(Perm.MANAGE_CONSENTS)
    return render(request, "cases/consent_detail.html", context)


@requires(Perm.VIEW_CASES)
def consent_document(request, pk):
    actor = request.actor
    consent = _get_consent(request, pk)
    if not consent.document:
        raise Http404
    try:
        handle = consent.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_case(actor, AuditAction.VIEW, [(consent, consent.data_subject)])
    return FileResponse(handle, filename=os.path.basename(consent.document.name))


@requires(Perm.MANAGE_CONSENTS)
@require_http_methods(["GET", "POST"])
def consent_revoke(request, pk):
    actor = request.actor
    consent = _get_consent(request, pk)
    if request.method == "POST":
        already = consent.is_revoked
        revoke_consent(actor=actor, consent=consent)
        if already:
            messages.info(request, _("Diese Einwilligung war bereits widerrufen."))
        else:
            messages.success(
                request,
                _(
                    "Die Einwilligung wurde widerrufen. Ab sofort werden auf dieser Grundlage "
                    "keine Daten mehr übermittelt."
                ),
            )
        return redirect(consent)
    audit_case(actor, AuditAction.VIEW, [(consent, consent.data_subject)])
    return render(request, "cases/consent_revoke.html", consent_context(consent))


def _print_context(request, consent: Consent) -> dict:
    context = consent_context(consent)
    context["printed_on"] = timezone.localdate()
    return context


@requires(Perm.VIEW_CASES)
def consent_print(request, pk):
    actor = request.actor
    consent = _get_consent(request, pk)
    audit_case(actor, AuditAction.VIEW, [(consent, consent.data_subject)])
    return render(request, "cases/consent_print.html", _print_context(request, consent))


@requires(Perm.VIEW_CASES)
def consent_pdf(request, pk):
    actor = request.actor
    consent = _get_consent(request, pk)
    audit_case(actor, AuditAction.EXPORT, [(consent, consent.data_subject)])
    context = _print_context(request, consent) | {"pdf": True}
    return pdf_response(
        "cases/consent_print.html",
        context,
        filename=f"einwilligung-{consent.pk}.pdf",
        request=request,
    )


# --- § 78 SGB X and § 64 Abs. 2 SGB VIII -------------------------------------------------------


@requires(Perm.ACKNOWLEDGE_SECRECY)
@require_http_methods(["GET", "POST"])
def secrecy_acknowledgement(request):
    actor = request.actor
    organisation = actor.organisation
    required = organisation.legal_regime == LegalRegime.NONE
    if request.method == "POST":
        if not required:
            messages.info(request, _("Für Ihre Organisation ist diese Verpflichtung nicht nötig."))
        else:
            try:
                acknowledge_secrecy(actor=actor)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Danke. %(name)s hat die Verpflichtung nach § 78 SGB X bestätigt.")
                    % {"name": organisation.name},
                )
        return redirect("cases:secrecy_acknowledgement")
    acknowledgement = (
        SecrecyAcknowledgement.objects.filter(
            organisation=organisation, notice_version=SECRECY_NOTICE_VERSION
        )
        .select_related("acknowledged_by")
        .first()
    )
    return render(
        request,
        "cases/secrecy_acknowledgement.html",
        {
            "organisation": organisation,
            "required": required,
            "acknowledgement": acknowledgement,
        },
    )


@requires(Perm.EDIT_CASES)
@require_http_methods(["GET", "POST"])
def help_assessment_create(request, pk):
    actor = request.actor
    if not is_youth_office(actor.organisation):
        raise Http404
    person = get_visible_or_404(Person.objects.active(), actor, pk=pk)
    assessment = HelpAssessment(
        person=person, organisation=actor.organisation, network_id=actor.network_id
    )
    data = request.POST if request.method == "POST" else None
    form = HelpAssessmentForm(data, instance=assessment, actor=actor)
    if data is not None and form.is_valid():
        try:
            record_help_assessment(actor=actor, assessment=form.instance)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Prüfung nach § 64 Abs. 2 SGB VIII für %(recipient)s wurde gespeichert.")
                % {"recipient": form.instance.recipient.name},
            )
            return redirect("cases:help_assessment_create", pk=person.pk)
    earlier = list(
        HelpAssessment.objects.visible_to(actor)
        .filter(person=person)
        .select_related("recipient", "created_by")
        .order_by("-created_at", "-pk")
    )
    audit_case(actor, AuditAction.VIEW, [(item, person) for item in earlier] or [(person, person)])
    return render(
        request,
        "cases/help_assessment_form.html",
        {
            "form": form,
            "person": person,
            "person_url": person_url(person),
            "earlier": earlier,
        },
    )


urlpatterns = [
    path("einwilligungen/", consent_list, name="consent_list"),
    path("personen/<int:pk>/einwilligung/neu/", consent_create, name="consent_create"),
    path("einwilligungen/<int:pk>/", consent_detail, name="consent_detail"),
    path("einwilligungen/<int:pk>/widerrufen/", consent_revoke, name="consent_revoke"),
    path("einwilligungen/<int:pk>/druck/", consent_print, name="consent_print"),
    path("einwilligungen/<int:pk>/einwilligung.pdf", consent_pdf, name="consent_pdf"),
    path("einwilligungen/<int:pk>/dokument/", consent_document, name="consent_document"),
    path("verpflichtung-78/", secrecy_acknowledgement, name="secrecy_acknowledgement"),
    path("personen/<int:pk>/pruefung-64/", help_assessment_create, name="help_assessment_create"),
]
