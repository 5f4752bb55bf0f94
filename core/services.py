"""Writes that cross models. Keyword-only arguments, validated, atomic."""

import secrets

from django.db import transaction
from django.utils import timezone

from core import audit
from core.choices import AuditAction
from core.models import ApiToken


@transaction.atomic
def create_api_token(*, actor, name: str) -> tuple[ApiToken, str]:
    """Create a token acting as the actor's active organisation; the clear key is returned once."""
    key = "kw_" + secrets.token_urlsafe(32)
    token = ApiToken(
        network_id=actor.network_id,
        user=actor.user,
        organisation=actor.organisation,
        name=name,
        prefix=key[3:11],
        key_hash=ApiToken.hash_key(key),
    )
    token.full_clean()
    token.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=token)
    return token, key


@transaction.atomic
def revoke_api_token(*, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=token, purpose="Widerruf")
