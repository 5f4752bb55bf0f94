"""Planning, agenda, minutes and agreed actions of case conferences.

Every rule lives here; pages and the API call these functions and show the German messages of
the ``ValidationError`` or ``ConferenceRefused`` they raise. A refused call changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import categories
from cases.choices import Purpose
from cases.models import Need, Person
from cases.policy import decide
from conferences import invitations, notifications
from conferences.choices import (
    MAX_SERIES_OCCURRENCES,
    ActionStatus,
    Frequency,
    Presentation,
    Status,
)
from conferences.models import Action, AgendaItem, Conference, Series
from conferences.presentation import build_identity, build_shared, find_identifiers, members_of
from core import audit
from core.choices import AuditAction
from core.models import Membership, Organisation
from core.notifications import in_default_language
from core.permissions import Perm

PURPOSE = str(Purpose.CASE_CONFERENCE.label)
PSEUDONYMISED_BASIS = (
    "pseudonymisierte Fallvorstellung (Art. 4 Nr. 5 DSGVO): ohne Name, Geburtsdatum, Anschrift "
    "und Nummern"
)


class ConferenceRefused(Exception):
    """The step is not possible in the conference's state or for the acting organisation."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IdentifiersFound(Exception):
    """Free text seems to identify the person; the author must confirm before it is saved."""

    def __init__(self, field: str, findings):
        super().__init__("identifiers in free text")
        self.field = field
        self.findings = findings


# --- who takes part ----------------------------------------------------------------------------


def participants(conference) -> list[Organisation]:
    """The organiser and the invited organisations."""
    invited = list(conference.invited_organisations.all())
    return [conference.organiser, *[o for o in invited if o.pk != conference.organiser_id]]


def takes_part(organisation, conference) -> bool:
    return organisation.pk in {o.pk for o in participants(conference)}


def is_organiser(actor, conference) -> bool:
    return actor.organisation.pk == conference.organiser_id and actor.can(Perm.PLAN_CONFERENCES)


def _require_organiser(actor, conference) -> None:
    if not is_organiser(actor, conference):
        raise ConferenceRefused(
            _("Nur die einladende Organisation (%(name)s) kann das ändern.")
            % {"name": conference.organiser.name}
        )


def _require_state(conference, *allowed: str) -> None:
    if conference.status not in allowed:
        raise ConferenceRefused(
            _("Die Fallberatung ist %(status)s; das ist nicht mehr möglich.")
            % {"status": conference.get_status_display()}
        )


def _lock(model, obj):
    # FOR NO KEY UPDATE: rows that refer to this one (items, actions) can still be inserted.
    locked = model.objects.select_for_update(no_key=True, of=("self",)).get(pk=obj.pk)
    locked._expected_version = locked.version
    return locked


# --- planning ----------------------------------------------------------------------------------


def _clean_plan(actor, *, title, starts_at, ends_at, location, video_url, organisations, people):
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Bitte geben Sie einen Titel an."))
    elif find_identifiers(title):
        errors.setdefault("title", []).append(
            _(
                "Der Titel erscheint in Kalendern und E-Mails: bitte ohne Datumsangaben, "
                "Telefonnummern, E-Mail-Adressen oder BG-Nummern."
            )
        )
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("Bitte geben Sie den Beginn an."))
    elif starts_at < timezone.now():
        errors.setdefault("starts_at", []).append(
            _("Eine Fallberatung kann nicht in der Vergangenheit geplant werden.")
        )
    if starts_at is not None and (ends_at is None or ends_at <= starts_at):
        errors.setdefault("ends_at", []).append(_("Das Ende muss nach dem Beginn liegen."))
    if not (location or "").strip() and not (video_url or "").strip():
        errors.setdefault("location", []).append(
            _("Bitte geben Sie einen Ort oder einen Videolink an.")
        )
    organisations = list(organisations or [])
    invited = [o for o in organisations if o.pk != actor.organisation.pk]
    for organisation in invited:
        if organisation.network_id != actor.network_id:
            errors.setdefault("organisations", []).append(
                _("%(name)s gehört nicht zum Netzwerk.") % {"name": organisation.name}
            )
        elif not organisation.is_active:
            errors.setdefault("organisations", []).append(
                _("%(name)s ist nicht mehr aktiv.") % {"name": organisation.name}
            )
    if not invited and "organisations" not in errors:
        errors.setdefault("organisations", []).append(
            _("Bitte laden Sie mindestens eine andere Organisation ein.")
        )
    allowed = {actor.organisation.pk, *(o.pk for o in invited)}
    members = set(
        Membership.objects.active()
        .filter(user__in=list(people or []), organisation_id__in=allowed)
        .values_list("user_id", flat=True)
    )
    for person in people or []:
        if person.pk not in members:
            errors.setdefault("people", []).append(
                _("%(name)s gehört zu keiner teilnehmenden Organisation des Netzwerks.")
                % {"name": person.get_full_name() or person.username}
            )
    if errors:
        raise ValidationError(errors)
    return title, invited


