"""The catalogue of demo offer kinds: German titles, descriptions, providers, schedules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from directory.choices import (
    AccessType,
    Costs,
    OfferStatus,
)

BATCH = 1000

WALK_IN, APPOINTMENT, REFERRAL, PHONE, ONLINE = (
    AccessType.WALK_IN,
    AccessType.APPOINTMENT,
    AccessType.REFERRAL,
    AccessType.PHONE,
    AccessType.ONLINE,
)
FREE = ((Costs.FREE, ""),)
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]

# Real postal codes of the demo county's municipalities; synthetic networks get invented ones.
POSTAL_CODES = {
    "Alsbach-Hähnlein": "64665",
    "Babenhausen": "64832",
    "Bickenbach": "64404",
    "Dieburg": "64807",
    "Eppertshausen": "64859",
    "Erzhausen": "64390",
    "Fischbachtal": "64405",
    "Griesheim": "64347",
    "Groß-Bieberau": "64401",
    "Groß-Umstadt": "64823",
    "Groß-Zimmern": "64846",
    "Messel": "64409",
    "Modautal": "64397",
    "Mühltal": "64367",
    "Münster (Hessen)": "64839",
    "Ober-Ramstadt": "64372",
    "Otzberg": "64853",
    "Pfungstadt": "64319",
    "Reinheim": "64354",
    "Roßdorf": "64380",
    "Schaafheim": "64850",
    "Seeheim-Jugenheim": "64342",
    "Weiterstadt": "64331",
}

# Where offers take place outside their provider's own house.
VENUES = (
    "Bürgerhaus {town}",
    "Rathaus {town}",
    "Evangelisches Gemeindehaus {town}",
    "Katholisches Pfarrzentrum {town}",
    "Familienzentrum {town}",
    "Mehrgenerationenhaus {town}",
    "Stadtteilzentrum {town}",
)
TOWN_HALLS = ("Rathaus {town}", "Gemeindeverwaltung {town}", "Bürgerhalle {town}")
STOPS = ("Rathaus", "Bahnhof", "Marktplatz", "Kirche", "Schule", "Post", "Friedhof", "Ortsmitte")
BUS_LINES = ("K55", "K56", "K57", "671", "672", "673", "674", "679", "GU1", "GU2", "O")
CLOSED_NOTES = (
    "Teamfortbildung – geschlossen",
    "Betriebsausflug",
    "Klausurtag des Teams",
    "Krankheitsbedingt geschlossen",
    "Umzug der Beratungsstelle – geschlossen",
    "Personalversammlung",
)
OPEN_NOTES = ("Sondersprechstunde am Nachmittag", "Ausnahmsweise nachmittags geöffnet")
WAITLIST_NOTES = (
    "Wartezeit zurzeit etwa {weeks} Wochen.",
    "Bitte auf die Warteliste setzen lassen – wir melden uns.",
    "Nächster Kurs beginnt am {until}; Anmeldung für die Warteliste läuft.",
)
FULL_NOTES = (
    "Zurzeit keine freien Plätze.",
    "Aufnahmestopp bis {until}; in dringenden Fällen bitte anrufen.",
)
CONTACT_NOTES = (
    "Termine bitte telefonisch oder per E-Mail vereinbaren.",
    "Rufen Sie uns an – wir rufen zurück, wenn besetzt ist.",
    "Eine kurze E-Mail mit Ihrer Telefonnummer genügt.",
)
REFERRAL_NOTE = "Zugang auch über eine Überleitung des Jobcenters oder des Jugendamts."


class Title(NamedTuple):
    """A title pattern; may narrow providers and replace the kind's intro, situations or ages."""

    text: str
    situations: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] | None = None
    intro: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    weight: float
    providers: tuple[str, ...]  # organisation keys, or their start ("municipality:")
    titles: tuple[Title | str, ...]
    intro: tuple[str, ...]
    details: tuple[str, ...]  # 1–3 of them follow the intro
    situations: tuple[str, ...]
    tags: tuple[str, ...]
    eligible: tuple[str, ...]
    mailbox: str
    extra_situations: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    extra_groups: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] | None = None
    not_eligible: tuple[str, ...] = ()
    bring: tuple[str, ...] = ()
    costs: tuple[tuple[str, str], ...] = FREE
    languages: tuple[str, ...] = ()  # besides German
    language_share: float = 0.2
    access: tuple[tuple[str, ...], ...] = ((APPOINTMENT, PHONE),)
    schedules: tuple[str, ...] = ("office",)
    where: str = "mixed"  # seat | town | mixed | outreach | confidential
    venues: tuple[str, ...] = VENUES
    intake: float = 0.0  # share with a separate intake place at the provider's seat
    remote: float = 0.0  # share without any place (phone/online only)
    waitlist: float = 0.1
    full: float = 0.04
    contact: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind(
        key="debt",
        weight=7,
        providers=(
            "welfare:Caritasverband Darmstadt – Schuldnerberatung",
            "welfare:Diakonisches Werk Darmstadt-Dieburg",
        ),
        titles=(
            "Schuldner- und Insolvenzberatung",
            "Schuldnerberatung – Außensprechstunde in {town}",
            "Offene Sprechstunde Schuldnerberatung {town}",
            "Insolvenzberatung: Wege aus den Schulden",
            "Budgetberatung: Mit dem Geld auskommen",
        ),
        intro=(
            "Wir helfen Ihnen, einen Überblick über Ihre Schulden zu bekommen und einen Plan zu "
            "machen.",
            "Sie haben Schulden und wissen nicht mehr weiter? Wir beraten Sie kostenlos und "
            "vertraulich.",
        ),
        details=(
            "Wir sprechen mit Ihren Gläubigern und suchen gemeinsam nach einer Lösung.",
            "Bei Bedarf begleiten wir Sie in die Verbraucherinsolvenz.",
            "Wir stellen Bescheinigungen für das Pfändungsschutzkonto (P-Konto) aus.",
            "Auch bei Stromschulden oder Mietrückständen können Sie zu uns kommen.",
            "Ohne Ihr Einverständnis geben wir nichts an andere Stellen weiter.",
        ),
        situations=("finances.debt",),
        extra_situations=("housing.rent_arrears", "finances.benefit_payment"),
        tags=(
            "Schulden",
            "Schuldnerberatung",
            "Insolvenz",
            "Verbraucherinsolvenz",
            "P-Konto",
            "Pfändung",
            "Gläubiger",
            "Inkasso",
        ),
        extra_groups=("long_term_unemployed", "families", "single_parents"),
        eligible=(
            "Menschen aus dem Landkreis, die Bürgergeld oder Sozialhilfe beziehen oder wenig "
            "verdienen.",
            "Alle Einwohnerinnen und Einwohner des Landkreises; Bürgergeld-Beziehende werden "
            "vorrangig beraten.",
        ),
        not_eligible=(
            "Selbstständige mit laufendem Betrieb (bitte an die Wirtschaftsförderung wenden).",
            "Nicht bei laufendem Insolvenzverfahren – dann ist Ihre Insolvenzverwaltung zuständig.",
        ),
        bring=(
            "Alle Briefe von Gläubigern und Inkassobüros, Kontoauszüge der letzten drei Monate, "
            "Einkommensnachweise (z. B. Bürgergeld-Bescheid).",
            "Personalausweis, aktuelle Mahnungen, Mietvertrag und Nachweise über Ihr Einkommen.",
        ),
        languages=("tr", "ru", "en", "ar", "pl"),
        language_share=0.3,
        access=((APPOINTMENT, PHONE), (WALK_IN, APPOINTMENT), (APPOINTMENT, REFERRAL, PHONE)),
        schedules=("office", "walk_in", "consultation_day"),
        intake=0.3,
        waitlist=0.25,
        mailbox="schuldnerberatung",
    ),
    Kind(
        key="housing_security",
        weight=5,
        providers=("social_welfare_office", "welfare:Diakonisches Werk Darmstadt-Dieburg"),
        titles=(
            Title("Fachstelle Wohnungssicherung", providers=("social_welfare_office",)),
            "Mietschuldenberatung",
            "Hilfe bei drohendem Wohnungsverlust",
            "Beratung bei Kündigung der Wohnung und Räumungsklage",
            "Sprechstunde Wohnungssicherung in {town}",
        ),
        intro=(
            "Sie haben Mietschulden, eine Kündigung oder sogar eine Räumungsklage bekommen? "
            "Kommen Sie so früh wie möglich zu uns.",
            "Wir helfen, wenn Sie Ihre Wohnung zu verlieren drohen.",
        ),
        details=(
            "Gemeinsam mit Ihnen sprechen wir mit Ihrer Vermieterin oder Ihrem Vermieter.",
            "Wir prüfen, ob Mietschulden als Darlehen übernommen werden können.",
            "Wenn schon ein Räumungstermin feststeht, handeln wir sofort.",
            "Wir arbeiten eng mit dem Jobcenter und dem Amtsgericht zusammen.",
        ),
        situations=("housing.threatened_loss", "housing.rent_arrears"),
        extra_situations=("finances.debt", "housing.homelessness"),
        tags=(
            "Mietschulden",
            "Kündigung",
            "Räumungsklage",
            "Wohnung",
            "Wohnungssicherung",
            "Zwangsräumung",
            "Miete",
            "Energieschulden",
        ),
        extra_groups=("families", "single_parents"),
        eligible=(
            "Mieterinnen und Mieter im Landkreis, denen der Verlust der Wohnung droht.",
            "Haushalte im Landkreis mit Mietrückständen oder einer Kündigung wegen "
            "Zahlungsverzugs.",
        ),
        not_eligible=(
            "Keine Rechtsberatung bei Streit über Mängel oder Nebenkosten – dafür ist der "
            "Mieterverein zuständig.",
            "Nicht für Eigentümerinnen und Eigentümer (bitte die Schuldnerberatung nutzen).",
        ),
        bring=(
            "Mietvertrag, Kündigungsschreiben oder Räumungsklage, Kontoauszüge, aktueller "
            "Leistungsbescheid.",
            "Alle Schreiben Ihrer Vermieterin oder Ihres Vermieters und des Gerichts.",
        ),
        languages=("tr", "ar", "ru", "en"),
        access=((APPOINTMENT, PHONE, REFERRAL), (WALK_IN, PHONE), (REFERRAL, PHONE)),
        schedules=("office", "walk_in"),
        where="seat",
        waitlist=0.0,
        full=0.0,
        contact=("Bei einem Räumungstermin bitte sofort anrufen – auch ohne Termin.",),
        mailbox="wohnungssicherung",
    ),
    Kind(
        key="homelessness",
        weight=2,
        providers=("welfare:Diakonisches Werk Darmstadt-Dieburg",),
        titles=(
            "Tagesaufenthalt und Beratung für wohnungslose Menschen",
            "Postadresse und Beratung für Menschen ohne Wohnung",
            "Wohnungsnotfallhilfe – Beratungsstelle {town}",
        ),
        intro=(
            "Sie haben keine Wohnung oder müssen Ihre Wohnung kurzfristig verlassen? Hier "
            "bekommen Sie sofort Hilfe.",
            "Wir unterstützen Menschen ohne eigene Wohnung auf dem Weg zurück in ein eigenes "
            "Zuhause.",
        ),
        details=(
            "Sie können bei uns duschen, Wäsche waschen und eine warme Mahlzeit bekommen.",
            "Wir richten Ihnen eine Postadresse ein, damit Sie Briefe vom Jobcenter erhalten.",
            "Wir helfen bei der Wohnungssuche und bei Anträgen.",
            "Bei Bedarf vermitteln wir einen Platz in einer Notunterkunft.",
        ),
        situations=("housing.homelessness",),
        extra_situations=(
            "housing.threatened_loss",
            "health.addiction",
            "finances.benefit_payment",
        ),
        tags=("Wohnungslosigkeit", "Obdachlosigkeit", "Notunterkunft", "Postadresse", "Wohnung"),
        eligible=(
            "Volljährige Menschen ohne eigene Wohnung, die sich im Landkreis aufhalten.",
            "Menschen, die akut von Wohnungslosigkeit betroffen sind.",
        ),
        not_eligible=(
            "Minderjährige (bitte an das Jugendamt wenden).",
            "Familien mit Kindern werden über das Sozialamt untergebracht.",
        ),
        bring=(
            "Wenn vorhanden: Ausweis und Leistungsbescheid. Sie können auch ohne Unterlagen "
            "kommen.",
        ),
        languages=("en", "pl", "ro", "bg", "ru"),
        language_share=0.3,
        access=((WALK_IN,), (WALK_IN, PHONE)),
        schedules=("office", "walk_in"),
        where="seat",
        waitlist=0.0,
        full=0.0,
        mailbox="wohnungsnotfallhilfe",
    ),
    Kind(
        key="childminding",
        weight=4,
        providers=("youth_office", "welfare:DRK-Kreisverband – Familienbildung"),
        titles=(
            Title(
                "Vermittlung in Kindertagespflege (Tagesmütter und Tagesväter)",
                providers=("youth_office",),
            ),
            Title("Fachberatung Kindertagespflege", providers=("youth_office",)),
            "Kinderbetreuung finden – Beratung für Eltern",
            "Kurzfristige Kinderbetreuung für Eltern in Arbeit oder Maßnahme",
        ),
        intro=(
            "Sie suchen eine Betreuung für Ihr Kind, weil Sie arbeiten, eine Ausbildung machen "
            "oder einen Kurs besuchen?",
            "Wir vermitteln Tagesmütter und Tagesväter in Ihrer Nähe.",
        ),
        details=(
            "Kindertagespflege ist vor allem für Kinder unter drei Jahren gedacht.",
            "Bei geringem Einkommen kann der Kostenbeitrag übernommen werden.",
            "Wenn Sie kurzfristig eine Arbeit oder Maßnahme beginnen, suchen wir schnell eine "
            "Lösung.",
            "Wir helfen beim Antrag auf einen Betreuungsplatz.",
        ),
        situations=("family.childcare",),
        extra_situations=("family.single_parent",),
        tags=(
            "Kinderbetreuung",
            "Tagesmutter",
            "Tagesvater",
            "Kindertagespflege",
            "Betreuungsplatz",
            "Krippe",
        ),
        groups=("families",),
        extra_groups=("single_parents",),
        eligible=(
            "Eltern mit Wohnsitz im Landkreis, deren Kinder jünger als 14 Jahre sind.",
            "Familien, die wegen Arbeit, Ausbildung oder Sprachkurs eine Betreuung brauchen.",
        ),
        not_eligible=("Keine Ferienbetreuung für Schulkinder (bitte an die Gemeinde wenden).",),
        bring=(
            "Geburtsurkunde des Kindes, Nachweis über Arbeit, Ausbildung oder Kurs, "
            "Einkommensnachweise.",
        ),
        costs=(
            (Costs.REDUCED, "Kostenbeitrag nach Einkommen; bei Bürgergeld-Bezug meist kostenfrei."),
            (Costs.FREE, "Die Vermittlung ist kostenlos; die Betreuung kostet je nach Einkommen."),
        ),
        languages=("en", "tr", "ar", "uk", "ru"),
        access=((APPOINTMENT, PHONE), (APPOINTMENT, ONLINE, PHONE)),
        waitlist=0.3,
        full=0.1,
        mailbox="kindertagespflege",
    ),
    Kind(
        key="kita_places",
        weight=3,
        providers=("municipality:",),
        titles=(
            "Kita-Anmeldung und Beratung zur Kinderbetreuung in {town}",
            "Betreuungsplätze in Kitas und Schulkindbetreuung {town}",
            "Ferienbetreuung für Schulkinder in {town}",
        ),
        intro=(
            "Die Gemeinde {town} berät Eltern zu Kita-Plätzen, Krippe und Betreuung von "
            "Schulkindern.",
            "Hier melden Sie Ihr Kind für einen Platz in einer Kita der Gemeinde {town} an.",
        ),
        details=(
            "Die Anmeldung ist das ganze Jahr möglich; die meisten Plätze werden zum August "
            "vergeben.",
            "Bei Bürgergeld-Bezug können die Gebühren übernommen werden – wir helfen beim Antrag.",
            "In den Schulferien gibt es ein Betreuungsangebot für Grundschulkinder.",
            "Alleinerziehende und Eltern in Ausbildung werden bei der Platzvergabe berücksichtigt.",
        ),
        situations=("family.childcare",),
        extra_situations=("family.single_parent",),
        tags=("Kita", "Kindergarten", "Krippe", "Hort", "Ferienbetreuung", "Anmeldung"),
        groups=("families",),
        eligible=("Familien mit Hauptwohnsitz in {town}.",),
        not_eligible=("Familien aus anderen Gemeinden (bitte bei der eigenen Gemeinde melden).",),
        bring=(
            "Anmeldeformular, Nachweis über den Masernschutz und, wenn vorhanden, Nachweis über "
            "Arbeit oder Ausbildung.",
        ),
        costs=((Costs.REDUCED, "Gebühren nach Satzung; Übernahme bei geringem Einkommen."),),
        access=((APPOINTMENT, PHONE, ONLINE), (WALK_IN, ONLINE)),
        where="seat",
        waitlist=0.35,
        full=0.1,
        mailbox="kita",
    ),
    Kind(
        key="integration_course",
        weight=7,
        providers=(
            "welfare:AWO Kreisverband – Migrationsberatung",
            "welfare:DRK-Kreisverband – Familienbildung",
            "neighbourhood_centre:",
        ),
        titles=(
            "Integrationskurs (B1) mit Kinderbetreuung",
            "Integrationskurs für Frauen und Eltern",
            "Alphabetisierungskurs Deutsch",
            "Integrationskurs am Nachmittag",
            "Deutschkurs am Vormittag in {town}",
        ),
        intro=(
            "Im Integrationskurs lernen Sie Deutsch und erfahren viel über das Leben in "
            "Deutschland.",
            "Sie lernen Deutsch in kleinen Gruppen, an vier oder fünf Vormittagen in der Woche.",
        ),
        details=(
            "Der Kurs endet mit der Prüfung „Deutsch-Test für Zuwanderer“ (DTZ).",
            "Während des Unterrichts werden kleine Kinder im Haus betreut.",
            "Vor Kursbeginn machen wir mit Ihnen einen Einstufungstest.",
            "Der Kurs ist vom Bundesamt für Migration und Flüchtlinge (BAMF) zugelassen.",
            "Fahrtkosten können erstattet werden.",
        ),
        situations=("qualification.german_language",),
        extra_situations=("legal.residence_status", "family.childcare"),
        tags=(
            "Deutschkurs",
            "Integrationskurs",
            "Sprachkurs",
            "Deutsch lernen",
            "BAMF",
            "DTZ",
            "Alphabetisierung",
        ),
        groups=("migrants",),
        extra_groups=("women", "single_parents"),
        ages=(16, None),
        eligible=(
            "Zugewanderte mit Berechtigung oder Verpflichtung zum Integrationskurs.",
            "Menschen ab 16 Jahren, die Deutsch lernen möchten und eine Zulassung des BAMF haben.",
        ),
        not_eligible=(
            "Ohne Zulassung oder Verpflichtung bitte zuerst zur Migrationsberatung.",
            "Nicht für Menschen, die das Niveau B1 bereits nachgewiesen haben.",
        ),
        bring=(
            "Zulassung oder Verpflichtung zum Integrationskurs, Ausweis oder Aufenthaltstitel, "
            "Bescheid des Jobcenters.",
        ),
        costs=(
            (Costs.FREE, "Für Bürgergeld-Beziehende kostenfrei (Befreiung durch das BAMF)."),
            (Costs.REDUCED, "Eigenanteil pro Unterrichtsstunde; Befreiung ist möglich."),
        ),
        languages=("ar", "uk", "fa", "tr", "ru", "ti", "en"),
        language_share=0.4,
        access=((APPOINTMENT, REFERRAL), (APPOINTMENT, PHONE)),
        schedules=("course",),
        waitlist=0.35,
        full=0.15,
        mailbox="integrationskurs",
    ),
    Kind(
        key="language_cafe",
        weight=6,
        providers=(
            "neighbourhood_centre:",
            "volunteer_agency",
            "welfare:AWO Kreisverband – Migrationsberatung",
        ),
        titles=(
            "Sprachcafé {town}",
            "Deutsch üben im Sprachcafé",
            "Sprachtreff für Frauen",
            "Internationales Café – Deutsch sprechen ohne Druck",
            "Lernhilfe Deutsch mit Ehrenamtlichen",
        ),
        intro=(
            "Im Sprachcafé üben Sie Deutsch in entspannter Runde bei Kaffee und Tee.",
            "Ehrenamtliche helfen Ihnen, im Alltag sicherer Deutsch zu sprechen.",
        ),
        details=(
            "Sie brauchen keine Anmeldung und können jederzeit dazukommen.",
            "Kinder dürfen mitgebracht werden.",
            "Wir helfen auch beim Lesen von Briefen und beim Ausfüllen von Formularen.",
            "Alle Sprachniveaus sind willkommen.",
        ),
        situations=("qualification.german_language",),
        extra_situations=("motivation.orientation",),
        tags=("Sprachcafé", "Deutsch üben", "Begegnung", "Ehrenamt", "Sprachtreff"),
        groups=("migrants",),
        extra_groups=("women", "families"),
        eligible=("Alle, die Deutsch üben möchten – egal auf welchem Niveau.",),
        not_eligible=("Ersetzt keinen Integrationskurs; es gibt keine Teilnahmebescheinigung.",),
        bring=("Nichts – einfach vorbeikommen.",),
        languages=("ar", "uk", "fa", "tr", "ru", "en", "ti", "so", "ku"),
        language_share=0.6,
        access=((WALK_IN,),),
        schedules=("afternoon", "evening"),
        waitlist=0.0,
        full=0.0,
        mailbox="sprachcafe",
    ),
    Kind(
        key="addiction",
        weight=5,
        providers=("welfare:Suchthilfe Südhessen",),
        titles=(
            "Suchtberatung",
            "Beratung bei Alkohol- und Medikamentenproblemen",
            "Beratung bei Glücksspiel- und Mediensucht",
            "Außensprechstunde Suchtberatung {town}",
            Title(
                "Gruppe für Angehörige suchtkranker Menschen",
                intro="In der Gruppe sprechen Angehörige darüber, wie sie mit der Sucht eines "
                "Familienmitglieds leben – und was ihnen selbst guttut.",
            ),
            "Vermittlung in Entgiftung und Therapie",
        ),
        intro=(
            "Wir beraten Menschen, die zu viel trinken, Drogen nehmen, spielen oder nicht ohne "
            "Medikamente auskommen – und ihre Angehörigen.",
            "Sie möchten etwas an Ihrem Konsum ändern? Wir hören zu und helfen beim nächsten "
            "Schritt.",
        ),
        details=(
            "Die Beratung ist vertraulich und auf Wunsch anonym.",
            "Wir vermitteln in Entgiftung, Therapie und Selbsthilfegruppen.",
            "Wenn Sie möchten, arbeiten wir mit Ihrem Jobcenter zusammen.",
            "Auch nach einer Therapie begleiten wir Sie weiter.",
        ),
        situations=("health.addiction",),
        extra_situations=("health.mental", "motivation.orientation"),
        tags=(
            "Sucht",
            "Alkohol",
            "Drogen",
            "Cannabis",
            "Glücksspiel",
            "Medikamente",
            "Angehörige",
            "Entgiftung",
        ),
        eligible=(
            "Betroffene ab 16 Jahren und ihre Angehörigen aus dem Landkreis.",
            "Alle Menschen mit Fragen zu Sucht – auch ohne Überweisung.",
        ),
        not_eligible=(
            "Keine Entgiftung vor Ort (wir vermitteln in eine Klinik).",
            "Keine Substitutionsbehandlung (bitte an eine Schwerpunktpraxis wenden).",
        ),
        bring=("Nichts Besonderes; wenn vorhanden, ärztliche Unterlagen.",),
        languages=("ru", "pl", "tr", "en", "ar"),
        language_share=0.3,
        access=((WALK_IN, APPOINTMENT, PHONE), (APPOINTMENT, ONLINE), (PHONE, ONLINE)),
        schedules=("office", "walk_in", "evening"),
        intake=0.3,
        remote=0.08,
        mailbox="suchtberatung",
    ),
    Kind(
        key="psychosocial",
        weight=5,
        providers=("welfare:Diakonisches Werk Darmstadt-Dieburg", "social_welfare_office"),
        titles=(
            Title(
                "Psychosoziale Beratung für Bürgergeld-Beziehende",
                providers=("welfare:",),
            ),
            "Psychosoziale Beratungsstelle",
            "Beratung in Lebenskrisen",
            Title("Sozialpsychiatrischer Dienst – Sprechstunde", providers=("social_",)),
            "Gesprächsgruppe „Wieder Tritt fassen“",
        ),
        intro=(
            "Wenn Sorgen, Ängste oder eine schwierige Lebenslage Sie belasten, sind wir für Sie "
            "da.",
            "Wir bieten Gespräche für Menschen in schwierigen Lebenslagen, zum Beispiel nach einer "
            "Trennung, bei Überforderung oder Einsamkeit.",
        ),
        details=(
            "Gemeinsam klären wir, was Ihnen helfen kann, und begleiten Sie zu weiteren Stellen.",
            "Wir helfen Ihnen auch, einen Therapieplatz zu finden.",
            "Die Gespräche sind vertraulich und freiwillig.",
            "Auf Wunsch sprechen wir gemeinsam mit Ihrer Fallmanagerin oder Ihrem Fallmanager.",
        ),
        situations=("health.mental",),
        extra_situations=("motivation.orientation", "health.physical"),
        tags=(
            "psychosoziale Beratung",
            "Krise",
            "Angst",
            "Depression",
            "Einsamkeit",
            "Überforderung",
            "Therapieplatz",
        ),
        extra_groups=("long_term_unemployed", "disabilities"),
        eligible=(
            "Erwachsene aus dem Landkreis, besonders Menschen, die Bürgergeld beziehen.",
            "Menschen in seelischen Krisen und ihre Angehörigen.",
        ),
        not_eligible=(
            "Kein Notdienst: In akuten Krisen wählen Sie bitte 112 oder die Telefonseelsorge "
            "0800 111 0 111.",
            "Keine Psychotherapie; wir vermitteln an Praxen.",
        ),
        bring=("Nichts – wenn Sie möchten, Unterlagen vom Jobcenter oder von der Ärztin.",),
        languages=("en", "tr", "ar", "ru", "fa", "gsg"),
        access=((APPOINTMENT, PHONE), (APPOINTMENT, REFERRAL), (WALK_IN, PHONE)),
        schedules=("office", "afternoon"),
        waitlist=0.3,
        full=0.05,
        mailbox="beratung",
    ),
    Kind(
        key="youth_workshop",
        weight=5,
        providers=(
            "youth_office",
            "welfare:Diakonisches Werk Darmstadt-Dieburg",
            "neighbourhood_centre:",
        ),
        titles=(
            "Jugendwerkstatt {town}",
            "Holz- und Metallwerkstatt für junge Menschen",
            "Produktionsschule: Arbeiten und Lernen",
            "Jugendwerkstatt Hauswirtschaft und Gastronomie",
            "Kreativwerkstatt: Tagesstruktur für junge Menschen",
        ),
        intro=(
            "In der Jugendwerkstatt arbeiten junge Menschen an echten Aufträgen und finden "
            "heraus, was ihnen liegt.",
            "Sie sind zwischen 15 und 25 und haben noch keinen Plan für Ausbildung oder Arbeit? "
            "In unserer Werkstatt finden Sie einen Einstieg.",
        ),
        details=(
            "Sozialpädagoginnen und Sozialpädagogen helfen bei Problemen mit Ämtern, Wohnung "
            "oder Schulden.",
            "Sie können Ihren Hauptschulabschluss nachholen.",
            "Nach einigen Monaten unterstützen wir Sie bei der Suche nach einem Ausbildungsplatz.",
            "Es gibt ein gemeinsames Frühstück und eine feste Tagesstruktur.",
            "Der Einstieg ist jeden Monat möglich.",
        ),
        situations=("transition.career_orientation", "motivation.orientation"),
        extra_situations=(
            "qualification.school_certificate",
            "qualification.work_experience",
            "transition.apprenticeship_search",
        ),
        tags=("Jugendwerkstatt", "Werkstatt", "Praxis", "Tagesstruktur", "Ausbildung", "U25"),
        groups=("under_25",),
        ages=(15, 25),
        eligible=(
            "Junge Menschen von 15 bis 25 Jahren ohne Ausbildungsplatz aus dem Landkreis.",
            "Jugendliche und junge Erwachsene, die das Jugendamt oder das U25-Team des Jobcenters "
            "schickt.",
        ),
        not_eligible=(
            "Nicht für Schülerinnen und Schüler, die noch eine allgemeinbildende Schule besuchen.",
            "Nicht für Personen über 25 Jahre.",
        ),
        bring=("Lebenslauf (wenn vorhanden), letztes Zeugnis, feste Schuhe.",),
        costs=((Costs.FREE, "Kostenfrei; Fahrtkosten werden erstattet."),),
        access=((REFERRAL, PHONE), (APPOINTMENT, REFERRAL)),
        schedules=("workshop",),
        where="outreach",
        venues=("Werkhof {town}", "Alte Schlosserei {town}", "Gewerbehof {town}"),
        intake=0.6,
        waitlist=0.2,
        full=0.1,
        contact=(REFERRAL_NOTE,),
        mailbox="jugendwerkstatt",
    ),
    Kind(
        key="career_orientation",
        weight=5,
        providers=("employment_agency", "school:", "jobcenter"),
        titles=(
            Title("Berufsberatung für Schülerinnen und Schüler", providers=("employment_agency",)),
            Title("Sprechstunde Berufsberatung in {town}", providers=("employment_agency",)),
            Title("Berufsorientierung an unserer Schule", providers=("school:",)),
            Title("Ausbildungsbörse und Betriebserkundungen", providers=("school:",)),
            Title("Jugendberufsagentur: Beratung aus einer Hand", providers=("jobcenter",)),
            Title("U25-Sprechstunde: Ausbildung statt Bürgergeld", providers=("jobcenter",)),
            "Berufsorientierungscamp in den Ferien",
        ),
        intro=(
            "Sie wissen noch nicht, welcher Beruf zu Ihnen passt? Wir finden es gemeinsam heraus.",
            "Wir beraten junge Menschen zu Ausbildung, Studium und Schulabschlüssen.",
        ),
        details=(
            "Mit einem kostenlosen Test erfahren Sie, wo Ihre Stärken liegen.",
            "Wir helfen bei der Suche nach Praktikum und Ausbildungsplatz.",
            "Eltern sind zur Beratung herzlich eingeladen.",
            "Wir informieren über Berufsausbildungsbeihilfe und Einstiegsqualifizierung.",
        ),
        situations=("transition.career_orientation",),
        extra_situations=("transition.apprenticeship_search", "qualification.vocational_training"),
        tags=("Berufsberatung", "Berufsorientierung", "Ausbildung", "Praktikum", "Berufswahl"),
        groups=("under_25",),
        ages=(14, 25),
        eligible=(
            "Schülerinnen und Schüler ab der 8. Klasse und junge Erwachsene bis 25 Jahre.",
            "Junge Menschen unter 25 mit oder ohne Schulabschluss.",
        ),
        not_eligible=("Nicht für Personen über 25 Jahre (bitte an die Arbeitsvermittlung).",),
        bring=("Letztes Zeugnis und, wenn vorhanden, Lebenslauf.",),
        languages=("en", "tr", "ar", "uk"),
        language_share=0.15,
        access=((APPOINTMENT, PHONE, ONLINE), (WALK_IN, APPOINTMENT)),
        schedules=("office", "consultation_day"),
        waitlist=0.05,
        full=0.0,
        mailbox="berufsberatung",
    ),
    Kind(
        key="applications",
        weight=6,
        providers=("jobcenter", "neighbourhood_centre:", "employment_agency", "volunteer_agency"),
        titles=(
            "Bewerbungstraining",
            "Bewerbungswerkstatt: Lebenslauf und Anschreiben",
            "Offene Bewerbungssprechstunde {town}",
            Title("Bewerbungspaten – Hilfe von Ehrenamtlichen", providers=("volunteer_agency",)),
            "Fit fürs Vorstellungsgespräch",
            "Bewerbungsmappe-Check",
        ),
        intro=(
            "Wir helfen Ihnen, gute Bewerbungsunterlagen zu erstellen.",
            "Sie bewerben sich und bekommen nur Absagen? Wir schauen gemeinsam auf Ihre "
            "Unterlagen.",
        ),
        details=(
            "Sie können am Computer arbeiten und Ihre Bewerbung direkt ausdrucken oder per E-Mail "
            "verschicken.",
            "Wir üben mit Ihnen das Vorstellungsgespräch.",
            "Bringen Sie gern eine Stellenanzeige mit, auf die Sie sich bewerben wollen.",
            "Auch für Online-Bewerbungen und Bewerbungsportale.",
        ),
        situations=("motivation.orientation",),
        extra_situations=(
            "qualification.digital_skills",
            "qualification.work_experience",
            "age.older_jobseekers",
        ),
        tags=(
            "Bewerbung",
            "Lebenslauf",
            "Anschreiben",
            "Vorstellungsgespräch",
            "Jobsuche",
            "Arbeitssuche",
        ),
        groups=("long_term_unemployed",),
        extra_groups=("under_25", "older", "migrants"),
        eligible=(
            "Arbeitsuchende aus dem Landkreis, besonders Kundinnen und Kunden des Jobcenters.",
        ),
        not_eligible=("Keine Arbeitsvermittlung – Stellenangebote bekommen Sie im Jobcenter.",),
        bring=(
            "Lebenslauf, Zeugnisse und Nachweise, wenn vorhanden auf einem USB-Stick.",
            "Ihre bisherigen Bewerbungsunterlagen und Stellenanzeigen.",
        ),
        languages=("en", "ar", "uk", "ru", "tr"),
        access=((WALK_IN,), (APPOINTMENT, REFERRAL), (WALK_IN, APPOINTMENT)),
        schedules=("afternoon", "walk_in", "course"),
        mailbox="bewerbung",
    ),
    Kind(
        key="volunteering",
        weight=4,
        providers=("volunteer_agency",),
        titles=(
            "Ehrenamtsvermittlung",
            "Ehrenamt finden – Beratung in {town}",
            "Freiwilligenbörse: Engagiert im Landkreis",
            "Ehrenamt als Brücke in Arbeit",
        ),
        intro=(
            "Sie möchten sich engagieren und etwas Sinnvolles tun? Wir finden mit Ihnen ein "
            "passendes Ehrenamt.",
            "Ein Ehrenamt gibt dem Tag Struktur und bringt neue Kontakte und Erfahrungen.",
        ),
        details=(
            "Wir kennen viele Einsatzstellen im Landkreis – von der Tafel bis zum Sportverein.",
            "Sie bekommen einen Nachweis über Ihr Engagement, den Sie Bewerbungen beilegen können.",
            "Ein Ehrenamt ist mit dem Bürgergeld vereinbar; eine kleine Aufwandsentschädigung "
            "wird bis zu einer Freigrenze nicht angerechnet.",
            "Wir begleiten Sie bei den ersten Schritten.",
        ),
        situations=("motivation.orientation",),
        extra_situations=(
            "qualification.work_experience",
            "age.older_jobseekers",
            "health.mental",
        ),
        tags=("Ehrenamt", "Freiwilligenarbeit", "Engagement", "Tagesstruktur", "Nachbarschaft"),
        extra_groups=("older", "long_term_unemployed", "migrants"),
        eligible=("Alle Menschen ab 16 Jahren, die sich im Landkreis engagieren möchten.",),
        not_eligible=("Keine Vermittlung in bezahlte Arbeit.",),
        bring=("Nichts – nur Ideen, was Sie gern tun.",),
        languages=("en", "ar", "uk"),
        access=((WALK_IN, APPOINTMENT, PHONE), (APPOINTMENT, ONLINE)),
        schedules=("office", "consultation_day"),
        waitlist=0.0,
        full=0.0,
        mailbox="engagement",
    ),
    Kind(
        key="self_help",
        weight=5,
        providers=("self_help",),
        titles=(
            "Selbsthilfegruppe Depression {town}",
            "Selbsthilfegruppe Angst und Panik",
            Title("Anonyme Alkoholiker – Meeting {town}", situations=("health.addiction",)),
            "Gesprächskreis für Angehörige psychisch erkrankter Menschen",
            Title("Selbsthilfegruppe Long Covid und Erschöpfung", situations=("health.physical",)),
            Title("Selbsthilfegruppe chronische Schmerzen", situations=("health.physical",)),
            Title(
                "Selbsthilfegruppe „Arbeitslos – nicht wertlos“",
                situations=("motivation.orientation", "health.mental"),
            ),
            Title(
                "Beratung: eine Selbsthilfegruppe finden oder gründen",
                intro="Die Selbsthilfe-Kontaktstelle vermittelt Sie in eine passende Gruppe in "
                "Ihrer Nähe oder hilft Ihnen, selbst eine Gruppe zu gründen.",
            ),
        ),
        intro=(
            "In der Selbsthilfegruppe treffen sich Menschen mit ähnlichen Erfahrungen und "
            "unterstützen sich gegenseitig.",
            "Die Selbsthilfe-Kontaktstelle vermittelt Sie in eine passende Gruppe in Ihrer Nähe.",
        ),
        details=(
            "Die Gruppe trifft sich regelmäßig; neue Mitglieder sind willkommen.",
            "Was in der Gruppe gesagt wird, bleibt in der Gruppe.",
            "Vor dem ersten Treffen können Sie mit uns ein Vorgespräch führen.",
            "Die Gruppe wird von Betroffenen selbst geleitet, nicht von Fachleuten.",
        ),
        situations=("health.mental",),
        tags=("Selbsthilfe", "Gruppe", "Austausch", "Betroffene", "Gesprächskreis"),
        eligible=("Betroffene und Angehörige aus dem Landkreis.",),
        not_eligible=("Ersetzt keine ärztliche oder therapeutische Behandlung.",),
        bring=("Nichts.",),
        languages=("en", "ru", "tr"),
        language_share=0.1,
        access=((PHONE, APPOINTMENT), (WALK_IN, PHONE)),
        schedules=("monthly_evening", "evening"),
        where="outreach",
        venues=(
            "Evangelisches Gemeindehaus {town}",
            "Bürgerhaus {town}",
            "Selbsthilfetreffpunkt {town}",
            "Mehrgenerationenhaus {town}",
        ),
        intake=0.4,
        waitlist=0.0,
        full=0.03,
        contact=("Vor dem ersten Besuch bitte kurz bei der Selbsthilfe-Kontaktstelle melden.",),
        mailbox="selbsthilfe",
    ),
    Kind(
        key="driving_licence",
        weight=2,
        providers=("jobcenter", "welfare:AWO Kreisverband – Migrationsberatung"),
        titles=(
            Title("Führerschein-Förderung für Arbeitsuchende", providers=("jobcenter",)),
            "Führerschein-Coaching: Theorie mit Lernbegleitung",
            "Theorieunterricht mit Sprachunterstützung",
        ),
        intro=(
            "Ohne Führerschein ist eine Arbeit auf dem Land oft schwer zu erreichen. Wir "
            "unterstützen Sie auf dem Weg zur Fahrerlaubnis.",
            "Wenn eine Arbeitsstelle einen Führerschein erfordert, kann die Fahrerlaubnis "
            "gefördert werden.",
        ),
        details=(
            "Eine Förderung ist möglich, wenn eine Arbeit oder Ausbildung in Aussicht ist.",
            "Lernbegleiterinnen und Lernbegleiter üben mit Ihnen für die Theorieprüfung.",
            "Die Theorieprüfung ist in vielen Sprachen möglich.",
            "Wir klären vorab, ob eine Förderung in Ihrem Fall infrage kommt.",
        ),
        situations=("mobility.driving_licence",),
        tags=("Führerschein", "Fahrerlaubnis", "Fahrschule", "Mobilität", "Theorieprüfung"),
        eligible=(
            "Bürgergeld-Beziehende mit Aussicht auf eine Arbeit oder Ausbildung, für die ein "
            "Führerschein nötig ist.",
        ),
        not_eligible=(
            "Keine Förderung ohne Bezug zu einer Arbeits- oder Ausbildungsstelle.",
            "Nicht während einer Führerscheinsperre.",
        ),
        bring=("Zusage des Arbeitgebers, Kostenvoranschlag der Fahrschule, Ausweis.",),
        costs=(
            (Costs.FREE, "Kosten können bei Bürgergeld-Bezug übernommen werden."),
            (Costs.REDUCED, "Eigenanteil je nach Förderung."),
        ),
        languages=("ar", "tr", "ru", "uk", "fa"),
        language_share=0.3,
        access=((APPOINTMENT, REFERRAL),),
        schedules=("office", "consultation_day"),
        where="seat",
        waitlist=0.15,
        mailbox="mobilitaet",
    ),
    Kind(
        key="bike_workshop",
        weight=2,
        providers=("neighbourhood_centre:", "volunteer_agency"),
        titles=(
            "Fahrradwerkstatt {town}",
            "Offene Fahrradwerkstatt – reparieren lernen",
            "Fahrräder für Arbeitsuchende",
            Title(
                "Radfahrkurs für Erwachsene",
                intro="Im Radfahrkurs lernen Erwachsene, sicher Fahrrad zu fahren – in kleinen "
                "Gruppen und auf einem geschützten Platz.",
            ),
            Title(
                "Mobilitätsberatung: Mit Bus und Bahn zur Arbeit",
                intro="Wir helfen Ihnen, ohne Auto zur Arbeit oder zum Kurs zu kommen.",
            ),
        ),
        intro=(
            "In der offenen Fahrradwerkstatt reparieren Sie Ihr Fahrrad mit Hilfe von "
            "Ehrenamtlichen.",
            "Wir helfen Ihnen, ohne Auto zur Arbeit oder zum Kurs zu kommen.",
        ),
        details=(
            "Gespendete Fahrräder werden hergerichtet und günstig abgegeben.",
            "Werkzeug und Ersatzteile sind vorhanden.",
            "Wir erklären Fahrpläne und das Deutschlandticket.",
            "Der Radfahrkurs ist für Erwachsene, die nie Rad fahren gelernt haben.",
        ),
        situations=("mobility.public_transport",),
        tags=("Fahrrad", "Fahrradwerkstatt", "Mobilität", "Reparatur", "Deutschlandticket"),
        extra_groups=("migrants", "women"),
        eligible=("Alle aus dem Landkreis; Fahrräder gibt es mit Bürgergeld-Bescheid.",),
        bring=("Ihr Fahrrad, wenn es repariert werden soll.",),
        costs=((Costs.FREE, ""), (Costs.REDUCED, "Ersatzteile zum Selbstkostenpreis.")),
        languages=("ar", "fa", "uk", "en"),
        access=((WALK_IN,),),
        schedules=("saturday", "afternoon"),
        waitlist=0.05,
        full=0.0,
        mailbox="fahrrad",
    ),
    Kind(
        key="community_bus",
        weight=2,
        providers=("municipality:",),
        titles=(
            "Bürgerbus {town}",
            "Mobilitätsberatung im Rathaus {town}",
            "Fahrdienst zu Ämtern und Ärzten in {town}",
        ),
        intro=(
            "Der Bürgerbus fährt Menschen ohne Auto zu Ärzten, Behörden und zum Einkaufen.",
            "Im Rathaus beraten wir, wie Sie günstig mit Bus und Bahn unterwegs sind.",
        ),
        details=(
            "Fahrten bitte mindestens einen Tag vorher anmelden.",
            "Die Fahrerinnen und Fahrer sind Ehrenamtliche aus der Gemeinde.",
            "Wir helfen beim Antrag auf ein ermäßigtes Ticket.",
            "Der Bus hält auch an Jobcenter und Agentur für Arbeit.",
        ),
        situations=("mobility.public_transport",),
        tags=("Bürgerbus", "Fahrdienst", "Mobilität", "Bus", "Ticket"),
        extra_groups=("older", "disabilities"),
        eligible=("Einwohnerinnen und Einwohner von {town} ohne eigenes Auto.",),
        bring=("Nichts.",),
        costs=((Costs.FREE, ""), (Costs.REDUCED, "1 € pro Fahrt.")),
        access=((PHONE,), (PHONE, APPOINTMENT)),
        schedules=("phone", "office"),
        where="seat",
        venues=TOWN_HALLS,
        waitlist=0.0,
        full=0.0,
        mailbox="buergerbus",
    ),
    Kind(
        key="migration_counselling",
        weight=5,
        providers=(
            "welfare:AWO Kreisverband – Migrationsberatung",
            "welfare:Diakonisches Werk Darmstadt-Dieburg",
        ),
        titles=(
            "Migrationsberatung für erwachsene Zugewanderte (MBE)",
            Title("Jugendmigrationsdienst", ages=(12, 27)),
            "Beratung zu Aufenthalt und Arbeitserlaubnis",
            Title(
                "Anerkennung ausländischer Berufsabschlüsse – Beratung",
                situations=("qualification.vocational_training", "legal.work_permit"),
            ),
            "Außensprechstunde Migrationsberatung {town}",
        ),
        intro=(
            "Wir beraten Zugewanderte zu Aufenthalt, Arbeit, Sprache und allen Fragen des Alltags.",
            "Sie sind neu in Deutschland oder haben Fragen zu Ihrem Aufenthalt? Wir helfen "
            "Ihnen weiter.",
        ),
        details=(
            "Wir erklären Briefe der Ausländerbehörde und helfen bei Anträgen.",
            "Wir prüfen mit Ihnen, ob und wann Sie arbeiten dürfen.",
            "Wir vermitteln in Integrationskurse und Berufssprachkurse.",
            "Bei Bedarf nehmen wir eine Sprachmittlerin oder einen Sprachmittler dazu.",
        ),
        situations=("legal.residence_status", "legal.work_permit"),
        extra_situations=("qualification.german_language", "finances.benefit_payment"),
        tags=(
            "Migration",
            "Aufenthalt",
            "Arbeitserlaubnis",
            "Aufenthaltstitel",
            "Anerkennung",
            "Flucht",
            "Einbürgerung",
        ),
        groups=("migrants",),
        extra_groups=("families", "women"),
        eligible=(
            "Zugewanderte ab 27 Jahren mit Wohnsitz im Landkreis.",
            "Geflüchtete und Zugewanderte aus dem Landkreis, unabhängig vom Aufenthaltsstatus.",
        ),
        not_eligible=("Keine Rechtsvertretung vor Gericht (wir vermitteln an Anwältinnen).",),
        bring=(
            "Pass oder Ausweisersatz, Aufenthaltstitel oder Bescheinigung, alle Briefe der "
            "Behörden.",
        ),
        languages=("ar", "fa", "tr", "ru", "uk", "en", "fr", "ti", "so", "ku"),
        language_share=0.8,
        access=((APPOINTMENT, PHONE), (WALK_IN, APPOINTMENT)),
        schedules=("office", "walk_in", "consultation_day"),
        waitlist=0.2,
        mailbox="migrationsberatung",
    ),
    Kind(
        key="immigration_office",
        weight=2,
        providers=("immigration_office",),
        titles=(
            "Sprechstunde Beschäftigungserlaubnis",
            "Terminservice Aufenthaltstitel",
            "Beratung zu Ausbildungsduldung und Beschäftigungsduldung",
        ),
        intro=(
            "Die Ausländerbehörde entscheidet über Aufenthaltstitel und die Erlaubnis zu arbeiten.",
            "In der Sprechstunde klären wir, welche Unterlagen für Ihre Arbeitserlaubnis fehlen.",
        ),
        details=(
            "Bringen Sie den Arbeitsvertrag oder die Stellenbeschreibung mit – dann geht es "
            "schneller.",
            "Arbeitgeber können die Vorabzustimmung direkt mit uns klären.",
            "Termine vergeben wir auch kurzfristig, wenn eine Arbeitsstelle wartet.",
        ),
        situations=("legal.work_permit", "legal.residence_status"),
        tags=("Ausländerbehörde", "Arbeitserlaubnis", "Aufenthaltstitel", "Duldung", "Termin"),
        groups=("migrants",),
        eligible=("Ausländische Staatsangehörige mit Wohnsitz im Landkreis.",),
        not_eligible=("Keine Beratung zu Einbürgerung (bitte an die Einbürgerungsstelle).",),
        bring=(
            "Pass, aktueller Aufenthaltstitel oder Duldung, biometrisches Foto, Arbeitsvertrag "
            "oder Stellenbeschreibung.",
        ),
        costs=((Costs.FEE, "Gebühren nach Aufenthaltsverordnung; Ermäßigung bei Bürgergeld."),),
        languages=("en", "ar"),
        language_share=0.3,
        access=((APPOINTMENT, ONLINE), (APPOINTMENT, PHONE)),
        schedules=("office",),
        where="seat",
        waitlist=0.3,
        full=0.0,
        mailbox="auslaenderbehoerde",
    ),
    Kind(
        key="care_counselling",
        weight=3,
        providers=("social_welfare_office", "municipality:"),
        titles=(
            Title("Pflegestützpunkt – Pflegeberatung", providers=("social_welfare_office",)),
            "Beratung für pflegende Angehörige",
            Title("Pflegeberatung im Rathaus {town}", providers=("municipality:",)),
            Title("Seniorenberatung {town}", providers=("municipality:",)),
            "Gesprächskreis pflegende Angehörige",
        ),
        intro=(
            "Sie pflegen einen Angehörigen und wollen Arbeit und Pflege vereinbaren? Wir beraten "
            "Sie neutral und kostenlos.",
            "Wir erklären die Leistungen der Pflegeversicherung und helfen beim Antrag auf einen "
            "Pflegegrad.",
        ),
        details=(
            "Wir vermitteln Entlastung, zum Beispiel Tagespflege oder Kurzzeitpflege.",
            "Auf Wunsch kommen wir zu Ihnen nach Hause.",
            "Wir beraten auch zu Pflegezeit und Familienpflegezeit.",
            "Gemeinsam planen wir, wie die Pflege im Alltag gut gelingt.",
        ),
        situations=("family.care_for_relatives",),
        extra_situations=("health.physical",),
        tags=("Pflege", "Pflegegrad", "Angehörige", "Pflegeberatung", "Entlastung", "Senioren"),
        extra_groups=("older", "women"),
        eligible=("Pflegebedürftige Menschen und ihre Angehörigen im Landkreis.",),
        not_eligible=("Keine Pflege selbst – wir vermitteln an Pflegedienste.",),
        bring=("Wenn vorhanden: Bescheid der Pflegekasse, Arztberichte, Medikamentenplan.",),
        languages=("tr", "ru", "pl", "it", "el"),
        access=((APPOINTMENT, PHONE), (APPOINTMENT, PHONE, WALK_IN)),
        schedules=("office", "consultation_day"),
        where="seat",
        venues=TOWN_HALLS,
        waitlist=0.05,
        full=0.0,
        mailbox="pflegeberatung",
    ),
    Kind(
        key="single_parents",
        weight=4,
        providers=("neighbourhood_centre:", "welfare:DRK-Kreisverband – Familienbildung"),
        titles=(
            "Alleinerziehendentreff {town}",
            "Frühstück für Alleinerziehende",
            "Beratung für Alleinerziehende: Arbeit und Familie vereinbaren",
            "Teilzeitausbildung – Informationsabend",
            "Gruppe für Alleinerziehende mit Kinderbetreuung",
        ),
        intro=(
            "Beim Treff lernen Alleinerziehende andere Eltern in der gleichen Lage kennen.",
            "Alleinerziehend und auf Arbeitssuche? Wir zeigen Wege, wie Arbeit, Ausbildung und "
            "Kinder zusammenpassen.",
        ),
        details=(
            "Während des Treffens werden die Kinder betreut.",
            "Wir informieren über Unterhaltsvorschuss, Kinderzuschlag und Wohngeld.",
            "Eine Ausbildung in Teilzeit ist möglich – wir erklären, wie das geht.",
            "Es gibt ein gemeinsames Frühstück.",
        ),
        situations=("family.single_parent",),
        extra_situations=(
            "family.childcare",
            "qualification.vocational_training",
            "finances.benefit_payment",
        ),
        tags=(
            "Alleinerziehende",
            "Eltern",
            "Treff",
            "Teilzeitausbildung",
            "Unterhaltsvorschuss",
            "Kinderbetreuung",
        ),
        groups=("single_parents",),
        extra_groups=("women",),
        eligible=("Alleinerziehende Mütter und Väter aus dem Landkreis.",),
        bring=("Ihre Kinder dürfen Sie mitbringen.",),
        languages=("ar", "tr", "uk", "ru", "en"),
        access=((WALK_IN,), (WALK_IN, PHONE), (APPOINTMENT, PHONE)),
        schedules=("morning", "afternoon", "monthly_evening"),
        waitlist=0.05,
        full=0.02,
        mailbox="familie",
    ),
    Kind(
        key="digital",
        weight=5,
        providers=(
            "neighbourhood_centre:",
            "volunteer_agency",
            "welfare:DRK-Kreisverband – Familienbildung",
            "jobcenter",
        ),
        titles=(
            "Digital-Café: Hilfe mit Smartphone und Tablet",
            "PC-Grundkurs für Einsteigerinnen und Einsteiger",
            "Online-Bewerbung leicht gemacht",
            Title("Digitalpaten – Sprechstunde in {town}", providers=("volunteer_agency",)),
            Title("Anträge online stellen – Einführung", providers=("jobcenter",)),
            "Computerkurs für Frauen",
        ),
        intro=(
            "Wir helfen Ihnen Schritt für Schritt beim Umgang mit Smartphone, Computer und "
            "Internet.",
            "Im Kurs lernen Sie, E-Mails zu schreiben, Dokumente hochzuladen und Online-Anträge "
            "zu stellen.",
        ),
        details=(
            "Sie können Ihr eigenes Gerät mitbringen oder unsere Laptops nutzen.",
            "Wir zeigen, wie Sie Unterlagen sicher online an das Jobcenter schicken.",
            "Es gibt kleine Gruppen mit höchstens acht Teilnehmenden.",
            "Auch für Menschen, die noch nie einen Computer benutzt haben.",
        ),
        situations=("qualification.digital_skills",),
        extra_situations=("motivation.orientation",),
        tags=(
            "digital",
            "Computer",
            "Smartphone",
            "Internet",
            "E-Mail",
            "Online-Antrag",
            "PC-Kurs",
        ),
        extra_groups=("older", "women", "migrants"),
        eligible=("Alle Interessierten aus dem Landkreis; Bürgergeld-Beziehende haben Vorrang.",),
        not_eligible=("Kein Kurs für Fortgeschrittene (z. B. Office-Zertifikate).",),
        bring=("Eigenes Smartphone oder Laptop, wenn vorhanden, und Ihre Zugangsdaten.",),
        costs=((Costs.FREE, ""), (Costs.REDUCED, "5 € pro Kurs, mit Bürgergeld-Bescheid frei.")),
        languages=("ar", "uk", "ru", "tr", "en"),
        language_share=0.25,
        access=((WALK_IN,), (APPOINTMENT, PHONE), (APPOINTMENT, ONLINE)),
        schedules=("afternoon", "course", "morning"),
        waitlist=0.15,
        mailbox="digital",
    ),
    Kind(
        key="case_management_on_site",
        weight=6,
        providers=("jobcenter",),
        titles=(
            "Fallmanagement vor Ort in {town}",
            "Sprechtag des Jobcenters in {town}",
            "Jobcenter-Beratung vor Ort in {town}",
        ),
        intro=(
            "Die Fallmanagerinnen und Fallmanager der Kreisagentur für Beschäftigung beraten Sie "
            "direkt in Ihrer Gemeinde – ohne lange Anfahrt.",
            "Sie beziehen Bürgergeld und wohnen in {town}? Dann kommen Sie zur Beratung in Ihre "
            "Gemeinde statt in die Kreisstadt.",
        ),
        details=(
            "Wir besprechen Ihren Kooperationsplan, Fragen zur Arbeitssuche und Angebote vor Ort.",
            "Wenn nötig, stellen wir direkt den Kontakt zu Stellen in der Gemeinde her.",
            "Bitte vereinbaren Sie einen Termin; kurze Fragen klären wir auch ohne Termin.",
            "Sie können Unterlagen abgeben; wir leiten sie an die Leistungsabteilung weiter.",
        ),
        situations=("motivation.orientation", "mobility.public_transport"),
        extra_situations=("finances.benefit_payment", "family.childcare"),
        tags=(
            "Jobcenter",
            "Fallmanagement",
            "Bürgergeld",
            "Beratung vor Ort",
            "Kooperationsplan",
            "Arbeitssuche",
        ),
        groups=("long_term_unemployed",),
        eligible=("Bürgergeld-Beziehende mit Wohnsitz in {town}.",),
        not_eligible=(
            "Keine Auszahlung von Leistungen vor Ort.",
            "Nicht für Menschen aus anderen Gemeinden – dort gibt es eigene Sprechtage.",
        ),
        bring=("Einladung (wenn vorhanden), Personalausweis, Unterlagen zu Ihren Fragen.",),
        languages=("en", "tr", "ar"),
        language_share=0.1,
        access=((APPOINTMENT, WALK_IN), (APPOINTMENT, PHONE)),
        schedules=("consultation_day",),
        where="town",
        venues=TOWN_HALLS,
        waitlist=0.0,
        full=0.0,
        mailbox="vor-ort",
    ),
    Kind(
        key="social_counselling",
        weight=5,
        providers=(
            "jobcenter",
            "social_welfare_office",
            "welfare:Diakonisches Werk Darmstadt-Dieburg",
            "welfare:Caritasverband Darmstadt – Schuldnerberatung",
            "neighbourhood_centre:",
        ),
        titles=(
            "Sozialberatung: Hilfe bei Anträgen und Bescheiden",
            Title("Leistungssprechstunde Bürgergeld", providers=("jobcenter",)),
            "Beratung zu Grundsicherung und Wohngeld",
            "Hilfe beim Weiterbewilligungsantrag",
            "Offene Sozialberatung {town}",
        ),
        intro=(
            "Sie verstehen einen Bescheid nicht oder Ihr Geld ist nicht pünktlich gekommen? Wir "
            "klären das mit Ihnen.",
            "Wir helfen beim Ausfüllen von Anträgen auf Bürgergeld, Wohngeld, Kinderzuschlag und "
            "Grundsicherung.",
        ),
        details=(
            "Wenn eine Zahlung fehlt, nehmen wir direkt Kontakt mit der zuständigen Stelle auf.",
            "Wir prüfen mit Ihnen, ob ein Widerspruch sinnvoll ist.",
            "In einer akuten Notlage klären wir einen Vorschuss oder eine Notfallhilfe.",
            "Bringen Sie alle Briefe mit, auch wenn Sie sie nicht verstehen.",
        ),
        situations=("finances.benefit_payment",),
        extra_situations=("finances.debt", "housing.rent_arrears"),
        tags=(
            "Bürgergeld",
            "Antrag",
            "Bescheid",
            "Widerspruch",
            "Wohngeld",
            "Kinderzuschlag",
            "Grundsicherung",
            "Auszahlung",
        ),
        extra_groups=("families", "older", "single_parents"),
        eligible=(
            "Menschen mit geringem Einkommen im Landkreis.",
            "Bürgergeld-, Sozialhilfe- und Wohngeld-Beziehende.",
        ),
        not_eligible=("Keine anwaltliche Vertretung vor Gericht.",),
        bring=("Alle Bescheide und Briefe der Ämter, Kontoauszüge, Ausweis.",),
        languages=("ar", "tr", "ru", "uk", "en", "fa"),
        language_share=0.3,
        access=((WALK_IN,), (WALK_IN, APPOINTMENT, PHONE), (APPOINTMENT, PHONE)),
        schedules=("walk_in", "office"),
        remote=0.03,
        waitlist=0.05,
        full=0.0,
        mailbox="sozialberatung",
    ),
    Kind(
        key="older_jobseekers",
        weight=3,
        providers=("jobcenter", "economic_development"),
        titles=(
            "Jobclub 50plus",
            "Perspektive 50plus – Coaching für Ältere",
            "Erfahrung zählt: Bewerbungstraining ab 50",
            Title("Arbeitgeber-Frühstück für Fachkräfte ab 50", providers=("economic_",)),
        ),
        intro=(
            "Sie sind über 50 und suchen Arbeit? Ihre Erfahrung ist gefragt – wir helfen, sie "
            "sichtbar zu machen.",
            "Im Jobclub treffen sich Arbeitsuchende ab 50 und unterstützen sich gegenseitig bei "
            "der Jobsuche.",
        ),
        details=(
            "Wir vermitteln direkte Kontakte zu Arbeitgebern in der Region.",
            "Ein Coach begleitet Sie einzeln über mehrere Monate.",
            "Wir besprechen auch gesundheitliche Einschränkungen und passende Tätigkeiten.",
            "Arbeitgeber können einen Zuschuss zum Lohn bekommen.",
        ),
        situations=("age.older_jobseekers",),
        extra_situations=("health.physical", "qualification.digital_skills"),
        tags=("50plus", "Ältere", "Erfahrung", "Jobclub", "Coaching", "Wiedereinstieg"),
        groups=("older", "long_term_unemployed"),
        ages=(50, None),
        eligible=("Arbeitsuchende ab 50 Jahren, die Bürgergeld beziehen.",),
        not_eligible=("Nicht für Personen, die bereits Altersrente beziehen.",),
        bring=("Lebenslauf und Arbeitszeugnisse.",),
        access=((REFERRAL, APPOINTMENT), (APPOINTMENT, PHONE)),
        schedules=("course", "afternoon"),
        waitlist=0.15,
        mailbox="50plus",
    ),
    Kind(
        key="health",
        weight=3,
        providers=("welfare:DRK-Kreisverband – Familienbildung", "jobcenter"),
        titles=(
            "Gesund und aktiv: Bewegungskurs für Arbeitsuchende",
            Title(
                "Gesundheitscoaching für Arbeitsuchende",
                intro="Gesundheit ist die Grundlage für Arbeit. Ein Coach unterstützt Sie, wieder "
                "fitter und belastbarer zu werden.",
            ),
            "Rückenfit – Kurs in {town}",
            Title(
                "Gut essen mit wenig Geld – Kochkurs",
                intro="Im Kochkurs lernen Sie, mit wenig Geld gesund und lecker zu kochen.",
            ),
        ),
        intro=(
            "Im Kurs bewegen Sie sich gemeinsam mit anderen, ganz ohne Leistungsdruck.",
            "Gesundheit ist die Grundlage für Arbeit. Wir unterstützen Sie, wieder fitter und "
            "belastbarer zu werden.",
        ),
        details=(
            "Eine Fachkraft zeigt Übungen, die Sie auch zu Hause machen können.",
            "Die Krankenkasse kann die Kosten übernehmen.",
            "Wir helfen bei der Suche nach Ärztinnen, Ärzten und Reha-Angeboten.",
            "Der Kurs läuft über zehn Wochen.",
        ),
        situations=("health.physical",),
        extra_situations=("health.mental", "motivation.orientation"),
        tags=("Gesundheit", "Bewegung", "Sport", "Rücken", "Ernährung", "Reha", "Prävention"),
        extra_groups=("long_term_unemployed", "older", "women"),
        eligible=("Erwachsene aus dem Landkreis, besonders Bürgergeld-Beziehende.",),
        not_eligible=("Nicht bei akuten Erkrankungen ohne ärztliche Freigabe.",),
        bring=("Bequeme Kleidung, Turnschuhe, etwas zu trinken.",),
        costs=((Costs.FREE, ""), (Costs.REDUCED, "10 € pro Kurs; mit Bürgergeld-Bescheid frei.")),
        access=((APPOINTMENT, PHONE), (REFERRAL, APPOINTMENT)),
        schedules=("afternoon", "evening", "morning"),
        where="outreach",
        waitlist=0.2,
        mailbox="gesundheit",
    ),
    Kind(
        key="womens_shelter",
        weight=0.5,
        providers=("welfare:Frauenhaus Darmstadt-Dieburg",),
        titles=(
            "Frauenhaus – Schutz und Unterkunft für Frauen und ihre Kinder",
            "Frauenhaus: sichere Wohnung bei häuslicher Gewalt",
        ),
        intro=(
            "Das Frauenhaus bietet Frauen und ihren Kindern Schutz vor häuslicher Gewalt – Tag "
            "und Nacht.",
            "Wenn Sie zu Hause bedroht oder geschlagen werden, finden Sie im Frauenhaus eine "
            "sichere Unterkunft.",
        ),
        details=(
            "Die Adresse ist geheim, damit Sie sicher sind.",
            "Mitarbeiterinnen beraten Sie zu Unterhalt, Sorgerecht, Aufenthalt und Geld zum Leben.",
            "Ihre Kinder werden von einer Erzieherin begleitet.",
            "Sie können auch ohne Papiere und ohne Geld kommen.",
        ),
        situations=("housing.homelessness", "health.mental"),
        extra_situations=("family.single_parent", "family.childcare"),
        tags=("Frauenhaus", "häusliche Gewalt", "Schutz", "Frauen", "Kinder", "Notaufnahme"),
        groups=("women",),
        extra_groups=("single_parents", "migrants"),
        eligible=(
            "Frauen ab 18 Jahren und ihre Kinder, die von häuslicher Gewalt betroffen oder "
            "bedroht sind.",
        ),
        not_eligible=(
            "Männer (Hilfe für Männer gibt das Hilfetelefon „Gewalt an Männern“).",
            "Söhne ab 14 Jahren nur nach Absprache.",
        ),
        bring=(
            "Wenn möglich: Ausweis, Geburtsurkunden, Krankenkassenkarte, Medikamente, Bankkarte. "
            "Kommen Sie aber auch ohne Unterlagen.",
        ),
        languages=("en", "ar", "tr", "fa", "ru", "uk"),
        language_share=0.6,
        access=((PHONE,),),
        schedules=("office",),
        where="confidential",
        waitlist=0.0,
        full=0.3,
        contact=(
            "Aufnahme rund um die Uhr über das Telefon des Frauenhauses oder das Hilfetelefon "
            "„Gewalt gegen Frauen“ 116 016. Die Adresse wird nicht veröffentlicht; wir holen Sie "
            "an einem vereinbarten Treffpunkt ab.",
        ),
        mailbox="frauenhaus",
    ),
    Kind(
        key="violence_counselling",
        weight=1.5,
        providers=("welfare:Frauenhaus Darmstadt-Dieburg",),
        titles=(
            "Beratungsstelle bei häuslicher Gewalt",
            "Frauenberatung: Trennung, Gewalt, Neuanfang",
            "Außensprechstunde der Frauenberatung in {town}",
        ),
        intro=(
            "Wir beraten Frauen, die Gewalt in der Partnerschaft oder Familie erleben – "
            "vertraulich und auf Wunsch anonym.",
            "Sie denken über eine Trennung nach und haben Angst? Wir planen mit Ihnen die "
            "nächsten Schritte.",
        ),
        details=(
            "Wir informieren über Schutzanordnungen und Wohnungszuweisung.",
            "Wir begleiten Sie zu Polizei, Gericht und Ämtern.",
            "Wenn nötig, vermitteln wir einen Platz im Frauenhaus.",
            "Für Ihre Kinder gibt es eigene Beratungsgespräche.",
        ),
        situations=("health.mental",),
        extra_situations=(
            "housing.threatened_loss",
            "family.single_parent",
            "legal.residence_status",
        ),
        tags=("Gewalt", "Frauenberatung", "Trennung", "Schutz", "Gewaltschutz", "Frauen"),
        groups=("women",),
        extra_groups=("migrants", "single_parents"),
        eligible=("Frauen aus dem Landkreis und Fachkräfte, die betroffene Frauen begleiten.",),
        bring=("Nichts.",),
        languages=("en", "ar", "tr", "fa", "ru", "uk"),
        language_share=0.5,
        access=((APPOINTMENT, PHONE), (PHONE, ONLINE)),
        schedules=("office",),
        remote=0.1,
        waitlist=0.1,
        full=0.0,
        mailbox="frauenberatung",
    ),
    Kind(
        key="school_certificate",
        weight=2,
        providers=("school:", "welfare:DRK-Kreisverband – Familienbildung"),
        titles=(
            "Hauptschulabschluss nachholen (Abendkurs)",
            "Realschulabschluss für Erwachsene",
            "Lernwerkstatt: Fit für die Abschlussprüfung",
            "Nachhilfe während der Ausbildung",
        ),
        intro=(
            "Ohne Schulabschluss ist der Weg in eine Ausbildung schwer. Hier holen Sie ihn nach.",
            "In kleinen Gruppen bereiten wir Sie auf die externe Prüfung vor.",
        ),
        details=(
            "Der Unterricht findet abends statt, damit Sie tagsüber arbeiten können.",
            "Deutsch, Mathematik und Englisch stehen im Mittelpunkt.",
            "Eine Lernbegleitung hilft auch bei Prüfungsangst.",
            "Der Kurs dauert etwa ein Schuljahr.",
        ),
        situations=("qualification.school_certificate",),
        extra_situations=("transition.apprenticeship_search", "qualification.german_language"),
        tags=("Schulabschluss", "Hauptschulabschluss", "Realschulabschluss", "Abendkurs", "Lernen"),
        extra_groups=("under_25", "migrants"),
        ages=(16, None),
        eligible=(
            "Menschen ab 16 Jahren ohne Schulabschluss, die nicht mehr schulpflichtig sind.",
        ),
        not_eligible=("Nicht für Schülerinnen und Schüler einer allgemeinbildenden Schule.",),
        bring=("Letztes Schulzeugnis, Ausweis.",),
        access=((APPOINTMENT, PHONE), (APPOINTMENT, REFERRAL)),
        schedules=("evening", "course"),
        where="seat",
        waitlist=0.3,
        full=0.1,
        mailbox="schulabschluss",
    ),
    Kind(
        key="work_experience",
        weight=3,
        providers=("employer:", "economic_development"),
        titles=(
            Title(
                "Einstiegsqualifizierung im Lager",
                providers=("employer:Logistikzentrum",),
            ),
            Title("Praktikum in der Pflegehilfe", providers=("employer:Kreisklinik",)),
            Title("Schnuppertage in der Backstube", providers=("employer:Bäckerei",)),
            Title("Quereinstieg mit Anlernphase", providers=("employer:",)),
            Title(
                "Teilqualifizierung mit IHK-Zertifikat",
                providers=("economic_",),
                intro="Schritt für Schritt zum Berufsabschluss – in Teilen, neben der Arbeit.",
            ),
        ),
        intro=(
            "Hier lernen Sie einen Betrieb von innen kennen und sammeln Berufserfahrung.",
            "Sie möchten in einer neuen Branche Fuß fassen? Bei uns lernen Sie die Arbeit im "
            "Betrieb kennen.",
        ),
        details=(
            "Eine feste Ansprechperson im Betrieb begleitet Sie.",
            "Bei Erfolg ist eine Übernahme in Ausbildung oder Arbeit möglich.",
            "Arbeitskleidung wird gestellt.",
            "Das Jobcenter kann die Zeit im Betrieb fördern.",
        ),
        situations=("qualification.work_experience", "qualification.vocational_training"),
        extra_situations=("transition.apprenticeship_search",),
        tags=("Praktikum", "Berufserfahrung", "Quereinstieg", "Teilqualifizierung", "Betrieb"),
        extra_groups=("long_term_unemployed", "under_25", "migrants"),
        eligible=("Arbeitsuchende aus dem Landkreis mit Interesse an der Branche.",),
        not_eligible=("Nicht während einer Krankschreibung.",),
        bring=("Lebenslauf, Zeugnisse und, wenn nötig, ein Gesundheitszeugnis.",),
        access=((APPOINTMENT, REFERRAL), (APPOINTMENT, PHONE, ONLINE)),
        schedules=("office", "workshop"),
        where="seat",
        waitlist=0.1,
        full=0.1,
        mailbox="karriere",
    ),
    Kind(
        key="family_support",
        weight=3,
        providers=(
            "youth_office",
            "welfare:DRK-Kreisverband – Familienbildung",
            "neighbourhood_centre:",
        ),
        titles=(
            "Eltern-Kind-Gruppe {town}",
            "Frühe Hilfen: Familienhebamme und Familienbegleitung",
            "Elternkurs „Starke Eltern – Starke Kinder“",
            Title(
                "Erziehungsberatung",
                situations=("family.childcare", "health.mental"),
                providers=("youth_office",),
            ),
        ),
        intro=(
            "Wir begleiten Familien mit kleinen Kindern im Alltag und stärken Eltern in ihrer "
            "Rolle.",
            "Eltern treffen sich, tauschen sich aus und bekommen Rat von Fachleuten.",
        ),
        details=(
            "Die Treffen sind offen; Sie können jederzeit dazukommen.",
            "Bei Fragen zu Kita, Schule oder Geld vermitteln wir weiter.",
            "Die Beratung ist vertraulich.",
            "Auch Väter sind herzlich willkommen.",
        ),
        situations=("family.childcare",),
        extra_situations=("family.single_parent", "health.mental"),
        tags=("Familie", "Eltern", "Erziehung", "Frühe Hilfen", "Kinder", "Elternkurs"),
        groups=("families",),
        extra_groups=("single_parents", "migrants"),
        eligible=("Familien mit Kindern aus dem Landkreis.",),
        bring=("Nichts – Kinder sind willkommen.",),
        languages=("ar", "tr", "ru", "uk", "en", "fa"),
        access=((WALK_IN,), (APPOINTMENT, PHONE)),
        schedules=("morning", "afternoon"),
        waitlist=0.1,
        mailbox="familienbildung",
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

# Offers every demo network gets, so that the demo logins find something of their own.
ANCHORS: tuple[tuple[str, str, str | None, str], ...] = (
    ("case_management_on_site", "jobcenter", "Eppertshausen", OfferStatus.PUBLISHED),
    ("language_cafe", "neighbourhood_centre:Griesheim", None, OfferStatus.PUBLISHED),
    ("digital", "neighbourhood_centre:Griesheim", None, OfferStatus.PUBLISHED),
    ("single_parents", "neighbourhood_centre:Griesheim", None, OfferStatus.DRAFT),
)

# Providers that work in their own town only; the county-wide ones also go out to other towns.
