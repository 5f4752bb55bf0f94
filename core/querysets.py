from django.db import models


class NetworkScopedQuerySet(models.QuerySet):
    """Rows of one network only. The only visibility rule for tenant-owned tables."""

    def for_network(self, network):
        return self.filter(network=network)

    def visible_to(self, actor):
        if actor is None or actor.network_id is None:
            return self.none()
        return self.filter(network_id=actor.network_id)


class MembershipQuerySet(NetworkScopedQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class AuditEntryQuerySet(models.QuerySet):
    """Append-only: bulk changes are refused (the database refuses them too, see migrations)."""

    def visible_to(self, actor):
        # The data protection officer of an organisation (the controller) sees what was done
        # with its data and what its staff did; see docs/decisions/0003-audit-visibility.md.
        from core.permissions import Perm

        if actor is None or not actor.can(Perm.VIEW_AUDIT):
            return self.none()
        org_id = actor.organisation.pk
        return self.filter(network_id=actor.network_id).filter(
            models.Q(organisation_id=org_id) | models.Q(controller_id=org_id)
        )

    def update(self, **kwargs):
        raise PermissionError("audit entries cannot be changed")

    def delete(self):
        raise PermissionError("audit entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be changed")
