from ninja import NinjaAPI
from ninja.errors import HttpError

from api.auth import SessionActorAuth, TokenActorAuth
from core.api import router as core_router
from directory.api import router as directory_router

api = NinjaAPI(
    title="Kurze Wege API",
    version="1",
    description="JSON-API der Kooperationsplattform Kurze Wege. Gleiche Rechte wie die Oberfläche.",
    auth=[TokenActorAuth(), SessionActorAuth()],
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", core_router)
api.add_router("/", directory_router)


@api.exception_handler(HttpError)
def http_error(request, exc):
    messages = {401: "Anmeldung erforderlich.", 404: "Nicht gefunden."}
    return api.create_response(
        request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code
    )
