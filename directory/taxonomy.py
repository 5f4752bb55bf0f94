"""The problem-situation taxonomy every network starts with (DESIGN.md).

Codes are stable identifiers (used by matching, the cases app, imports and exports); labels are
German and may be edited per network. Two levels: a group and its situations.
"""

DEFAULT_TAXONOMY: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "qualification",
        "Qualifizierung",
        [
            ("qualification.school_certificate", "Schulabschluss"),
            ("qualification.vocational_training", "Berufsausbildung"),
            ("qualification.work_experience", "Berufserfahrung"),
            ("qualification.german_language", "Deutschkenntnisse"),
            ("qualification.digital_skills", "Digitale Kompetenzen"),
        ],
    ),
    (
        "health",
        "Gesundheit",
        [
            ("health.physical", "Körperliche Gesundheit"),
            ("health.mental", "Psychische Gesundheit"),
            ("health.addiction", "Sucht"),
        ],
    ),
    (
        "family",
        "Familie",
        [
            ("family.childcare", "Kinderbetreuung"),
            ("family.care_for_relatives", "Pflege von Angehörigen"),
            ("family.single_parent", "Alleinerziehend"),
        ],
    ),
    (
        "housing",
        "Wohnen",
        [
            ("housing.homelessness", "Wohnungslosigkeit"),
            ("housing.threatened_loss", "Drohender Wohnungsverlust"),
            ("housing.rent_arrears", "Mietschulden"),
        ],
    ),
    (
        "finances",
        "Finanzen",
        [
            ("finances.debt", "Schulden"),
            ("finances.benefit_payment", "Probleme bei der Leistungsauszahlung"),
        ],
    ),
    (
        "mobility",
        "Mobilität",
        [
            ("mobility.driving_licence", "Kein Führerschein"),
            ("mobility.public_transport", "Öffentlicher Nahverkehr"),
        ],
    ),
    (
        "legal",
        "Rechtliches",
        [
            ("legal.residence_status", "Aufenthaltsstatus"),
            ("legal.work_permit", "Arbeitserlaubnis"),
        ],
    ),
    ("age", "Alter", [("age.older_jobseekers", "Ältere Arbeitsuchende")]),
    (
        "transition",
        "Übergang Schule–Beruf",
        [
            ("transition.career_orientation", "Berufsorientierung"),
            ("transition.apprenticeship_search", "Ausbildungsplatzsuche"),
        ],
    ),
    (
        "motivation",
        "Motivation und Orientierung",
        [("motivation.orientation", "Motivation und Orientierung")],
    ),
]
