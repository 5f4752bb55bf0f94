"""Shared by the case-file API modules: the router, error translation (a model's
``ValidationError`` as ninja's 422), audited pages and lookups of records named in a body."""

from auditlog.context import set_actor
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from cases.models import Need, Person
from cases.services import audit_case
from core.choices import AuditAction
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.models import Municipality
from core.permissions import Perm
from directory.models import ProblemSituation


class _Router(Router):
    """Keeps the operation ids of the single module ``cases.api`` (``cases_api_<function>``);
    ninja derives them from the view's module, which is a submodule now."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"cases_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = _Router(tags=["Fallakten"])

MAX_LIMIT = 100
BODY = ("body", "payload")
FORBIDDEN = "Keine Berechtigung für diese Aktion."


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _error(loc, message, kind="invalid") -> dict:
    return {"type": kind or "invalid", "loc": list(loc), "msg": str(message)}


def _model_errors(exc: DjangoValidationError, loc, rename=None) -> list[dict]:
    """A model ValidationError as ninja validation errors; ``rename`` maps field → API name."""
    rename = rename or {}
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    errors = []
    for field, items in by_field.items():
        path = () if field == NON_FIELD_ERRORS else (rename.get(field, field),)
        for item in items:
            errors.extend(_error((*loc, *path), message, item.code) for message in item)
    return errors


def _validate(instance, loc, rename=None, exclude=None) -> list[dict]:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        return _model_errors(exc, loc, rename)
    return []


def _write(actor, call, loc=BODY, rename=None):
    """Run a service call; its refusals become 409, 403 or 422 answers, nothing is saved."""
    try:
        with set_actor(actor.user):  # the change history names the token's user, too
            return call()
    except StaleEditError as exc:
        raise HttpError(409, str(STALE_MESSAGE)) from exc
    except PermissionDenied as exc:
        specific = exc.args and not isinstance(exc.args[0], Perm)
        raise HttpError(403, str(exc) if specific else FORBIDDEN) from exc
    except DjangoValidationError as exc:
        raise ValidationError(_model_errors(exc, loc, rename)) from exc


def _check_version(instance, version: int) -> None:
    if instance.version != version:
        raise HttpError(409, str(STALE_MESSAGE))


def _found(queryset, pk, loc, errors, message):
    """A record named in the body; missing and foreign ones get the same message."""
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        errors.append(_error(loc, message))
    return found


def _municipality(actor, pk, loc, errors):
    queryset = Municipality.objects.filter(network_id=actor.network_id)
    return _found(queryset, pk, loc, errors, _("Diese Gemeinde gibt es im Netzwerk nicht."))


def _own_person(actor, pk, loc, errors):
    queryset = Person.objects.visible_to(actor).active()
    return _found(queryset, pk, loc, errors, _("Diese Person gibt es in Ihrer Akte nicht."))


def _situation(actor, code, loc, errors):
    found = (
        ProblemSituation.objects.visible_to(actor)
        .active()
        .leaves()
        .select_related("parent")
        .filter(code=code)
        .first()
    )
    if found is None:
        errors.append(_error(loc, _("Unbekannte Problemlage: %(code)s") % {"code": code}))
    return found


def _apply(instance, changes: dict, loc) -> list[dict]:
    """Set the sent fields; an explicit null on a field that cannot be empty is an error."""
    errors = []
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        if value is None and not field.null:
            errors.append(_error((*loc, name), field.error_messages["null"], "null"))
        else:
            setattr(instance, name, value)
    return errors


def _audit_page(make_items):
    """Audit the records on a page (only those) as read, once the page is cut."""

    class AuditedPagination(LimitOffsetPagination):
        def paginate_queryset(self, queryset, pagination, request, **params):
            page = super().paginate_queryset(queryset, pagination, request, **params)
            page["items"] = list(page["items"])
            audit_case(request.auth, AuditAction.VIEW, make_items(page["items"]))
            return page

    return paginate(AuditedPagination, max_limit=MAX_LIMIT)


def _needs(actor):
    return Need.objects.visible_to(actor).select_related("problem_situation", "created_by")
