"""Reading agreements for pages: lists, the dashboard overview."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Prefetch, Q

from agreements.choices import Status
from agreements.models import Agreement, Party


def with_parties(queryset):
    return queryset.prefetch_related(
        Prefetch("party_rows", queryset=Party.objects.select_related("organisation"))
    )


def agreement_list(actor, *, q: str = "", status: str = "", sort: str = "title"):
    rows = Agreement.objects.visible_to(actor)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(parties__name__icontains=q)).distinct()
    if status == "active":
        rows = rows.filter(status__in=(Status.IN_FORCE, Status.TERMINATED))
    elif status:
        rows = rows.filter(status=status)
    order = {
        "title": ("title", "pk"),
        "until": ("valid_until", "title"),
        "-until": ("-valid_until", "title"),
    }
    return with_parties(rows.order_by(*order.get(sort, order["title"])))


def party_ids(agreement: Agreement) -> frozenset[int]:
    return frozenset(party.organisation_id for party in agreement.party_rows.all())


def agreement_scope(agreement: Agreement, scope):
    """What happened between the agreement's parties – all of it, for every viewer who may see
    the agreement (a team lead's own-organisation limit does not split an agreement)."""
    return replace(scope, parties=party_ids(agreement), organisation_id=None)


def agreements_at_a_glance(actor, scope):
    """Agreements in force with their measurable measures judged for the dashboard's period."""
    from reporting.reports import measure_rows

    rows = (
        Agreement.objects.visible_to(actor)
        .filter(status__in=(Status.IN_FORCE, Status.TERMINATED))
        .prefetch_related("measures")
    )
    found = []
    for agreement in with_parties(rows.order_by("title", "pk")):
        measured = [
            (measure, row)
            for measure, row in measure_rows(agreement, agreement_scope(agreement, scope), False)
            if row is not None and row.judgement is not None
        ]
        found.append((agreement, measured))
    return found
