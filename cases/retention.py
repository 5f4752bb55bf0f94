"""Retention (Löschfristen): which closed case files are due for deletion, and erasing them.

A closed case file is kept for a period after it closes (a ``RetentionRule`` of the
organisation, or the default of its legal regime). When the period has passed the daily task
lists it for the data protection officer (``DeletionReview``); only their decision erases it.
Erasure removes everything personal and keeps an anonymised ``ErasedCaseStatistic``. The audit
trail stays: it holds references only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import RetentionRecordType, ReviewStatus
from cases.models import (
    Consent,
    CooperationPlan,
    DeletionReview,
    Document,
    ErasedCaseStatistic,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    PlanVersion,
    RetentionRule,
)
from core import audit
from core.choices import AuditAction, LegalRegime
from core.models import Organisation
from core.permissions import Perm

# Defaults when an organisation has no RetentionRule for a record type: years after the case
# closed. They are deliberately conservative placeholders; each network sets the periods its
# organisations really apply (records management rules, Aktenordnung) as RetentionRule in the
# admin, and the review page shows which one applies.
DEFAULT_YEARS = {
    LegalRegime.SGB_II: 10,
    LegalRegime.SGB_III: 10,
    LegalRegime.SGB_XII: 10,
    # Youth-welfare files are kept far longer (e.g. adoption, care histories asked for later).
    LegalRegime.SGB_VIII: 50,
    LegalRegime.NONE: 3,
}

RETENTION_PURPOSE = "Löschung nach Ablauf der Aufbewahrungsfrist"
RETENTION_BASIS = "Art. 17 DSGVO, § 84 SGB X"


@dataclass(frozen=True)
class Period:
    """The retention period that applies, and where it comes from."""

    years: int
    rule: RetentionRule | None

    @property
    def is_default(self) -> bool:
        return self.rule is None


@dataclass(frozen=True)
class DueRecord:
    record_type: str
    record: Household | Person
    due_on: date


# --- periods -------------------------------------------------------------------------------


def period_for(organisation, record_type: str) -> Period:
    rule = RetentionRule.objects.filter(organisation=organisation, record_type=record_type).first()
    if rule is not None:
        return Period(years=rule.years, rule=rule)
    return Period(years=DEFAULT_YEARS.get(organisation.legal_regime, 10), rule=None)


def retention_years(organisation, record_type: str) -> int:
    return period_for(organisation, record_type).years


def periods_for(organisation) -> list[dict]:
    """The effective period per record type (overview for the data protection officer)."""
    return [
        {"record_type": value, "label": label, "period": period_for(organisation, value)}
        for value, label in RetentionRecordType.choices
    ]


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without it
        return day.replace(year=day.year + years, day=28)


def record_type_of(record) -> str:
    if isinstance(record, Household):
        return RetentionRecordType.HOUSEHOLD
    return RetentionRecordType.PERSON


def due_on(record, years: int | None = None) -> date | None:
    """The day a closed case file may be deleted; None while it is open."""
    if record.closed_on is None:
        return None
    if years is None:
        years = retention_years(record.organisation, record_type_of(record))
    return add_years(record.closed_on, years)


# --- which records are due -----------------------------------------------------------------


def _closed_records(organisation):
    households = (
        Household.objects.of_controller(organisation)
        .filter(closed_on__isnull=False, legal_hold=False, erased_at__isnull=True)
        .exclude(members__legal_hold=True)
    )
    # Members go with their household; only persons without one are files of their own.
    persons = Person.objects.of_controller(organisation).filter(
        household__isnull=True, closed_on__isnull=False, legal_hold=False, erased_at__isnull=True
    )
    return [(RetentionRecordType.HOUSEHOLD, households), (RetentionRecordType.PERSON, persons)]


def _due_entries(organisation, today: date) -> list[tuple[str, int, date]]:
    entries = []
    for record_type, queryset in _closed_records(organisation):
        years = retention_years(organisation, record_type)
        # A day of margin for 29 February; the exact check is add_years below.
        cutoff = add_years(today, -years) + timedelta(days=1)
        rows = queryset.filter(closed_on__lte=cutoff).values_list("pk", "closed_on").distinct()
        for pk, closed_on in rows:
            day = add_years(closed_on, years)
            if day <= today:
                entries.append((record_type, pk, day))
    return entries


def records_due(organisation, today: date | None = None) -> list[DueRecord]:
    """Closed case files whose period has passed, without legal hold, not yet erased."""
    today = today or timezone.localdate()
    entries = _due_entries(organisation, today)
    models = {RetentionRecordType.HOUSEHOLD: Household, RetentionRecordType.PERSON: Person}
    result = []
    for record_type, model in models.items():
        days = {pk: day for kind, pk, day in entries if kind == record_type}
        for record in model.objects.filter(pk__in=days):
            result.append(DueRecord(record_type, record, days[record.pk]))
    return sorted(result, key=lambda item: (item.due_on, item.record_type, item.record.pk))


def list_due_for_review(today: date | None = None) -> int:
    """Put every due case file before its data protection officer; return how many are new.

    Idempotent: a record gets one review, ever (whatever its status). Pending reviews of records
    that are no longer due (legal hold since, case reopened, longer rule) are withdrawn, so the
    officer only sees real decisions.
    """
    today = today or timezone.localdate()
    created = 0
    for organisation in Organisation.objects.order_by("pk"):
        entries = _due_entries(organisation, today)
        reviews = DeletionReview.objects.filter(organisation=organisation)
        known = set(reviews.values_list("record_type", "object_id"))
        due_keys = {(kind, pk) for kind, pk, _day in entries}
        stale = [
            pk
            for pk, kind, object_id in reviews.filter(status=ReviewStatus.PENDING).values_list(
                "pk", "record_type", "object_id"
            )
            if (kind, object_id) not in due_keys
        ]
        if stale:
            DeletionReview.objects.filter(pk__in=stale).delete()
        new = [
            DeletionReview(
                network_id=organisation.network_id,
                organisation=organisation,
                record_type=kind,
                object_id=pk,
                due_on=day,
            )
            for kind, pk, day in entries
            if (kind, pk) not in known
        ]
        # ignore_conflicts: two overlapping runs must not fail; the constraint keeps one row.
        DeletionReview.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


# --- the officer's decision ----------------------------------------------------------------


def record_of(review: DeletionReview) -> Household | Person | None:
    model = Household if review.record_type == RetentionRecordType.HOUSEHOLD else Person
    return (
        model.objects.of_controller(review.organisation)
        .filter(pk=review.object_id)
        .select_related("municipality")
        .first()
    )


def persons_of(record) -> list[Person]:
    if isinstance(record, Household):
        return list(record.members.all())
    return [record]


def _plans_of(record, persons) -> list[CooperationPlan]:
    query = Q(person__in=persons)
    if isinstance(record, Household):
        query |= Q(household=record)
    return list(CooperationPlan.objects.filter(query))


def not_due_reason(review: DeletionReview, record, today: date | None = None) -> str | None:
    """Why this record may not be erased (any more), or None when it may."""
    today = today or timezone.localdate()
    if record is None or record.erased_at is not None:
        return _("Diese Akte gibt es nicht mehr.")
    persons = persons_of(record)
    held = next((p for p in [record, *persons] if p.legal_hold), None)
    if held is not None:
        return _("Für diese Akte besteht eine Aufbewahrungspflicht: %(reason)s") % {
            "reason": held.legal_hold_reason or _("ohne Angabe")
        }
    if record.closed_on is None:
        return _("Der Fall ist wieder offen.")
    if isinstance(record, Person) and record.household_id:
        return _("Die Person gehört inzwischen zu einer Bedarfsgemeinschaft.")
    day = due_on(record)
    if day > today:
        return _("Die Aufbewahrungsfrist läuft noch bis %(date)s.") % {
            "date": day.strftime("%d.%m.%Y")
        }
    return None


def _references_from_other_files(persons) -> str | None:
    """PROTECT links from records outside this case file would block (and must block) erasure."""
    if Need.objects.filter(entrusted_by__in=persons).exclude(person__in=persons).exists():
        return _(
            "Eine Person dieser Akte hat Angaben in einer anderen Akte anvertraut "
            "(§ 65 SGB VIII). Diese Angaben verweisen auf sie; die Akte kann erst gelöscht "
            "werden, wenn die andere Akte gelöscht ist."
        )
    if (
        Consent.objects.filter(signatory_person__in=persons)
        .exclude(data_subject__in=persons)
        .exists()
    ):
        return _(
            "Eine Person dieser Akte hat eine Einwilligung für eine Person in einer anderen Akte "
            "unterschrieben. Die Akte kann erst gelöscht werden, wenn die andere Akte gelöscht ist."
        )
    return None


def erasure_summary(review: DeletionReview) -> dict:
    """What erasing this review's record would remove (for the confirmation page)."""
    record = record_of(review)
    if record is None:
        return {"record": None, "reason": not_due_reason(review, None)}
    persons = persons_of(record)
    plans = _plans_of(record, persons)
    reason = not_due_reason(review, record) or _references_from_other_files(persons)
    return {
        "record": record,
        "persons": persons,
        "reason": reason,
        "counts": {
            "persons": len(persons),
            "needs": Need.objects.filter(person__in=persons).count(),
            "documents": Document.objects.filter(person__in=persons).count(),
            "consents": Consent.objects.filter(data_subject__in=persons).count(),
            "assessments": HelpAssessment.objects.filter(person__in=persons).count(),
            "plan_versions": PlanVersion.objects.filter(plan__in=plans).count(),
            "plan_steps": PlanStep.objects.filter(plan__in=plans).count(),
        },
    }


