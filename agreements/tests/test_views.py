"""The agreement pages as the network coordination and the parties' team leads use them.

The Jobcenter and the Jugendamt of network A cooperate; the coordination (seated at the
Jobcenter) manages the agreements, the Jobcenter's team lead reads them. The Stadtteilzentrum
Nord (``partner``) is in the network and party to a second agreement with the Jobcenter.
Figures come from referral rows of March 2026, long past: each expected number is counted by
hand in the test.
"""

import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.choices import Renewal, Status, TargetPeriod
from agreements.models import Agreement, AgreementDeadline, Measure
from agreements.tests.conftest import draft, in_force
from core.choices import Role
from core.concurrency import STALE_MESSAGE
from core.factories import OrganisationFactory, member
from referrals.choices import Track
from reporting.tests.conftest import referral

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def listed_titles(response) -> list[str]:
    """The titles in the list's table, in the order shown."""
    assert response.status_code == 200
    link = r'<a class="kern-link" href="/kooperationen/\d+/">([^<]+)</a>'
    return re.findall(link, page(response))


def form_errors(response) -> str:
    """Field and non-field errors of the form the page shows again."""
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def running(**fields) -> dict:
    """Validity around today, so that the rules that look at today hold on any test day."""
    today = timezone.localdate()
    fields.setdefault("valid_from", today - timedelta(days=100))
    fields.setdefault("valid_until", today + timedelta(days=200))
    fields.setdefault("signed_on", today - timedelta(days=120))
    return fields


def terms_payload(agreement, **changes) -> dict:
    values = {
        "title": agreement.title,
        "purpose": agreement.purpose,
        "parties": [p.organisation_id for p in agreement.party_rows.all()],
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
        "valid_from": agreement.valid_from.isoformat(),
        "valid_until": agreement.valid_until.isoformat(),
        "renewal": agreement.renewal,
        "notice_months": agreement.notice_months,
        "edit_version": agreement.version,
    }
    values.update(changes)
    return values


@pytest.fixture
def manager(coordinator):
    return login(coordinator)


@pytest.fixture
def agreement(coordination, jobcenter, youth_office):
    """In force for 2026 between the Jobcenter and the Jugendamt."""
    return in_force(coordination, jobcenter, youth_office)


# --- the list ------------------------------------------------------------------------------------


@pytest.fixture
def three(coordination, jobcenter, youth_office, partner):
    """A draft ending 2027, one in force ending 2026 and a terminated one ending 2028."""
    housing = draft(
        coordination,
        jobcenter,
        partner,
        title="Wohnungssicherung im Stadtteil",
        valid_until=date(2027, 6, 30),
    )
    youth = in_force(coordination, jobcenter, youth_office, title="Übergang Schule–Beruf")
    debts = in_force(
        coordination,
        youth_office,
        partner,
        title="Schuldnerberatung für Familien",
        valid_until=date(2028, 12, 31),
    )
    services.terminate(actor=coordination, agreement=debts, party=partner, on=date(2026, 2, 1))
    return housing, youth, debts


def test_the_list_shows_every_agreement_with_its_parties_sorted_by_title(manager, three):
    response = manager.get(reverse("agreements:list"))
    assert listed_titles(response) == [
        "Schuldnerberatung für Familien",
        "Wohnungssicherung im Stadtteil",
        "Übergang Schule–Beruf",
    ]
    html = page(response)
    assert "Jobcenter A, Stadtteilzentrum Nord" in html
    # Terminated on 1 Feb 2026, before the notice date 30 Sep 2028: ends with its term.
    assert "gekündigt zum 31.12.2028" in html
    assert "Vereinbarung anlegen" in html


def test_the_search_finds_titles_and_party_names(manager, three):
    url = reverse("agreements:list")
    # Only the housing agreement has "wohnung" in its title (case-insensitive).
    assert listed_titles(manager.get(url, {"q": "wohnung"})) == ["Wohnungssicherung im Stadtteil"]
    # The Stadtteilzentrum is party to two agreements whose titles do not name it.
    assert listed_titles(manager.get(url, {"q": "Stadtteilzentrum"})) == [
        "Schuldnerberatung für Familien",
        "Wohnungssicherung im Stadtteil",
    ]


