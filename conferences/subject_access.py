"""Case conferences in the data subject's access export (Art. 15 DSGVO): in which conferences
this organisation presented the person, to whom, in which form and on which basis, and what was
agreed."""

from conferences.models import AgendaItem
from conferences.services import participants


def presentations(organisation, person) -> list[dict]:
    items = (
        AgendaItem.objects.filter(presenter=organisation, person=person)
        .select_related("conference__organiser")
        .prefetch_related("conference__invited_organisations", "actions__owner")
        .order_by("conference__starts_at", "pk")
    )
    return [
        {
            "fallberatung": item.conference.title,
            "am": item.conference.starts_at,
            "stand": item.conference.get_status_display(),
            "teilnehmende_organisationen": [o.name for o in participants(item.conference)],
            "darstellung": item.get_presentation_display(),
            "fallkennung": item.case_label,
            "rechtsgrundlage": item.legal_basis,
            "geteilte_angaben": item.shared,
            "angaben_zur_identitaet": item.identity or None,
            "fragestellung": item.question,
            "protokoll": item.minutes,
            "einwilligung_widerrufen_am": item.identity_revoked_at,
            "vereinbarungen": [
                {
                    "vereinbarung": action.title,
                    "zustaendig": action.owner.name,
                    "faellig_bis": action.due_date,
                    "stand": action.get_status_display(),
                }
                for action in item.actions.all()
            ],
        }
        for item in items
    ]
