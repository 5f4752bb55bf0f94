from django.urls import path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", views.login_view, name="login"),
    path("konto/abmelden/", views.logout_view, name="logout"),
    path("konto/organisation-wechseln/", views.switch_organisation, name="switch_organisation"),
    path("konto/api-schluessel/", views.api_tokens, name="api_tokens"),
    path(
        "konto/api-schluessel/<int:pk>/widerrufen/", views.api_token_revoke, name="api_token_revoke"
    ),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("gemeinden/", views.municipality_list, name="municipality_list"),
    path("datenschutz/protokoll/", views.audit_list, name="audit_list"),
    path("datenschutz/protokoll/export.csv", views.audit_export, name="audit_export"),
    path("benachrichtigungen/", views.notification_list, name="notifications"),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification_open"),
    path("benachrichtigungen/gelesen/", views.notifications_read, name="notifications_read"),
    path("healthz", views.healthz, name="healthz"),
]
