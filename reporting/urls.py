from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bericht.<str:fmt>", views.network_report, name="report"),
]
