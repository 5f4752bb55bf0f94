"""Wording of the demo referrals: reasons, messages, notes. Nothing here names a person; the
snapshot carries who it is about."""

from referrals.choices import DeclineReason, Outcome, Track

# Reason by need code (the Anlass the case manager writes); the first line of a referral.
REASONS: dict[str, tuple[str, ...]] = {
    "housing.threatened_loss": (
        "Drohender Wohnungsverlust: fristlose Kündigung wegen Mietrückstand liegt vor",
        "Räumungsklage angekündigt, Termin beim Amtsgericht steht bevor",
        "Vermieter hat Kündigung ausgesprochen, Haushalt mit Kindern",
    ),
    "housing.rent_arrears": (
        "Mietrückstand von zwei Monatsmieten, Vermieter droht mit Kündigung",
        "Mietschulden nach Unterbrechung der Leistungen, Übernahme prüfen",
    ),
    "housing.homelessness": (
        "Wohnungslos, übernachtet derzeit bei Bekannten",
        "Wohnung verloren, vorübergehend in der Notunterkunft",
    ),
    "finances.benefit_payment": (
        "Leistung für diesen Monat nicht ausgezahlt, kein Geld für Lebensmittel",
        "Zahlung eingestellt nach Wechsel der Zuständigkeit, Klärung dringend",
        "Übergang in Grundsicherung im Alter, Zahlungslücke droht",
    ),
    "finances.debt": (
        "Überschuldung, Gläubigerliste liegt vor – Schuldnerberatung erbeten",
        "Kontopfändung, Pfändungsschutzkonto einrichten",
    ),
    "qualification.vocational_training": (
        "Keine abgeschlossene Ausbildung – Beratung zu Umschulung und Teilqualifizierung",
        "Interesse an einer Ausbildung in Teilzeit",
    ),
    "qualification.work_experience": (
        "Lange ohne Beschäftigung – Einstieg über Arbeitsgelegenheit oder Praktikum",
        "Berufliche Orientierung nach längerer Pause",
    ),
    "qualification.school_certificate": (
        "Kein Schulabschluss – Nachholen des Hauptschulabschlusses klären",
        "Schulabschluss nachholen, Abendschule oder Kurs",
    ),
    "qualification.german_language": (
        "Sprachkurs (Berufssprachkurs B1/B2) gewünscht",
        "Integrationskurs abgeschlossen, weiterführender Sprachkurs",
    ),
    "qualification.digital_skills": (
        "Grundkurs am Computer für die Stellensuche",
        "Unterstützung bei Online-Bewerbungen",
    ),
    "transition.career_orientation": (
        "Verlässt die Schule ohne Anschlussperspektive – Berufsorientierung",
        "Übergang Schule–Beruf: noch keine Vorstellung vom Berufsweg",
    ),
    "transition.apprenticeship_search": (
        "Sucht einen Ausbildungsplatz zum Herbst, Unterstützung bei Bewerbungen",
        "Ausbildung abgebrochen, Anschlussausbildung gesucht",
    ),
    "family.childcare": (
        "Kein Betreuungsplatz, Arbeitsaufnahme scheitert daran",
        "Betreuung für Randzeiten gesucht",
    ),
    "family.single_parent": (
        "Alleinerziehend, Unterstützung bei Betreuung und Alltag",
        "Alleinerziehend, Beratung zu Teilzeitmaßnahmen",
    ),
    "family.care_for_relatives": ("Pflegt Angehörige, Entlastungsangebote gesucht",),
    "health.mental": ("Psychische Belastung, Beratung und Begleitung gewünscht",),
    "health.physical": ("Gesundheitliche Einschränkungen, Beratung zu leidensgerechter Arbeit",),
    "health.addiction": ("Suchtproblematik, Kontakt zur Suchtberatung gewünscht",),
    "mobility.driving_licence": ("Führerschein fehlt für die Stelle im Schichtbetrieb",),
    "mobility.public_transport": ("Arbeitsort mit Bus und Bahn kaum erreichbar",),
    "legal.residence_status": ("Aufenthaltstitel läuft aus, Verlängerung klären",),
    "legal.work_permit": ("Beschäftigungserlaubnis für ein Stellenangebot klären",),
    "age.older_jobseekers": ("Über 50, Unterstützung bei der Rückkehr in Arbeit",),
    "motivation.orientation": ("Soziale Kontakte und Tagesstruktur aufbauen",),
}
DEFAULT_REASON = ("Beratung und Unterstützung erbeten",)

