"""JSON API of referrals (Überleitungen) and advisory pointers: inbox and outbox, the referral
with its snapshot, creating, the lifecycle's steps, forwarding, the thread, and what may travel.

The rules are the pages' rules, decided in the same places: visibility is
``Referral.objects.visible_to`` (sender and recipient only; anyone else gets 404 exactly like a
missing referral), every write is a ``referrals.services`` call (lifecycle table, policy, row
lock, event, audit), every read of a snapshot goes through ``services.record_view`` (audited;
the recipient's first view marks it received). Lists carry metadata only, never the snapshot or
the person's name. Errors answer like the case-file API: 422 in ninja's shape with German
messages, 409 for a step the current status does not allow and for possible duplicates.
"""

# Importing the modules registers their operations on the one router, in this order (the order
# of the paths in the OpenAPI document).
# isort: off
from referrals.api.common import router
from referrals.api import referrals, lifecycle  # noqa: F401
# isort: on

__all__ = ["router"]
