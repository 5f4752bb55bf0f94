"""Conference pages: the list, planning, the conference with its agenda, minutes and actions,
putting a case on the agenda (with preview), the task list and the calendar.

Views stay thin: rules are in ``conferences.services``; what another organisation sees of a case
is decided in ``conferences.disclosure``.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Person
from conferences import ical, selectors, services
from conferences.choices import Status
from conferences.forms import (
    ActionFilterForm,
    ActionForm,
    ActionStatusForm,
    CancelForm,
    ConferenceEditForm,
    ConferenceFilterForm,
    ConferenceForm,
    ItemForm,
    MinutesForm,
)
from conferences.models import Action, AgendaItem, CalendarToken, Conference
from conferences.signals import ORIGIN_PREFIX
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.permissions import Perm, get_visible_or_404, public, requires
from core.views import paginate, query_without_page

FIELD_NAMES = {"starts_at": "day", "ends_at": "end"}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = FIELD_NAMES.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _conference(request, pk) -> Conference:
    return get_visible_or_404(
        Conference.objects.select_related("organiser", "series", "network"), request.actor, pk=pk
    )


def _refused(request, exc) -> None:
    messages.error(request, exc.message if hasattr(exc, "message") else str(exc))


# --- list and planning -------------------------------------------------------------------------


def _list_page(request, form_class, defaults: dict, select, template: str):
    """A filtered, paginated list; empty filter values fall back to ``defaults``."""
    form = form_class(request.GET or None)
    filters = dict(defaults)
    if form.is_valid():
        filters = {**form.cleaned_data}
        for name, default in defaults.items():
            filters[name] = filters.get(name) or default
    page = paginate(request, select(request.actor, **filters))
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filtered": bool(request.GET),
        },
    )


@requires(Perm.VIEW_CONFERENCES)
def conference_list(request):
    return _list_page(
        request,
        ConferenceFilterForm,
        {"when": "upcoming"},
        selectors.conferences,
        "conferences/conference_list.html",
    )


@requires(Perm.PLAN_CONFERENCES)
@require_http_methods(["GET", "POST"])
def conference_create(request):
    actor = request.actor
    if request.method == "POST":
        form = ConferenceForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                planned = services.plan_conference(
                    actor,
                    title=data["title"],
                    starts_at=data.get("starts_at"),
                    ends_at=data.get("ends_at"),
                    location=data["location"],
                    video_url=data["video_url"],
                    organisations=data["organisations"],
                    people=data["people"],
                    frequency=data["frequency"],
                    count=data["count"] or 1,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if len(planned) > 1:
                    messages.success(
                        request,
                        _(
                            "Die Terminreihe mit %(count)s Terminen ist geplant; "
                            "die Einladungen sind versandt."
                        )
                        % {"count": len(planned)},
                    )
                else:
                    messages.success(
                        request, _("Die Fallberatung ist geplant; die Einladungen sind versandt.")
                    )
                return redirect(planned[0])
    else:
        form = ConferenceForm(actor=actor)
    return render(request, "conferences/conference_form.html", {"form": form})


@requires(Perm.PLAN_CONFERENCES)
@require_http_methods(["GET", "POST"])
def conference_edit(request, pk):
    actor = request.actor
    conference = _conference(request, pk)
    if not services.is_organiser(actor, conference):
        raise Http404
    if request.method == "POST":
        form = ConferenceEditForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_conference(
                    actor,
                    conference,
                    version=data["version"],
                    title=data["title"],
                    starts_at=data.get("starts_at"),
                    ends_at=data.get("ends_at"),
                    location=data["location"],
                    video_url=data["video_url"],
                    organisations=data["organisations"],
                    people=data["people"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            except StaleEditError:
                form.add_error(None, STALE_MESSAGE)
            except services.ConferenceRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, _("Die Änderung ist gespeichert; die Eingeladenen sind informiert.")
                )
                return redirect(conference)
    else:
        start = timezone.localtime(conference.starts_at)
        form = ConferenceEditForm(
            actor=actor,
            initial={
                "title": conference.title,
                "day": start.date(),
                "start": start.time(),
                "end": timezone.localtime(conference.ends_at).time(),
                "location": conference.location,
                "video_url": conference.video_url,
                "organisations": list(conference.invited_organisations.all()),
                "people": list(conference.invited_people.all()),
                "version": conference.version,
            },
        )
    return render(
        request, "conferences/conference_form.html", {"form": form, "conference": conference}
    )


@requires(Perm.PLAN_CONFERENCES)
@require_http_methods(["GET", "POST"])
def conference_cancel(request, pk):
    conference = _conference(request, pk)
    if not services.is_organiser(request.actor, conference):
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_conference(
                request.actor, conference, reason=form.cleaned_data["reason"]
            )
        except services.ConferenceRefused as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Die Fallberatung ist abgesagt; die Absage ist versandt."))
        return redirect(conference)
    return render(
        request, "conferences/conference_cancel.html", {"form": form, "conference": conference}
    )


@requires(Perm.PLAN_CONFERENCES)
@require_POST
def conference_hold(request, pk):
    conference = _conference(request, pk)
    try:
        services.hold_conference(request.actor, conference)
    except services.ConferenceRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("Die Fallberatung ist als durchgeführt vermerkt."))
    return redirect(conference)


# --- the conference ----------------------------------------------------------------------------


@requires(Perm.VIEW_CONFERENCES)
def conference_detail(request, pk):
    actor = request.actor
    conference = _conference(request, pk)
    page = selectors.conference_page(actor, conference)
    writable = conference.status != Status.CANCELLED and conference.has_begun
    choices: dict = {}
    for view in page["views"]:
        item = view.item
        view.may_minute = writable and services.may_minute_item(actor, item)
        view.may_add_actions = writable and services.may_add_actions(actor, conference, item)
        view.may_remove = (
            view.own
            and actor.can(Perm.PRESENT_CASES)
            and conference.status == Status.PLANNED
            and not item.actions.all()
        )
        if view.may_minute:
            view.minutes_form = MinutesForm(
                initial={"text": item.minutes, "version": item.version}, prefix=f"item{item.pk}"
            )
        if view.may_add_actions:
            view.action_form = ActionForm(
                initial={"item": item.pk},
                conference=conference,
                participants=page["participants"],
                prefix=f"a{item.pk}",
                choices_cache=choices,
            )
        for action in item.actions.all():
            _decorate_action(actor, action)
    for action in page["general_actions"] + page["carried_actions"]:
        _decorate_action(actor, action)
    context = {
        "conference": conference,
        **page,
        "writable": writable,
        "general_minutes_form": MinutesForm(
            initial={"text": conference.minutes, "version": conference.version}, prefix="general"
        ),
        "general_action_form": ActionForm(
            conference=conference,
            participants=page["participants"],
            prefix="general",
            choices_cache=choices,
        ),
    }
    return render(request, "conferences/conference_detail.html", context)


def _decorate_action(actor, action) -> None:
    action.may_update = services.may_update_action(actor, action)
    if action.may_update:
        action.status_form = ActionStatusForm(
            initial={
                "status": action.status,
                "note": action.status_note,
                "version": action.version,
            },
            prefix=f"s{action.pk}",
        )
    item = action.item
    action.may_refer = (
        item is not None
        and item.person_id is not None
        and item.presenter_id == actor.organisation.pk
        and actor.can(Perm.SEND_REFERRALS)
        and action.referral_id is None
    )


@requires(Perm.VIEW_CONFERENCES)
def conference_ics(request, pk):
    conference = _conference(request, pk)
    response = HttpResponse(
        ical.invitation(conference, list(conference.invited_people.all())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="fallberatung-{conference.pk}.ics"'
    return response


@requires(Perm.PLAN_CONFERENCES)
@require_POST
def conference_minutes(request, pk):
    conference = _conference(request, pk)
    form = MinutesForm(request.POST, prefix="general")
    if form.is_valid():
        try:
            services.record_minutes(
                request.actor,
                conference,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            messages.error(request, STALE_MESSAGE)
        except services.ConferenceRefused as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Das Protokoll ist gespeichert."))
    return redirect(reverse("conferences:detail", args=[conference.pk]) + "#protokoll")


# --- cases on the agenda -----------------------------------------------------------------------


def _open_conferences(actor):
    return (
        Conference.objects.visible_to(actor)
        .upcoming()
        .filter(status=Status.PLANNED)
        .select_related("organiser")
        .order_by("starts_at")
    )


@requires(Perm.PRESENT_CASES)
@require_http_methods(["GET", "POST"])
def item_create(request, person_pk):
    actor = request.actor
    person = get_visible_or_404(
        Person.objects.select_related("household__municipality", "municipality"),
        actor,
        pk=person_pk,
    )
    conferences = _open_conferences(actor)
    data = request.POST if request.method == "POST" else None
    initial = {}
    if request.GET.get("conference", "").isdigit():
        initial["conference"] = request.GET["conference"]
    form = ItemForm(data, initial=initial, actor=actor, person=person, conferences=conferences)
    preview = findings = None
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        arguments = {
            "person": person,
            "needs": cleaned["needs"],
            "question": cleaned["question"],
            "presentation": cleaned["presentation"],
        }
        try:
            if request.POST.get("submit") == "preview":
                preview = _preview(actor, cleaned["conference"], arguments)
            else:
                item = services.add_item(
                    actor,
                    cleaned["conference"],
                    confirm_identifiers=cleaned["confirm_identifiers"],
                    **arguments,
                )
                messages.success(
                    request,
                    _("%(label)s steht auf der Tagesordnung von „%(title)s“.")
                    % {"label": item.case_label, "title": item.conference.title},
                )
                return redirect(item)
        except services.IdentifiersFound as found:
            findings = found.findings
            preview = _preview(actor, cleaned["conference"], arguments)
        except ValidationError as error:
            _add_errors(form, error)
        except services.ConferenceRefused as refused:
            form.add_error(None, refused.message)
    return render(
        request,
        "conferences/item_form.html",
        {
            "form": form,
            "person": person,
            "preview": preview,
            "findings": findings,
            "has_conferences": conferences.exists(),
        },
    )


def _preview(actor, conference, arguments) -> dict:
    """The item as another participant would see it, plus the author's identifier check."""
    item = services.preview_item(actor, conference, **arguments)
    refusals = {}
    if item.is_identified:
        refusals = services.identity_refusals(conference, arguments["person"])
    return {
        "item": item,
        "needs": item.shared["needs"],
        "identity": item.identity if item.is_identified and not refusals else None,
        "refusals": refusals,
        "findings": services.find_identifiers(item.question, arguments["person"])
        if not item.is_identified
        else [],
    }


