from cases.views import consents, households, plans, retention

app_name = "cases"

# Each view module owns its routes; this file only joins them.
urlpatterns = [
    *households.urlpatterns,
    *plans.urlpatterns,
    *consents.urlpatterns,
    *retention.urlpatterns,
]