def occurrences(starts_at: datetime, frequency: str, count: int) -> list[datetime]:
    """The start of each meeting of a series, in local time (so 14:00 stays 14:00 across the
    change to summer time). A monthly series keeps the weekday and its position in the month
    ("2. Dienstag"); the 5th weekday becomes the last one."""
    local = timezone.localtime(starts_at).replace(tzinfo=None)
    if frequency == Frequency.MONTHLY:
        week = (local.day - 1) // 7 + 1
        position = -1 if week == 5 else week
        rule = rrule.rrule(
            rrule.MONTHLY,
            dtstart=local,
            count=count,
            byweekday=rrule.weekday(local.weekday(), position),
        )
    else:
        interval = 2 if frequency == Frequency.BIWEEKLY else 1
        rule = rrule.rrule(rrule.WEEKLY, dtstart=local, count=count, interval=interval)
    return [timezone.make_aware(moment) for moment in rule]


@transaction.atomic
def plan_conference(
    actor,
    *,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    location: str = "",
    video_url: str = "",
    organisations=(),
    people=(),
    frequency: str = "",
    count: int = 1,
) -> list[Conference]:
    """Plan one conference or a series of ``count`` meetings; returns them in order."""
    actor.require(Perm.PLAN_CONFERENCES)
    title, invited = _clean_plan(
        actor,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_url=video_url,
        organisations=organisations,
        people=people,
    )
    series = None
    starts = [starts_at]
    if frequency:
        if frequency not in Frequency.values:
            raise ValidationError({"frequency": _("Unbekannter Rhythmus.")})
        if not 2 <= count <= MAX_SERIES_OCCURRENCES:
            raise ValidationError(
                {
                    "count": _("Eine Terminreihe hat 2 bis %(max)s Termine.")
                    % {"max": MAX_SERIES_OCCURRENCES}
                }
            )
        series = Series.objects.create(
            network_id=actor.network_id,
            title=title,
            organiser=actor.organisation,
            frequency=frequency,
            created_by=actor.user,
        )
        starts = occurrences(starts_at, frequency, count)
    duration = ends_at - starts_at
    conferences = []
    for start in starts:
        conference = Conference.objects.create(
            network_id=actor.network_id,
            series=series,
            title=title,
            organiser=actor.organisation,
            starts_at=start,
            ends_at=start + duration,
            location=(location or "").strip(),
            video_url=(video_url or "").strip(),
            created_by=actor.user,
        )
        conference.invited_organisations.set(invited)
        conference.invited_people.set(list(people or []))
        conferences.append(conference)
    for conference in conferences:
        invitations.send(conference)
    return conferences


