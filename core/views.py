import csv

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit, notifications
from core.choices import AuditAction
from core.filters import AuditFilter, OrganisationFilter
from core.forms import ApiTokenForm, LoginForm, SwitchOrganisationForm
from core.home import sections_for
from core.middleware import ACTIVE_ORGANISATION_KEY
from core.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Municipality,
    Notification,
    Organisation,
)
from core.permissions import Perm, actor_for, get_visible_or_404, login_only, public, requires
from core.selectors import home_figures
from core.services import create_api_token, revoke_api_token


def paginate(request, queryset, per_page=None):
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


login_view = public(
    auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
)
logout_view = public(auth_views.LogoutView.as_view())


@public
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_only
def home(request):
    actor = request.actor
    return render(
        request,
        "core/home.html",
        {"figures": home_figures(actor), "sections": sections_for(actor)},
    )


@login_only
@require_POST
def switch_organisation(request):
    form = SwitchOrganisationForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    allowed = {organisation.pk for organisation in request.actor.organisations}
    if not form.is_valid() or form.cleaned_data["organisation"] not in allowed:
        messages.error(
            request, _("Für diese Organisation haben Sie keine freigeschaltete Mitgliedschaft.")
        )
        return HttpResponseRedirect(target)
    request.session[ACTIVE_ORGANISATION_KEY] = form.cleaned_data["organisation"]
    actor = actor_for(request.user, form.cleaned_data["organisation"])
    audit.record(actor=actor, action=AuditAction.SWITCH_ORGANISATION, obj=actor.organisation)
    messages.success(
        request, _("Sie handeln jetzt für: %(name)s") % {"name": actor.organisation.name}
    )
    return HttpResponseRedirect(target)


@requires(Perm.VIEW_ORGANISATIONS)
def organisation_list(request):
    queryset = Organisation.objects.visible_to(request.actor).select_related("municipality")
    filterset = OrganisationFilter(request.GET or None, queryset=queryset, request=request)
    results = filterset.qs if filterset.is_bound else queryset
    context = {
        "filter": filterset,
        "page": paginate(request, results),
        "query": query_without_page(request),
    }
    template = (
        "core/organisation_list.html#results" if request.htmx else "core/organisation_list.html"
    )
    return render(request, template, context)


@requires(Perm.VIEW_ORGANISATIONS)
def organisation_detail(request, pk):
    actor = request.actor
    organisation = get_visible_or_404(
        Organisation.objects.select_related("municipality"), actor, pk=pk
    )
    context = {"organisation": organisation, "teams": organisation.teams.all()}
    if actor.can(Perm.VIEW_STAFF):
        staff = (
            Membership.objects.active()
            .filter(organisation=organisation)
            .select_related("user", "team")
            .order_by("team__name", "user__last_name", "user__first_name")
        )
        context["staff_page"] = paginate(request, staff, per_page=50)
        context["query"] = query_without_page(request)
        # Staff names and contacts are personal data: the read is audited.
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=organisation,
            purpose="Kontaktverzeichnis",
            controller=organisation,
        )
    if actor.can(Perm.VIEW_CHANGE_HISTORY):
        context["history"] = LogEntry.objects.get_for_object(organisation).select_related("actor")[
            :20
        ]
    return render(request, "core/organisation_detail.html", context)


