"""URLconf for the benchmark harness: the project's URLs plus one minimal baseline view.

The baseline lives only here, never in ``kurzewege.urls``; ``benchmarks/run.py`` points
``ROOT_URLCONF`` at this module while it measures.
"""

from django.http import HttpResponse
from django.urls import include, path

from core.models import Organisation
from core.permissions import public
from kurzewege import urls as project_urls

BASELINE_URL = "/__bench__/baseline/{pk}/"


@public
def baseline(request, pk):
    """One indexed query through the full middleware stack: the yardstick for every page."""
    name = Organisation.objects.filter(pk=pk).values_list("name", flat=True).first()
    return HttpResponse(name or "", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("__bench__/baseline/<int:pk>/", baseline, name="bench_baseline"),
    path("", include(project_urls)),
]

# Keep the project's error views, should it define any.
handler400 = getattr(project_urls, "handler400", None)
handler403 = getattr(project_urls, "handler403", None)
handler404 = getattr(project_urls, "handler404", None)
handler500 = getattr(project_urls, "handler500", None)