def _item(request, pk) -> AgendaItem:
    return get_visible_or_404(
        AgendaItem.objects.select_related("conference__organiser", "presenter", "person"),
        request.actor,
        pk=pk,
    )


@requires(Perm.VIEW_CONFERENCES)
@require_POST
def item_minutes(request, pk):
    item = _item(request, pk)
    form = MinutesForm(request.POST, prefix=f"item{item.pk}")
    anchor = reverse("conferences:detail", args=[item.conference_id]) + f"#punkt-{item.pk}"
    if not form.is_valid():
        messages.error(request, _("Das Protokoll konnte nicht gespeichert werden."))
        return redirect(anchor)
    try:
        services.record_item_minutes(
            request.actor,
            item,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            confirm_identifiers=form.cleaned_data["confirm_identifiers"],
        )
    except services.IdentifiersFound as found:
        return render(
            request,
            "conferences/confirm_identifiers.html",
            {
                "findings": found.findings,
                "item": item,
                "action_url": request.path,
                "fields": {
                    f"item{item.pk}-text": form.cleaned_data["text"],
                    f"item{item.pk}-version": form.cleaned_data["version"],
                    f"item{item.pk}-confirm_identifiers": "on",
                },
                "back": anchor,
            },
        )
    except StaleEditError:
        messages.error(request, STALE_MESSAGE)
    except services.ConferenceRefused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request, _("Das Protokoll zu %(label)s ist gespeichert.") % {"label": item.case_label}
        )
    return redirect(anchor)


