from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("neu/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.conference_edit, name="edit"),
    path("<int:pk>/absagen/", views.conference_cancel, name="cancel"),
    path("<int:pk>/durchgefuehrt/", views.conference_hold, name="hold"),
    path("<int:pk>/protokoll/", views.conference_minutes, name="minutes"),
    path("<int:pk>/einladung.ics", views.conference_ics, name="ics"),
    path("<int:pk>/vereinbarung/", views.action_create, name="action_create"),
    path("fall/neu/<int:person_pk>/", views.item_create, name="item_create"),
    path("fall/<int:pk>/protokoll/", views.item_minutes, name="item_minutes"),
    path("fall/<int:pk>/zurueckziehen/", views.item_remove, name="item_remove"),
    path("vereinbarungen/", views.action_list, name="actions"),
    path("vereinbarungen/<int:pk>/stand/", views.action_status, name="action_status"),
    path("vereinbarungen/<int:pk>/ueberleitung/", views.action_referral, name="action_referral"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
