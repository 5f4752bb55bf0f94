import functools

from ninja.errors import HttpError

from core.permissions import Perm


def api_requires(perm: Perm):
    """The API twin of ``core.permissions.requires``: 403 unless the roles grant ``perm``."""

    def decorator(func):
        @functools.wraps(func)
        def wrapped(request, *args, **kwargs):
            if not request.auth.can(perm):
                raise HttpError(403, "Keine Berechtigung für diese Aktion.")
            return func(request, *args, **kwargs)

        wrapped.kw_permission = perm
        return wrapped

    return decorator
