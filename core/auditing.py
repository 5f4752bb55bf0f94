"""Change history (who changed which field when) for core records, via django-auditlog."""

from auditlog.registry import auditlog

from core.models import (
    ApiToken,
    Membership,
    Municipality,
    Network,
    Organisation,
    SocialArea,
    Team,
    User,
)

auditlog.register(Network)
auditlog.register(Municipality)
auditlog.register(SocialArea)
auditlog.register(Organisation)
auditlog.register(Team)
auditlog.register(Membership)
auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
