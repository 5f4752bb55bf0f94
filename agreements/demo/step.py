"""Cooperation agreements in the demo network (after the conferences: their indicators are
computed from the demo year's referrals and conferences, nothing is invented here)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from agreements.choices import Renewal, Status, TargetPeriod
from agreements.models import Agreement, AgreementDeadline, Measure, Party, RenewalRecord
from core.choices import Role
from core.demo.generator import DemoContext, register_step
from core.models import Membership
from referrals.choices import Track
from referrals.models import deadlines_for

# (title, indicator, track, target, period, progress note)
JOBCENTER_YOUTH_MEASURES = [
    ("Monatliche gemeinsame Fallberatung", "conferences_held", "", "12", TargetPeriod.YEAR, ""),
    (
        "Antwort auf dringende Überleitungen binnen 2 Arbeitstagen",
        "answered_in_time",
        Track.HOUSING_LOSS,
        "90",
        TargetPeriod.YEAR,
        "",
    ),
    ("Überleitungen zügig beantworten", "response_days_median", "", "5", TargetPeriod.YEAR, ""),
    (
        "Vereinbarte Schritte aus Fallberatungen fristgerecht erledigen",
        "actions_on_time",
        "",
        "80",
        TargetPeriod.YEAR,
        "",
    ),
    (
        "Übergang Schule–Beruf: Überleitungen",
        "referrals",
        Track.SCHOOL_TO_WORK,
        "2",
        TargetPeriod.MONTH,
        "",
    ),
    (
        "Gegenseitige Hospitationen 4 × im Jahr",
        "",
        "",
        None,
        TargetPeriod.YEAR,
        "3 von 4 durchgeführt (März, Juni, September); die vierte ist für Dezember geplant.",
    ),
    (
        "Gemeinsamer Newsletter quartalsweise",
        "",
        "",
        None,
        TargetPeriod.QUARTER,
        "Ausgaben 1–3 erschienen.",
    ),
]

SOCIAL_MEASURES = [
    (
        "Drohender Wohnungsverlust: Antwort binnen 2 Arbeitstagen",
        "answered_in_time",
        Track.HOUSING_LOSS,
        "95",
        TargetPeriod.YEAR,
        "",
    ),
    ("Abschlüsse mit Hilfe", "helped_share", "", "70", TargetPeriod.YEAR, ""),
    ("Median bis zum Abschluss", "completion_days_median", "", "25", TargetPeriod.YEAR, ""),
]


def _lead_name(organisation) -> str:
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role__in=(Role.TEAM_LEAD, Role.NETWORK_COORDINATOR))
        .select_related("user")
        .order_by("user__last_name", "pk")
        .first()
    )
    return membership.user.get_full_name() if membership else ""


def _agreement(ctx, title, parties, *, valid_from, valid_until, status, measures=(), **extra):
    agreement = Agreement.objects.create(
        network=ctx.network,
        title=title,
        valid_from=valid_from,
        valid_until=valid_until,
        signed_on=extra.pop("signed_on", None),
        status=status,
        **extra,
    )
    for organisation in parties:
        Party.objects.create(
            network=ctx.network,
            agreement=agreement,
            organisation=organisation,
            contact_name=_lead_name(organisation),
            contact_email=organisation.email,
            contact_phone=organisation.phone,
        )
    for position, (name, indicator, track, target, period, note) in enumerate(measures, 1):
        Measure.objects.create(
            network=ctx.network,
            agreement=agreement,
            title=name,
            indicator=indicator,
            track=track,
            target=Decimal(target) if target else None,
            target_period=period,
            progress_note=note,
            position=position,
        )
    return agreement


@register_step(order=600, name="Kooperationsvereinbarungen")
def agreements(ctx: DemoContext) -> None:
    orgs = ctx.organisations
    if "jobcenter" not in orgs or "youth_office" not in orgs:
        return
    today = timezone.localdate()
    this_year, last_year = today.year, today.year - 1
    jobcenter, youth = orgs["jobcenter"], orgs["youth_office"]
    # Seed 000: signed at the start of last year, renews by one year on 31 December.
    main = _agreement(
        ctx,
        "Kooperationsvereinbarung Jobcenter – Jugendamt",
        [jobcenter, youth],
        purpose=(
            "Junge Menschen und Familien sollen nicht zwischen Jobcenter und Jugendamt verloren "
            "gehen: abgestimmte Hilfen, kurze Wege bei dringenden Anliegen, gemeinsame "
            "Fallberatungen. Die Zusammenarbeit wird messbar gemacht."
        ),
        signed_on=date(last_year - 1, 12, 12),
        valid_from=date(last_year, 1, 1),
        valid_until=date(this_year, 12, 31),
        status=Status.IN_FORCE,
        renewal=Renewal.YEARLY,
        measures=JOBCENTER_YOUTH_MEASURES,
    )
    RenewalRecord.objects.create(
        network=ctx.network,
        agreement=main,
        previous_until=date(last_year, 12, 31),
        new_until=date(this_year, 12, 31),
        renewed_at=timezone.make_aware(datetime.combine(date(last_year, 12, 31), time(0, 10))),
    )
    # The agreement's deadlines are those the referrals of the demo year were sent with, so
    # every stored due date stays what deadlines_for computes (tested).
    for track in (Track.HOUSING_LOSS, Track.SCHOOL_TO_WORK):
        response, completion = deadlines_for(ctx.network, track)
        AgreementDeadline.objects.create(
            network=ctx.network,
            agreement=main,
            track=track,
            response_days=response,
            completion_days=completion,
        )
    count = 1
    if "social_welfare_office" in orgs:
        _agreement(
            ctx,
            "Kooperationsvereinbarung Jobcenter – Sozialamt (§ 16a SGB II)",
            [jobcenter, orgs["social_welfare_office"]],
            purpose="Schuldner- und Wohnungsnotfallhilfe für Leistungsberechtigte ohne Wartezeit.",
            signed_on=date(last_year, 3, 2),
            valid_from=date(last_year, 4, 1),
            valid_until=date(this_year, 12, 31),
            status=Status.IN_FORCE,
            renewal=Renewal.YEARLY,
            measures=SOCIAL_MEASURES,
        )
        count += 1
    if "employment_agency" in orgs:
        _agreement(
            ctx,
            "Rahmenvereinbarung Übergang Schule–Beruf (Jugendberufsagentur)",
            [jobcenter, youth, orgs["employment_agency"]],
            purpose="Entwurf: gemeinsame Anlaufstelle für junge Menschen unter 25.",
            valid_from=date(this_year + 1, 1, 1),
            valid_until=date(this_year + 1, 12, 31),
            status=Status.DRAFT,
            measures=[JOBCENTER_YOUTH_MEASURES[4]],
        )
        count += 1
    if "volunteer_agency" in orgs:
        _agreement(
            ctx,
            "Pilotprojekt Ehrenamtliche Lotsinnen und Lotsen",
            [jobcenter, orgs["volunteer_agency"]],
            purpose="Pilot mit Zwischenbilanz zur Halbzeit; nicht verlängert.",
            signed_on=date(last_year - 1, 6, 1),
            valid_from=date(last_year - 1, 7, 1),
            valid_until=date(last_year, 6, 30),
            status=Status.EXPIRED,
            renewal=Renewal.NONE,
        )
        count += 1
    ctx.counts["Kooperationsvereinbarungen"] = count
