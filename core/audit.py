"""The audit trail: one function records every read and write of personal data.

Later apps call ``record(...)`` with references (``"cases.person:42"``), never the data itself.
"""

from django.db import transaction
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditChainHead, AuditEntry
from core.request_context import request_id as current_request_id

GENESIS_HASH = "0" * 64


def ref(obj) -> str:
    """A stable reference to a model instance, e.g. ``core.organisation:12``."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def chain_name(network_id) -> str:
    return f"network:{network_id}" if network_id else "system"


def record(
    *,
    actor,
    action: AuditAction,
    obj=None,
    subject=None,
    purpose: str = "",
    legal_basis: str = "",
    controller=None,
    network_id=None,
    user=None,
) -> AuditEntry:
    """Append one entry to the network's hash chain.

    ``obj`` is what was read or written; ``subject`` the person the data is about (searchable
    by the data protection officer); ``controller`` the organisation whose data it is (defaults
    to the acting organisation).
    """
    return record_many(
        actor=actor,
        action=action,
        items=[(obj, subject)],
        purpose=purpose,
        legal_basis=legal_basis,
        controller=controller,
        network_id=network_id,
        user=user,
    )[0]


def record_many(
    *,
    actor,
    action: AuditAction,
    items,
    purpose: str = "",
    legal_basis: str = "",
    controller=None,
    network_id=None,
    user=None,
) -> list[AuditEntry]:
    """Append one entry per ``(obj, subject)`` in ``items`` with a single lock of the chain.

    A case file page shows several persons; each gets its own entry (the DPO searches by
    person), but the page pays for one lock and one insert.
    """
    organisation = getattr(actor, "organisation", None)
    network_id = network_id or getattr(actor, "network_id", None)
    user = user or getattr(actor, "user", None)
    controller = controller or organisation
    chain = chain_name(network_id)
    items = list(items)
    if not items:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.get_or_create(
            chain=chain, defaults={"last_hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=head.pk)
        now = timezone.now()
        prev_hash, sequence = head.last_hash, head.length
        entries = []
        for obj, subject in items:
            sequence += 1
            entry = AuditEntry(
                chain=chain,
                sequence=sequence,
                created_at=now,
                network_id=network_id,
                user=user if user is not None and user.is_authenticated else None,
                organisation=organisation,
                controller=controller,
                action=action,
                object_ref=_as_ref(obj),
                subject_ref=_as_ref(subject),
                purpose=purpose,
                legal_basis=legal_basis,
                request_id=current_request_id.get(),
                prev_hash=prev_hash,
            )
            entry.check_refs()
            entry.entry_hash = entry.compute_hash()
            prev_hash = entry.entry_hash
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries)
        AuditChainHead.objects.filter(pk=head.pk).update(last_hash=prev_hash, length=sequence)
    return entries


def _as_ref(obj) -> str:
    if obj is None:
        return ""
    return obj if isinstance(obj, str) else ref(obj)


def verify_chain(chain: str) -> int | None:
    """Return the sequence number of the first entry that does not fit the chain, or None.

    Detects changed rows (hash mismatch), removed rows (gap or broken link) and a truncated
    tail (the chain head remembers the last hash and length).
    """
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    entries = AuditEntry.objects.filter(chain=chain).order_by("sequence").iterator(chunk_size=2000)
    for entry in entries:
        if (
            entry.sequence != expected_sequence
            or entry.prev_hash != expected_prev
            or entry.compute_hash() != entry.entry_hash
        ):
            return entry.sequence
        expected_prev = entry.entry_hash
        expected_sequence += 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head and (head.length != expected_sequence - 1 or head.last_hash != expected_prev):
        return expected_sequence
    return None
