"""The permission layer: who may do what, decided in this one module.

Three rules hold everywhere:

1. Privacy by default. A role can do nothing unless ROLE_GRANTS names the permission; a
   membership counts only once it is active (granted by a network admin).
2. Every page acts as exactly one organisation (the *actor*). Querysets are scoped with
   ``Model.objects.visible_to(actor)``; nothing outside the actor's network is ever returned.
3. Objects the actor may not see answer 404, exactly like objects that do not exist
   (``get_visible_or_404``); pages the actor's roles do not grant answer 403.

Every view is wrapped in exactly one of ``public``, ``login_only`` or ``requires(perm)``. A test
walks every URL pattern and fails when a view carries none of them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.choices import Role

if TYPE_CHECKING:
    from core.models import Membership, Network, Organisation


class Perm(StrEnum):
    VIEW_ORGANISATIONS = "core.view_organisations"
    VIEW_MUNICIPALITIES = "core.view_municipalities"
    VIEW_STAFF = "core.view_staff"
    VIEW_AUDIT = "core.view_audit"
    EXPORT_AUDIT = "core.export_audit"
    VIEW_CHANGE_HISTORY = "core.view_change_history"
    USE_ADMIN = "core.use_admin"
    USE_API_TOKENS = "core.use_api_tokens"
    # directory
    VIEW_OFFERS = "directory.view_offers"
    EDIT_OFFERS = "directory.edit_offers"  # only the owning organisation's offers
    VIEW_FRESHNESS_REPORT = "directory.view_freshness_report"
    EXPORT_OFFERS = "directory.export_offers"
    IMPORT_OFFERS = "directory.import_offers"
    MANAGE_TAXONOMY = "directory.manage_taxonomy"
    # cases: only ever the actor's own organisation's case file
    VIEW_CASES = "cases.view_cases"
    EDIT_CASES = "cases.edit_cases"
    VIEW_SPECIAL_CATEGORY = "cases.view_special_category"  # health, addiction (Art. 9 DSGVO)
    MANAGE_CONSENTS = "cases.manage_consents"
    ACKNOWLEDGE_SECRECY = "cases.acknowledge_secrecy"  # § 78 SGB X, partners without duty
    MANAGE_RETENTION = "cases.manage_retention"
    EXPORT_SUBJECT_DATA = "cases.export_subject_data"  # Art. 15 DSGVO
    # referrals: the organisation's inbox and outbox; sending needs the own case file
    VIEW_REFERRALS = "referrals.view_referrals"
    SEND_REFERRALS = "referrals.send_referrals"
    HANDLE_REFERRALS = "referrals.handle_referrals"  # accept, decline, complete, messages
    VIEW_ESCALATIONS = "referrals.view_escalations"  # network-wide, without personal data
    # conferences: only those the actor's organisation organises or is invited to
    VIEW_CONFERENCES = "conferences.view_conferences"  # incl. minutes and the own actions
    PLAN_CONFERENCES = "conferences.plan_conferences"  # plan, hold, cancel, minutes, actions
    PRESENT_CASES = "conferences.present_cases"  # put a case of the own case file on the agenda
    # agreements and reporting: counts only, never a person; small cells suppressed when shared
    VIEW_AGREEMENTS = "agreements.view_agreements"  # those the actor's organisation is party to
    MANAGE_AGREEMENTS = "agreements.manage_agreements"  # create, measures, terminate, document
    VIEW_REPORTS = "reporting.view_reports"  # indicators of the own organisation's cooperation
    VIEW_NETWORK_REPORTS = "reporting.view_network_reports"  # every agreement, network report


_EVERY_MEMBER = {
    Perm.VIEW_ORGANISATIONS,
    Perm.VIEW_MUNICIPALITIES,
    Perm.VIEW_STAFF,
    Perm.VIEW_OFFERS,
}
# Staff keep their own organisation's offers current.
_STAFF = _EVERY_MEMBER | {Perm.USE_API_TOKENS, Perm.EDIT_OFFERS}
_LEADS = _STAFF | {Perm.VIEW_FRESHNESS_REPORT, Perm.EXPORT_OFFERS}
# Case files: case managers work with the whole file, health data included (they plan with it);
# team leads see and correct files but not special category data, which they do not need.
_CASE_FILE = {Perm.VIEW_CASES, Perm.EDIT_CASES, Perm.MANAGE_CONSENTS}
_REFERRALS = {Perm.VIEW_REFERRALS, Perm.HANDLE_REFERRALS}
_CONFERENCES = {Perm.VIEW_CONFERENCES, Perm.PLAN_CONFERENCES}
# Team leads steer their organisation's cooperation; the network coordination the network's.
_STEERING = {Perm.VIEW_AGREEMENTS, Perm.VIEW_REPORTS}
_NETWORK_STEERING = _STEERING | {Perm.MANAGE_AGREEMENTS, Perm.VIEW_NETWORK_REPORTS}

ROLE_GRANTS: dict[str, frozenset[Perm]] = {
    Role.CASE_WORKER: frozenset(
        _STAFF
        | _CASE_FILE
        | _REFERRALS
        | _CONFERENCES
        | {Perm.VIEW_SPECIAL_CATEGORY, Perm.SEND_REFERRALS, Perm.PRESENT_CASES}
    ),
    Role.TEAM_LEAD: frozenset(
        _LEADS
        | _CASE_FILE
        | _REFERRALS
        | _CONFERENCES
        | _STEERING
        | {Perm.ACKNOWLEDGE_SECRECY, Perm.SEND_REFERRALS, Perm.PRESENT_CASES}
    ),
    # Coordination organises the network's rounds; it presents no cases (it has no case file).
    Role.NETWORK_COORDINATOR: frozenset(
        _LEADS | _CONFERENCES | _NETWORK_STEERING | {Perm.VIEW_ESCALATIONS}
    ),
    # Partner staff have no case file; special category data reaches them only in a referral
    # whose legal basis covered it, and they are the ones who work with it.
    Role.PARTNER_STAFF: frozenset(
        _STAFF
        | _REFERRALS
        | {Perm.VIEW_CONFERENCES, Perm.ACKNOWLEDGE_SECRECY, Perm.VIEW_SPECIAL_CATEGORY}
    ),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        _EVERY_MEMBER
        | {
            Perm.VIEW_AUDIT,
            Perm.EXPORT_AUDIT,
            Perm.VIEW_CHANGE_HISTORY,
            Perm.MANAGE_RETENTION,
            Perm.EXPORT_SUBJECT_DATA,
        }
    ),
    Role.NETWORK_ADMIN: frozenset(
        _EVERY_MEMBER
        | {
            Perm.USE_ADMIN,
            Perm.VIEW_CHANGE_HISTORY,
            Perm.USE_API_TOKENS,
            Perm.EXPORT_OFFERS,
            Perm.IMPORT_OFFERS,
            Perm.MANAGE_TAXONOMY,
        }
    ),
}


def permissions_for_roles(roles) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_GRANTS.get(role, frozenset())
    return frozenset(granted)


@dataclass(frozen=True)
class Actor:
    """A user acting as one organisation, with the permissions of their roles there."""

    user: object
    organisation: Organisation | None = None
    memberships: tuple[Membership, ...] = ()
    permissions: frozenset[Perm] = field(default_factory=frozenset)
    # Every organisation the user may act as (for the switcher), sorted by name.
    organisations: tuple[Organisation, ...] = ()

    @property
    def network(self) -> Network | None:
        return self.organisation.network if self.organisation else None

    @property
    def network_id(self) -> int | None:
        return self.organisation.network_id if self.organisation else None

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(m.role for m in self.memberships)

    @property
    def is_member(self) -> bool:
        return self.organisation is not None

    def can(self, perm: Perm) -> bool:
        return perm in self.permissions

    def require(self, perm: Perm) -> None:
        if not self.can(perm):
            raise PermissionDenied(perm)


ANONYMOUS = Actor(user=None)


def actor_for(user, organisation_id: int | None = None) -> Actor:
    """Build the actor for ``user``, acting as ``organisation_id`` or their first organisation."""
    from core.models import Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return Actor(user=user)
    memberships = list(
        Membership.objects.active().filter(user=user).select_related("organisation__network")
    )
    if not memberships:
        return Actor(user=user)
    organisations = tuple(
        sorted(
            {m.organisation_id: m.organisation for m in memberships}.values(),
            key=lambda o: (o.name, o.pk),
        )
    )
    if organisation_id not in {o.pk for o in organisations}:
        organisation_id = organisations[0].pk
    here = tuple(m for m in memberships if m.organisation_id == organisation_id)
    return Actor(
        user=user,
        organisation=here[0].organisation,
        memberships=here,
        permissions=permissions_for_roles(m.role for m in here),
        organisations=organisations,
    )


def get_visible_or_404(queryset, actor: Actor, **lookup):
    """The one way to fetch a single object: invisible and missing look the same."""
    try:
        return queryset.visible_to(actor).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- view decorators -------------------------------------------------------------------------

ACCESS_ATTRIBUTE = "kw_access"


def _mark(view, access: str):
    setattr(view, ACCESS_ATTRIBUTE, access)
    return view


def public(view):
    """Reachable without login (login page, health check). Use sparingly."""
    return _mark(view, "public")


def login_only(view):
    """Any signed-in user; the view shows nothing beyond the user's own data."""
    return _mark(login_required(view), "login")


def requires(perm: Perm):
    """Signed-in user whose active organisation's roles grant ``perm``; otherwise 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            request.actor.require(perm)
            return view(request, *args, **kwargs)

        protected = login_required(wrapped)
        protected.kw_permission = perm
        return _mark(protected, "permission")

    return decorator
