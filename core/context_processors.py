from django.urls import reverse

from core import navigation, notifications


def shell(request):
    """What the page frame needs: navigation, the active organisation and the ones to switch to."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": [], "actor": actor}
    items = []
    for item in navigation.items_for(actor):
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "current": request.path == url})
    # actor_for() loaded the memberships already; the unread count is the one query added here.
    return {
        "nav_items": items,
        "actor": actor,
        "switchable_organisations": actor.organisations,
        "unread_notifications": notifications.unread_count(request.user),
    }