def _check_decision(actor, review: DeletionReview) -> DeletionReview:
    actor.require(Perm.MANAGE_RETENTION)
    if actor.organisation is None or review.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    locked = DeletionReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(_("Über diese Akte wurde bereits entschieden."))
    return locked


@transaction.atomic
def erase(*, actor, review: DeletionReview) -> ErasedCaseStatistic:
    """Erase a due case file for good; keep counts without anything personal."""
    review = _check_decision(actor, review)
    record = record_of(review)
    reason = not_due_reason(review, record)
    if reason:
        raise ValidationError(reason)
    persons = persons_of(record)
    reason = _references_from_other_files(persons)
    if reason:
        raise ValidationError(reason)

    plans = _plans_of(record, persons)
    needs = Need.objects.filter(person__in=persons)
    need_counts = {
        row["problem_situation__code"]: row["n"]
        for row in needs.values("problem_situation__code").annotate(n=Count("pk")).order_by()
    }
    statistic = ErasedCaseStatistic(
        network_id=review.network_id,
        organisation_id=review.organisation_id,
        municipality_id=record.municipality_id,
        record_type=review.record_type,
        opened_year=timezone.localtime(record.created_at).year,
        closed_year=record.closed_on.year,
        persons=len(persons),
        need_counts=need_counts,
        plan_steps=PlanStep.objects.filter(plan__in=plans).count(),
    )
    statistic.full_clean(exclude=["municipality"])  # a person file may have no municipality
    statistic.save()

    items = [(person, person) for person in persons]
    if isinstance(record, Household):
        items.append((record, None))
    audit.record_many(
        actor=actor,
        action=AuditAction.DELETE,
        items=items,
        purpose=RETENTION_PURPOSE,
        legal_basis=RETENTION_BASIS,
        controller=review.organisation,
    )
    _delete_case_file(record, persons, plans)

    review.status = ReviewStatus.ERASED
    review.decided_by = actor.user
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at"])
    return statistic


