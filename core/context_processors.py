from django.urls import reverse

from core import navigation
from core.models import Organisation


def shell(request):
    """What the page frame needs: navigation, the active organisation and the ones to switch to."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": [], "actor": actor}
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": request.path == reverse(item.url_name),
        }
        for item in navigation.items_for(actor)
    ]
    switchable = (
        Organisation.objects.filter(memberships__user=request.user, memberships__is_active=True)
        .distinct()
        .order_by("name")
        .only("id", "name")
    )
    return {"nav_items": items, "actor": actor, "switchable_organisations": switchable}
