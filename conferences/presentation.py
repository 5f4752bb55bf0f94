"""What a case looks like on a conference agenda.

The pseudonymised part holds no name, birth date, address, phone, e-mail or number: a case
label, age bands instead of ages, the household's composition by role, the municipality and the
needs by their taxonomy label (never the free-text description, which may name people). What is
stored here is a record for every participant, so it is written in the site's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import MemberRole
from cases.models.households import name_key
from conferences.choices import AGE_BANDS
from core.notifications import in_default_language


def age_band(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return str(label)
    return str(AGE_BANDS[-1][2])


def case_label_for(person) -> str:
    """The household's generated label; a person without household keeps the label of an
    earlier presentation, or gets the next "P" number of the presenting organisation."""
    from conferences.models import AgendaItem

    if person.household_id:
        return f"Fall {person.household.case_label}"
    earlier = (
        AgendaItem.objects.filter(person=person, presenter_id=person.organisation_id)
        .values_list("case_label", flat=True)
        .first()
    )
    if earlier:
        return earlier
    year = timezone.localdate().year
    prefix = f"Fall {year}-P"
    labels = AgendaItem.objects.filter(
        presenter_id=person.organisation_id, case_label__startswith=prefix
    ).aggregate(last=Max("case_label"))["last"]
    number = int(labels.removeprefix(prefix)) + 1 if labels else 1
    return f"{prefix}{number:03d}"


def members_of(person) -> list:
    if person.household_id:
        return list(person.household.members.filter(erased_at__isnull=True))
    return [person]


@in_default_language
def build_shared(person, needs, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    # Nobody who was not born yet on the day presented (the demo writes past meetings).
    members = [m for m in members_of(person) if m.birth_date <= today]
    roles = dict(MemberRole.choices)
    municipality = person.home_municipality
    return {
        "case_label": case_label_for(person),
        "presented": {
            "role": str(roles.get(person.role, "")),
            "age_band": age_band(person.age_on(today)),
        },
        "household": [
            {
                "role": str(roles.get(member.role, "")),
                "age_band": age_band(member.age_on(today)),
                "presented": member.pk == person.pk,
            }
            for member in sorted(members, key=lambda m: (m.pk != person.pk, m.birth_date))
        ],
        "municipality": municipality.name if municipality else "",
        "needs": [
            {
                "label": need.problem_situation.label,
                "group": need.problem_situation.parent.label
                if need.problem_situation.parent_id
                else "",
                "severity": need.get_severity_display(),
                "special": need.is_special_category,
            }
            for need in needs
        ],
    }


def build_identity(person) -> dict:
    address = person.household or person
    street = f"{address.street}, {address.postal_code}".strip(", ")
    municipality = person.home_municipality
    return {
        "name": person.full_name,
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
        "address": ", ".join(p for p in [street, municipality.name if municipality else ""] if p),
        "household_number": person.household.number if person.household_id else "",
    }


# --- identifiers in free text ------------------------------------------------------------------

PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)49[\s/\-]*(?:\(0\)[\s/\-]*)?|0)[1-9][\d /\-()]{5,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BG_NUMBER = re.compile(r"\b\d{5}\s?BG\s?\d{5,8}\b", re.IGNORECASE)
DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
MIN_NAME_LENGTH = 3


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    def __str__(self):
        return f"{self.kind}: „{self.text}“"


def _parse_date(match) -> date | None:
    try:
        if match.group(4):
            return date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        year = int(match.group(3))
        if year < 100:
            year += 2000 if year <= timezone.localdate().year % 100 else 1900
        return date(year, int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def find_identifiers(text: str, person=None) -> list[Finding]:
    """Obvious identifiers in free text: the household's names and birth dates, other dates
    that could be birth dates, phone numbers, e-mail addresses, BG numbers.

    A warning, not a proof: the author reads it and decides.
    """
    if not text:
        return []
    findings: list[Finding] = []
    members = members_of(person) if person is not None else []
    names = {}
    for member in members:
        for part in f"{member.first_name} {member.last_name}".replace("-", " ").split():
            if len(part) >= MIN_NAME_LENGTH:
                names[name_key(part, "")] = part
    for word in WORD.findall(text):
        for piece in [word, *word.split("-")]:
            key = name_key(piece, "")
            if key in names:
                findings.append(Finding(_("Name"), piece))
                break
    birth_dates = {member.birth_date for member in members}
    adult_year = timezone.localdate().year - 14
    for match in DATE.finditer(text):
        day = _parse_date(match)
        if day is None:
            continue
        if day in birth_dates:
            findings.append(Finding(_("Geburtsdatum"), match.group(0)))
        elif day.year <= adult_year:
            findings.append(Finding(_("Datum, vielleicht ein Geburtsdatum"), match.group(0)))
    for match in EMAIL.finditer(text):
        findings.append(Finding(_("E-Mail-Adresse"), match.group(0)))
    without_emails = EMAIL.sub(" ", text)
    for match in BG_NUMBER.finditer(without_emails):
        findings.append(Finding(_("BG-Nummer"), match.group(0)))
    household = getattr(person, "household", None) if person is not None else None
    if household is not None and household.number and household.number in text:
        findings.append(Finding(_("BG-Nummer"), household.number))
    if household is not None and household.street and household.street.lower() in text.lower():
        findings.append(Finding(_("Anschrift"), household.street))
    without_dates = DATE.sub(" ", BG_NUMBER.sub(" ", without_emails))
    for match in PHONE.finditer(without_dates):
        findings.append(Finding(_("Telefonnummer"), match.group(0).strip()))
    unique = list(dict.fromkeys(findings))
    return unique
