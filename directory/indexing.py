"""Keeps ``Offer.search_text`` and the SQLite full-text table in step with the offers.

Called from signals for single saves and explicitly after bulk inserts (demo data, imports).
"""

import threading
from contextlib import contextmanager

from django.db.models import Prefetch
from django.utils import translation

from directory import fulltext
from directory.choices import Language, TargetGroup

BATCH = 500
_state = threading.local()


@contextmanager
def deferred():
    """Within this block the signals do not index; the caller reindexes once at the end
    (bulk imports would otherwise rebuild an offer's document after every child row)."""
    previous = getattr(_state, "deferred", False)
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = previous


def is_deferred() -> bool:
    return getattr(_state, "deferred", False)


def document_for(offer) -> str:
    """Everything a case manager might type to find the offer, as plain German text."""
    situations = list(offer.problem_situations.all())
    parts = [offer.title, offer.tags, offer.description, offer.organisation.name]
    parts += [situation.label for situation in situations]
    parts += sorted({s.parent.label for s in situations if s.parent_id})
    parts += sorted({place.municipality.name for place in offer.places.all()})
    with translation.override("de"):
        parts += [str(Language(code).label) for code in offer.languages if code in Language]
        parts += [str(TargetGroup(c).label) for c in offer.target_groups if c in TargetGroup]
    return "\n".join(part for part in parts if part)


def reindex(queryset) -> int:
    """Rebuild the search text of every offer in ``queryset``; returns how many."""
    from directory.models import Offer, Place, ProblemSituation

    pks = list(dict.fromkeys(queryset.values_list("pk", flat=True)))
    for start in range(0, len(pks), BATCH):
        chunk = (
            Offer.objects.filter(pk__in=pks[start : start + BATCH])
            .select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "problem_situations",
                    queryset=ProblemSituation.objects.select_related("parent"),
                ),
                Prefetch("places", queryset=Place.objects.select_related("municipality")),
            )
        )
        offers = list(chunk)
        for offer in offers:
            offer.search_text = document_for(offer)
        Offer.objects.bulk_update(offers, ["search_text"])
        fulltext.write_index([(offer.pk, offer.search_text) for offer in offers])
    return len(pks)
