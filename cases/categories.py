"""Data categories a consent or a statutory basis covers, and which category a record is in.

Needs are grouped by the taxonomy's top-level group ("needs.housing"), so a consent can cover
housing needs without covering debt. Health needs and documents from a doctor are special
category data (DSGVO Art. 9) and form their own category.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MASTER_DATA = "master_data"
HOUSEHOLD = "household"
PLAN = "plan"
HEALTH = "health"
DOCUMENTS = "documents"
NEEDS_PREFIX = "needs."
HEALTH_GROUP = "health"

FIXED = {
    MASTER_DATA: gettext_lazy("Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen)"),
    HOUSEHOLD: gettext_lazy("Haushalt (Mitglieder der Bedarfsgemeinschaft, Anschrift)"),
    PLAN: gettext_lazy("Kooperationsplan"),
    DOCUMENTS: gettext_lazy("Dokumente (ohne Gesundheitsdaten)"),
    HEALTH: gettext_lazy("Gesundheitsdaten (Gesundheit, Sucht, ärztliche Unterlagen)"),
}


def need_category(group_code: str) -> str:
    return HEALTH if group_code == HEALTH_GROUP else f"{NEEDS_PREFIX}{group_code}"


def is_special(category: str) -> bool:
    return category == HEALTH


def choices_for_network(network_id) -> list[tuple[str, str]]:
    """Every category of a network, in the order forms show them."""
    from directory.models import ProblemSituation

    groups = ProblemSituation.objects.filter(network_id=network_id, parent__isnull=True).exclude(
        code=HEALTH_GROUP
    )
    choices = [(MASTER_DATA, str(FIXED[MASTER_DATA])), (HOUSEHOLD, str(FIXED[HOUSEHOLD]))]
    choices += [
        (need_category(group.code), _("Handlungsbedarfe: %(group)s") % {"group": group.label})
        for group in groups.order_by("position", "code")
    ]
    choices += [(code, str(FIXED[code])) for code in (PLAN, DOCUMENTS, HEALTH)]
    return choices


def label(category: str, network_id=None) -> str:
    if category in FIXED:
        return str(FIXED[category])
    return dict(choices_for_network(network_id)).get(category, category)
