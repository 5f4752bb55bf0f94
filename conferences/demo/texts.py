"""German texts of the demo case conferences.

Every text is generic on purpose: what a pseudonymised presentation stores must not name the
household, and the generator checks each one with ``presentation.find_identifiers`` as the form
would. Keys are the problem groups of the taxonomy (``directory.taxonomy``).
"""

QUESTIONS = {
    "qualification": (
        "Wie kann die Ausbildungsaufnahme trotz fehlender Kinderbetreuung gelingen?",
        "Welche Qualifizierung passt, wenn der Schulabschluss fehlt?",
        "Wie lässt sich ein Sprachkurs mit den Betreuungszeiten der Kinder vereinbaren?",
        "Welche Schritte führen nach dem Abbruch der Ausbildung zurück in eine Maßnahme?",
    ),
    "family": (
        "Wie kann die Kinderbetreuung gesichert werden, damit die Arbeitsaufnahme gelingt?",
        "Was braucht der alleinerziehende Elternteil, um die Maßnahme fortzusetzen?",
        "Wie entlasten wir die Familie, solange die Pflege eines Angehörigen andauert?",
        "Welche Hilfen zur Erziehung und welche Förderung des Jobcenters greifen ineinander?",
    ),
    "housing": (
        "Wie kann der drohende Wohnungsverlust abgewendet werden?",
        "Wer übernimmt die Klärung der Mietschulden mit dem Vermieter?",
        "Welche Unterkunft ist für die Familie kurzfristig erreichbar?",
    ),
    "finances": (
        "Wie lässt sich die Schuldensituation ordnen, bevor die Ausbildung beginnt?",
        "Wie vermeiden wir erneute Lücken bei der Leistungsauszahlung?",
        "Welche Beratung hilft, den Haushalt mit dem Einkommen zu planen?",
    ),
    "health": (
        "Welche gesundheitliche Stabilisierung ist vor einer Arbeitsaufnahme nötig?",
        "Wie kann der Zugang zu einer Suchtberatung gelingen?",
        "Wie begleiten wir den Übergang nach der Klinik in Alltag und Maßnahme?",
    ),
    "mobility": (
        "Wie ist die Ausbildungsstelle ohne Führerschein erreichbar?",
        "Welche Lösung gibt es für den Arbeitsweg im Schichtbetrieb?",
    ),
    "legal": (
        "Was ist bis zur Klärung des Aufenthaltsstatus möglich?",
        "Wie kann die Arbeitserlaubnis rechtzeitig zum Ausbildungsbeginn vorliegen?",
    ),
    "transition": (
        "Wie gelingt der Übergang von der Schule in Ausbildung?",
        "Welche Berufsorientierung passt nach dem Ende der Schulzeit?",
        "Wie kann die Ausbildungsplatzsuche mit der Jugendhilfe abgestimmt werden?",
    ),
    "age": (
        "Welche Beschäftigung ist trotz gesundheitlicher Einschränkungen im Alter realistisch?",
    ),
    "motivation": (
        "Wie können wir wieder einen verlässlichen Kontakt herstellen?",
        "Welche niedrigschwellige Tagesstruktur wäre ein erster Schritt?",
    ),
}
DEFAULT_QUESTIONS = ("Welche Hilfen sollten wir gemeinsam abstimmen?",)

ITEM_MINUTES = {
    "qualification": (
        "Die Teilnehmenden halten eine Teilzeitausbildung für realistisch, wenn die Betreuung "
        "am Nachmittag geklärt ist. Die Berufsberatung wird einbezogen.",
        "Ein Sprachkurs mit Kinderbetreuung ist die vorrangige Option; die Anmeldung erfolgt "
        "über das Jobcenter.",
    ),
    "family": (
        "Der Betreuungsbedarf ist geklärt; das Jugendamt prüft einen Platz in der Tagespflege. "
        "Bis dahin wird die Maßnahme in Teilzeit fortgesetzt.",
        "Die Familie ist mit der Abstimmung einverstanden. Hilfen zur Erziehung und Förderung "
        "werden zeitlich aufeinander abgestimmt.",
    ),
    "housing": (
        "Die Mietschulden sind überschaubar; eine Übernahme als Darlehen wird geprüft. Der "
        "Vermieter ist gesprächsbereit.",
        "Das Sozialamt klärt kurzfristig eine Übergangslösung; das Jobcenter prüft die Kosten "
        "der Unterkunft.",
    ),
    "finances": (
        "Eine Schuldnerberatung wird vermittelt; bis zum Erstgespräch werden keine neuen "
        "Verpflichtungen eingegangen.",
        "Die Auszahlungsprobleme lagen an fehlenden Unterlagen; die Nachreichung ist vereinbart.",
    ),
    "health": (
        "Vorrang hat die gesundheitliche Stabilisierung. Eine Maßnahme wird erst danach geplant.",
        "Der Kontakt zur Suchtberatung ist hergestellt; die Teilnahme wird in vier Wochen "
        "besprochen.",
    ),
    "mobility": ("Ein Zuschuss zur Fahrkarte und eine Mitfahrgelegenheit werden geprüft.",),
    "legal": ("Die Ausländerbehörde wird um eine Auskunft zum Verfahrensstand gebeten.",),
    "transition": (
        "Ein Praktikum vor Ausbildungsbeginn wird angestrebt; die Jugendberufshilfe begleitet.",
        "Die Berufsorientierung wird mit der Schule abgestimmt.",
    ),
    "age": ("Eine geförderte Beschäftigung in Teilzeit wird als nächster Schritt vereinbart.",),
    "motivation": (
        "Ein gemeinsamer Termin von Jobcenter und Jugendamt soll den Kontakt wieder herstellen.",
    ),
}
DEFAULT_ITEM_MINUTES = ("Die Zuständigkeiten sind geklärt; die Fallberatung wird fortgesetzt.",)

