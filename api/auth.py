"""API authentication: the browser session or a bearer token, both resolving to an actor."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from core.models import ApiToken
from core.permissions import actor_for


class SessionActorAuth(APIKeyCookie):
    """The page session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        if request.user.is_authenticated and request.actor.is_member:
            return request.actor
        return None


class TokenActorAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith("kw_"):
            return None
        found = (
            ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        actor = actor_for(found.user, found.organisation_id)
        if actor.organisation is None or actor.organisation.pk != found.organisation_id:
            return None  # the membership behind the token was withdrawn
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.actor = actor
        return actor
