"""Fixed data of the demo county (modelled on a Hessian Landkreis with 23 municipalities)."""

COUNTY_NAME = "Landkreis Darmstadt-Dieburg (Demo)"
COUNTY_SLUG = "da-di-demo"
COUNTY_STATE = "HE"

# name, AGS, latitude, longitude
MUNICIPALITIES = [
    ("Alsbach-Hähnlein", "06432001", 49.7400, 8.6000),
    ("Babenhausen", "06432002", 49.9600, 8.9500),
    ("Bickenbach", "06432003", 49.7600, 8.6100),
    ("Dieburg", "06432004", 49.9000, 8.8400),
    ("Eppertshausen", "06432005", 49.9500, 8.8500),
    ("Erzhausen", "06432006", 49.9500, 8.6500),
    ("Fischbachtal", "06432007", 49.7700, 8.8000),
    ("Griesheim", "06432008", 49.8600, 8.5600),
    ("Groß-Bieberau", "06432009", 49.8000, 8.8200),
    ("Groß-Umstadt", "06432010", 49.8700, 8.9300),
    ("Groß-Zimmern", "06432011", 49.8700, 8.8300),
    ("Messel", "06432012", 49.9400, 8.7500),
    ("Modautal", "06432013", 49.7600, 8.7200),
    ("Mühltal", "06432014", 49.8300, 8.7000),
    ("Münster (Hessen)", "06432015", 49.9200, 8.8700),
    ("Ober-Ramstadt", "06432016", 49.8300, 8.7500),
    ("Otzberg", "06432017", 49.8300, 8.9000),
    ("Pfungstadt", "06432018", 49.8100, 8.6000),
    ("Reinheim", "06432019", 49.8300, 8.8300),
    ("Roßdorf", "06432020", 49.8600, 8.7600),
    ("Schaafheim", "06432021", 49.9200, 9.0100),
    ("Seeheim-Jugenheim", "06432022", 49.7700, 8.6500),
    ("Weiterstadt", "06432023", 49.9000, 8.5900),
]

# Bigger towns get social areas and neighbourhood centres.
SOCIAL_AREAS = {
    "Griesheim": ["Griesheim-Nord", "Griesheim-Süd"],
    "Pfungstadt": ["Pfungstadt-Kernstadt", "Eschollbrücken/Hahn"],
    "Groß-Umstadt": ["Kernstadt", "Richen/Kleestadt"],
    "Dieburg": ["Altstadt", "Dieburg-West"],
    "Weiterstadt": ["Kernstadt", "Braunshardt/Riedbahn"],
    "Babenhausen": ["Kernstadt", "Harpertshausen/Sickenhofen"],
}

NEIGHBOURHOOD_CENTRE_TOWNS = [
    "Griesheim",
    "Pfungstadt",
    "Groß-Umstadt",
    "Dieburg",
    "Weiterstadt",
    "Babenhausen",
    "Ober-Ramstadt",
    "Reinheim",
    "Groß-Zimmern",
    "Mühltal",
]

WELFARE_ORGANISATIONS = [
    "Caritasverband Darmstadt – Schuldnerberatung",
    "Diakonisches Werk Darmstadt-Dieburg",
    "AWO Kreisverband – Migrationsberatung",
    "DRK-Kreisverband – Familienbildung",
    "Suchthilfe Südhessen",
    "Frauenhaus Darmstadt-Dieburg",
]

SCHOOLS = [
    ("Landrat-Gruber-Schule (Berufliche Schule)", "Dieburg"),
    ("Heinrich-Emanuel-Merck-Schule", "Griesheim"),
    ("Max-Planck-Schule", "Groß-Umstadt"),
    ("Gesamtschule Pfungstadt", "Pfungstadt"),
]

EMPLOYERS = [
    ("Logistikzentrum Weiterstadt GmbH", "Weiterstadt"),
    ("Kreisklinik Groß-Umstadt", "Groß-Umstadt"),
    ("Bäckerei Schaafheim eG", "Schaafheim"),
]

# username, first name, last name, organisation key, role, team name
DEMO_LOGINS = [
    ("fallmanager", "Sabine", "Krämer", "jobcenter", "case_worker", "Fallmanagement Ost"),
    ("teamleitung", "Jürgen", "Hoffmann", "jobcenter", "team_lead", "Fallmanagement Ost"),
    ("koordination", "Aylin", "Demir", "jobcenter", "network_coordinator", None),
    ("datenschutz", "Petra", "Schäfer", "jobcenter", "data_protection_officer", None),
    ("admin", "Thomas", "Weber", "jobcenter", "network_admin", None),
    (
        "jugendamt",
        "Markus",
        "Becker",
        "youth_office",
        "case_worker",
        "Allgemeiner Sozialer Dienst Ost",
    ),
    (
        "stadtteilzentrum",
        "Lena",
        "Fischer",
        "neighbourhood_centre:Griesheim",
        "partner_staff",
        None,
    ),
]
# A case manager who also counsels on site in a municipality office ("Fallmanagement vor Ort").
MULTI_ORGANISATION_LOGIN = (
    "vorort",
    "Christina",
    "Brahm",
    [
        ("jobcenter", "case_worker", "Fallmanagement Ost"),
        ("municipality:Eppertshausen", "partner_staff", None),
    ],
)