@pytest.mark.parametrize(
    ("status", "titles"),
    [
        ("draft", ["Wohnungssicherung im Stadtteil"]),
        # "valid" means in force or terminated but still running.
        ("active", ["Schuldnerberatung für Familien", "Übergang Schule–Beruf"]),
        ("terminated", ["Schuldnerberatung für Familien"]),
        ("expired", []),
    ],
)
def test_the_status_filter(manager, three, status, titles):
    response = manager.get(reverse("agreements:list"), {"status": status})
    assert listed_titles(response) == titles


def test_sorting_by_the_end_of_the_term(manager, three):
    url = reverse("agreements:list")
    # Ends: Übergang 31.12.2026, Wohnungssicherung 30.06.2027, Schuldnerberatung 31.12.2028.
    assert listed_titles(manager.get(url, {"sort": "until"})) == [
        "Übergang Schule–Beruf",
        "Wohnungssicherung im Stadtteil",
        "Schuldnerberatung für Familien",
    ]
    assert listed_titles(manager.get(url, {"sort": "-until"})) == [
        "Schuldnerberatung für Familien",
        "Wohnungssicherung im Stadtteil",
        "Übergang Schule–Beruf",
    ]


def test_pagination_keeps_the_filters(manager, three, settings):
    settings.PAGE_SIZE = 2
    url = reverse("agreements:list")
    first = manager.get(url, {"sort": "until"})
    assert listed_titles(first) == ["Übergang Schule–Beruf", "Wohnungssicherung im Stadtteil"]
    assert "Seite 1 von 2" in page(first)
    assert 'href="?sort=until&amp;page=2"' in page(first)
    second = manager.get(url, {"sort": "until", "page": 2})
    assert listed_titles(second) == ["Schuldnerberatung für Familien"]
    assert "Seite 2 von 2" in page(second)


def test_the_empty_list_says_why_it_is_empty(manager):
    response = manager.get(reverse("agreements:list"))
    assert listed_titles(response) == []
    assert "Noch keine Kooperationsvereinbarung." in page(response)


def test_a_filter_without_match_offers_to_show_all(manager, three):
    response = manager.get(reverse("agreements:list"), {"q": "Gibt es nicht"})
    assert listed_titles(response) == []
    assert "Keine Vereinbarung passt zu diesen Filtern." in page(response)
    assert "Alle zeigen" in page(response)


def test_a_team_lead_lists_only_the_agreements_of_the_own_organisation(
    three, jobcenter_lead, network
):
    response = login(jobcenter_lead).get(reverse("agreements:list"))
    # The Jobcenter is no party to "Schuldnerberatung für Familien".
    assert listed_titles(response) == ["Wohnungssicherung im Stadtteil", "Übergang Schule–Beruf"]
    # Team leads do not manage agreements.
    assert "Vereinbarung anlegen" not in page(response)
    other = OrganisationFactory(network=network, name="Sozialamt Musterkreis")
    lead = member(Role.TEAM_LEAD, other, username="sozialamt-leitung")
    empty = login(lead).get(reverse("agreements:list"))
    assert listed_titles(empty) == []
    assert "Noch keine Kooperationsvereinbarung." in page(empty)


# --- the agreement page -------------------------------------------------------------------------


@pytest.fixture
def measured(coordination, agreement, jobcenter, youth_office, partner):
    """Six referrals between the parties in March 2026 (4 Jobcenter → Jugendamt, 2 back), two
    to the Stadtteilzentrum (no party) and one in April; four measures."""
    for _i in range(4):
        referral(jobcenter, youth_office, date(2026, 3, 10))
    for _i in range(2):
        referral(youth_office, jobcenter, date(2026, 3, 20))
    for _i in range(2):
        referral(jobcenter, partner, date(2026, 3, 12))
    referral(jobcenter, youth_office, date(2026, 4, 2))
    measures = {}
    for title, target, note in (
        ("Überleitungen Jobcenter – Jugendamt", "5", ""),
        ("Mehr Überleitungen", "10", ""),
        ("Fast genug Überleitungen", "6.5", ""),
        ("Gemeinsame Hospitationen", None, "3 von 4 Hospitationen"),
    ):
        measures[title] = services.save_measure(
            actor=coordination,
            measure=Measure(
                agreement=agreement,
                title=title,
                indicator="referrals" if target else "",
                target=target,
                target_period=TargetPeriod.MONTH,
                progress_note=note,
            ),
        )
    return measures