@requires(Perm.VIEW_MUNICIPALITIES)
def municipality_list(request):
    queryset = (
        Municipality.objects.visible_to(request.actor)
        .annotate(
            organisation_count=Count(
                "organisations", filter=Q(organisations__is_active=True), distinct=True
            ),
            social_area_count=Count("social_areas", distinct=True),
        )
        .order_by("name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(ags__startswith=q))
    return render(
        request,
        "core/municipality_list.html",
        {
            "page": paginate(request, queryset, per_page=50),
            "q": q,
            "query": query_without_page(request),
        },
    )


def _audit_filterset(request):
    queryset = AuditEntry.objects.visible_to(request.actor).select_related(
        "user", "organisation", "controller"
    )
    return AuditFilter(request.GET or None, queryset=queryset, request=request)


@requires(Perm.VIEW_AUDIT)
def audit_list(request):
    filterset = _audit_filterset(request)
    results = filterset.qs if filterset.is_bound else filterset.queryset
    broken = (
        audit.verify_chain(audit.chain_name(request.actor.network_id))
        if request.GET.get("verify")
        else None
    )
    context = {
        "filter": filterset,
        "page": paginate(request, results, per_page=50),
        "query": query_without_page(request),
        "verified": bool(request.GET.get("verify")),
        "broken_at": broken,
    }
    return render(request, "core/audit_list.html", context)


class _Echo:
    def write(self, value):
        return value


@requires(Perm.EXPORT_AUDIT)
def audit_export(request):
    filterset = _audit_filterset(request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Bitte korrigieren Sie die Filterangaben."))
        return redirect("audit_list")
    rows = (filterset.qs if filterset.is_bound else filterset.queryset).order_by("created_at", "id")
    audit.record(
        actor=request.actor,
        action=AuditAction.EXPORT,
        obj="core.auditentry:export",
        purpose="Datenschutzkontrolle",
    )
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        "Zeitpunkt",
        "Benutzer-ID",
        "Benutzer/in",
        "Organisation",
        "Verantwortliche Stelle",
        "Aktion",
        "Objekt",
        "Betroffene Person",
        "Zweck",
        "Rechtsgrundlage",
        "Anfrage-ID",
        "Prüfsumme",
    ]

    def lines():
        yield "\ufeff"  # BOM so that spreadsheet programs read UTF-8
        yield writer.writerow(header)
        for entry in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.created_at).strftime("%d.%m.%Y %H:%M:%S"),
                    entry.user_id or "",
                    entry.user.username if entry.user else "",
                    entry.organisation or "",
                    entry.controller or "",
                    entry.get_action_display(),
                    entry.object_ref,
                    entry.subject_ref,
                    entry.purpose,
                    entry.legal_basis,
                    entry.request_id,
                    entry.entry_hash,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="zugriffsprotokoll-{stamp}.csv"'
    return response


@requires(Perm.USE_API_TOKENS)
def api_tokens(request):
    actor = request.actor
    tokens = ApiToken.objects.visible_to(actor).filter(
        user=actor.user, organisation=actor.organisation
    )
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = create_api_token(actor=actor, name=form.cleaned_data["name"])
        form = ApiTokenForm()
        messages.success(
            request, _("Der API-Schlüssel wurde angelegt. Er wird nur dieses eine Mal angezeigt.")
        )
    return render(
        request, "core/api_tokens.html", {"tokens": tokens, "form": form, "new_key": new_key}
    )


@requires(Perm.USE_API_TOKENS)
def api_token_revoke(request, pk):
    actor = request.actor
    token = get_visible_or_404(ApiToken.objects.filter(user=actor.user), actor, pk=pk)
    if request.method == "POST":
        revoke_api_token(actor=actor, token=token)
        messages.success(
            request, _("Der API-Schlüssel „%(name)s“ wurde widerrufen.") % {"name": token.name}
        )
        return redirect("api_tokens")
    return render(request, "core/api_token_revoke.html", {"token": token})


# --- notifications -------------------------------------------------------------------------


@login_only
def notification_list(request):
    unread_only = request.GET.get("ungelesen") == "1"
    notices = Notification.objects.filter(user=request.user).select_related("organisation")
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return render(
        request,
        "core/notifications.html",
        {
            "page": paginate(request, notices),
            "query": query_without_page(request),
            "unread_only": unread_only,
        },
    )


@login_only
def notification_open(request, pk):
    """Following a notice marks it read; it only ever links inside this site."""
    notice = Notification.objects.filter(user=request.user, pk=pk).first()
    if notice is None:
        raise Http404
    notifications.mark_read(request.user, [notice.pk])
    target = notice.url or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    return redirect(target)


@login_only
@require_POST
def notifications_read(request):
    count = notifications.mark_read(request.user)
    messages.success(
        request, _("%(count)s Benachrichtigung(en) als gelesen markiert.") % {"count": count}
    )
    return redirect("notifications")
