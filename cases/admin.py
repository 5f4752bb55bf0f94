"""Network admins configure statutory transfer bases and retention periods in the admin.

Both are network configuration, not case data: scoped to the admin's network like every other
admin page (``NetworkScopedAdmin``), never deleted (deactivate a basis instead; a retention rule
is changed, and without one the legal regime's default applies).
"""

from django import forms
from django.contrib import admin

from cases import categories
from cases.choices import Purpose
from cases.models import RetentionRule, StatutoryBasis
from core.admin import NetworkScopedAdmin, site
from core.choices import OrganisationType
from directory.fields import CodeSetField


class CodeSetChoicesMixin:
    """Sets of codes as checkboxes (the admin would offer a text field for a CharField)."""

    def code_choices(self, db_field, request):
        if db_field.name == "categories":
            return categories.choices_for_network(request.actor.network_id)
        if db_field.name == "recipient_types":
            return OrganisationType.choices
        if db_field.name == "purposes":
            return Purpose.choices
        return db_field.choices_class.choices if db_field.choices_class else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CodeSetField):
            return db_field.formfield(
                choices=self.code_choices(db_field, request),
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(StatutoryBasis, site=site)
class StatutoryBasisAdmin(CodeSetChoicesMixin, NetworkScopedAdmin):
    list_display = ("label", "sender_regime", "is_active")
    list_filter = ("sender_regime", "is_active")
    search_fields = ("label",)
    ordering = ("label",)


@admin.register(RetentionRule, site=site)
class RetentionRuleAdmin(NetworkScopedAdmin):
    list_display = ("organisation", "record_type", "years", "note")
    list_filter = ("record_type",)
    search_fields = ("organisation__name", "note")
    list_select_related = ("organisation",)
    ordering = ("organisation__name", "record_type")