@transaction.atomic
def update_conference(actor, conference, *, version: int, **fields) -> Conference:
    """Change time, place or who is invited; the invitees get the update (same UID)."""
    _require_organiser(actor, conference)
    locked = _lock(Conference, conference)
    locked._expected_version = version
    _require_state(locked, Status.PLANNED)
    organisations = fields.pop("organisations", None)
    people = fields.pop("people", None)
    if organisations is None:
        organisations = list(locked.invited_organisations.all())
    if people is None:
        people = list(locked.invited_people.all())
    values = {
        "title": fields.get("title", locked.title),
        "starts_at": fields.get("starts_at", locked.starts_at),
        "ends_at": fields.get("ends_at", locked.ends_at),
        "location": fields.get("location", locked.location),
        "video_url": fields.get("video_url", locked.video_url),
    }
    values["title"], invited = _clean_plan(
        actor, **values, organisations=organisations, people=people
    )
    previous_people = set(locked.invited_people.values_list("pk", flat=True))
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.sequence += 1
    locked.save()
    locked.invited_organisations.set(invited)
    locked.invited_people.set(list(people))
    removed = previous_people - {p.pk for p in people}
    invitations.send(locked, removed_user_ids=removed)
    return locked


@transaction.atomic
def cancel_conference(actor, conference, *, reason: str = "") -> Conference:
    _require_organiser(actor, conference)
    locked = _lock(Conference, conference)
    _require_state(locked, Status.PLANNED)
    locked.status = Status.CANCELLED
    locked.cancel_reason = reason.strip()[:300]
    locked.sequence += 1
    locked.save()
    invitations.send(locked)
    return locked


@transaction.atomic
def hold_conference(actor, conference) -> Conference:
    """Record that the conference took place (from its day on)."""
    _require_organiser(actor, conference)
    locked = _lock(Conference, conference)
    _require_state(locked, Status.PLANNED)
    if not locked.has_begun:
        raise ConferenceRefused(
            _("Die Fallberatung ist erst am %(day)s.")
            % {"day": timezone.localtime(locked.starts_at).strftime("%d.%m.%Y")}
        )
    locked.status = Status.HELD
    locked.save()
    return locked


@transaction.atomic
def record_minutes(actor, conference, *, text: str, version: int) -> Conference:
    _require_organiser(actor, conference)
    locked = _lock(Conference, conference)
    locked._expected_version = version
    _require_minutes_allowed(locked)
    locked.minutes = text.strip()
    locked.save()
    return locked


def _require_minutes_allowed(conference) -> None:
    _require_state(conference, Status.PLANNED, Status.HELD)
    if not conference.has_begun:
        raise ConferenceRefused(
            _("Protokoll und Vereinbarungen sind ab dem Tag der Fallberatung möglich.")
        )


# --- cases on the agenda -----------------------------------------------------------------------


def _clean_needs(actor, person, needs) -> list[Need]:
    needs = list(needs or [])
    allowed = set(
        Need.objects.visible_to(actor)
        .filter(person__in=[m.pk for m in members_of(person)])
        .values_list("pk", flat=True)
    )
    if any(need.pk not in allowed for need in needs):
        raise ValidationError({"needs": _("Dieser Bedarf gehört nicht zu diesem Fall.")})
    if any(need.entrusted for need in needs):
        raise ValidationError(
            {
                "needs": _(
                    "Anvertraute Angaben (§ 65 SGB VIII) werden in einer Fallberatung nicht "
                    "vorgestellt."
                )
            }
        )
    return sorted(needs, key=lambda need: need.pk)


def _identity_decisions(conference, person, at=None):
    """The policy's answer for naming ``person`` to each other participating organisation."""
    for organisation in participants(conference):
        if organisation.pk == person.organisation_id:
            continue
        yield (
            organisation,
            decide(
                recipient=organisation,
                person=person,
                category=categories.MASTER_DATA,
                purpose=Purpose.CASE_CONFERENCE,
                at=at,
            ),
        )


def identity_refusals(conference, person, at=None) -> dict[str, str]:
    """Organisation name → why it may not see the person's identity (empty: all covered)."""
    refusals = {}
    for organisation, decision in _identity_decisions(conference, person, at):
        if not decision.allowed:
            refusals[organisation.name] = decision.reason
        elif decision.consent is None:
            refusals[organisation.name] = _(
                "Keine Einwilligung für die Fallberatung gegenüber %(name)s."
            ) % {"name": organisation.name}
    return refusals


