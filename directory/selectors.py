"""Read-side helpers for the directory pages (kept out of views and templates)."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Perm
from directory.choices import OfferStatus
from directory.models import Offer
from directory.search import for_display


def map_points(offers) -> list[dict]:
    """Markers for the optional map; confidential places are never put on a map."""
    points = []
    for offer in offers:
        for place in offer.places.all():
            if place.is_confidential or place.latitude is None:
                continue
            points.append(
                {
                    "lat": place.latitude,
                    "lon": place.longitude,
                    "title": offer.title,
                    "place": str(place),
                    "url": offer.get_absolute_url(),
                }
            )
    return points


def offer_context(request, offer: Offer) -> dict:
    actor = request.actor
    today = timezone.localdate()
    can_edit = Offer.objects.editable_by(actor).filter(pk=offer.pk).exists()
    history = None
    if actor.can(Perm.VIEW_CHANGE_HISTORY) or can_edit:
        history = list(LogEntry.objects.get_for_object(offer).select_related("actor")[:10])
    return {
        "offer": offer,
        "places": list(offer.places.all()),
        "hours": list(offer.hours.all()),
        "exceptions": list(offer.exceptions.filter(date__gte=today)[:10]),
        "situations": list(offer.problem_situations.all()),
        "can_edit": can_edit,
        "is_stale": offer.is_stale(today),
        "history": history,
        "today": today,
    }


def status_filter_choices():
    return [("", _("alle")), *OfferStatus.choices, ("stale", _("Prüfung fällig"))]


def own_offers(actor, *, status=None, sort=None):
    offers = Offer.objects.editable_by(actor)
    if status == "stale":
        offers = offers.current().stale()
    elif status in OfferStatus.values:
        offers = offers.filter(status=status)
    ordering = {
        "title": ["title", "pk"],
        "verified": ["last_verified", "title", "pk"],
        "updated": ["-updated_at", "pk"],
    }.get(sort or "", ["last_verified", "title", "pk"])
    return for_display(offers).order_by(*ordering)


def stale_for_home(actor, limit=5):
    """The acting organisation's offers that need checking, oldest first (home page)."""
    if not actor.can(Perm.EDIT_OFFERS):
        return None
    offers = Offer.objects.editable_by(actor).current().stale().order_by("last_verified", "pk")
    return {"offers": list(offers[:limit]), "count": offers.count()}


def freshness_by_organisation(actor) -> list[dict]:
    """Per organisation: current offers, how many are overdue for checking, the oldest check."""
    cutoff = timezone.localdate() - timedelta(days=settings.OFFER_FRESHNESS_DAYS)
    rows = (
        Offer.objects.visible_to(actor)
        .current()
        .values("organisation_id", "organisation__name")
        .annotate(
            total=Count("pk"),
            stale=Count("pk", filter=Q(last_verified__lt=cutoff)),
            oldest=Min("last_verified"),
        )
        .order_by("-stale", "organisation__name")
    )
    result = []
    for row in rows:
        row["share"] = round(100 * row["stale"] / row["total"]) if row["total"] else 0
        result.append(row)
    return result


def freshness_totals(rows) -> dict:
    total = sum(row["total"] for row in rows)
    stale = sum(row["stale"] for row in rows)
    return {"total": total, "stale": stale, "share": round(100 * stale / total) if total else 0}
