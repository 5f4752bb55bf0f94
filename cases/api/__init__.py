"""JSON API of the case files: households, persons, needs, cooperation plans and consents.

Everything is scoped to the caller's own organisation's case file (``visible_to``): another
organisation's records answer 404 exactly like missing ones, health needs are absent for roles
without ``Perm.VIEW_SPECIAL_CATEGORY``. Every read is audited with the person it is about; every
write goes through ``cases.services`` (which audits it). Errors answer like the directory API:
422 in ninja's shape with German messages, 409 for stale edits and for possible duplicates.
"""

# Importing the modules registers their operations on the one router, in this order (the order
# of the paths in the OpenAPI document).
# isort: off
from cases.api.common import router
from cases.api import households, needs_plans, consents  # noqa: F401
# isort: on

__all__ = ["router"]