@in_default_language
def _identity_bases(conference, person, at):
    consents, bases = [], []
    for organisation, decision in _identity_decisions(conference, person, at):
        consents.append(decision.consent)
        bases.append(f"{organisation.name}: {decision.legal_basis}")
    return consents, bases


def check_text(field: str, text: str, person, *, confirmed: bool) -> bool:
    """Raise ``IdentifiersFound`` unless the author confirmed; returns whether there were any."""
    findings = find_identifiers(text, person)
    if findings and not confirmed:
        raise IdentifiersFound(field, findings)
    return bool(findings)


def preview_item(actor, conference, *, person, needs, question, presentation) -> AgendaItem:
    """The unsaved item exactly as it would be stored (for the author's preview)."""
    needs = _clean_needs(actor, person, needs)
    item = AgendaItem(
        conference=conference,
        network_id=actor.network_id,
        presenter=actor.organisation,
        person=person,
        question=(question or "").strip(),
        presentation=presentation,
    )
    item.shared = build_shared(person, needs)
    item.case_label = item.shared["case_label"]
    if presentation == Presentation.IDENTIFIED:
        item.identity = build_identity(person)
    return item


@transaction.atomic
def add_item(
    actor,
    conference,
    *,
    person,
    needs=(),
    question: str,
    presentation: str = Presentation.PSEUDONYMISED,
    confirm_identifiers: bool = False,
) -> AgendaItem:
    actor.require(Perm.PRESENT_CASES)
    if (
        person.organisation_id != actor.organisation.pk
        or not Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise ValidationError({"person": _("Diese Person gehört nicht zu Ihrer Fallakte.")})
    if not takes_part(actor.organisation, conference):
        raise ConferenceRefused(_("Ihre Organisation nimmt an dieser Fallberatung nicht teil."))
    _require_state(conference, Status.PLANNED)
    if presentation not in Presentation.values:
        raise ValidationError({"presentation": _("Unbekannte Darstellung.")})
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Bitte formulieren Sie die Fragestellung.")})
    needs = _clean_needs(actor, person, needs)
    now = timezone.now()
    if presentation == Presentation.IDENTIFIED:
        refusals = identity_refusals(conference, person, at=now)
        if refusals:
            raise ValidationError(
                {
                    "presentation": _(
                        "Mit Namen nur, wenn eine Einwilligung alle Teilnehmenden für die "
                        "Fallberatung abdeckt. Es fehlt: %(missing)s"
                    )
                    % {"missing": " ".join(refusals.values())}
                }
            )
    found = False
    if presentation == Presentation.PSEUDONYMISED:
        found = check_text("question", question, person, confirmed=confirm_identifiers)
    item = preview_item(
        actor, conference, person=person, needs=needs, question=question, presentation=presentation
    )
    item.created_by = actor.user
    item.warnings_confirmed = found
    item.position = (conference.items.aggregate(last=Max("position"))["last"] or 0) + 1
    consents = []
    if presentation == Presentation.IDENTIFIED:
        consents, bases = _identity_bases(conference, person, now)
        item.legal_basis = "; ".join(bases)
    else:
        item.legal_basis = PSEUDONYMISED_BASIS
    item.save()
    item.needs.set(needs)
    consents = list({c.pk: c for c in consents if c is not None}.values())
    item.consents.set(consents)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        subject=person,
        purpose=PURPOSE,
        legal_basis=item.audit_basis([c.pk for c in consents]),
    )
    return item


@transaction.atomic
def remove_item(actor, item) -> None:
    conference = item.conference
    if item.presenter_id != actor.organisation.pk or not actor.can(Perm.PRESENT_CASES):
        raise ConferenceRefused(_("Nur die vorstellende Organisation kann den Fall zurückziehen."))
    _require_state(conference, Status.PLANNED)
    if item.actions.exists():
        raise ConferenceRefused(_("Zu diesem Fall gibt es schon Vereinbarungen."))
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=item,
        subject=item.person,
        purpose=PURPOSE,
    )
    item.delete()