@requires(Perm.PRESENT_CASES)
@require_http_methods(["GET", "POST"])
def item_remove(request, pk):
    item = _item(request, pk)
    if item.presenter_id != request.actor.organisation.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.remove_item(request.actor, item)
        except services.ConferenceRefused as refused:
            _refused(request, refused)
            return redirect(item)
        messages.success(request, _("Der Fall ist von der Tagesordnung genommen."))
        return redirect(item.conference)
    return render(request, "conferences/item_remove.html", {"item": item})


# --- agreed actions ----------------------------------------------------------------------------


@requires(Perm.VIEW_CONFERENCES)
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    """Record an agreed action (the conference page posts here; this page shows errors)."""
    actor = request.actor
    conference = _conference(request, pk)
    participants = services.participants(conference)
    prefix = request.POST.get("prefix") or request.GET.get("prefix") or "general"
    if prefix != "general" and not prefix.removeprefix("a").isdigit():
        prefix = "general"
    item = None
    if request.method == "POST":
        form = ActionForm(
            request.POST, conference=conference, participants=participants, prefix=prefix
        )
        if form.is_valid():
            data = form.cleaned_data
            if data["item"]:
                item = get_object_or_404(AgendaItem, pk=data["item"], conference=conference)
            try:
                action = services.add_action(
                    actor,
                    conference,
                    item=item,
                    title=data["title"],
                    owner=data["owner"],
                    owner_user=data["owner_user"],
                    due_date=data["due_date"] if not data["due_in_days"] else None,
                    due_in_days=data["due_in_days"],
                    confirm_identifiers=data["confirm_identifiers"],
                )
            except services.IdentifiersFound as found:
                form.add_error(
                    "title",
                    _("Der Text enthält vielleicht Angaben zur Person: %(found)s")
                    % {"found": ", ".join(str(f) for f in found.findings)},
                )
                form.data = form.data.copy()
                form.data[f"{prefix}-confirm_identifiers"] = "on"
                form.identifiers = True
            except ValidationError as error:
                _add_errors(form, error)
            except services.ConferenceRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Vereinbart: %(owner)s, fällig bis %(due)s.")
                    % {"owner": action.owner.name, "due": action.due_date.strftime("%d.%m.%Y")},
                )
                return redirect(action)
    else:
        form = ActionForm(conference=conference, participants=participants, prefix=prefix)
    return render(
        request,
        "conferences/action_form.html",
        {"form": form, "conference": conference, "prefix": prefix},
    )


