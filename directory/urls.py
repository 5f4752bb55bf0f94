from django.urls import path

from directory import views, views_hsds

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("passende/", views.match, name="match"),
    path("meine/", views.my_offers, name="my_offers"),
    path("neu/", views.offer_create, name="offer_create"),
    path("aktualitaet/", views.freshness_report, name="freshness_report"),
    path("<int:pk>/", views.offer_detail, name="offer_detail"),
    path("<int:pk>/druck/", views.offer_print, name="offer_print"),
    path("<int:pk>/bearbeiten/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/geprueft/", views.offer_verify, name="offer_verify"),
    path("export/hsds.json", views_hsds.hsds_export, name="hsds_export"),
    path("import/", views_hsds.hsds_import, name="hsds_import"),
]