def may_minute_item(actor, item) -> bool:
    conference = item.conference
    return is_organiser(actor, conference) or (
        item.presenter_id == actor.organisation.pk and actor.can(Perm.PRESENT_CASES)
    )


@transaction.atomic
def record_item_minutes(
    actor, item, *, text: str, version: int, confirm_identifiers: bool = False
) -> AgendaItem:
    if not may_minute_item(actor, item):
        raise ConferenceRefused(
            _("Das Protokoll führen die einladende und die vorstellende Organisation.")
        )
    _require_minutes_allowed(item.conference)
    text = (text or "").strip()
    locked = _lock(AgendaItem, item)
    locked._expected_version = version
    pseudonymised = not locked.is_identified and locked.person is not None
    if pseudonymised and check_text("minutes", text, locked.person, confirmed=confirm_identifiers):
        locked.warnings_confirmed = True
    locked.minutes = text
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        subject=locked.person,
        purpose=PURPOSE,
        controller=locked.presenter,
    )
    return locked


def record_views(actor, views) -> None:
    """One audit entry per case shown, grouped by controller and basis (one chain lock each)."""
    groups: dict[tuple, list] = {}
    for view in views:
        item = view.item
        basis = view.identity_basis if view.identity else PSEUDONYMISED_BASIS
        if view.own:
            basis = item.audit_basis()
        groups.setdefault((item.presenter_id, basis[:120]), []).append(view)
    for (_presenter, basis), group in groups.items():
        audit.record_many(
            actor=actor,
            action=AuditAction.VIEW,
            items=[(view.item, view.item.person) for view in group],
            purpose=PURPOSE,
            legal_basis=basis,
            controller=group[0].item.presenter,
        )


# --- agreed actions ----------------------------------------------------------------------------


def _due(conference, *, due_date: date | None, due_in_days: int | None) -> date:
    network = conference.network
    today = timezone.localdate()
    if due_in_days is not None:
        if due_in_days < 1:
            raise ValidationError({"due_in_days": _("Mindestens ein Arbeitstag.")})
        return network.add_working_days(today, due_in_days)
    if due_date is None:
        raise ValidationError(
            {"due_date": _("Bitte geben Sie an, bis wann die Maßnahme erledigt sein soll.")}
        )
    if due_date < today:
        raise ValidationError({"due_date": _("Das Datum liegt in der Vergangenheit.")})
    if not network.is_working_day(due_date):
        raise ValidationError(
            {
                "due_date": _("Der %(day)s ist kein Arbeitstag. Nächster Arbeitstag: %(next)s.")
                % {
                    "day": due_date.strftime("%d.%m.%Y"),
                    "next": network.add_working_days(due_date, 1).strftime("%d.%m.%Y"),
                }
            }
        )
    return due_date


def may_add_actions(actor, conference, item=None) -> bool:
    if is_organiser(actor, conference):
        return True
    return (
        item is not None
        and item.presenter_id == actor.organisation.pk
        and actor.can(Perm.PRESENT_CASES)
    )


