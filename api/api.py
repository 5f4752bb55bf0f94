from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

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
api.add_router("/", "cases.api.router")
api.add_router("/", "referrals.api.router")
api.add_router("/", "conferences.api.router")
api.add_router("/", "reporting.api.router")


@api.exception_handler(HttpError)
def http_error(request, exc):
    messages = {401: "Anmeldung erforderlich.", 404: "Nicht gefunden."}
    return api.create_response(
        request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Nicht gefunden."}, status=404)


# Pydantic's own messages are English; the common shape errors get a German text, the error
# type and location stay as they are so clients can still act on them.
GERMAN_VALIDATION_MESSAGES = {
    "missing": "Pflichtangabe fehlt.",
    "int_parsing": "Bitte eine ganze Zahl angeben.",
    "int_type": "Bitte eine ganze Zahl angeben.",
    "float_parsing": "Bitte eine Zahl angeben.",
    "float_type": "Bitte eine Zahl angeben.",
    "string_type": "Bitte einen Text angeben.",
    "bool_parsing": "Bitte true oder false angeben.",
    "bool_type": "Bitte true oder false angeben.",
    "list_type": "Bitte eine Liste angeben.",
    "dict_type": "Bitte ein Objekt angeben.",
    "model_attributes_type": "Bitte ein Objekt angeben.",
    "date_from_datetime_parsing": "Bitte ein Datum (JJJJ-MM-TT) angeben.",
    "date_parsing": "Bitte ein Datum (JJJJ-MM-TT) angeben.",
    "time_parsing": "Bitte eine Uhrzeit (HH:MM) angeben.",
    "uuid_parsing": "Bitte eine gültige UUID angeben.",
    "json_invalid": "Ungültiges JSON.",
    "enum": "Unzulässiger Wert.",
    "literal_error": "Unzulässiger Wert.",
}


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = []
    for error in exc.errors:
        error = dict(error)
        error["msg"] = GERMAN_VALIDATION_MESSAGES.get(error.get("type"), error.get("msg"))
        errors.append(error)
    return api.create_response(request, {"detail": errors}, status=422)
