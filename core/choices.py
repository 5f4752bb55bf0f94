from django.db import models
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """The 16 German states; the codes are those of the `holidays` library (ISO 3166-2:DE)."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bayern")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hessen")
    MV = "MV", _("Mecklenburg-Vorpommern")
    NI = "NI", _("Niedersachsen")
    NW = "NW", _("Nordrhein-Westfalen")
    RP = "RP", _("Rheinland-Pfalz")
    SL = "SL", _("Saarland")
    SN = "SN", _("Sachsen")
    ST = "ST", _("Sachsen-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thüringen")


class OrganisationType(models.TextChoices):
    JOBCENTER = "jobcenter", _("Jobcenter")
    YOUTH_OFFICE = "youth_office", _("Jugendamt")
    SOCIAL_WELFARE_OFFICE = "social_welfare_office", _("Sozialamt")
    EMPLOYMENT_AGENCY = "employment_agency", _("Agentur für Arbeit")
    MUNICIPAL_ADMINISTRATION = "municipal_administration", _("Gemeindeverwaltung")
    NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", _("Stadtteilzentrum")
    VOLUNTEER_AGENCY = "volunteer_agency", _("Freiwilligenagentur")
    SELF_HELP_CONTACT_POINT = "self_help_contact_point", _("Selbsthilfe-Kontaktstelle")
    SCHOOL = "school", _("Schule")
    IMMIGRATION_OFFICE = "immigration_office", _("Ausländerbehörde")
    ECONOMIC_DEVELOPMENT = "economic_development", _("Wirtschaftsförderung")
    WELFARE_ORGANISATION = "welfare_organisation", _("Freier Träger")
    EMPLOYER = "employer", _("Arbeitgeber")


class LegalRegime(models.TextChoices):
    SGB_II = "sgb2", _("SGB II (Grundsicherung für Arbeitsuchende)")
    SGB_III = "sgb3", _("SGB III (Arbeitsförderung)")
    SGB_VIII = "sgb8", _("SGB VIII (Kinder- und Jugendhilfe)")
    SGB_XII = "sgb12", _("SGB XII (Sozialhilfe)")
    NONE = "none", _("keines (kein Sozialleistungsträger)")


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Fallmanagement / Sachbearbeitung")
    TEAM_LEAD = "team_lead", _("Teamleitung")
    NETWORK_COORDINATOR = "network_coordinator", _("Netzwerkkoordination")
    PARTNER_STAFF = "partner_staff", _("Mitarbeit Partnerorganisation")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Datenschutzbeauftragte/r")
    NETWORK_ADMIN = "network_admin", _("Netzwerk-Administration")


class AuditAction(models.TextChoices):
    VIEW = "view", _("angesehen")
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    DELETE = "delete", _("gelöscht")
    EXPORT = "export", _("exportiert")
    TRANSFER = "transfer", _("übermittelt")
    LOGIN = "login", _("angemeldet")
    LOGOUT = "logout", _("abgemeldet")
    SWITCH_ORGANISATION = "switch_organisation", _("Organisation gewechselt")