def _delete_case_file(record, persons, plans) -> None:
    consents = Consent.objects.filter(data_subject__in=persons)
    documents = Document.objects.filter(person__in=persons)
    files = [
        (field.storage, field.name)
        for field in [c.document for c in consents] + [d.file for d in documents]
        if field
    ]
    doomed = {
        Consent: list(consents.values_list("pk", flat=True)),
        Document: list(documents.values_list("pk", flat=True)),
        HelpAssessment: list(
            HelpAssessment.objects.filter(person__in=persons).values_list("pk", flat=True)
        ),
        Need: list(Need.objects.filter(person__in=persons).values_list("pk", flat=True)),
        CooperationPlan: [plan.pk for plan in plans],
        PlanGoal: list(PlanGoal.objects.filter(plan__in=plans).values_list("pk", flat=True)),
        PlanStep: list(PlanStep.objects.filter(plan__in=plans).values_list("pk", flat=True)),
        Person: [person.pk for person in persons],
        Household: [record.pk] if isinstance(record, Household) else [],
    }
    try:
        # The change history would keep every deleted value: no new entries, and the old
        # entries of these records go too (the audit trail of references stays).
        with disable_auditlog():
            consents.delete()
            documents.delete()
            HelpAssessment.objects.filter(pk__in=doomed[HelpAssessment]).delete()
            # Needs entrusted by a member of this case point at that member (PROTECT): needs
            # first, then persons, then the household (Person.household is PROTECT too).
            CooperationPlan.objects.filter(pk__in=doomed[CooperationPlan]).delete()
            Need.objects.filter(pk__in=doomed[Need]).delete()
            Person.objects.filter(pk__in=doomed[Person]).delete()
            Household.objects.filter(pk__in=doomed[Household]).delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("Die Akte ist noch mit anderen Einträgen verknüpft und kann nicht gelöscht werden.")
        ) from error
    for model, pks in doomed.items():
        if pks:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            ).delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    # Only once the erasure is committed: a rollback must not lose the files.
    transaction.on_commit(remove_files)


