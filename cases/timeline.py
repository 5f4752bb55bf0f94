"""The case file's timeline: events from every app, newest first.

Each app registers a source ``(actor, persons, household) -> list[Event]``; later apps
(referrals, conferences) add theirs from ``AppConfig.ready`` with ``register(source)``.
Sources return only what the actor may see.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # short German label, e.g. "Handlungsbedarf"
    text: str
    url: str = ""
    person: str = ""


Source = Callable[..., list[Event]]
SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def events_for(actor, *, persons, household=None, context=None, limit: int = 50) -> list[Event]:
    events: list[Event] = []
    for source in SOURCES:
        events.extend(source(actor, persons=persons, household=household, context=context or {}))
    return sorted(events, key=lambda event: event.at, reverse=True)[:limit]
