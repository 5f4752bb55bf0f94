import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.permissions import actor_for
from core.request_context import request_id

ACTIVE_ORGANISATION_KEY = "active_organisation_id"
AUTH_STARTED_KEY = "auth_started_at"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) for logs and the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class AbsoluteSessionTimeoutMiddleware:
    """End a session 12 hours after login, however active (the idle timeout is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(AUTH_STARTED_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ActorMiddleware:
    """Attach ``request.actor``: the user acting as their active organisation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def build():
            return actor_for(request.user, request.session.get(ACTIVE_ORGANISATION_KEY))

        request.actor = SimpleLazyObject(build)
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """German unless the user picked another language (cookie set by the language switch).

    The browser's Accept-Language is ignored: on an office PC it says nothing about the person.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(
            chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        request.LANGUAGE_CODE = translation.get_language()
