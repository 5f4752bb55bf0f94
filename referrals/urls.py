from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("eingang/", views.inbox, name="inbox"),
    path("ausgang/", views.outbox, name="outbox"),
    path("eskalationen/", views.escalations, name="escalations"),
    path("neu/<int:person_pk>/", views.create, name="create"),
    path("neu/<int:person_pk>/kategorien/", views.categories, name="categories"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aktion/<str:action>/", views.act, name="act"),
    path("<int:pk>/weiterleiten/", views.forward, name="forward"),
    path("<int:pk>/nachricht/", views.message, name="message"),
    path("<int:pk>/bedarfe-erledigt/", views.resolve_needs, name="resolve_needs"),
]