# Agreed actions by problem group: (title, who does it). "presenter" is the presenting
# organisation; the other keys are organisation keys of core/demo/generator.py. An owner who is
# not at the table falls back to the presenter.
ACTIONS = {
    "qualification": (
        ("Anmeldung zum Sprachkurs mit Kinderbetreuung vornehmen", "jobcenter"),
        ("Termin bei der Berufsberatung vereinbaren", "presenter"),
        ("Möglichkeiten einer Teilzeitausbildung klären", "jobcenter"),
        ("Rückmeldung zum Stand der Bewerbungen geben", "presenter"),
    ),
    "family": (
        ("Platz in der Kindertagespflege prüfen", "youth_office"),
        ("Betreuungszeiten mit dem Maßnahmeträger abstimmen", "jobcenter"),
        ("Hilfeplangespräch mit der Familie vorbereiten", "youth_office"),
        ("Entlastungsangebote für pflegende Angehörige heraussuchen", "presenter"),
    ),
    "housing": (
        ("Übernahme der Mietschulden als Darlehen prüfen", "jobcenter"),
        ("Gespräch mit dem Vermieter führen", "social_welfare_office"),
        ("Übergangsunterkunft klären", "social_welfare_office"),
    ),
    "finances": (
        ("Termin bei der Schuldnerberatung vermitteln", "presenter"),
        ("Fehlende Unterlagen für die Leistungsauszahlung anfordern", "jobcenter"),
        ("Haushaltsplan gemeinsam aufstellen", "presenter"),
    ),
    "health": (
        ("Kontakt zur Suchtberatung herstellen", "presenter"),
        ("Stellungnahme zur Belastbarkeit einholen", "jobcenter"),
        ("Nachsorge nach dem Klinikaufenthalt abstimmen", "youth_office"),
    ),
    "mobility": (
        ("Zuschuss zur Monatskarte prüfen", "jobcenter"),
        ("Förderung des Führerscheins prüfen", "jobcenter"),
    ),
    "legal": (
        ("Verfahrensstand bei der Ausländerbehörde erfragen", "presenter"),
        ("Beratung zum Aufenthaltsrecht vermitteln", "presenter"),
    ),
    "transition": (
        ("Praktikumsplatz vor Ausbildungsbeginn suchen", "jobcenter"),
        ("Berufsorientierung mit der Schule abstimmen", "youth_office"),
        ("Begleitung durch die Jugendberufshilfe einrichten", "youth_office"),
    ),
    "age": (("Geförderte Teilzeitbeschäftigung prüfen", "jobcenter"),),
    "motivation": (
        ("Gemeinsamen Gesprächstermin anbieten", "presenter"),
        ("Niedrigschwelliges Tagesangebot vorschlagen", "youth_office"),
    ),
}
DEFAULT_ACTIONS = (("Ergebnis in der nächsten Fallberatung berichten", "presenter"),)
REFERRAL_ACTION = "Überleitung an %(recipient)s senden"

CONFERENCE_MINUTES = (
    "Alle eingeladenen Stellen waren vertreten. Die Vereinbarungen der letzten Sitzung wurden "
    "durchgesehen; offene Punkte werden weiterverfolgt.",
    "Die Fälle wurden pseudonymisiert vorgestellt. Die Teilnehmenden haben Zuständigkeiten und "
    "Fristen abgestimmt.",
    "Kurze Runde: Die Vereinbarungen der Vorsitzung sind überwiegend erledigt. Nächster Termin "
    "wie geplant.",
    "Schwerpunkt waren Familien mit Betreuungsbedarf. Die Abstimmung mit den Kitas der Gemeinden "
    "wird in der nächsten Sitzung fortgesetzt.",
)

CANCEL_REASONS = {
    "holidays": "Entfällt wegen der Sommerferien; die Fälle werden in der nächsten Sitzung "
    "beraten.",
    "holiday": "Entfällt, der Tag ist ein Feiertag.",
}

DROPPED_NOTES = (
    "Hat sich erledigt, die Familie ist in einen anderen Landkreis verzogen.",
    "Nicht mehr erforderlich, die Ausbildung hat begonnen.",
    "Entfällt, die Person hat das Angebot nicht angenommen.",
)
DONE_NOTES = ("", "", "", "Erledigt, Rückmeldung ist erfolgt.", "Termin hat stattgefunden.")
