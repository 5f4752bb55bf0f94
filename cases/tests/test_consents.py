"""Consent pages (§ 67b SGB X), the § 78 SGB X acknowledgement and the § 64 Abs. 2 SGB VIII
assessment: what a case worker relies on when recording, printing and revoking a consent."""

import re
import zlib
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import Purpose, Signatory
from cases.factories import ConsentFactory, NeedFactory, PersonFactory, member_of
from cases.models import Consent, HelpAssessment, SecrecyAcknowledgement
from cases.models.consents import add_months
from cases.policy import decide
from core.choices import AuditAction, Role
from core.factories import OrganisationFactory, member
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def born(years_ago: int, days_after_birthday: int = 10) -> date:
    """A birth date so that the person is exactly ``years_ago`` years old today."""
    today = TODAY()
    return add_months(today, -12 * years_ago) - timedelta(days=days_after_birthday)


def consent_data(to, **changes):
    """A valid form submission; a value of None leaves the field out (unticked checkbox)."""
    today = TODAY()
    changes = {key: value(today) if callable(value) else value for key, value in changes.items()}
    data = {
        "signatory": Signatory.SELF,
        "signatory_name": "",
        "recipients": [organisation.pk for organisation in to],
        "purposes": [Purpose.REFERRAL],
        "purpose_note": "Überleitung zur Schuldnerberatung",
        "categories": ["master_data"],
        "informed_purpose": "on",
        "informed_refusal": "on",
        "informed_revocation": "on",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=180)).isoformat(),
        "form": "written",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_url(person):
    return reverse("cases:consent_create", args=[person.pk])


