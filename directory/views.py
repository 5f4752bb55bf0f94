from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import StaleEditError
from core.models import Municipality
from core.permissions import Perm, get_visible_or_404, requires
from core.views import paginate, query_without_page
from directory import selectors
from directory.choices import Language
from directory.forms import (
    OfferForm,
    OfferSearchForm,
    OpeningExceptionFormSet,
    OpeningHoursFormSet,
    PlaceFormSet,
)
from directory.matching import DEFAULT_RADIUS_KM, Needs, match_offers
from directory.models import Offer, ProblemSituation
from directory.search import empty_result_hints, for_display, search_offers
from directory.services import save_offer, verify_offer


@requires(Perm.VIEW_OFFERS)
def search(request):
    actor = request.actor
    form = OfferSearchForm(request.GET or None, network_id=actor.network_id)
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    outcome = search_offers(actor, params)
    for field, message in outcome.errors.items():
        form.add_error(field, message)
    page = paginate(request, for_display(outcome.offers))
    context = {
        "form": form,
        "outcome": outcome,
        "page": page,
        "query": query_without_page(request),
        "hints": empty_result_hints(params, outcome) if not page.object_list else [],
        "map_points": selectors.map_points(page.object_list),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "can": {
            "freshness": actor.can(Perm.VIEW_FRESHNESS_REPORT),
            "export": actor.can(Perm.EXPORT_OFFERS),
            "import": actor.can(Perm.IMPORT_OFFERS),
        },
    }
    template = "directory/search.html#results" if request.htmx else "directory/search.html"
    return render(request, template, context)


@requires(Perm.VIEW_OFFERS)
def offer_detail(request, pk):
    offer = get_visible_or_404(for_display(Offer.objects.all()), request.actor, pk=pk)
    return render(request, "directory/offer_detail.html", selectors.offer_context(request, offer))


@requires(Perm.VIEW_OFFERS)
def offer_print(request, pk):
    offer = get_visible_or_404(for_display(Offer.objects.all()), request.actor, pk=pk)
    context = selectors.offer_context(request, offer)
    context["printed_on"] = timezone.localdate()
    return render(request, "directory/offer_print.html", context)


@requires(Perm.EDIT_OFFERS)
def my_offers(request):
    actor = request.actor
    offers = selectors.own_offers(
        actor, status=request.GET.get("status"), sort=request.GET.get("sort")
    )
    return render(
        request,
        "directory/my_offers.html",
        {
            "page": paginate(request, offers),
            "query": query_without_page(request),
            "status": request.GET.get("status", ""),
            "sort": request.GET.get("sort", ""),
            "status_choices": selectors.status_filter_choices(),
            "stale_count": selectors.own_offers(actor).stale().count(),
            "today": timezone.localdate(),
            "can_view_freshness": actor.can(Perm.VIEW_FRESHNESS_REPORT),
        },
    )


def _edit(request, offer: Offer, *, creating: bool):
    actor = request.actor
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, instance=offer, network_id=actor.network_id)
    kwargs = {"instance": offer, "form_kwargs": {}}
    formsets = {
        "places": PlaceFormSet(
            data, prefix="places", instance=offer, form_kwargs={"network_id": actor.network_id}
        ),
        "hours": OpeningHoursFormSet(data, prefix="hours", **kwargs),
        "exceptions": OpeningExceptionFormSet(data, prefix="exceptions", **kwargs),
    }
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            offer = save_offer(actor=actor, form=form, formsets=list(formsets.values()))
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Das Angebot „%(title)s“ wurde gespeichert.") % {"title": offer.title},
            )
            return redirect(offer)
    return render(
        request,
        "directory/offer_form.html",
        {"form": form, "formsets": formsets, "offer": offer, "creating": creating},
    )


@requires(Perm.EDIT_OFFERS)
def offer_create(request):
    actor = request.actor
    return _edit(
        request, Offer(network_id=actor.network_id, organisation=actor.organisation), creating=True
    )


@requires(Perm.EDIT_OFFERS)
def offer_edit(request, pk):
    offer = get_visible_or_404(Offer.objects.editable_by(request.actor), request.actor, pk=pk)
    return _edit(request, offer, creating=False)


@requires(Perm.EDIT_OFFERS)
@require_POST
def offer_verify(request, pk):
    offer = get_visible_or_404(Offer.objects.editable_by(request.actor), request.actor, pk=pk)
    with transaction.atomic():
        verify_offer(offer=offer, actor=request.actor)
    messages.success(
        request,
        _("Danke! „%(title)s“ ist als aktuell bestätigt (geprüft am %(date)s).")
        % {"title": offer.title, "date": offer.last_verified.strftime("%d.%m.%Y")},
    )
    target = request.POST.get("next") or offer.get_absolute_url()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = offer.get_absolute_url()
    return HttpResponseRedirect(target)


@requires(Perm.VIEW_FRESHNESS_REPORT)
def freshness_report(request):
    rows = selectors.freshness_by_organisation(request.actor)
    return render(
        request,
        "directory/freshness_report.html",
        {
            "rows": rows,
            "totals": selectors.freshness_totals(rows),
            "freshness_days": settings.OFFER_FRESHNESS_DAYS,
        },
    )


@requires(Perm.VIEW_OFFERS)
def match(request):
    actor = request.actor
    situations = list(
        ProblemSituation.objects.visible_to(actor).active().leaves().select_related("parent")
    )
    labels = {situation.code: situation.label for situation in situations}
    labels |= {s.parent.code: s.parent.label for s in situations}
    codes = tuple(code for code in request.GET.getlist("need") if code in labels)
    municipalities = Municipality.objects.visible_to(actor).order_by("name")
    municipality = municipalities.filter(pk=_int(request.GET.get("municipality"))).first()
    needs = Needs(
        codes=codes,
        age=_int(request.GET.get("age"), maximum=120),
        language=request.GET.get("language") if request.GET.get("language") in Language else None,
        municipality=municipality,
        radius_km=_int(request.GET.get("radius"), maximum=200) or DEFAULT_RADIUS_KM,
    )
    return render(
        request,
        "directory/match.html",
        {
            "situations": situations,
            "municipalities": municipalities,
            "languages": Language.choices,
            "needs": needs,
            "submitted": bool(request.GET),
            "matches": match_offers(actor, needs, labels=labels) if codes else [],
            "search_url": reverse("directory:search"),
        },
    )


def _int(value, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if number < 0 or (maximum is not None and number > maximum):
        return None
    return number