@requires(Perm.VIEW_CONFERENCES)
def action_list(request):
    return _list_page(
        request,
        ActionFilterForm,
        {"status": "open"},
        selectors.actions_for,
        "conferences/action_list.html",
    )


def _action(request, pk) -> Action:
    return get_visible_or_404(
        Action.objects.select_related("conference", "item", "owner"), request.actor, pk=pk
    )


@requires(Perm.VIEW_CONFERENCES)
@require_POST
def action_status(request, pk):
    action = _action(request, pk)
    form = ActionStatusForm(request.POST, prefix=f"s{action.pk}")
    if form.is_valid():
        try:
            services.set_action_status(
                request.actor,
                action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError:
            messages.error(request, STALE_MESSAGE)
        except (services.ConferenceRefused, ValidationError) as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("Der Stand ist gespeichert."))
    else:
        messages.error(request, _("Bitte wählen Sie einen Stand."))
    return redirect(action)


@requires(Perm.SEND_REFERRALS)
def action_referral(request, pk):
    """One click from an agreed action to the referral form, filled in from the action."""
    action = _action(request, pk)
    item = action.item
    if item is None or item.person_id is None or item.presenter_id != request.actor.organisation.pk:
        raise Http404
    params = [
        ("reason", action.title),
        ("origin", f"{ORIGIN_PREFIX}{action.pk}"),
    ]
    if action.owner_id != request.actor.organisation.pk:
        params.append(("recipient", action.owner_id))
    params += [("need", need.pk) for need in item.needs.filter(person_id=item.person_id)]
    return redirect(reverse("referrals:create", args=[item.person_id]) + "?" + urlencode(params))


# --- calendar ----------------------------------------------------------------------------------


@requires(Perm.VIEW_CONFERENCES)
@require_http_methods(["GET", "POST"])
def calendar(request):
    user = request.user
    if request.method == "POST":
        CalendarToken.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        messages.success(
            request, _("Die Kalenderadresse ist neu erzeugt; die alte gilt nicht mehr.")
        )
        return redirect("conferences:calendar")
    token = CalendarToken.objects.filter(user=user).first()
    url = (
        request.build_absolute_uri(reverse("conferences:feed", args=[token.token])) if token else ""
    )
    return render(request, "conferences/calendar.html", {"feed_url": url})


@public
def feed(request, token):
    """The personal calendar feed. Calendar programs cannot log in, so the secret address is
    the key; it shows appointments only (no case), and only while the user may see them."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    conferences = selectors.calendar_feed(entry.user)
    response = HttpResponse(
        ical.feed(conferences, name=_("Kurze Wege: Fallberatungen")),
        content_type="text/calendar; charset=utf-8",
    )
    return response