@transaction.atomic
def hold(*, actor, review: DeletionReview, note: str) -> DeletionReview:
    """Keep the record for now (e.g. a pending objection); the note says why."""
    review = _check_decision(actor, review)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Bitte geben Sie an, warum die Akte bleibt.")})
    review.status = ReviewStatus.HELD
    review.note = note
    review.decided_by = actor.user
    review.decided_at = timezone.now()
    review.full_clean()
    review.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return review


# --- pages ---------------------------------------------------------------------------------


def pending_reviews(actor):
    """The actor's organisation's reviews waiting for a decision, oldest due first."""
    return DeletionReview.objects.visible_to(actor).filter(status=ReviewStatus.PENDING)


def review_rows(actor, reviews) -> list[dict]:
    """Reviews with their record, the persons in it and the period applied (one page)."""
    reviews = list(reviews)
    organisation = actor.organisation
    households = Household.objects.of_controller(organisation).in_bulk(
        [r.object_id for r in reviews if r.record_type == RetentionRecordType.HOUSEHOLD]
    )
    persons = Person.objects.of_controller(organisation).in_bulk(
        [r.object_id for r in reviews if r.record_type == RetentionRecordType.PERSON]
    )
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(household_id__in=list(households)).order_by("role", "pk"):
        members.setdefault(person.household_id, []).append(person)
    periods = {kind: period_for(organisation, kind) for kind in RetentionRecordType.values}
    rows = []
    for review in reviews:
        if review.record_type == RetentionRecordType.HOUSEHOLD:
            record = households.get(review.object_id)
            subjects = members.get(review.object_id, [])
        else:
            record = persons.get(review.object_id)
            subjects = [record] if record else []
        rows.append(
            {
                "review": review,
                "record": record,
                "label": record_label(record, subjects),
                "subjects": subjects,
                "period": periods[review.record_type],
                "blocked": _quick_block(record, subjects),
            }
        )
    return rows


def _quick_block(record, subjects) -> str | None:
    """Changes since listing that stop erasure (the full check runs again on erasure)."""
    if record is None:
        return _("Diese Akte gibt es nicht mehr.")
    if any(item.legal_hold for item in [record, *subjects]):
        return _("Inzwischen besteht eine Aufbewahrungspflicht.")
    if record.closed_on is None:
        return _("Der Fall ist wieder offen.")
    return None


def record_label(record, members=()) -> str:
    if record is None:
        return _("(nicht mehr vorhanden)")
    if isinstance(record, Person):
        return f"{record.last_name}, {record.first_name} ({record.birth_date:%d.%m.%Y})"
    names = ", ".join(f"{m.first_name} {m.last_name}" for m in members) or _("ohne Mitglieder")
    number = record.number or record.case_label
    return _("BG %(number)s: %(names)s") % {"number": number, "names": names}


def retention_for_home(actor) -> dict | None:
    """Home page: how many case files wait for the data protection officer's decision."""
    if not actor.can(Perm.MANAGE_RETENTION):
        return None
    count = DeletionReview.objects.visible_to(actor).filter(status=ReviewStatus.PENDING).count()
    return {"count": count} if count else None
