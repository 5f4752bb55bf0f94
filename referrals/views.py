"""Referral pages: inbox, outbox, the escalation overview, creating, the referral with its thread.

Views stay thin: rules live in ``referrals.services`` (lifecycle, policy, audit) and reads in
``referrals.selectors``. The recipient's page shows the snapshot, never the live case file.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import categories as case_categories
from cases.models import Need, Person
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate, query_without_page
from directory.models import Offer
from referrals import selectors, services, signals, snapshot
from referrals.choices import EventKind, Kind, Status, Track
from referrals.forms import (
    ArrivalForm,
    CompleteForm,
    DeclineForm,
    ForwardForm,
    MessageForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawForm,
)
from referrals.models import Referral
from referrals.transitions import RECIPIENT, SENDER, available

# --- lists -----------------------------------------------------------------------------------


def _list_filters(request):
    form = ReferralFilterForm(request.GET or None)
    filters = {"status": "open"}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"] or "open",
            "track": data["track"],
            "overdue": data["overdue"],
            "escalated": data["escalated"],
            "mine": data["mine"],
            "q": data["q"],
            "sort": data["sort"],
        }
    return form, filters


@requires(Perm.VIEW_REFERRALS)
def inbox(request):
    form, filters = _list_filters(request)
    page = paginate(request, selectors.inbox(request.actor, **filters))
    return render(
        request,
        "referrals/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filtered": bool(request.GET),
            "home": selectors.for_home(request.actor),
        },
    )


@requires(Perm.VIEW_REFERRALS)
def outbox(request):
    form, filters = _list_filters(request)
    kind = request.GET.get("kind", "")
    page = paginate(request, selectors.outbox(request.actor, kind=kind, **filters))
    for referral in page.object_list:
        referral.person_label = snapshot.person_label(request.actor, referral)
    return render(
        request,
        "referrals/outbox.html",
        {
            "form": form,
            "page": page,
            "kind": kind,
            "kinds": Kind.choices,
            "query": query_without_page(request),
            "filtered": bool(request.GET),
        },
    )


@requires(Perm.VIEW_ESCALATIONS)
def escalations(request):
    page = paginate(request, selectors.escalations(request.actor))
    return render(
        request,
        "referrals/escalations.html",
        {"page": page, "query": query_without_page(request)},
    )


# --- creating --------------------------------------------------------------------------------


def _person(request, person_pk):
    request.actor.require(Perm.VIEW_CASES)
    return get_visible_or_404(
        Person.objects.select_related("household", "organisation"), request.actor, pk=person_pk
    )


def _target(actor, data):
    """The recipient the form currently points at (from the offer if only that is chosen)."""
    offer_pk, recipient_pk = data.get("offer"), data.get("recipient")
    if offer_pk:
        offer = Offer.objects.visible_to(actor).filter(pk=offer_pk).first()
        if offer is not None:
            return offer.organisation
    if recipient_pk:
        from core.models import Organisation

        return Organisation.objects.visible_to(actor).filter(pk=recipient_pk).first()
    return None


def _decisions(person, recipient):
    """Per category: (allowed?, the reason or legal basis), labelled for the form."""
    if recipient is None or recipient.pk == person.organisation_id:
        return {}
    return snapshot.decisions_for(person, recipient)


def _category_rows(person, decisions, chosen):
    labels = dict(case_categories.choices_for_network(person.network_id))
    return [
        {
            "code": code,
            "label": labels.get(code, code),
            "allowed": decision.allowed,
            "reason": decision.legal_basis if decision.allowed else decision.reason,
            "checked": code in chosen,
        }
        for code, decision in decisions.items()
    ]


def _initial(request, person):
    initial = {"track": request.GET.get("track", Track.STANDARD), "kind": Kind.REFERRAL}
    if request.GET.get("offer"):
        initial["offer"] = request.GET["offer"]
    if request.GET.get("recipient"):
        initial["recipient"] = request.GET["recipient"]
    if request.GET.get("kind") in Kind.values:
        initial["kind"] = request.GET["kind"]
    for name in ("reason", "origin"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    need_pks = [pk for pk in request.GET.getlist("need") if pk.isdigit()]
    if need_pks:
        needs = Need.objects.filter(person=person, pk__in=need_pks).values_list("pk", flat=True)
        if needs:
            initial["needs"] = list(needs)
    return initial


@requires(Perm.SEND_REFERRALS)
@require_http_methods(["GET", "POST"])
def create(request, person_pk):
    actor = request.actor
    person = _person(request, person_pk)
    data = request.POST if request.method == "POST" else _initial(request, person)
    recipient = _target(actor, data)
    decisions = _decisions(person, recipient)
    duplicates = []
    url = reverse("referrals:categories", args=[person.pk])
    if request.method == "POST":
        form = ReferralForm(
            request.POST, actor=actor, person=person, decisions=decisions, categories_url=url
        )
        submit = request.POST.get("submit", "send")
        if submit != "check" and form.is_valid():
            try:
                referral = _create_from(actor, person, form, send=submit == "send")
            except services.DuplicateReferral as duplicate:
                duplicates = duplicate.matches
            except ValidationError as error:
                _add_errors(form, error)
            except services.TransitionRefused as refused:
                form.add_error(None, refused.message)
            else:
                signals.referral_created.send(
                    sender=Referral,
                    referral=referral,
                    origin=form.cleaned_data["origin"],
                    actor=actor,
                )
                messages.success(request, _sent_message(referral))
                return redirect(referral)
    else:
        form = ReferralForm(
            initial=data, actor=actor, person=person, decisions=decisions, categories_url=url
        )
    chosen = form.data.getlist("categories") if form.is_bound else [case_categories.MASTER_DATA]
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "person": person,
            "recipient": recipient,
            "category_rows": _category_rows(person, decisions, chosen),
            "duplicates": duplicates,
        },
    )


def _create_from(actor, person, form, *, send: bool):
    data = form.cleaned_data
    pointer = data["kind"] == Kind.POINTER
    return services.create_referral(
        actor=actor,
        person=person,
        kind=data["kind"],
        recipient=data["recipient"],
        offer=data["offer"],
        needs=data["needs"],
        reason=data["reason"],
        track=data["track"],
        message=data["message"],
        categories=[] if pointer else data["categories"],
        send=send,
        allow_duplicate=data["allow_duplicate"],
    )


def _sent_message(referral) -> str:
    if referral.kind == Kind.POINTER:
        return _("Der beratende Hinweis %(number)s ist erfasst.") % {"number": referral.number}
    if referral.status == Status.DRAFT:
        return _("Der Entwurf %(number)s ist gespeichert.") % {"number": referral.number}
    return _("Die Überleitung %(number)s ist an %(recipient)s gesendet. Antwort bis %(due)s.") % {
        "number": referral.number,
        "recipient": referral.recipient.name,
        "due": referral.response_due.strftime("%d.%m.%Y"),
    }


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@requires(Perm.SEND_REFERRALS)
def categories(request, person_pk):
    """The categories fieldset for the chosen recipient (htmx, while the form is filled in)."""
    person = _person(request, person_pk)
    decisions = _decisions(person, _target(request.actor, request.GET))
    chosen = request.GET.getlist("categories") or [case_categories.MASTER_DATA]
    return render(
        request,
        "referrals/_categories.html",
        {"category_rows": _category_rows(person, decisions, chosen)},
    )


# --- one referral ----------------------------------------------------------------------------


def _referral(request, pk):
    return get_visible_or_404(
        Referral.objects.select_related(
            "sender", "recipient", "offer", "person", "handler", "created_by", "network"
        ),
        request.actor,
        pk=pk,
    )


def _own_person(actor, referral) -> bool:
    """A forwarding organisation is a sender too, but the person is in someone else's file."""
    person = referral.person
    return person is not None and person.organisation_id == actor.organisation.pk


