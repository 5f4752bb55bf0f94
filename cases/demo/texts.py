"""What the synthetic case files say: needs, goals, steps and which partners they concern.

Keys are the problem-situation codes of the default taxonomy (``directory.taxonomy``); a network
whose taxonomy lacks a code simply never gets that need. Partner specs are organisation keys of
the demo generator or their beginnings ("welfare:Caritas", "neighbourhood_centre:").
"""

from __future__ import annotations

from cases.choices import Responsible

# code: (weight for an adult at the Jobcenter, descriptions; "" = none written)
NEEDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "qualification.school_certificate": (
        5,
        ("Kein Schulabschluss", "Hauptschule ohne Abschluss verlassen", ""),
    ),
    "qualification.vocational_training": (
        14,
        ("Keine abgeschlossene Berufsausbildung", "Ausbildung im {year} abgebrochen", ""),
    ),
    "qualification.work_experience": (
        10,
        ("Seit {years} Jahren nicht erwerbstätig", "Nur kurze Helfertätigkeiten", ""),
    ),
    "qualification.german_language": (
        0,  # only for families of other origin, see Builder._need_weights
        ("Deutschkenntnisse A2, Integrationskurs abgeschlossen", "Spricht kaum Deutsch", ""),
    ),
    "qualification.digital_skills": (6, ("Hat keinen Computer, nur ein Smartphone", "")),
    "health.physical": (5, ("Rückenbeschwerden, keine schwere körperliche Arbeit", "")),
    "health.mental": (5, ("Depressive Episoden, in ambulanter Behandlung", "")),
    "health.addiction": (2, ("Alkoholproblematik, Kontakt zur Suchtberatung gewünscht", "")),
    "family.childcare": (0, ("Kein Kita-Platz für das jüngste Kind", "Betreuung nur vormittags")),
    "family.care_for_relatives": (2, ("Pflegt die Mutter (Pflegegrad {grade})", "")),
    "family.single_parent": (0, ("Alleinerziehend, Kinder {ages} Jahre", "")),
    "housing.homelessness": (
        1,
        ("Wohnt vorübergehend bei Bekannten", "Notunterkunft der Gemeinde"),
    ),
    "housing.threatened_loss": (3, ("Räumungsklage angekündigt", "Kündigung wegen Zahlungsverzug")),
    "housing.rent_arrears": (5, ("Mietrückstand von {months} Monatsmieten", "")),
    "finances.debt": (10, ("Schulden von etwa {amount} Euro", "Mehrere Inkassoverfahren", "")),
    "finances.benefit_payment": (4, ("Leistung wegen fehlender Unterlagen ausgesetzt", "")),
    "mobility.driving_licence": (5, ("Kein Führerschein", "")),
    "mobility.public_transport": (4, ("Wohnort schlecht an Bus und Bahn angebunden", "")),
    "legal.residence_status": (0, ("Aufenthaltserlaubnis läuft in {months} Monaten ab", "")),
    "legal.work_permit": (0, ("Arbeitserlaubnis noch nicht erteilt", "")),
    "age.older_jobseekers": (0, ("Über 50, seit Längerem arbeitsuchend", "")),
    "transition.career_orientation": (0, ("Noch kein Berufswunsch", "")),
    "transition.apprenticeship_search": (0, ("Sucht einen Ausbildungsplatz", "")),
    "motivation.orientation": (5, ("Wenig Tagesstruktur", "Termine werden oft versäumt", "")),
}

# Needs the Jugendamt records about children and young people (and their parents).
YOUTH_NEEDS = {
    "family.single_parent": 8,
    "family.childcare": 6,
    "health.mental": 6,
    "health.addiction": 2,
    "housing.threatened_loss": 4,
    "qualification.school_certificate": 8,
    "transition.career_orientation": 7,
    "transition.apprenticeship_search": 5,
    "motivation.orientation": 6,
    "finances.debt": 3,
}
ENTRUSTED_DESCRIPTIONS = (
    "Im Vertrauen berichtet: häufiger Streit zu Hause, das Kind übernachtet oft bei ihr",
    "Im Vertrauen berichtet: der Vater trinkt, die Mutter ist überfordert",
    "Im Vertrauen berichtet: das Kind geht seit Wochen nicht zur Schule",
    "Im Vertrauen berichtet: Sorge um die Versorgung der jüngeren Geschwister",
)
ENTRUSTING_RELATIONS = ("Großmutter", "Großmutter", "Großmutter", "Tante", "Nachbarin")

