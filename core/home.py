"""Sections other apps add to the home page (e.g. offers due for checking).

Each section is a template and a function ``(actor) -> dict | None``; ``None`` hides it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable


HOME_SECTIONS: list[HomeSection] = []


def register(section: HomeSection) -> None:
    if section not in HOME_SECTIONS:
        HOME_SECTIONS.append(section)


def sections_for(actor) -> list[dict]:
    if not actor.is_member:
        return []
    rendered = []
    for section in HOME_SECTIONS:
        context = section.context(actor)
        if context is not None:
            rendered.append({"template": section.template, "context": context})
    return rendered