def measure_row(html: str, measure) -> str:
    found = re.search(rf'<tr[^>]*data-measure="{measure.pk}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {measure.title}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_measures_show_value_target_and_judgement_in_words(measured, agreement, jobcenter_lead):
    """March 2026: 6 referrals between the parties (4 + 2; the Stadtteilzentrum's 2 and the
    April one do not count). March is 31 days = 1.0 month, so a target per month stays as it
    is: 6 ≥ 5 met; 6 < 9 (10 less 10 %) missed; 5.85 ≤ 6 < 6.5 narrowly missed."""
    response = login(jobcenter_lead).get(agreement.get_absolute_url(), MARCH)
    assert response.status_code == 200
    html = page(response)
    assert measure_row(html, measured["Überleitungen Jobcenter – Jugendamt"]) == (
        "Überleitungen Jobcenter – Jugendamt Überleitungen 6 5,0 5,0 pro Monat ✓ Ziel erreicht"
    )
    assert measure_row(html, measured["Mehr Überleitungen"]) == (
        "Mehr Überleitungen Überleitungen 6 10,0 10,0 pro Monat ✗ Ziel verfehlt"
    )
    assert measure_row(html, measured["Fast genug Überleitungen"]) == (
        "Fast genug Überleitungen Überleitungen 6 6,5 6,5 pro Monat ! knapp verfehlt"
    )
    assert measure_row(html, measured["Gemeinsame Hospitationen"]) == (
        "Gemeinsame Hospitationen 3 von 4 Hospitationen –"
    )
    # The page itself shows exact numbers; a team lead gets no edit links.
    assert "Bearbeiten" not in html
    assert "Maßnahme hinzufügen" not in html


def test_the_indicator_table_counts_between_the_parties_only(measured, agreement, manager):
    html = page(manager.get(agreement.get_absolute_url(), MARCH))
    row = re.search(r'data-indicator="referrals">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'kw-num">\s*([^<]*?)\s*</td>', row) == ["6", "6"]


def test_a_period_in_the_future_is_refused_in_german(agreement, manager):
    start = timezone.localdate() + timedelta(days=10)
    response = manager.get(agreement.get_absolute_url(), {"start": start.isoformat()})
    assert response.status_code == 400
    assert "Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine Zahlen." in page(response)
    assert response.context["report"] is None


def test_a_period_ending_before_it_starts_is_refused(agreement, manager):
    response = manager.get(
        agreement.get_absolute_url(), {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in page(response)


# --- create and edit ----------------------------------------------------------------------------


def new_terms(*parties, **changes) -> dict:
    values = {
        "title": "Hilfen für Alleinerziehende",
        "purpose": "Kinderbetreuung und Arbeitsaufnahme abstimmen",
        "parties": [o.pk for o in parties],
        "signed_on": "2026-02-01",
        "valid_from": "2026-03-01",
        "valid_until": "2027-02-28",
        "renewal": Renewal.YEARLY,
        "notice_months": 3,
    }
    values.update(changes)
    return values


def test_the_create_form_offers_the_networks_organisations_as_checkboxes(
    manager, jobcenter, youth_office, partner, outsider_org
):
    response = manager.get(reverse("agreements:create"))
    html = page(response)
    for organisation in (jobcenter, youth_office, partner):
        assert f'type="checkbox" name="parties" value="{organisation.pk}"' in html
    assert f'value="{outsider_org.pk}"' not in html
    assert "Jobcenter B" not in html


def test_creating_an_agreement_makes_a_draft(manager, coordinator, jobcenter, youth_office):
    response = manager.post(reverse("agreements:create"), new_terms(jobcenter, youth_office))
    created = Agreement.objects.get(title="Hilfen für Alleinerziehende")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.status == Status.DRAFT
    assert created.created_by == coordinator
    assert set(created.parties.all()) == {jobcenter, youth_office}
    assert created.valid_until == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("one_party", "Eine Vereinbarung braucht mindestens zwei Vertragsparteien."),
        ("foreign_party", "ist keine gültige Auswahl"),
        ("reversed", "Das Ende der Laufzeit liegt vor ihrem Beginn."),
        ("signed_later", "Das Datum der Unterschrift liegt in der Zukunft."),
    ],
)
def test_invalid_terms_are_refused_in_german_and_nothing_is_created(
    manager, jobcenter, youth_office, outsider_org, case, message
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    payload = {
        "one_party": new_terms(jobcenter),
        # The id of network B's Jobcenter posted by hand: the checkboxes never offered it.
        "foreign_party": new_terms(jobcenter, outsider_org),
        "reversed": new_terms(jobcenter, youth_office, valid_until="2026-02-28"),
        "signed_later": new_terms(jobcenter, youth_office, signed_on=tomorrow),
    }[case]
    response = manager.post(reverse("agreements:create"), payload)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert message in page(response)
    assert not Agreement.objects.exists()


def test_editing_saves_the_new_terms(manager, agreement, jobcenter, youth_office, partner):
    payload = terms_payload(
        agreement,
        title="Kooperation Jobcenter – Jugendamt – Stadtteil",
        parties=[jobcenter.pk, youth_office.pk, partner.pk],
    )
    response = manager.post(reverse("agreements:edit", args=[agreement.pk]), payload)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Kooperation Jobcenter – Jugendamt – Stadtteil"
    assert set(agreement.parties.all()) == {jobcenter, youth_office, partner}


def test_an_edit_on_a_stale_version_saves_nothing(manager, coordinator, agreement):
    """Two coordinators open the form at the same version; the second to save is refused."""
    url = reverse("agreements:edit", args=[agreement.pk])
    seen = manager.get(url).context["form"]["edit_version"].value()
    assert seen == agreement.version
    colleague = login(coordinator)
    first = colleague.post(url, terms_payload(agreement, title="Titel der Kollegin"))
    assert first.status_code == 302
    late = manager.post(url, terms_payload(agreement, title="Mein Titel", edit_version=seen))
    assert late.status_code == 200
    assert str(STALE_MESSAGE) in form_errors(late)
    agreement.refresh_from_db()
    assert agreement.title == "Titel der Kollegin"
    assert agreement.version == seen + 1


# --- entry into force and termination -----------------------------------------------------------


def test_putting_in_force_asks_first_then_applies(manager, coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office, **running())
    url = reverse("agreements:activate", args=[agreement.pk])
    confirm = manager.get(url)
    assert confirm.status_code == 200
    html = page(confirm)
    assert "Vereinbarung in Kraft setzen?" in html
    validity = f"{agreement.valid_from:%d.%m.%Y} bis {agreement.valid_until:%d.%m.%Y}"
    assert f"gilt dann von {validity}" in html
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT  # the GET changed nothing
    response = manager.post(url)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_an_unsigned_draft_is_not_put_in_force(manager, coordination, jobcenter, youth_office):
    agreement = draft(coordination, jobcenter, youth_office, **running(signed_on=None))
    response = manager.post(reverse("agreements:activate", args=[agreement.pk]), follow=True)
    assert "Bitte tragen Sie zuerst das Datum der Unterschrift ein." in page(response)
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


@pytest.mark.parametrize(
    ("days_left", "extra_year"),
    [
        # Notice date (3 months before the end) still ahead: it ends with the running term.
        (200, False),
        # Notice date passed: the agreement renews once more and ends a year later.
        (30, True),
    ],
)
def test_the_termination_page_shows_when_the_agreement_ends(
    manager, coordination, jobcenter, youth_office, days_left, extra_year
):
    today = timezone.localdate()
    agreement = in_force(
        coordination,
        jobcenter,
        youth_office,
        today=today,
        **running(valid_until=today + timedelta(days=days_left)),
    )
    ends = agreement.valid_until + relativedelta(years=1 if extra_year else 0)
    url = reverse("agreements:terminate", args=[agreement.pk])
    confirm = manager.get(url)
    assert confirm.status_code == 200
    assert f"Eine Kündigung heute beendet sie am {ends:%d.%m.%Y}." in page(confirm)

    response = manager.post(url, {"party": youth_office.pk, "note": "Neuordnung der Hilfen"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED
    assert agreement.ends_on == ends
    assert agreement.terminated_by == youth_office
    assert agreement.terminated_on == today
    detail = page(manager.get(agreement.get_absolute_url()))
    assert f"gekündigt zum {ends:%d.%m.%Y}" in detail
    assert "Neuordnung der Hilfen" in detail


def test_only_a_party_can_terminate(manager, agreement, partner):
    url = reverse("agreements:terminate", args=[agreement.pk])
    response = manager.post(url, {"party": partner.pk})
    assert response.status_code == 200
    assert "party" in response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


# --- measures ----------------------------------------------------------------------------------


def measure_payload(**changes) -> dict:
    values = {
        "title": "Dringende Fälle schnell beantworten",
        "description": "",
        "indicator": "answered_in_time",
        "track": Track.HOUSING_LOSS,
        "target": "90",
        "target_period": TargetPeriod.YEAR,
        "progress_note": "",
    }
    values.update(changes)
    return values


def test_adding_editing_and_removing_a_measure(manager, agreement):
    created = manager.post(
        reverse("agreements:measure_create", args=[agreement.pk]), measure_payload()
    )
    assert created.status_code == 302
    assert created["Location"] == f"{agreement.get_absolute_url()}#massnahmen"
    measure = agreement.measures.get()
    assert (measure.indicator, measure.track, measure.target, measure.position) == (
        "answered_in_time",
        Track.HOUSING_LOSS,
        90,
        1,
    )

    edit_url = reverse("agreements:measure_edit", args=[agreement.pk, measure.pk])
    edited = manager.post(edit_url, measure_payload(target="95", edit_version=measure.version))
    assert edited.status_code == 302
    measure.refresh_from_db()
    assert measure.target == 95
    # The edit form of the old version again: refused, the target stays 95.
    stale = manager.post(edit_url, measure_payload(target="50", edit_version=measure.version - 1))
    assert str(STALE_MESSAGE) in form_errors(stale)
    measure.refresh_from_db()
    assert measure.target == 95

    delete_url = reverse("agreements:measure_delete", args=[agreement.pk, measure.pk])
    confirm = manager.get(delete_url)
    assert confirm.status_code == 200
    assert "Maßnahme entfernen?" in page(confirm)
    assert Measure.objects.filter(pk=measure.pk).exists()
    removed = manager.post(delete_url)
    assert removed.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()


def test_a_target_needs_an_indicator(manager, agreement):
    response = manager.post(
        reverse("agreements:measure_create", args=[agreement.pk]),
        measure_payload(indicator="", track=""),
    )
    assert "Ein Zielwert braucht eine Kennzahl, an der er gemessen wird." in form_errors(response)
    assert not agreement.measures.exists()


# --- deadlines ---------------------------------------------------------------------------------


def test_a_response_deadline_longer_than_the_completion_deadline_is_refused(manager, agreement):
    url = reverse("agreements:deadlines", args=[agreement.pk])
    refused = manager.post(
        url, {"track": Track.HOUSING_LOSS, "response_days": 20, "completion_days": 10}
    )
    assert refused.status_code == 200
    assert "Die Antwortfrist ist länger als die Erledigungsfrist." in form_errors(refused)
    assert not AgreementDeadline.objects.exists()

    saved = manager.post(
        url, {"track": Track.HOUSING_LOSS, "response_days": 2, "completion_days": 10}
    )
    assert saved.status_code == 302
    deadline = AgreementDeadline.objects.get(agreement=agreement)
    assert (deadline.track, deadline.response_days, deadline.completion_days) == (
        Track.HOUSING_LOSS,
        2,
        10,
    )
    detail = page(manager.get(agreement.get_absolute_url()))
    assert "Antwort in 2 Arbeitstagen, Erledigung in 10 Arbeitstagen" in detail


# --- the signed document ------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_pdf_is_stored_and_a_partys_team_lead_downloads_it(
    media, manager, agreement, jobcenter_lead
):
    upload = SimpleUploadedFile("Vereinbarung unterschrieben.pdf", PDF, "application/pdf")
    response = manager.post(reverse("agreements:upload", args=[agreement.pk]), {"document": upload})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.document_name == "Vereinbarung unterschrieben.pdf"
    stored = media / "vereinbarungen" / str(agreement.network_id) / f"{agreement.uuid}.pdf"
    assert stored.read_bytes() == PDF

    download = login(jobcenter_lead).get(reverse("agreements:document", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Vereinbarung" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("vereinbarung.docx", b"PK\x03\x04 word document"),
        # Named .pdf, but no PDF inside.
        ("vereinbarung.pdf", b"<html>kein PDF</html>"),
        # A PDF under the wrong name.
        ("vereinbarung.txt", PDF),
    ],
)
def test_anything_but_a_pdf_is_refused(media, manager, agreement, name, content):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = manager.post(reverse("agreements:upload", args=[agreement.pk]), {"document": upload})
    assert response.status_code == 200
    assert "Bitte laden Sie die unterzeichnete Vereinbarung als PDF hoch." in form_errors(response)
    agreement.refresh_from_db()
    assert not agreement.document
    assert not list(media.rglob("*"))
    assert manager.get(reverse("agreements:document", args=[agreement.pk])).status_code == 404