# The optional message to the recipient.
MESSAGES: dict[str, tuple[str, ...]] = {
    Track.HOUSING_LOSS: (
        "Bitte um kurzfristige Kontaktaufnahme, die Kündigungsfrist läuft.",
        "Die Person ist vormittags telefonisch erreichbar. Räumungstermin bitte beachten.",
    ),
    Track.BENEFIT_PAYMENT: (
        "Bitte heute noch klären, die Familie hat kein Geld mehr.",
        "Bitte um Rückruf, ob eine Abschlagszahlung möglich ist.",
    ),
    Track.SCHOOL_TO_WORK: (
        "Termin zur Berufsberatung wäre vor den Sommerferien wichtig.",
        "Die junge Person kommt gern mit einer Vertrauensperson.",
    ),
    Track.STANDARD: (
        "Die Person ist mit der Überleitung einverstanden und wartet auf Ihren Anruf.",
        "Bitte geben Sie uns nach dem Erstgespräch eine kurze Rückmeldung.",
        "Termine am besten vormittags.",
    ),
}

# Messages in the thread, by side.
SENDER_MESSAGES = (
    "Gibt es schon einen Termin für das Erstgespräch?",
    "Die Person hat eine neue Telefonnummer, bitte in der Akte nachtragen lassen.",
    "Kurze Nachfrage: Ist die Überleitung bei Ihnen angekommen?",
    "Danke für die schnelle Rückmeldung.",
)
RECIPIENT_MESSAGES = (
    "Erstgespräch ist für nächste Woche vereinbart.",
    "Wir haben die Person telefonisch nicht erreicht. Haben Sie eine aktuelle Nummer?",
    "Termin hat stattgefunden, wir bleiben dran.",
    "Unterlagen zur Mietforderung fehlen noch, wir haben sie angefordert.",
    "Bitte teilen Sie der Person mit, dass sie den Bescheid mitbringen soll.",
)

DECLINE_WEIGHTS = {
    DeclineReason.NOT_RESPONSIBLE: 35,
    DeclineReason.NO_CAPACITY: 20,
    DeclineReason.NOT_ELIGIBLE: 20,
    DeclineReason.INCOMPLETE: 15,
    DeclineReason.OTHER: 10,
}
DECLINE_NOTES = {
    DeclineReason.NOT_RESPONSIBLE: ("Wohnort außerhalb unseres Bereichs.", ""),
    DeclineReason.NO_CAPACITY: ("Warteliste bis Quartalsende voll.", ""),
    DeclineReason.NOT_ELIGIBLE: ("Einkommen über der Grenze.", ""),
    DeclineReason.INCOMPLETE: ("Bitte Mietvertrag und Kündigung nachreichen.", ""),
    # "other" needs an explanation (services.decline).
    DeclineReason.OTHER: (
        "Person wird bereits von einem anderen Träger betreut.",
        "Angebot findet derzeit nicht statt.",
    ),
}

OUTCOME_WEIGHTS = {
    Outcome.HELP_GIVEN: 52,
    Outcome.PARTLY: 16,
    Outcome.CLIENT_DID_NOT_COME: 14,
    Outcome.CLIENT_DECLINED: 7,
    Outcome.NOT_RESPONSIBLE: 4,
    Outcome.OTHER: 7,
}
# Urgent tracks: the agencies act, and the client usually comes (the flat is at stake).
URGENT_OUTCOME_WEIGHTS = {
    Outcome.HELP_GIVEN: 66,
    Outcome.PARTLY: 17,
    Outcome.CLIENT_DID_NOT_COME: 6,
    Outcome.CLIENT_DECLINED: 3,
    Outcome.NOT_RESPONSIBLE: 3,
    Outcome.OTHER: 5,
}
OUTCOME_NOTES = {
    Outcome.HELP_GIVEN: (
        "Mietrückstand übernommen, Wohnung gesichert.",
        "Beratung abgeschlossen, Plan vereinbart.",
        "Teilnahme am Kurs begonnen.",
        "",
        "",
    ),
    Outcome.PARTLY: ("Teilweise geklärt, Rest über Ratenzahlung.", ""),
    Outcome.CLIENT_DID_NOT_COME: ("Zwei Termine nicht wahrgenommen.", ""),
    Outcome.CLIENT_DECLINED: ("Person möchte die Hilfe derzeit nicht.", ""),
    Outcome.NOT_RESPONSIBLE: ("Zuständig ist der Landkreis des neuen Wohnorts.", ""),
    Outcome.OTHER: ("Person ist verzogen.", "Anliegen hat sich erledigt."),
}
WITHDRAW_NOTES = (
    "Anliegen hat sich erledigt.",
    "Person ist verzogen.",
    "Versehentlich doppelt gesendet.",
    "",
)
ARRIVAL_NOTES = ("", "", "Laut Person war sie zweimal dort.", "Rückmeldung im Beratungsgespräch.")
HELP_ASSESSMENT_REASONING = (
    "Die Familie wünscht die Unterstützung durch das Jobcenter; die Hilfe wird nicht gefährdet.",
    "Der junge Mensch hat selbst um die Weitergabe gebeten; kein Risiko für die Hilfe.",
)
