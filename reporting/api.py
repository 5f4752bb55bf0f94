"""JSON API of indicators and agreements, with the pages' permissions: team leads get their own
organisation's cooperation, the network coordination the network (or one organisation) and any
agreement. What the API returns leaves the platform, so small cells are always suppressed
(``value`` null and ``suppressed`` true for counts of 1–4 and values resting on fewer than 5)."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from agreements import selectors as agreement_selectors
from agreements.models import Agreement
from api.permissions import api_requires
from cases.api.common import _error
from core.models import Municipality, Organisation
from core.permissions import Perm, get_visible_or_404
from referrals.choices import Track
from reporting import indicators, reports
from reporting.forms import default_period
from reporting.indicators import Indicator, Result
from reporting.scope import Scope, checked_scope
from reporting.suppression import MIN_CELL, is_small

router = Router(tags=["Kennzahlen und Vereinbarungen"])
QUERY = "query"


class ScopeIn(Schema):
    start: date | None = None
    end: date | None = None
    organisation_id: int | None = None
    track: str = ""
    municipality_id: int | None = None
    agreement_id: int | None = None


class ValueOut(Schema):
    value: float | None
    n: int | None
    suppressed: bool


class IndicatorOut(ValueOut):
    key: str
    label: str
    unit: str
    kind: str
    better: str
    description: str


class MeasureOut(Schema):
    id: int
    title: str
    indicator: str
    track: str
    target: float | None
    target_period: str
    scaled_target: float | None
    value: float | None
    suppressed: bool
    state: str
    state_label: str
    progress_note: str


class PeriodOut(Schema):
    start: date
    end: date


class IndicatorsOut(Schema):
    period: PeriodOut
    suppressed_below: int
    indicators: list[IndicatorOut]
    measures: list[MeasureOut]


class MonthOut(ValueOut):
    month: str


class MonthlyOut(Schema):
    key: str
    label: str
    unit: str
    period: PeriodOut
    months: list[MonthOut]


class PartyOut(Schema):
    id: int
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str


class DeadlineOut(Schema):
    track: str
    response_days: int
    completion_days: int


class AgreementOut(Schema):
    id: int
    title: str
    status: str
    signed_on: date | None
    valid_from: date
    valid_until: date
    renewal: str
    notice_date: date
    ends_on: date | None
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    measures: list[str]


def _value(indicator: Indicator, result: Result) -> dict:
    hidden = is_small(result.n)
    return {
        "value": None if hidden or result.value is None else float(result.value),
        "n": None if hidden else result.n,
        "suppressed": hidden,
    }


def _scope(actor, params: ScopeIn) -> tuple[Scope, Agreement | None]:
    """The checked scope, with the same limits as the dashboard; 422 with German messages."""
    errors = []
    network_wide = actor.can(Perm.VIEW_NETWORK_REPORTS)
    filters: dict = {}
    if params.organisation_id is not None:
        if not Organisation.objects.filter(
            pk=params.organisation_id, network_id=actor.network_id
        ).exists():
            errors.append(_error((QUERY, "organisation_id"), _("Unbekannte Organisation.")))
        elif not network_wide and params.organisation_id != actor.organisation.pk:
            raise HttpError(
                403, _("Kennzahlen anderer Organisationen sieht die Netzwerkkoordination.")
            )
        filters["organisation_id"] = params.organisation_id
    if not network_wide:
        filters["organisation_id"] = actor.organisation.pk
    if params.track and params.track not in Track.values:
        errors.append(_error((QUERY, "track"), _("Unbekannte Dringlichkeit.")))
    filters["track"] = params.track
    if params.municipality_id is not None:
        if not Municipality.objects.filter(
            pk=params.municipality_id, network_id=actor.network_id
        ).exists():
            errors.append(_error((QUERY, "municipality_id"), _("Unbekannte Gemeinde.")))
        filters["municipality_id"] = params.municipality_id
    start, end = default_period()
    start, end = (
        params.start or start,
        params.end or (end if (params.start or start) <= end else params.start),
    )
    scope = None
    try:
        scope = checked_scope(actor.network, start, end, **filters)
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors += [_error((QUERY, field), message) for message in messages]
    if errors:
        raise ValidationError(errors)
    agreement = None
    if params.agreement_id is not None:
        agreement = get_visible_or_404(
            agreement_selectors.with_parties(Agreement.objects.all()), actor, pk=params.agreement_id
        )
        scope = agreement_selectors.agreement_scope(agreement, scope)
    return scope, agreement


def _period(scope: Scope) -> dict:
    return {"start": scope.start, "end": scope.end}


@router.get("/indicators", response=IndicatorsOut, summary="Kennzahlen für einen Zeitraum")
@api_requires(Perm.VIEW_REPORTS)
def list_indicators(request, params: Query[ScopeIn]):
    """Every indicator of the registry for the period and filters; with ``agreement_id`` only
    what happened between the agreement's parties, and its measures judged against targets."""
    scope, agreement = _scope(request.auth, params)
    rows = [
        {
            "key": indicator.key,
            "label": str(indicator.label),
            "unit": str(indicator.unit),
            "kind": indicator.kind,
            "better": indicator.better,
            "description": str(indicator.description),
            **_value(indicator, indicator.compute(scope)),
        }
        for indicator in indicators.REGISTRY.values()
    ]
    measures = []
    if agreement is not None:
        for measure, row in reports.measure_rows(agreement, scope, suppress=True):
            judgement = row.judgement if row else None
            value = (
                _value(row.indicator, row.result) if row else {"value": None, "suppressed": False}
            )
            measures.append(
                {
                    "id": measure.pk,
                    "title": measure.title,
                    "indicator": measure.indicator,
                    "track": measure.track,
                    "target": float(measure.target) if measure.target is not None else None,
                    "target_period": measure.target_period,
                    "scaled_target": float(judgement.target) if judgement else None,
                    "value": value["value"],
                    "suppressed": value["suppressed"],
                    # A suppressed value is not judged either: the judgement would reveal it.
                    "state": "" if not judgement or value["suppressed"] else judgement.state,
                    "state_label": ""
                    if not judgement or value["suppressed"]
                    else str(judgement.label),
                    "progress_note": measure.progress_note,
                }
            )
    return {
        "period": _period(scope),
        "suppressed_below": MIN_CELL,
        "indicators": rows,
        "measures": measures,
    }