def _events_for(referral, side):
    events = referral.events.select_related("user", "organisation")
    if side != SENDER:
        # Which of its needs the sender closed is the sender's case file, not the referral.
        events = events.exclude(kind=EventKind.NEEDS_RESOLVED)
    return events


def _detail_context(request, referral, **extra):
    actor = request.actor
    side = services.side_of(actor, referral)
    labels = dict(case_categories.choices_for_network(referral.network_id))
    actions = available(referral.kind, referral.status, side)
    if side == RECIPIENT and not actor.can(Perm.HANDLE_REFERRALS):
        actions = []
    if side == SENDER and not actor.can(Perm.SEND_REFERRALS):
        actions = []
    context = {
        "referral": referral,
        "side": side,
        "is_sender": side == SENDER,
        "data": snapshot.shown_to(actor, referral, is_sender=side == SENDER),
        "bases": [
            {"label": labels.get(code, code), **entry} for code, entry in referral.bases.items()
        ],
        "events": _events_for(referral, side),
        "thread": referral.messages.select_related("author", "organisation"),
        "actions": {action.name for action in actions},
        "message_form": MessageForm(),
        "decline_form": DeclineForm(),
        "complete_form": CompleteForm(),
        "arrival_form": ArrivalForm(),
        "withdraw_form": WithdrawForm(),
        "can_resolve_needs": side == SENDER
        and referral.status == Status.COMPLETED
        and actor.can(Perm.EDIT_CASES)
        and referral.needs.exclude(status__in=["resolved", "obsolete"]).exists(),
        "person_url": referral.person.get_absolute_url() if _own_person(actor, referral) else "",
    }
    context.update(extra)
    return context