def pdf_text(pdf: bytes) -> str:
    """The text of a WeasyPrint PDF: glyph codes in the content streams, mapped back to
    characters with each font's ToUnicode table (no PDF library is a dependency)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        raw = match.group(1)
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    glyphs: dict[str, str] = {}
    for stream in streams:
        if b"begincmap" not in stream:
            continue
        text = stream.decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
            for code, char in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs[code.lower()] = bytes.fromhex(char).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
            for start, end, char in re.findall(
                r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                width = len(start)
                first = int(char, 16)
                for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                    glyphs[f"{code:0{width}x}"] = chr(first + offset)
    width = len(next(iter(glyphs), "0000"))
    words = []
    for stream in streams:
        if b"BT" not in stream:
            continue
        for hexstring in re.findall(rb"<([0-9a-fA-F]+)>", stream):
            codes = hexstring.decode().lower()
            words.append(
                "".join(glyphs.get(codes[i : i + width], "") for i in range(0, len(codes), width))
            )
    return " ".join("".join(words).split())


@pytest.fixture
def anna_consent(anna, youth_office, partner):
    return ConsentFactory(
        data_subject=anna,
        recipients=[youth_office, partner],
        purposes=[Purpose.REFERRAL, Purpose.CASE_CONFERENCE],
    )


def audit_views(consent, action=AuditAction.VIEW):
    return AuditEntry.objects.filter(object_ref=f"cases.consent:{consent.pk}", action=action)


# --- recording ------------------------------------------------------------------------------


def test_the_form_shows_age_rule_and_suggests_the_default_period(
    client_for, case_worker, household, youth_office, partner, jobcenter
):
    teenager = member_of(household, first_name="Lena", last_name="Beispiel", birth_date=born(16))
    response = client_for(case_worker).get(create_url(teenager))
    content = response.content.decode()
    assert response.status_code == 200
    assert "16 Jahre" in content
    assert "15 bis 17 Jahre: Die junge Person kann selbst einwilligen" in content
    default_end = add_months(TODAY(), settings.CONSENT_DEFAULT_MONTHS)
    assert f'value="{default_end.isoformat()}"' in content
    assert "Jugendamt A" in content
    assert "Stadtteilzentrum Nord" in content
    assert f'value="{jobcenter.pk}"' not in content  # the own organisation is no recipient
    assert "Alle drei Angaben sind Pflicht" in content


def test_recording_stores_server_time_and_the_chosen_recipients(
    client_for, case_worker, anna, youth_office, partner
):
    before = timezone.now()
    yesterday = (before - timedelta(days=1)).isoformat()
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office], given_at=yesterday), follow=True
    )
    after = timezone.now()
    consent = Consent.objects.get()
    assert before <= consent.given_at <= after  # the posted given_at is ignored
    assert list(consent.recipients.all()) == [youth_office]
    assert consent.data_subject == anna
    assert consent.created_by == case_worker
    assert response.redirect_chain[-1][0] == consent.get_absolute_url()
    assert "Die Einwilligung von Anna Beispiel wurde erfasst" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"valid_from": lambda today: (today - timedelta(days=3)).isoformat()},
            "rückwirkend ist sie nicht möglich",
            id="start-in-the-past",
        ),
        pytest.param(
            {
                "valid_until": lambda today: (today + timedelta(days=5)).isoformat(),
                "valid_from": lambda today: (today + timedelta(days=10)).isoformat(),
            },
            "Das Ende liegt vor dem Beginn.",
            id="end-before-start",
        ),
        pytest.param(
            {"valid_until": lambda today: (today + timedelta(days=365 * 2 + 40)).isoformat()},
            "Eine Einwilligung gilt höchstens 24 Monate.",
            id="beyond-maximum",
        ),
        pytest.param(
            {"informed_refusal": None},
            "Pflichtangabe: Ohne diese Aufklärung ist die Einwilligung nicht wirksam.",
            id="not-informed",
        ),
        pytest.param({"purposes": []}, "Bitte wählen Sie mindestens einen Zweck.", id="no-purpose"),
        pytest.param({"recipients": []}, "mindestens eine empfangende Organisation", id="none"),
    ],
)
def test_invalid_consents_are_refused_with_a_german_message_and_nothing_saved(
    client_for, case_worker, anna, youth_office, changes, message
):
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office], **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "es wurde nichts gespeichert" in response.content.decode()
    assert not Consent.objects.exists()


def test_the_error_appears_at_the_field_it_is_about(client_for, case_worker, anna, youth_office):
    past = (TODAY() - timedelta(days=1)).isoformat()
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office], valid_from=past)
    )
    form = response.context["form"]
    assert "rückwirkend" in " ".join(form.errors["valid_from"])
    assert "valid_until" not in form.errors


def test_a_recipient_of_another_network_is_refused(
    client_for, case_worker, anna, youth_office, outsider_org
):
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office, outsider_org])
    )
    assert "Nur Organisationen aus Ihrem Netzwerk können Empfänger sein." in (
        response.content.decode()
    )
    assert "Jobcenter B" not in response.content.decode()
    assert not Consent.objects.exists()


def test_the_own_organisation_is_refused_as_recipient(
    client_for, case_worker, anna, jobcenter, youth_office
):
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office, jobcenter])
    )
    assert "Die eigene Organisation ist kein Empfänger." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_twelve_year_old_cannot_sign_but_a_guardian_can(
    client_for, case_worker, household, youth_office
):
    child = member_of(household, first_name="Mia", last_name="Beispiel", birth_date=born(12))
    client = client_for(case_worker)
    response = client.post(create_url(child), consent_data([youth_office]))
    assert "Unter 15 Jahren unterschreibt die gesetzliche Vertretung" in response.content.decode()
    assert not Consent.objects.exists()

    response = client.post(
        create_url(child),
        consent_data([youth_office], signatory=Signatory.GUARDIAN, signatory_name="Anna Beispiel"),
    )
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert consent.signatory == Signatory.GUARDIAN
    assert consent.signatory_name == "Anna Beispiel"


def test_a_guardian_can_be_chosen_from_the_household(
    client_for, case_worker, household, anna, youth_office
):
    child = member_of(household, first_name="Mia", last_name="Beispiel", birth_date=born(12))
    client = client_for(case_worker)
    page = client.get(create_url(child)).content.decode()
    assert f'value="{anna.pk}"' in page
    client.post(
        create_url(child),
        consent_data([youth_office], signatory=Signatory.GUARDIAN, signatory_person=anna.pk),
    )
    assert Consent.objects.get().signatory_person == anna


def test_a_sixteen_year_old_signs_only_with_confirmed_capacity(
    client_for, case_worker, household, youth_office
):
    teenager = member_of(household, first_name="Lena", last_name="Beispiel", birth_date=born(16))
    client = client_for(case_worker)
    response = client.post(create_url(teenager), consent_data([youth_office]))
    assert "Tragweite versteht" in response.content.decode()
    assert not Consent.objects.exists()

    response = client.post(
        create_url(teenager), consent_data([youth_office], capacity_confirmed="on")
    )
    assert response.status_code == 302
    assert Consent.objects.get().capacity_confirmed


def test_a_scanned_declaration_is_stored_and_served_audited(
    client_for, case_worker, anna, youth_office, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("erklaerung.pdf", b"%PDF-1.7 test", "application/pdf")
    client = client_for(case_worker)
    client.post(create_url(anna), consent_data([youth_office], document=scan))
    consent = Consent.objects.get()
    assert consent.document
    response = client.get(reverse("cases:consent_document", args=[consent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert audit_views(consent).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("erklaerung.docx", b"PK\x03\x04", "Erlaubt sind nur PDF, JPG und PNG."),
        ("erklaerung.pdf", b"MZ\x90\x00 not a pdf", "Inhalt passt nicht"),
    ],
)
def test_other_files_are_refused(
    client_for, case_worker, anna, youth_office, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office], document=upload)
    )
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_a_scan_larger_than_ten_megabytes_is_refused(
    client_for, case_worker, anna, youth_office, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("gross.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    response = client_for(case_worker).post(
        create_url(anna), consent_data([youth_office], document=upload)
    )
    assert "Die Datei ist größer als 10 MB." in response.content.decode()
    assert not Consent.objects.exists()


def test_an_entrusting_person_must_be_chosen_at_the_youth_office(
    client_for, youth_worker, youth_office, jobcenter
):
    child = PersonFactory(organisation=youth_office, first_name="Tim", birth_date=born(13))
    grandmother = PersonFactory(organisation=youth_office, first_name="Erika", last_name="Oma")
    NeedFactory(person=child, entrusted=True, entrusted_by=grandmother)
    client = client_for(youth_worker)
    page = client.get(create_url(child)).content.decode()
    assert "Erika Oma" in page  # offered as signatory: she entrusted data for the child

    data = consent_data([jobcenter], signatory=Signatory.ENTRUSTING, signatory_name="Erika Oma")
    response = client.post(create_url(child), data)
    assert "Bitte wählen Sie die anvertrauende Person aus der Akte" in response.content.decode()
    assert not Consent.objects.exists()

    client.post(create_url(child), data | {"signatory_person": grandmother.pk})
    assert Consent.objects.get().signatory_person == grandmother


def test_the_jobcenter_is_not_offered_the_entrusting_signatory(client_for, case_worker, anna):
    page = client_for(case_worker).get(create_url(anna)).content.decode()
    assert 'value="entrusting"' not in page


def test_a_person_of_another_organisation_cannot_get_a_consent(
    client_for, youth_worker, anna, jobcenter
):
    client = client_for(youth_worker)
    assert client.get(create_url(anna)).status_code == 404
    assert client.post(create_url(anna), consent_data([jobcenter])).status_code == 404
    assert not Consent.objects.exists()


# --- detail, print, PDF ----------------------------------------------------------------------


def test_the_detail_shows_the_record_and_audits_the_view(client_for, case_worker, anna_consent):
    response = client_for(case_worker).get(anna_consent.get_absolute_url())
    content = response.content.decode()
    assert "Anna Beispiel" in content
    assert "Jugendamt A" in content
    assert "Stadtteilzentrum Nord" in content
    assert "gültig bis " + anna_consent.valid_until.strftime("%d.%m.%Y") in content
    assert reverse("cases:consent_print", args=[anna_consent.pk]) in content
    assert reverse("cases:consent_pdf", args=[anna_consent.pk]) in content
    assert reverse("cases:consent_document", args=[anna_consent.pk]) not in content  # no scan
    assert audit_views(anna_consent).count() == 1


def test_the_detail_tells_when_a_consent_is_not_yet_valid_or_expired(
    client_for, case_worker, anna, youth_office
):
    later = ConsentFactory(
        data_subject=anna,
        recipients=[youth_office],
        valid_from=TODAY() + timedelta(days=7),
        valid_until=TODAY() + timedelta(days=70),
    )
    expired = ConsentFactory(
        data_subject=anna,
        recipients=[youth_office],
        given_at=timezone.now() - timedelta(days=400),
        valid_from=TODAY() - timedelta(days=400),
        valid_until=TODAY() - timedelta(days=35),
    )
    client = client_for(case_worker)
    assert "noch nicht gültig" in client.get(later.get_absolute_url()).content.decode()
    assert "abgelaufen am" in client.get(expired.get_absolute_url()).content.decode()


def test_print_page_and_pdf_name_the_recipients_and_purposes(client_for, case_worker, anna_consent):
    client = client_for(case_worker)
    page = client.get(reverse("cases:consent_print", args=[anna_consent.pk]))
    pdf = client.get(reverse("cases:consent_pdf", args=[anna_consent.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    for text in (page.content.decode(), pdf_text(pdf.content)):
        assert "Jugendamt A" in text
        assert "Stadtteilzentrum Nord" in text
        assert "Überleitung an eine andere Stelle oder ein Angebot" in text
        assert "Fallberatung" in text
        assert "Stammdaten" in text
        assert "jederzeit" in text
    assert audit_views(anna_consent, AuditAction.EXPORT).count() == 1


def test_the_form_for_a_young_person_has_the_case_workers_confirmation(
    client_for, case_worker, household, youth_office
):
    teenager = member_of(household, first_name="Lena", last_name="Beispiel", birth_date=born(16))
    consent = ConsentFactory(
        data_subject=teenager, recipients=[youth_office], capacity_confirmed=True
    )
    page = client_for(case_worker).get(reverse("cases:consent_print", args=[consent.pk]))
    content = page.content.decode()
    assert "Unterschrift von Lena Beispiel" in content
    assert "Bestätigung der Fachkraft" in content


def test_the_form_for_a_child_has_the_guardians_signature_line(
    client_for, case_worker, household, youth_office
):
    child = member_of(household, first_name="Mia", last_name="Beispiel", birth_date=born(12))
    consent = ConsentFactory(
        data_subject=child,
        recipients=[youth_office],
        signatory=Signatory.GUARDIAN,
        signatory_name="Anna Beispiel",
    )
    content = client_for(case_worker).get(reverse("cases:consent_print", args=[consent.pk]))
    assert "Unterschrift der gesetzlichen Vertretung (Anna Beispiel)" in content.content.decode()


# --- revocation ------------------------------------------------------------------------------


def test_revoking_stops_the_transfer_the_consent_allowed(
    client_for, case_worker, anna, youth_office
):
    consent = ConsentFactory(
        data_subject=anna, recipients=[youth_office], given_at=timezone.now() - timedelta(hours=1)
    )
    ask = {"recipient": youth_office, "person": anna, "category": "master_data"}
    assert decide(**ask, purpose=Purpose.REFERRAL).allowed

    response = client_for(case_worker).post(
        reverse("cases:consent_revoke", args=[consent.pk]), follow=True
    )
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revoked_by == case_worker
    assert "Die Einwilligung wurde widerrufen." in response.content.decode()
    assert "widerrufen am" in response.content.decode()
    decision = decide(**ask, purpose=Purpose.REFERRAL)
    assert not decision.allowed
    assert "Keine Einwilligung" in decision.reason


def test_the_confirmation_page_changes_nothing(client_for, case_worker, anna_consent):
    url = reverse("cases:consent_revoke", args=[anna_consent.pk])
    response = client_for(case_worker).get(url)
    assert "Ab sofort werden auf dieser Grundlage keine Daten mehr übermittelt." in (
        response.content.decode()
    )
    anna_consent.refresh_from_db()
    assert anna_consent.revoked_at is None


def test_revoking_twice_is_harmless(client_for, case_worker, anna_consent):
    client = client_for(case_worker)
    url = reverse("cases:consent_revoke", args=[anna_consent.pk])
    client.post(url)
    anna_consent.refresh_from_db()
    first = anna_consent.revoked_at
    response = client.post(url, follow=True)
    anna_consent.refresh_from_db()
    assert anna_consent.revoked_at == first
    assert "bereits widerrufen" in response.content.decode()


def test_revoking_needs_the_consent_permission(client_for, anna_consent, jobcenter):
    dpo = member(Role.DATA_PROTECTION_OFFICER, jobcenter, username="dsb-jc")
    url = reverse("cases:consent_revoke", args=[anna_consent.pk])
    assert client_for(dpo).post(url).status_code == 403
    anna_consent.refresh_from_db()
    assert anna_consent.revoked_at is None


# --- register ----------------------------------------------------------------------------------


@pytest.fixture
def register(anna, ben, youth_office):
    now = timezone.now()
    return {
        "valid": ConsentFactory(data_subject=anna, recipients=[youth_office]),
        "expiring": ConsentFactory(
            data_subject=ben,
            recipients=[youth_office],
            valid_until=TODAY() + timedelta(days=10),
        ),
        "revoked": ConsentFactory(
            data_subject=anna, recipients=[youth_office], revoked_at=now - timedelta(minutes=5)
        ),
        "expired": ConsentFactory(
            data_subject=ben,
            recipients=[youth_office],
            given_at=now - timedelta(days=400),
            valid_from=TODAY() - timedelta(days=400),
            valid_until=TODAY() - timedelta(days=1),
        ),
    }


def listed(client, **params):
    response = client.get(reverse("cases:consent_list"), params)
    assert response.status_code == 200
    return {row["consent"].pk for row in response.context["rows"]}


def test_the_register_filters_by_status(client_for, case_worker, register):
    client = client_for(case_worker)
    pks = {name: consent.pk for name, consent in register.items()}
    assert listed(client) == set(pks.values())
    assert listed(client, status="valid") == {pks["valid"], pks["expiring"]}
    assert listed(client, status="expiring") == {pks["expiring"]}
    assert listed(client, status="revoked") == {pks["revoked"]}
    assert listed(client, status="expired") == {pks["expired"]}


def test_the_register_searches_by_name_and_sorts_by_end(client_for, case_worker, register):
    client = client_for(case_worker)
    assert listed(client, q="ben") == {register["expiring"].pk, register["expired"].pk}
    response = client.get(reverse("cases:consent_list"), {"sort": "valid_until"})
    order = [row["consent"].pk for row in response.context["rows"]]
    assert order[0] == register["expired"].pk
    assert order[1] == register["expiring"].pk


def test_the_register_has_an_empty_state(client_for, case_worker, register):
    client = client_for(case_worker)
    response = client.get(reverse("cases:consent_list"), {"q": "Niemand"})
    assert "Keine Einwilligung passt zu dieser Suche." in response.content.decode()


def test_the_register_shows_only_the_own_organisation(
    client_for, youth_worker, register, youth_office, jobcenter
):
    child = PersonFactory(organisation=youth_office, first_name="Tim", last_name="Jugend")
    own = ConsentFactory(data_subject=child, recipients=[jobcenter])
    assert listed(client_for(youth_worker)) == {own.pk}


def test_the_register_needs_a_constant_number_of_queries(
    client_for, case_worker, anna, youth_office, partner
):
    client = client_for(case_worker)
    ConsentFactory(data_subject=anna, recipients=[youth_office])
    client.get(reverse("cases:consent_list"))  # session and chain head warmed up
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:consent_list"))
    for _ in range(6):
        ConsentFactory(data_subject=anna, recipients=[youth_office, partner])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:consent_list"))
    assert len(response.context["rows"]) == 7
    assert len(many) == len(few)


# --- § 78 SGB X ------------------------------------------------------------------------------


def test_a_partner_acknowledges_secrecy_once_and_may_then_receive(
    client_for, partner, anna, case_worker
):
    ConsentFactory(
        data_subject=anna, recipients=[partner], given_at=timezone.now() - timedelta(hours=1)
    )
    ask = {"recipient": partner, "person": anna, "category": "master_data"}
    assert not decide(**ask, purpose=Purpose.REFERRAL).allowed

    staff = member(Role.PARTNER_STAFF, partner, username="stz")
    client = client_for(staff)
    url = reverse("cases:secrecy_acknowledgement")
    page = client.get(url).content.decode()
    assert "nur für den Zweck" in page
    assert "nie an andere weiter" in page
    response = client.post(url, follow=True)
    client.post(url)
    acknowledgement = SecrecyAcknowledgement.objects.get()
    assert acknowledgement.organisation == partner
    assert acknowledgement.acknowledged_by == staff
    assert "Bestätigt von" in response.content.decode()
    assert "verbindlich bestätigen" not in response.content.decode()
    assert decide(**ask, purpose=Purpose.REFERRAL).allowed


def test_organisations_with_a_statutory_duty_do_not_need_the_acknowledgement(client_for, team_lead):
    client = client_for(team_lead)
    url = reverse("cases:secrecy_acknowledgement")
    assert "nicht erforderlich" in client.get(url).content.decode()
    client.post(url)
    assert not SecrecyAcknowledgement.objects.exists()


# --- § 64 Abs. 2 SGB VIII -----------------------------------------------------------------------


def assessment_url(person):
    return reverse("cases:help_assessment_create", args=[person.pk])


def test_the_assessment_page_exists_only_at_the_youth_office(
    client_for, case_worker, anna, youth_office
):
    assert client_for(case_worker).get(assessment_url(anna)).status_code == 404
    response = client_for(case_worker).post(
        assessment_url(anna),
        {
            "recipient": youth_office.pk,
            "purpose": "referral",
            "endangers_help": "no",
            "reasoning": "x",
        },
    )
    assert response.status_code == 404
    assert not HelpAssessment.objects.exists()


def test_the_youth_office_records_the_assessment_and_sees_earlier_ones(
    client_for, youth_worker, youth_office, jobcenter, network
):
    child = PersonFactory(organisation=youth_office, first_name="Tim", last_name="Jugend")
    client = client_for(youth_worker)
    data = {"recipient": jobcenter.pk, "purpose": Purpose.REFERRAL, "endangers_help": "no"}

    response = client.post(assessment_url(child), data | {"reasoning": "  "})
    assert "Bitte begründen Sie Ihre Einschätzung." in response.content.decode()
    assert not HelpAssessment.objects.exists()

    reasoning = "Die Mutter wünscht die Überleitung; das Vertrauen leidet nicht."
    response = client.post(assessment_url(child), data | {"reasoning": reasoning}, follow=True)
    assessment = HelpAssessment.objects.get()
    assert assessment.person == child
    assert assessment.recipient == jobcenter
    assert not assessment.endangers_help
    assert assessment.created_by == youth_worker
    content = response.content.decode()
    assert "wurde gespeichert" in content
    assert reasoning in content
    assert "gefährdet die Hilfe nicht" in content


def test_the_youth_office_cannot_assess_a_person_of_the_jobcenter(client_for, youth_worker, anna):
    assert client_for(youth_worker).get(assessment_url(anna)).status_code == 404


# --- isolation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "cases:consent_detail",
        "cases:consent_print",
        "cases:consent_pdf",
        "cases:consent_revoke",
        "cases:consent_document",
    ],
)
def test_a_youth_office_user_gets_404_on_a_jobcenter_consent(
    client_for, youth_worker, anna_consent, name
):
    client = client_for(youth_worker)
    url = reverse(name, args=[anna_consent.pk])
    assert client.get(url).status_code == 404
    if name == "cases:consent_revoke":
        assert client.post(url).status_code == 404
        anna_consent.refresh_from_db()
        assert anna_consent.revoked_at is None


def test_partner_staff_do_not_see_the_register(client_for, partner):
    staff = member(Role.PARTNER_STAFF, partner, username="stz2")
    assert client_for(staff).get(reverse("cases:consent_list")).status_code == 403


def test_an_organisation_of_another_network_is_never_offered(
    client_for, case_worker, anna, outsider_org
):
    OrganisationFactory(network=outsider_org.network, name="Fremde Beratung")
    page = client_for(case_worker).get(create_url(anna)).content.decode()
    assert "Fremde Beratung" not in page
    assert "Jobcenter B" not in page


def test_every_page_needs_a_login_and_a_role_that_grants_it(client, client_for, anna_consent):
    anna = anna_consent.data_subject
    urls = [
        reverse("cases:consent_list"),
        create_url(anna),
        anna_consent.get_absolute_url(),
        reverse("cases:consent_revoke", args=[anna_consent.pk]),
        reverse("cases:consent_print", args=[anna_consent.pk]),
        reverse("cases:consent_pdf", args=[anna_consent.pk]),
        reverse("cases:consent_document", args=[anna_consent.pk]),
        reverse("cases:secrecy_acknowledgement"),
        assessment_url(anna),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the login page
    coordinator = member(Role.NETWORK_COORDINATOR, anna.organisation, username="koordination")
    logged_in = client_for(coordinator)
    for url in urls:
        assert logged_in.get(url).status_code == 403, url
