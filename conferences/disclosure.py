"""What one organisation sees of a case on the agenda, decided in this one place.

- The presenting organisation's case file staff see everything it stored and a link.
- Every other participant sees the pseudonymised part. Needs of special category (health,
  addiction) only with the role's right to special category data.
- Identity (name, birth date, address) only in a presentation with identity, and only while
  ``cases.policy.decide`` confirms a *consent* of the person that covers this organisation for the
  purpose "Fallberatung" now. A revoked or expired consent hides it from then on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from cases import categories
from cases.choices import Purpose
from cases.policy import Decision, decide
from core.permissions import Perm


@dataclass
class ItemView:
    item: object
    own: bool
    shared: dict
    needs: list = field(default_factory=list)
    identity: dict | None = None
    identity_basis: str = ""
    identity_withheld: str = ""  # why an identified item shows pseudonymised to this viewer


def identity_decision(organisation, item, at=None) -> Decision | None:
    """The policy's answer for showing this item's identity to ``organisation`` (None: the item
    carries no identity)."""
    if not item.is_identified or item.person is None or not item.identity:
        return None
    decision = decide(
        recipient=organisation,
        person=item.person,
        category=categories.MASTER_DATA,
        purpose=Purpose.CASE_CONFERENCE,
        at=at or timezone.now(),
    )
    if decision.allowed and decision.consent is None:
        # A statute may allow other transfers; showing a person by name in a round of many
        # agencies needs the person's own consent.
        return Decision(allowed=False, reason=decision.reason)
    return decision


def view_for(actor, item) -> ItemView:
    organisation = actor.organisation
    same_organisation = item.presenter_id == organisation.pk
    # Colleagues without case-file rights (e.g. the network coordination) read their own
    # organisation's case as pseudonymised as everyone else.
    own = same_organisation and actor.can(Perm.VIEW_CASES)
    special = actor.can(Perm.VIEW_SPECIAL_CATEGORY)
    needs = [need for need in item.shared.get("needs", []) if special or not need.get("special")]
    view = ItemView(item=item, own=own, shared=item.shared, needs=needs)
    if own:
        view.identity = item.identity or None
        view.identity_basis = item.legal_basis
        return view
    if same_organisation:
        return view
    decision = identity_decision(organisation, item)
    if decision is None:
        return view
    if decision.allowed:
        view.identity = item.identity
        view.identity_basis = decision.legal_basis
    else:
        view.identity_withheld = decision.reason
    return view