@requires(Perm.VIEW_REFERRALS)
def detail(request, pk):
    referral = services.record_view(actor=request.actor, referral=_referral(request, pk))
    return render(request, "referrals/detail.html", _detail_context(request, referral))


ACTION_FORMS = {
    "decline": DeclineForm,
    "complete": CompleteForm,
    "record_arrival": ArrivalForm,
    "withdraw": WithdrawForm,
}


@requires(Perm.VIEW_REFERRALS)
@require_POST
def act(request, pk, action):
    referral = _referral(request, pk)
    actor = request.actor
    form_class = ACTION_FORMS.get(action)
    form = form_class(request.POST) if form_class else None
    try:
        if form is not None and not form.is_valid():
            # Name the field: the form sits in a fold-out on the referral page.
            raise ValidationError(
                [
                    f"{form.fields[name].label}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ]
            )
        data = form.cleaned_data if form is not None else {}
        if action == "accept":
            referral = services.accept(actor=actor, referral=referral)
        elif action == "start":
            referral = services.start(actor=actor, referral=referral)
        elif action == "send":
            referral = services.send_referral(
                actor=actor, referral=referral, allow_duplicate=bool(request.POST.get("allow"))
            )
        elif action == "decline":
            referral = services.decline(
                actor=actor, referral=referral, reason=data["decline_reason"], note=data["note"]
            )
        elif action == "complete":
            referral = services.complete(
                actor=actor, referral=referral, outcome=data["outcome"], note=data["note"]
            )
        elif action == "record_arrival":
            referral = services.record_arrival(
                actor=actor, referral=referral, outcome=data["outcome"], note=data["note"]
            )
        elif action == "withdraw":
            referral = services.withdraw(actor=actor, referral=referral, note=data["note"])
        else:
            raise Http404
    except services.TransitionRefused as refused:
        messages.error(request, refused.message)
    except services.DuplicateReferral:
        messages.error(
            request,
            _("Für diese Person gibt es schon eine offene Überleitung an diese Stelle."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(
            request,
            _("Überleitung %(number)s: %(status)s.")
            % {"number": referral.number, "status": referral.get_status_display()},
        )
    return redirect("referrals:detail", pk=referral.pk)


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for errors in error.message_dict.values() for m in errors]
    return [str(m) for m in error.messages]


@requires(Perm.HANDLE_REFERRALS)
@require_http_methods(["GET", "POST"])
def forward(request, pk):
    referral = _referral(request, pk)
    actor = request.actor
    if services.side_of(actor, referral) != RECIPIENT:
        raise Http404
    labels = dict(case_categories.choices_for_network(referral.network_id))
    form = ForwardForm(request.POST or None, actor=actor, referral=referral, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            onward = services.forward(
                actor=actor,
                referral=referral,
                recipient=form.cleaned_data["recipient"],
                categories=form.cleaned_data["categories"],
                message=form.cleaned_data["message"],
            )
        except services.TransitionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Weitergeleitet an %(name)s als %(number)s.")
                % {"name": onward.recipient.name, "number": onward.number},
            )
            return redirect(onward)
    return render(request, "referrals/forward.html", {"referral": referral, "form": form})


@requires(Perm.HANDLE_REFERRALS)
@require_POST
def message(request, pk):
    referral = _referral(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(
                actor=request.actor,
                referral=referral,
                body=form.cleaned_data["body"],
                no_new_personal_data=form.cleaned_data["no_new_personal_data"],
            )
        except services.TransitionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Nachricht ist gesendet."))
            return redirect(f"{referral.get_absolute_url()}#nachrichten")
    referral = services.record_view(actor=request.actor, referral=referral)
    return render(
        request,
        "referrals/detail.html",
        _detail_context(request, referral, message_form=form),
        status=422,
    )


@requires(Perm.EDIT_CASES)
@require_POST
def resolve_needs(request, pk):
    referral = _referral(request, pk)
    try:
        resolved = services.resolve_needs(actor=request.actor, referral=referral)
    except services.TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(count)s Handlungsbedarf(e) als erledigt vermerkt.") % {"count": len(resolved)},
        )
    return redirect(referral)
