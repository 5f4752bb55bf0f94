"""Case list, households, persons, needs and documents of the actor's own case file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cases import selectors
from cases.forms.households import (
    ApplicantForm,
    CaseSearchForm,
    DocumentForm,
    HouseholdForm,
    NeedForm,
    PersonForm,
)
from cases.models import Document, Household, Need, Person
from cases.services import (
    DuplicatePerson,
    audit_case,
    create_household_with_applicant,
    save_document,
    save_household,
    save_need,
    save_person,
)
from core.choices import AuditAction
from core.concurrency import StaleEditError
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate, query_without_page


@requires(Perm.VIEW_CASES)
def case_list(request):
    actor = request.actor
    form = CaseSearchForm(request.GET or None, network_id=actor.network_id)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    kind = params.get("kind") or "households"
    filters = {
        "q": params.get("q", ""),
        "status": params.get("status") or "open",
        "municipality": params.get("municipality"),
        "sort": params.get("sort", ""),
    }
    if kind == "persons":
        records = selectors.person_list(actor, **filters)
    else:
        records = selectors.household_list(actor, **filters)
    page = paginate(request, records)
    context = {"form": form, "page": page, "kind": kind, "query": query_without_page(request)}
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


def _duplicate_context(error: DuplicatePerson) -> dict:
    return {"duplicates": error.matches}


@requires(Perm.EDIT_CASES)
def household_create(request):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    household = Household(network_id=actor.network_id, organisation=actor.organisation)
    form = HouseholdForm(data, instance=household, network_id=actor.network_id)
    applicant_form = ApplicantForm(
        data,
        instance=Person(network_id=actor.network_id, organisation=actor.organisation),
        network_id=actor.network_id,
    )
    context = {"form": form, "applicant_form": applicant_form}
    if data is not None and form.is_valid() and applicant_form.is_valid():
        try:
            create_household_with_applicant(
                actor=actor,
                household=form.instance,
                applicant=applicant_form.instance,
                allow_duplicate=bool(data.get("allow_duplicate")),
            )
        except DuplicatePerson as error:
            context |= _duplicate_context(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Bedarfsgemeinschaft wurde angelegt."))
            return redirect(form.instance)
    return render(request, "cases/household_form.html", context)


@requires(Perm.VIEW_CASES)
def household_detail(request, pk):
    household = get_visible_or_404(
        Household.objects.select_related("municipality"), request.actor, pk=pk
    )
    context = selectors.case_file(request.actor, household=household)
    return render(request, "cases/case_file.html", context)


@requires(Perm.EDIT_CASES)
def household_edit(request, pk):
    actor = request.actor
    household = get_visible_or_404(Household.objects.all(), actor, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, instance=household, network_id=actor.network_id)
    if data is not None and form.is_valid():
        try:
            save_household(actor=actor, household=form.instance)
        except (StaleEditError, ValidationError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect(household)
    return render(request, "cases/household_edit.html", {"form": form, "household": household})


def _person_form_page(request, *, person: Person, household: Household | None, creating: bool):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = PersonForm(
        data, instance=person, network_id=actor.network_id, in_household=household is not None
    )
    context = {"form": form, "household": household, "person": person, "creating": creating}
    if data is not None and form.is_valid():
        try:
            save_person(
                actor=actor, person=form.instance, allow_duplicate=bool(data.get("allow_duplicate"))
            )
        except DuplicatePerson as error:
            context |= _duplicate_context(error)
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s wurde gespeichert.") % {"name": form.instance.full_name}
            )
            return redirect(form.instance)
    return render(request, "cases/person_form.html", context)


@requires(Perm.EDIT_CASES)
def member_add(request, pk):
    actor = request.actor
    household = get_visible_or_404(Household.objects.all(), actor, pk=pk)
    person = Person(
        network_id=actor.network_id, organisation=actor.organisation, household=household
    )
    return _person_form_page(request, person=person, household=household, creating=True)


@requires(Perm.EDIT_CASES)
def person_create(request):
    actor = request.actor
    person = Person(network_id=actor.network_id, organisation=actor.organisation)
    return _person_form_page(request, person=person, household=None, creating=True)


@requires(Perm.EDIT_CASES)
def person_edit(request, pk):
    person = get_visible_or_404(Person.objects.select_related("household"), request.actor, pk=pk)
    return _person_form_page(request, person=person, household=person.household, creating=False)


@requires(Perm.VIEW_CASES)
def person_detail(request, pk):
    person = get_visible_or_404(Person.objects.select_related("municipality"), request.actor, pk=pk)
    if person.household_id:
        return redirect(person)
    context = selectors.case_file(request.actor, person=person)
    return render(request, "cases/case_file.html", context)


def _need_form_page(request, *, need: Need, person: Person, creating: bool):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = NeedForm(data, instance=need, actor=actor, person=person)
    if data is not None and form.is_valid():
        try:
            save_need(actor=actor, need=form.instance)
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error("problem_situation", str(error))
        else:
            messages.success(request, _("Der Handlungsbedarf wurde gespeichert."))
            return redirect(person)
    return render(
        request,
        "cases/need_form.html",
        {"form": form, "person": person, "need": need, "creating": creating},
    )


@requires(Perm.EDIT_CASES)
def need_create(request, pk):
    actor = request.actor
    person = get_visible_or_404(Person.objects.all(), actor, pk=pk)
    need = Need(network_id=actor.network_id, organisation=actor.organisation, person=person)
    return _need_form_page(request, need=need, person=person, creating=True)


@requires(Perm.EDIT_CASES)
def need_edit(request, pk):
    need = get_visible_or_404(Need.objects.select_related("person"), request.actor, pk=pk)
    return _need_form_page(request, need=need, person=need.person, creating=False)


@requires(Perm.EDIT_CASES)
def document_create(request, pk):
    actor = request.actor
    person = get_visible_or_404(Person.objects.all(), actor, pk=pk)
    document = Document(network_id=actor.network_id, organisation=actor.organisation, person=person)
    data = request.POST if request.method == "POST" else None
    form = DocumentForm(data, request.FILES or None, instance=document, actor=actor)
    if data is not None and form.is_valid():
        try:
            save_document(actor=actor, document=form.instance)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Das Dokument wurde abgelegt."))
            return redirect(person)
    return render(request, "cases/document_form.html", {"form": form, "person": person})


@requires(Perm.VIEW_CASES)
def document_download(request, pk):
    document = get_visible_or_404(Document.objects.select_related("person"), request.actor, pk=pk)
    if not document.file:
        raise Http404
    audit_case(request.actor, AuditAction.VIEW, [(document, document.person)])
    return FileResponse(document.file.open("rb"), as_attachment=True)


urlpatterns = [
    path("", case_list, name="case_list"),
    path("neu/", household_create, name="household_create"),
    path("bg/<int:pk>/", household_detail, name="household_detail"),
    path("bg/<int:pk>/bearbeiten/", household_edit, name="household_edit"),
    path("bg/<int:pk>/mitglied/", member_add, name="member_add"),
    path("personen/neu/", person_create, name="person_create"),
    path("personen/<int:pk>/", person_detail, name="person_detail"),
    path("personen/<int:pk>/bearbeiten/", person_edit, name="person_edit"),
    path("personen/<int:pk>/bedarf/", need_create, name="need_create"),
    path("personen/<int:pk>/dokument/", document_create, name="document_create"),
    path("bedarfe/<int:pk>/bearbeiten/", need_edit, name="need_edit"),
    path("dokumente/<int:pk>/", document_download, name="document_download"),
]
