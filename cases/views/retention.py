"""Pages of the data protection officer: retention review (Löschprüfung) and subject access.

The officer has no access to case files (no ``VIEW_CASES``); these pages read the own
organisation's records through ``of_controller`` and audit every read of personal data.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases import retention, subject_access
from cases.choices import ReviewStatus
from cases.forms.retention import HoldForm, SubjectSearchForm
from cases.models import DeletionReview, Household, Person
from core import audit
from core.choices import AuditAction
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate

SEARCH_LIMIT = 50


def _audit_reads(actor, rows, *, purpose, legal_basis) -> None:
    """One VIEW entry per person shown (the officer searches the trail by person)."""
    items = [(row["record"], person) for row in rows for person in row["subjects"]]
    if items:
        audit.record_many(
            actor=actor,
            action=AuditAction.VIEW,
            items=items,
            purpose=purpose,
            legal_basis=legal_basis,
        )


# --- retention review ----------------------------------------------------------------------


@requires(Perm.MANAGE_RETENTION)
@require_GET
def retention_review(request):
    actor = request.actor
    page = paginate(request, retention.pending_reviews(actor))
    rows = retention.review_rows(actor, page.object_list)
    _audit_reads(
        actor,
        [row for row in rows if row["record"] is not None],
        purpose=retention.RETENTION_PURPOSE,
        legal_basis=retention.RETENTION_BASIS,
    )
    context = {
        "page": page,
        "rows": rows,
        "periods": retention.periods_for(actor.organisation),
    }
    return render(request, "cases/retention_review.html", context)


def _pending_review_or_redirect(request, pk):
    review = get_visible_or_404(DeletionReview.objects.all(), request.actor, pk=pk)
    if review.status != ReviewStatus.PENDING:
        messages.info(request, _("Über diese Akte wurde bereits entschieden."))
        return review, redirect("cases:retention_review")
    return review, None


@requires(Perm.MANAGE_RETENTION)
def retention_erase(request, pk):
    """GET: what would be removed (changes nothing); POST: erase."""
    actor = request.actor
    review, done = _pending_review_or_redirect(request, pk)
    if done:
        return done
    error = None
    if request.method == "POST":
        try:
            retention.erase(actor=actor, review=review)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Die Akte wurde gelöscht. Anonymisierte Statistik und Protokoll bleiben."),
            )
            return redirect("cases:retention_review")
    summary = retention.erasure_summary(review)
    record = summary["record"]
    persons = summary.get("persons", [])
    if record is not None:
        _audit_reads(
            actor,
            [{"record": record, "subjects": persons}],
            purpose=retention.RETENTION_PURPOSE,
            legal_basis=retention.RETENTION_BASIS,
        )
    context = {
        "review": review,
        "summary": summary,
        "label": retention.record_label(record, persons) if record else None,
        "is_household": isinstance(record, Household),
        "error": error or summary.get("reason"),
        "period": retention.period_for(actor.organisation, review.record_type),
    }
    return render(request, "cases/retention_erase.html", context)


@requires(Perm.MANAGE_RETENTION)
def retention_hold(request, pk):
    actor = request.actor
    review, done = _pending_review_or_redirect(request, pk)
    if done:
        return done
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.hold(actor=actor, review=review, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Akte bleibt erhalten; Ihr Vermerk ist gespeichert."))
            return redirect("cases:retention_review")
    rows = retention.review_rows(actor, [review])
    return render(request, "cases/retention_hold.html", {"form": form, "row": rows[0]})


# --- subject access (Art. 15 DSGVO) --------------------------------------------------------


@requires(Perm.EXPORT_SUBJECT_DATA)
@require_GET
def subject_access_search(request):
    actor = request.actor
    form = SubjectSearchForm(request.GET or None)
    results, more = None, False
    if form.is_bound and form.is_valid():
        found = list(
            subject_access.search(
                actor,
                name=form.cleaned_data["name"],
                birth_date=form.cleaned_data["birth_date"],
            )[: SEARCH_LIMIT + 1]
        )
        results, more = found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT
        _audit_reads(
            actor,
            [{"record": person, "subjects": [person]} for person in results],
            purpose=subject_access.SUBJECT_ACCESS_PURPOSE,
            legal_basis=subject_access.SUBJECT_ACCESS_BASIS,
        )
    context = {"form": form, "results": results, "more": more, "limit": SEARCH_LIMIT}
    return render(request, "cases/subject_access.html", context)


@requires(Perm.EXPORT_SUBJECT_DATA)
@require_GET
def subject_access_export(request, pk):
    actor = request.actor
    # Not visible_to: the officer has no case-file role. Own organisation only, never another's.
    person = Person.objects.of_controller(actor.organisation).active().filter(pk=pk).first()
    if person is None:
        raise Http404
    bundle = subject_access.export_bundle(actor=actor, person=person)
    response = HttpResponse(bundle, content_type="application/zip")
    filename = f"auskunft-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("loeschpruefung/", retention_review, name="retention_review"),
    path("loeschpruefung/<int:pk>/loeschen/", retention_erase, name="retention_erase"),
    path("loeschpruefung/<int:pk>/zurueckstellen/", retention_hold, name="retention_hold"),
    path("auskunft/", subject_access_search, name="subject_access"),
    path("auskunft/<int:pk>/auskunft.zip", subject_access_export, name="subject_access_export"),
]