@router.get("/indicators/{key}/monthly", response=MonthlyOut, summary="Eine Kennzahl je Monat")
@api_requires(Perm.VIEW_REPORTS)
def monthly_indicator(request, key: str, params: Query[ScopeIn]):
    if key not in indicators.REGISTRY:
        raise HttpError(404, _("Unbekannte Kennzahl."))
    indicator = indicators.get(key)
    scope, _agreement = _scope(request.auth, params)
    return {
        "key": key,
        "label": str(indicator.label),
        "unit": str(indicator.unit),
        "period": _period(scope),
        "months": [
            {"month": f"{month:%Y-%m}", **_value(indicator, result)}
            for month, result in indicator.monthly(scope)
        ],
    }


def _agreement_data(agreement: Agreement) -> dict:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "status": agreement.status,
        "signed_on": agreement.signed_on,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
        "renewal": agreement.renewal,
        "notice_date": agreement.notice_date,
        "ends_on": agreement.ends_on,
        "parties": [
            {
                "id": party.organisation_id,
                "name": party.organisation.name,
                "contact_name": party.contact_name,
                "contact_email": party.contact_email,
                "contact_phone": party.contact_phone,
            }
            for party in agreement.party_rows.all()
        ],
        "deadlines": [
            {
                "track": d.track,
                "response_days": d.response_days,
                "completion_days": d.completion_days,
            }
            for d in agreement.deadlines.all()
        ],
        "measures": [measure.title for measure in agreement.measures.all()],
    }


def _agreements(actor):
    return agreement_selectors.with_parties(Agreement.objects.visible_to(actor)).prefetch_related(
        "deadlines", "measures"
    )


@router.get("/agreements", response=list[AgreementOut], summary="Kooperationsvereinbarungen")
@api_requires(Perm.VIEW_AGREEMENTS)
def list_agreements(request):
    return [_agreement_data(a) for a in _agreements(request.auth).order_by("title", "pk")]


@router.get("/agreements/{int:agreement_id}", response=AgreementOut, summary="Eine Vereinbarung")
@api_requires(Perm.VIEW_AGREEMENTS)
def get_agreement(request, agreement_id: int):
    return _agreement_data(
        get_visible_or_404(_agreements(request.auth), request.auth, pk=agreement_id)
    )