GOALS = {
    "housing.rent_arrears": "Mietschulden ausgleichen und Wohnung erhalten",
    "housing.threatened_loss": "Wohnung sichern",
    "housing.homelessness": "Eigene Wohnung finden",
    "finances.debt": "Schulden regulieren",
    "finances.benefit_payment": "Leistungen pünktlich und vollständig erhalten",
    "qualification.school_certificate": "Hauptschulabschluss nachholen",
    "qualification.vocational_training": "Berufsabschluss erwerben",
    "qualification.work_experience": "Berufserfahrung sammeln",
    "qualification.german_language": "Deutschkenntnisse auf Niveau B1 verbessern",
    "qualification.digital_skills": "Digitale Grundkenntnisse erwerben",
    "family.childcare": "Kinderbetreuung sicherstellen",
    "family.care_for_relatives": "Pflege und Arbeit vereinbaren",
    "family.single_parent": "Familie und Beruf vereinbaren",
    "mobility.driving_licence": "Führerschein erwerben",
    "mobility.public_transport": "Arbeitsort zuverlässig erreichen",
    "legal.residence_status": "Aufenthalt klären",
    "legal.work_permit": "Arbeitserlaubnis erhalten",
    "age.older_jobseekers": "Wiedereinstieg in Arbeit",
    "transition.career_orientation": "Einen passenden Beruf finden",
    "transition.apprenticeship_search": "Ausbildungsplatz finden",
    "motivation.orientation": "Tagesstruktur und Perspektive entwickeln",
}
WORK_GOAL = "Aufnahme einer Arbeit"

