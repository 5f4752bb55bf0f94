"""Filters shared by the HTML lists and the API (one filter class per list)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import AuditAction, LegalRegime, OrganisationType
from core.models import AuditEntry, Municipality, Organisation


def _actor(request):
    return getattr(request, "actor", None) if request is not None else None


def visible_municipalities(request):
    return Municipality.objects.visible_to(_actor(request)).order_by("name")


def visible_organisations(request):
    return Organisation.objects.visible_to(_actor(request)).order_by("name")


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Suche"), widget=forms.TextInput(attrs={"type": "search"})
    )
    type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices, label=_("Art"), empty_label=_("alle Arten")
    )
    legal_regime = django_filters.ChoiceFilter(
        choices=LegalRegime.choices, label=_("Rechtskreis"), empty_label=_("alle Rechtskreise")
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=visible_municipalities, label=_("Gemeinde"), empty_label=_("alle Gemeinden")
    )
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("type", "type"), ("municipality__name", "municipality")),
        field_labels={"name": _("Name"), "type": _("Art"), "municipality__name": _("Gemeinde")},
        label=_("Sortierung"),
        empty_label=None,
    )

    class Meta:
        model = Organisation
        fields = ["q", "type", "legal_regime", "municipality"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(city__icontains=value)
        )


class AuditFilter(django_filters.FilterSet):
    subject = django_filters.CharFilter(
        field_name="subject_ref",
        lookup_expr="exact",
        label=_("Betroffene Person (Referenz)"),
        help_text=_("z. B. cases.person:42"),
    )
    # A text field, not a select: a Jobcenter has hundreds of staff (see benchmarks).
    user = django_filters.CharFilter(
        field_name="user__username", lookup_expr="iexact", label=_("Benutzername")
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=visible_organisations, label=_("handelnde Organisation"), empty_label=_("alle")
    )
    action = django_filters.ChoiceFilter(
        choices=AuditAction.choices, label=_("Aktion"), empty_label=_("alle")
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("von"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("bis"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["subject", "user", "organisation", "action", "date_from", "date_to"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.form.add_error("date_to", _("Das Ende des Zeitraums liegt vor dem Anfang."))
            return queryset.none()
        return super().filter_queryset(queryset)
