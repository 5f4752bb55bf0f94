from django.urls import include, path
from django.views.i18n import set_language

from api.api import api
from core.admin import site as admin_site
from core.permissions import public

urlpatterns = [
    path("", include("core.urls")),
    path("angebote/", include("directory.urls")),
    path("faelle/", include("cases.urls")),
    path("ueberleitungen/", include("referrals.urls")),
    path("fallberatungen/", include("conferences.urls")),
    path("kooperationen/", include("agreements.urls")),
    path("kennzahlen/", include("reporting.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin_site.urls),
    path("api/", api.urls),
]
