"""Reads that combine several tables (home page figures)."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from core.choices import OrganisationType
from core.models import AuditEntry, Membership, Municipality, Organisation
from core.permissions import Perm


def home_figures(actor) -> dict:
    """Real numbers for the home page, each block only where the actor's roles grant it."""
    figures: dict = {}
    if not actor.is_member:
        return figures
    if actor.can(Perm.VIEW_ORGANISATIONS):
        by_type = (
            Organisation.objects.visible_to(actor)
            .filter(is_active=True)
            .values("type")
            .annotate(n=Count("id"))
            .order_by("-n", "type")
        )
        figures["organisations_by_type"] = [
            (OrganisationType(row["type"]).label, row["n"]) for row in by_type
        ]
        figures["organisation_count"] = sum(row["n"] for row in by_type)
    if actor.can(Perm.VIEW_MUNICIPALITIES):
        figures["municipality_count"] = Municipality.objects.visible_to(actor).count()
    if actor.can(Perm.VIEW_STAFF):
        own = Membership.objects.active().filter(organisation=actor.organisation)
        figures["colleague_count"] = own.values("user").distinct().count()
        team_ids = [m.team_id for m in actor.memberships if m.team_id]
        if team_ids:
            figures["team_member_count"] = (
                own.filter(team_id__in=team_ids).values("user").distinct().count()
            )
    if actor.can(Perm.VIEW_AUDIT):
        since = timezone.now() - timedelta(days=7)
        visible = AuditEntry.objects.visible_to(actor)
        figures["audit_last_7_days"] = visible.filter(created_at__gte=since).count()
        figures["exports_last_7_days"] = visible.filter(
            created_at__gte=since, action="export"
        ).count()
    if actor.can(Perm.USE_ADMIN):
        in_network = Membership.objects.visible_to(actor)
        figures["pending_memberships"] = in_network.filter(is_active=False).count()
        figures["active_memberships"] = in_network.filter(is_active=True).count()
    return figures
