"""Django admin for network admins only, scoped to their network.

The admin is not a back door: it uses the same actor and the same ``visible_to`` scoping as the
pages; other users (and superusers without a network-admin membership) get a 404.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core import audit
from core.choices import AuditAction
from core.concurrency import VersionCheckedForm
from core.models import Membership, Municipality, Organisation, SocialArea, Team, User
from core.permissions import Perm


class NetworkAdminSite(admin.AdminSite):
    site_header = _("Kurze Wege – Verwaltung")
    site_title = _("Kurze Wege")
    index_title = _("Netzwerk verwalten")

    def has_permission(self, request):
        actor = getattr(request, "actor", None)
        return bool(request.user.is_active and actor is not None and actor.can(Perm.USE_ADMIN))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        guarded.admin_site = self
        return guarded

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next", "/admin/"))


site = NetworkAdminSite(name="admin")


def users_of_network(network_id):
    """Accounts of this network, plus new accounts that belong to no network yet."""
    return (
        User.objects.filter(
            Q(memberships__network_id=network_id) | Q(memberships__isnull=True), is_superuser=False
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class NetworkScopedAdmin(admin.ModelAdmin):
    """Rows and choices of the admin's own network only; the network is set, never chosen."""

    exclude = ("network",)

    def _actor(self, request):
        return request.actor

    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        # Deleting master data would orphan case files; deactivate instead.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(self._actor(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(self._actor(request))
        elif related is User:
            kwargs["queryset"] = users_of_network(self._actor(request).network_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.network_id = self._actor(request).network_id
        super().save_model(request, obj, form, change)


class AuditedReadsMixin:
    """Opening a record with personal data (staff accounts, memberships) is an audited read."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original")
            if obj is not None:
                audit.record(
                    actor=request.actor, action=AuditAction.VIEW, obj=obj, purpose="Verwaltung"
                )
        return response


@admin.register(Municipality, site=site)
class MunicipalityAdmin(NetworkScopedAdmin):
    list_display = ("name", "ags", "latitude", "longitude")
    search_fields = ("name", "ags")


@admin.register(SocialArea, site=site)
class SocialAreaAdmin(NetworkScopedAdmin):
    list_display = ("name", "municipality")
    search_fields = ("name", "municipality__name")


@admin.register(Organisation, site=site)
class OrganisationAdmin(NetworkScopedAdmin):
    form = VersionCheckedForm
    list_display = ("name", "type", "legal_regime", "municipality", "is_active")
    list_filter = ("type", "legal_regime", "is_active")
    search_fields = ("name", "short_name", "city")


@admin.register(Team, site=site)
class TeamAdmin(NetworkScopedAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name", "organisation__name")


@admin.register(Membership, site=site)
class MembershipAdmin(AuditedReadsMixin, NetworkScopedAdmin):
    list_display = ("user", "organisation", "role", "team", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__last_name", "organisation__name")
    list_select_related = ("user", "organisation", "team")
    show_full_result_count = False
    actions = ["activate"]

    @admin.action(description=_("Ausgewählte Mitgliedschaften freischalten"))
    def activate(self, request, queryset):
        # One by one so the change history records each grant.
        for membership in queryset.filter(is_active=False):
            membership.is_active = True
            membership.save(update_fields=["is_active"])


@admin.register(User, site=site)
class NetworkUserAdmin(AuditedReadsMixin, UserAdmin):
    """Accounts that hold a membership in the admin's network; no global rights can be granted."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_filter = ("is_active",)

    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return users_of_network(request.actor.network_id)
