from django.urls import path

from directory import views

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
    # Open Referral HSDS export/import: directory/views_hsds.py
]
