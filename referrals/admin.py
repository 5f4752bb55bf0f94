"""Network admins set the deadlines per urgency track and what a revocation does to referrals."""

from django.contrib import admin

from core.admin import NetworkScopedAdmin, site
from referrals.models import ReferralSettings, TrackDeadline


@admin.register(TrackDeadline, site=site)
class TrackDeadlineAdmin(NetworkScopedAdmin):
    list_display = ("track", "response_days", "completion_days")
    ordering = ("track",)

    def has_delete_permission(self, request, obj=None):
        # Without a row the default deadlines apply again.
        return site.has_permission(request)


@admin.register(ReferralSettings, site=site)
class ReferralSettingsAdmin(admin.ModelAdmin):
    list_display = ("network", "on_revocation", "second_escalation_after")
    exclude = ("network",)

    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return (
            site.has_permission(request)
            and not ReferralSettings.objects.filter(network_id=request.actor.network_id).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(network_id=request.actor.network_id)

    def save_model(self, request, obj, form, change):
        obj.network_id = request.actor.network_id
        super().save_model(request, obj, form, change)
