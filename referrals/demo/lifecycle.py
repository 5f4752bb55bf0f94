"""One referral's life from sending until now: the moments, the events, the escalations.

The planner (``referrals.demo.step``) decides who refers whom, when and on which basis; this
module decides what happened next, with the timings of a working administration: opened within
hours, answered mostly within the track's deadline, some late, completed with an outcome, some
declined, forwarded or withdrawn. Everything that would happen after ``now`` is cut off, so
recent referrals are still open, and the late ones among them are overdue and escalated as the
hourly escalation task (``referrals.escalation``) would have done it: one level the night after
the deadline, the second once more than ``second_escalation_after`` working days have passed.
Each step is the transition the services make (``referrals.transitions``), recorded as the
event they write, by the user and organisation who would have made it. One event is left out:
``create_referral`` records the draft a moment before ``send_referral`` records "sent"; for
referrals created and sent in one go that first row says nothing the second does not, and
leaving it out saves a fifth of the rows (drafts keep theirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from core import workdays
from referrals.choices import URGENT_TRACKS, DeclineReason, EventKind, PointerOutcome, Status
from referrals.demo import texts
from referrals.demo.sources import local as local_time
from referrals.demo.sources import local_day, zone
from referrals.escalation import COORDINATION, TEAM_LEAD
from referrals.escalation import _describe as describe_escalation

# Minutes past the hour when the hourly escalation task runs (cron).
TASK_MINUTE = 5
# Fates of a referral once it is sent (shares; the rest is accepted).
WITHDRAWN_EARLY = 0.03
DECLINED = 0.09
FORWARDED = 0.05
FORGOTTEN = 0.004  # nobody ever answered: open for months, escalated twice
WITHDRAWN_RUNNING = 0.02
STARTED = 0.65  # accepted referrals that are marked "in progress" before completion
LATE_ANSWER = {True: 0.07, False: 0.12}  # urgent, standard
LATE_COMPLETION = 0.12
POINTER_ANSWERED = 0.8
POINTER_OUTCOMES = {
    PointerOutcome.ARRIVED: 62,
    PointerOutcome.NOT_ARRIVED: 20,
    PointerOutcome.UNKNOWN: 18,
}


def at_time(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute, tzinfo=zone()))


@dataclass
class Planned:
    """A referral (or pointer, or draft) as planned: its row, events, messages, links."""

    row: dict
    sender_user: int | None
    handlers: list[int]
    needs: list[int] = field(default_factory=list)
    consents: list[int] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    forwarded_from: Planned | None = None
    # When and by whom the consent behind it was revoked (after sending), if it was.
    revoked: tuple[datetime, int | None] | None = None
    person: object = None
    id: int | None = None
    seq: int = 0  # planning order, to break ties between equal moments


class Lifecycle:
    def __init__(
        self, *, rng, now: datetime, state: str, deadlines: dict, second_after: int, first: date
    ):
        self.rng = rng
        self.now = now
        self.state = state
        self.deadlines = deadlines
        self.second_after = second_after
        self._notes: dict[tuple[int, str], str] = {}
        # The working days from ``first`` to well past today, and for every calendar day the
        # index of the first working day on or after it: deadlines are counted a hundred
        # thousand times, ``workdays.add_working_days`` walks day by day.
        last = local_day(now) + timedelta(days=400)
        self._working: list[date] = []
        self._on_or_after: dict[date, int] = {}
        pending = []
        day = first
        while day <= last:
            pending.append(day)
            if workdays.is_working_day(day, state):
                for waiting in pending:
                    self._on_or_after[waiting] = len(self._working)
                pending = []
                self._working.append(day)
            day += timedelta(days=1)

    def _describe(self, level: int, phase: str) -> str:
        if (level, phase) not in self._notes:
            self._notes[(level, phase)] = describe_escalation(level, phase)
        return self._notes[(level, phase)]

    # --- calendar ------------------------------------------------------------------------------

    def add(self, day: date, days: int) -> date:
        """As ``workdays.add_working_days`` (the start day never counts)."""
        start = day if days == 0 else day + timedelta(days=1)
        index = self._on_or_after.get(start)
        if index is None or index + max(0, days - 1) >= len(self._working):
            return workdays.add_working_days(day, days, self.state)
        return self._working[index + max(0, days - 1)]

    def is_working_day(self, day: date) -> bool:
        index = self._on_or_after.get(day)
        if index is None or index >= len(self._working):
            return workdays.is_working_day(day, self.state)
        return self._working[index] == day

    def office(self, day: date, first: int = 8, last: int = 16) -> datetime:
        """A moment during office hours of ``day`` (from ``first`` to ``last``:59 o'clock)."""
        minutes = int(self.rng.random() * (last - first + 1) * 60)
        return at_time(day, first + minutes // 60, minutes % 60)

    def after(self, moment: datetime, earliest: datetime, minutes: tuple[int, int]) -> datetime:
        """``moment``, or a little after ``earliest`` if it would come before it."""
        if moment > earliest:
            return moment
        return earliest + timedelta(minutes=self.rng.randint(*minutes))

    def _receive(self, sent: datetime, urgent: bool) -> datetime:
        """Opened within the hour when urgent, within a few hours otherwise; what arrives after
        office hours is opened the next working day."""
        rng = self.rng
        minutes = rng.randint(3, 75) if urgent else int(rng.triangular(10, 60 * 26, 90))
        received = sent + timedelta(minutes=minutes)
        local = local_time(received)
        if not 8 <= local.hour < 17 or not self.is_working_day(local.date()):
            day = local.date() if local.hour < 8 else local.date() + timedelta(days=1)
            received = self.office(self.add(day, 0), 8, 9)
        return received

    def _tick(self, day: date) -> datetime:
        return at_time(day, 0, TASK_MINUTE)

    def _next_tick(self, moment: datetime) -> datetime:
        local = local_time(moment)
        tick = local.replace(minute=TASK_MINUTE, second=0, microsecond=0)
        return tick if tick > local else tick + timedelta(hours=1)

    # --- the steps ----------------------------------------------------------------------------

    def _event(self, p: Planned, at, kind, before="", after="", user=None, org=None, note=""):
        p.events.append(
            {
                "kind": kind,
                "from_status": before,
                "to_status": after,
                "note": note,
                "at": at,
                "user_id": user,
                "organisation_id": org,
            }
        )

    def _step(self, p: Planned, at, after, user, org, note="") -> bool:
        """A status change at ``at`` if that is not in the future; False once it would be."""
        if at > self.now:
            return False
        self._event(p, at, EventKind.STATUS, p.row["status"], after, user, org, note)
        p.row["status"] = after
        if after in (Status.DECLINED, Status.FORWARDED, Status.COMPLETED, Status.WITHDRAWN):
            p.row["closed_at"] = at
        return True

    def _escalations(self, p: Planned, due: date, *, start: datetime, end: datetime | None, phase):
        """What the hourly task did while ``due`` was running and unmet (until ``end`` or now)."""
        first = max(self._tick(due + timedelta(days=1)), self._next_tick(start))
        second = max(self._tick(self.add(due, self.second_after + 1)), first)
        limit = self.now if end is None else min(end, self.now)
        steps = []
        if first < limit:
            steps = [(first, COORDINATION)] if second == first else [(first, TEAM_LEAD)]
            if second != first and second < limit:
                steps.append((second, COORDINATION))
        for moment, level in steps:
            note = self._describe(level, phase)
            self._event(p, moment, EventKind.ESCALATION, note=note)
            p.row["escalation_level"] = level
            p.row["escalated_at"] = moment

    # --- lives ----------------------------------------------------------------------------------

    def referral(self, p: Planned, forward=None) -> None:
        """Simulate a sent referral. ``forward(moment, user)`` (None: the recipient may not
        pass it on) creates the onward referral if some organisation may receive the data then,
        and returns that organisation's name."""
        rng, row = self.rng, p.row
        urgent = row["track"] in URGENT_TRACKS
        response_days, completion_days = self.deadlines[row["track"]]
        sent = row["sent_at"]
        day0 = local_day(sent)
        due = row["response_due"] = self.add(day0, response_days)
        target = row["completion_due"] = self.add(day0, completion_days)
        sender, recipient = row["sender_id"], row["recipient_id"]
        row["status"] = Status.DRAFT
        self._step(p, sent, Status.SENT, p.sender_user, sender)
        handler = rng.choice(p.handlers)
        opener = handler if rng.random() < 0.7 else rng.choice(p.handlers)
        received = self._receive(sent, urgent)

        roll = rng.random()
        late = rng.random() < LATE_ANSWER[urgent]
        if late:
            offset = response_days + 1 + int(rng.random() * (3 if urgent else 8))
        else:
            mode = 0 if urgent else response_days * 0.4
            offset = min(response_days, int(rng.triangular(0, response_days + 1, mode)))
        answer = self.after(self.office(self.add(day0, offset)), received, (10, 120))
        if roll < FORGOTTEN:
            answer = None
        fate = "accept"
        if roll < FORGOTTEN:
            fate = "forgotten"
        elif roll < FORGOTTEN + WITHDRAWN_EARLY:
            fate = "withdraw"
        elif roll < FORGOTTEN + WITHDRAWN_EARLY + DECLINED:
            fate = "decline"
        elif roll < FORGOTTEN + WITHDRAWN_EARLY + DECLINED + FORWARDED and forward is not None:
            fate = "forward"

        end = answer
        if fate == "withdraw":
            span = max(1, (answer - sent).total_seconds())
            end = sent + timedelta(seconds=span * rng.uniform(0.1, 0.9))
        if received < (end or self.now) and self._step(
            p, received, Status.RECEIVED, opener, recipient
        ):
            row["received_at"] = received
        self._escalations(p, due, start=sent, end=end, phase="response")
        if end is None:
            return
        if fate == "withdraw":
            self._step(
                p, end, Status.WITHDRAWN, p.sender_user, sender, rng.choice(texts.WITHDRAW_NOTES)
            )
            return
        if fate == "forward" and answer <= self.now:
            target_name = forward(answer, handler)
            if target_name is None:
                fate = "not_responsible"  # nobody else may receive it: declined instead
            else:
                note = _("an %(name)s") % {"name": target_name}
                self._step(p, answer, Status.FORWARDED, handler, recipient, note)
                row["responded_at"], row["handler_id"] = answer, handler
                return
        if fate in ("decline", "not_responsible"):
            reason = rng.choices(list(texts.DECLINE_WEIGHTS), list(texts.DECLINE_WEIGHTS.values()))[
                0
            ]
            if fate == "not_responsible":
                reason = DeclineReason.NOT_RESPONSIBLE
            note = rng.choice(texts.DECLINE_NOTES[reason])
            if self._step(p, answer, Status.DECLINED, handler, recipient, note):
                row.update(responded_at=answer, handler_id=handler, decline_reason=reason)
                row["outcome_note"] = note
            return
        if not self._step(p, answer, Status.ACCEPTED, handler, recipient):
            return
        # services.accept: the answer came, only the completion target runs (and escalates) now.
        row.update(responded_at=answer, handler_id=handler, escalation_level=0)
        self._running(p, day0, offset, answer, target, completion_days, urgent, handler)

    def _running(self, p, day0, offset, answer, target, completion_days, urgent, handler):
        rng, row = self.rng, p.row
        answer_day = local_day(answer)
        if rng.random() < LATE_COMPLETION:
            done = completion_days + 1 + int(rng.random() * (5 if urgent else 15))
        else:
            low = min(completion_days, offset + 1)
            done = int(
                rng.triangular(low, completion_days + 1, low + (completion_days - low) * 0.6)
            )
            done = min(completion_days, max(low, done))
        finished = self.after(self.office(self.add(day0, done)), answer, (30, 240))
        withdrawn = rng.random() < WITHDRAWN_RUNNING
        end = finished
        if withdrawn:
            end = answer + (finished - answer) * rng.uniform(0.2, 0.9)
        if rng.random() < STARTED:
            started = self.after(
                self.office(self.add(answer_day, rng.randint(0, 3))), answer, (5, 60)
            )
            # Work starts before the referral ends (completed or withdrawn), never after.
            if started < end:
                self._step(p, started, Status.IN_PROGRESS, handler, row["recipient_id"])
        self._escalations(p, target, start=answer, end=end, phase="completion")
        if withdrawn:
            note = rng.choice(texts.WITHDRAW_NOTES)
            self._step(p, end, Status.WITHDRAWN, p.sender_user, row["sender_id"], note)
            return
        weights = texts.URGENT_OUTCOME_WEIGHTS if urgent else texts.OUTCOME_WEIGHTS
        outcome = rng.choices(list(weights), list(weights.values()))[0]
        note = rng.choice(texts.OUTCOME_NOTES[outcome])
        if self._step(p, finished, Status.COMPLETED, handler, row["recipient_id"], note):
            row.update(outcome=outcome, outcome_note=note)

    def pointer(self, p: Planned) -> None:
        """A pointer is recorded as sent at once; the sender may later note whether the person
        arrived (``record_arrival``)."""
        rng, row = self.rng, p.row
        sent, sender = row["sent_at"], row["sender_id"]
        row["status"] = Status.DRAFT
        self._step(p, sent, Status.SENT, p.sender_user, sender)
        answered = rng.random() < POINTER_ANSWERED
        day = self.add(local_day(sent), rng.randint(5, 30))
        moment = self.office(day)
        if not answered:
            return
        outcome = rng.choices(list(POINTER_OUTCOMES), list(POINTER_OUTCOMES.values()))[0]
        note = rng.choice(texts.ARRIVAL_NOTES)
        if self._step(p, moment, Status.COMPLETED, p.sender_user, sender, note):
            row.update(pointer_outcome=outcome, outcome_note=note)

    def draft(self, p: Planned) -> None:
        row = p.row
        self._event(
            p,
            row["created_at"],
            EventKind.STATUS,
            "",
            Status.DRAFT,
            p.sender_user,
            row["sender_id"],
        )
        row["status"] = Status.DRAFT

    def messages(self, p: Planned, count: int) -> None:
        """A short thread between the two organisations while the referral was being handled."""
        rng, row = self.rng, p.row
        start = row.get("received_at")
        if start is None:
            return
        end = min(row.get("closed_at") or self.now, self.now)
        if end <= start:
            return
        moments = sorted(start + (end - start) * rng.random() for _ in range(count))
        from_recipient = rng.random() < 0.5
        for moment in moments:
            if from_recipient:
                org, author = row["recipient_id"], row.get("handler_id") or rng.choice(p.handlers)
                body = rng.choice(texts.RECIPIENT_MESSAGES)
            else:
                org, author, body = (
                    row["sender_id"],
                    p.sender_user,
                    rng.choice(texts.SENDER_MESSAGES),
                )
            p.messages.append(
                {"organisation_id": org, "author_id": author, "body": body, "created_at": moment}
            )
            from_recipient = not from_recipient

    def revocation(self, p: Planned, controller_id: int) -> None:
        """Mark a referral whose consent was revoked after sending, as
        ``services.apply_revocation`` does under the default rule of a new network ("continue":
        it stays as it is, nothing new may follow)."""
        if p.revoked is None:
            return
        moment, user = p.revoked
        p.row["consent_revoked_at"] = moment
        self._event(
            p,
            moment,
            EventKind.REVOCATION,
            user=user,
            org=controller_id,
            note=_("Keine neuen Daten mehr."),
        )
