"""JSON API of case conferences (Fallberatungen): the list, one conference with its agenda,
planning, holding and cancelling, cases on the agenda, agreed actions and the task list.

The rules are the pages' rules, decided in the same places: visibility is
``Conference.objects.visible_to`` (the inviting and the invited organisations only; anyone else
gets 404 exactly like a missing conference), what an organisation sees of a case is
``conferences.disclosure.view_for`` (the presenter everything, the others the pseudonymised part
and the identity only while a consent covers them), every read of the agenda is audited through
``services.record_views``, every write is a ``conferences.services`` call. Errors answer like
the case-file API: 422 in ninja's shape with German messages, 409 for a step the conference's
state or the own organisation's part does not allow and for stale versions.
"""

# Importing the modules registers their operations on the one router, in this order (the order
# of the paths in the OpenAPI document).
# isort: off
from conferences.api.common import router
from conferences.api import conferences, actions  # noqa: F401
# isort: on

__all__ = ["router"]
