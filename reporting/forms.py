from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Organisation
from referrals.choices import Track
from reporting.scope import Scope, checked_scope


def default_period(today: date | None = None) -> tuple[date, date]:
    """The running calendar year up to today (the first days of January: the past year)."""
    today = today or timezone.localdate()
    if today.month == 1 and today.day <= 7:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return date(today.year, 1, 1), today


class PeriodForm(forms.Form):
    """Period and filters of a dashboard or report. Team leads see their own organisation only;
    the filter for another organisation is offered to the network coordination."""

    start = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    track = forms.ChoiceField(
        label=_("Dringlichkeit"), choices=[("", _("alle")), *Track.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeinde"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("alle"),
    )

    def __init__(self, data=None, *, actor, organisation_filter: bool = True):
        super().__init__(data)
        self.actor = actor
        network = actor.network
        if organisation_filter:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                network=network
            ).order_by("name")
        else:
            del self.fields["organisation"]
        self.fields["municipality"].queryset = Municipality.objects.filter(
            network=network
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        start, end = default_period()
        cleaned["start"] = cleaned.get("start") or start
        cleaned["end"] = cleaned.get("end") or (
            end if cleaned["start"] <= end else cleaned["start"]
        )
        return cleaned

    def scope(self, **fixed) -> Scope:
        """The checked scope; raises ValidationError (shown on the form) for a bad period."""
        data = self.cleaned_data
        filters = {
            "track": data.get("track") or "",
            "municipality_id": data["municipality"].pk if data.get("municipality") else None,
        }
        if data.get("organisation"):
            filters["organisation_id"] = data["organisation"].pk
        filters.update(fixed)
        try:
            return checked_scope(self.actor.network, data["start"], data["end"], **filters)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field, errors)
            raise