@transaction.atomic
def add_action(
    actor,
    conference,
    *,
    item=None,
    title: str,
    owner=None,
    owner_user=None,
    due_date: date | None = None,
    due_in_days: int | None = None,
    confirm_identifiers: bool = False,
) -> Action:
    if not may_add_actions(actor, conference, item):
        raise ConferenceRefused(
            _("Vereinbarungen halten die einladende und die vorstellende Organisation fest.")
        )
    _require_minutes_allowed(conference)
    if item is not None and item.conference_id != conference.pk:
        raise ValidationError({"item": _("Dieser Fall steht nicht auf dieser Tagesordnung.")})
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Bitte beschreiben Sie, was vereinbart ist.")
    if owner is None:
        errors["owner"] = _("Bitte wählen Sie die zuständige Organisation.")
    elif not takes_part(owner, conference):
        errors["owner"] = _("%(name)s nimmt an dieser Fallberatung nicht teil.") % {
            "name": owner.name
        }
    elif (
        owner_user is not None
        and not Membership.objects.active().filter(user=owner_user, organisation=owner).exists()
    ):
        errors["owner_user"] = _("%(user)s arbeitet nicht bei %(name)s.") % {
            "user": owner_user.get_full_name() or owner_user.username,
            "name": owner.name,
        }
    if errors:
        raise ValidationError(errors)
    due = _due(conference, due_date=due_date, due_in_days=due_in_days)
    if item is not None and not item.is_identified and item.person is not None:
        check_text("title", title, item.person, confirmed=confirm_identifiers)
    action = Action.objects.create(
        network_id=conference.network_id,
        conference=conference,
        item=item,
        title=title,
        owner=owner,
        owner_user=owner_user,
        due_date=due,
        created_by=actor.user,
    )
    if item is not None:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=action,
            subject=item.person,
            purpose=PURPOSE,
            controller=item.presenter,
        )
    notifications.action_assigned(action)
    return action


def may_update_action(actor, action) -> bool:
    organisation = actor.organisation.pk
    if action.owner_id == organisation and actor.can(Perm.VIEW_CONFERENCES):
        return True
    return may_add_actions(actor, action.conference, action.item)


@transaction.atomic
def set_action_status(actor, action, *, status: str, note: str = "", version: int) -> Action:
    if not may_update_action(actor, action):
        raise ConferenceRefused(
            _("Den Stand pflegen die zuständige, die einladende und die vorstellende Organisation.")
        )
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unbekannter Status.")})
    locked = _lock(Action, action)
    locked._expected_version = version
    locked.status = status
    locked.status_note = (note or "").strip()[:300]
    locked.done_at = timezone.now() if status == ActionStatus.DONE else None
    locked.save()
    return locked


def link_referral(actor, action, referral) -> bool:
    """Note that ``referral`` carries out ``action`` (sent from the presenter's case file)."""
    item = action.item
    if (
        item is None
        or item.presenter_id != actor.organisation.pk
        or referral.sender_id != actor.organisation.pk
        or referral.person_id != item.person_id
        or action.referral_id is not None
    ):
        return False
    Action.objects.filter(pk=action.pk, referral__isnull=True).update(referral=referral)
    return True


def remind_overdue(today: date | None = None) -> int:
    """Remind the owners of open actions past their due date (once per action)."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Action.objects.overdue(today).select_related(
        "owner", "owner_user", "conference", "conference__organiser"
    )
    for action in overdue.filter(conference__status=Status.HELD).iterator():
        sent += len(notifications.action_overdue(action))
    return sent


# --- a revoked consent --------------------------------------------------------------------------


@in_default_language
@transaction.atomic
def apply_revocation(consent, actor=None) -> int:
    """Items presented with identity on this consent show pseudonymised from now on (the
    policy hides the identity anyway); the mark tells the participants why."""
    now = timezone.now()
    items = list(
        AgendaItem.objects.filter(
            consents=consent,
            presentation=Presentation.IDENTIFIED,
            identity_revoked_at__isnull=True,
        ).select_related("presenter")
    )
    for item in items:
        AgendaItem.objects.filter(pk=item.pk).update(identity_revoked_at=now)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            subject=consent.data_subject,
            purpose=PURPOSE,
            legal_basis=_("Widerruf der Einwilligung Nr. %(pk)s") % {"pk": consent.pk},
            controller=item.presenter,
            network_id=item.network_id,
        )
    return len(items)


def series_predecessor(conference):
    """The last held meeting of the same series before this one."""
    if conference.series_id is None:
        return None
    return (
        Conference.objects.filter(
            series_id=conference.series_id,
            starts_at__lt=conference.starts_at,
            status=Status.HELD,
        )
        .order_by("-starts_at")
        .first()
    )
