from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("neu/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.agreement_edit, name="edit"),
    path("<int:pk>/in-kraft-setzen/", views.agreement_activate, name="activate"),
    path("<int:pk>/kuendigen/", views.agreement_terminate, name="terminate"),
    path("<int:pk>/dokument/", views.agreement_document, name="document"),
    path("<int:pk>/dokument/hochladen/", views.agreement_upload, name="upload"),
    path("<int:pk>/partei/<int:party_pk>/", views.party_edit, name="party"),
    path("<int:pk>/massnahme/neu/", views.measure_edit, name="measure_create"),
    path("<int:pk>/massnahme/<int:measure_pk>/", views.measure_edit, name="measure_edit"),
    path(
        "<int:pk>/massnahme/<int:measure_pk>/entfernen/",
        views.measure_delete,
        name="measure_delete",
    ),
    path("<int:pk>/fristen/", views.deadline_edit, name="deadlines"),
    path("<int:pk>/bericht.<str:fmt>", views.agreement_report, name="report"),
]