CLIENT, OWN, PARTNER, OFFER = (
    Responsible.CLIENT,
    Responsible.OWN_ORGANISATION,
    Responsible.PARTNER,
    Responsible.OFFER,
)
# group: [(responsible, description, partner specs)]; OFFER steps name an offer of the network.
STEPS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "housing": [
        (CLIENT, "Mietschuldenaufstellung beim Vermieter anfordern", ()),
        (CLIENT, "Schreiben des Vermieters und Kontoauszüge vorlegen", ()),
        (OWN, "Übernahme der Mietschulden als Darlehen prüfen (§ 22 Abs. 8 SGB II)", ()),
        (OWN, "Angemessenheit der Unterkunftskosten prüfen", ()),
        (
            PARTNER,
            "Termin bei der Wohnungssicherung wahrnehmen",
            ("social_welfare_office", "welfare:Diakonisches"),
        ),
        (OFFER, "", ()),
    ],
    "finances": [
        (CLIENT, "Unterlagen zu allen Gläubigern sammeln", ()),
        (CLIENT, "Haushaltsplan mit Einnahmen und Ausgaben führen", ()),
        (OWN, "Direktzahlung der Miete an den Vermieter einrichten", ()),
        (PARTNER, "Erstgespräch bei der Schuldnerberatung wahrnehmen", ("welfare:Caritas",)),
        (OFFER, "", ()),
    ],
    "qualification": [
        (CLIENT, "Bewerbungsunterlagen vervollständigen", ()),
        (CLIENT, "Drei Bewerbungen im Monat schreiben und nachweisen", ()),
        (OWN, "Bildungsgutschein prüfen und ausstellen", ()),
        (OWN, "Anerkennung des ausländischen Abschlusses einleiten", ()),
        (PARTNER, "Beratung zur beruflichen Weiterbildung wahrnehmen", ("employment_agency",)),
        (PARTNER, "Ehrenamtlichen Einsatz zur Orientierung vereinbaren", ("volunteer_agency",)),
        (OFFER, "", ()),
        (OFFER, "", ()),
    ],
    "family": [
        (CLIENT, "Kind für einen Kita-Platz bei der Gemeinde anmelden", ()),
        (OWN, "Kosten der Kinderbetreuung klären", ()),
        (PARTNER, "Beratung zur Kinderbetreuung wahrnehmen", ("youth_office", "municipality:")),
        (PARTNER, "Kurs der Familienbildung besuchen", ("welfare:DRK",)),
        (OFFER, "", ()),
    ],
    "mobility": [
        (CLIENT, "Bei einer Fahrschule anmelden", ()),
        (OWN, "Förderung des Führerscheins prüfen", ()),
        (CLIENT, "Verbindungen mit Bus und Bahn zum Arbeitsort heraussuchen", ()),
        (OFFER, "", ()),
    ],
    "legal": [
        (CLIENT, "Aufenthaltstitel und Arbeitserlaubnis vorlegen", ()),
        (PARTNER, "Termin zur Verlängerung des Aufenthaltstitels", ("immigration_office",)),
        (PARTNER, "Migrationsberatung aufsuchen", ("welfare:AWO",)),
        (OFFER, "", ()),
    ],
    "age": [
        (OWN, "Eingliederungszuschuss für Arbeitgeber prüfen", ()),
        (CLIENT, "Bewerbungstraining besuchen", ()),
        (PARTNER, "Kontakt zum Arbeitgeberservice herstellen", ("employment_agency",)),
        (OFFER, "", ()),
    ],
    "transition": [
        (CLIENT, "Praktikum in einem Ausbildungsberuf suchen", ()),
        (PARTNER, "Termin bei der Berufsberatung wahrnehmen", ("employment_agency",)),
        (PARTNER, "Schulische Ausbildung an der Berufsschule prüfen", ("school:",)),
        (OFFER, "", ()),
    ],
    "motivation": [
        (CLIENT, "Tagesstruktur mit festen Terminen aufbauen", ()),
        (OWN, "Gespräch zur beruflichen Orientierung führen", ()),
        (PARTNER, "Angebot im Stadtteilzentrum kennenlernen", ("neighbourhood_centre:",)),
        (OFFER, "", ()),
    ],
    "work": [
        (CLIENT, "Bewerbungsunterlagen aktualisieren", ()),
        (CLIENT, "Auf Vermittlungsvorschläge innerhalb einer Woche reagieren", ()),
        (OWN, "Passende Stellenangebote zusenden", ()),
        (PARTNER, "Vorstellungsgespräch bei einem Arbeitgeber des Netzwerks", ("employer:",)),
    ],
}
OFFER_STEP = "Angebot „{title}“ wahrnehmen"  # as cases.services.add_offer_as_step words it

# Who a consent about a need of this group usually names as recipient.
RECIPIENTS = {
    "housing": ("social_welfare_office", "welfare:Diakonisches", "municipality:"),
    "finances": ("welfare:Caritas",),
    "qualification": ("employment_agency", "volunteer_agency", "neighbourhood_centre:"),
    "family": ("youth_office", "welfare:DRK", "neighbourhood_centre:"),
    "health": ("welfare:Suchthilfe", "self_help"),
    "legal": ("immigration_office", "welfare:AWO"),
    "transition": ("employment_agency", "school:"),
    "age": ("employment_agency",),
    "mobility": ("municipality:",),
    "motivation": ("neighbourhood_centre:", "volunteer_agency"),
}
DEFAULT_RECIPIENTS = ("employment_agency", "social_welfare_office", "neighbourhood_centre:")
YOUTH_RECIPIENTS = ("jobcenter", "school:", "welfare:", "neighbourhood_centre:")
CONSENT_NOTES = (
    "",
    "",
    "Für die Überleitung zur Schuldnerberatung",
    "Fallberatung im Rahmen der Kooperationsvereinbarung",
    "Rückmeldung, ob der Termin wahrgenommen wurde",
)
