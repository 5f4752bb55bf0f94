"""Cases on the agenda: pseudonymised by default, identity only on a consent that covers every
participant for the purpose "Fallberatung", and hidden again once the consent is revoked."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.choices import MemberRole, Purpose
from cases.factories import NeedFactory, member_of
from cases.models import SecrecyAcknowledgement
from cases.services import revoke_consent
from conferences import services
from conferences.choices import Presentation
from conferences.disclosure import view_for
from conferences.models import AgendaItem
from conferences.presentation import age_band, build_shared, find_identifiers
from conferences.tests.conftest import plan
from core.models import AuditEntry
from core.permissions import actor_for
from referrals.factories import consent_for

pytestmark = pytest.mark.django_db

QUESTION = "Wie kann die Wohnung trotz Mietrückstand gesichert werden?"


@pytest.fixture
def need(anna):
    return NeedFactory(person=anna, code="housing.rent_arrears", description="Vermieter Quendel")


@pytest.fixture
def jugendamt_only(case_worker, youth_office, youth_worker):
    return plan(case_worker, youth_office, people=[youth_worker])[0]


def present(user, conference, person, **kwargs):
    kwargs.setdefault("question", QUESTION)
    return services.add_item(actor_for(user), conference, person=person, **kwargs)


def identifiers_of(household):
    values = {household.number, household.street}
    for member in household.members.all():
        values |= {member.first_name, member.last_name, member.birth_date.strftime("%d.%m.%Y")}
        values.add(member.birth_date.isoformat())
    return values


def test_the_pseudonymised_presentation_carries_no_identifier(
    conference, case_worker, youth_worker, anna, ben, need
):
    item = present(case_worker, conference, anna, needs=[need])

    stored = json.dumps(item.shared, ensure_ascii=False)
    for value in identifiers_of(anna.household):
        assert value not in stored
    assert "Vermieter Quendel" not in stored  # the need's free text stays in the case file
    assert item.identity == {}
    assert item.case_label == f"Fall {anna.household.case_label}"
    assert item.shared["household"] == [
        {"role": "Antragsteller/in", "age_band": age_band(anna.age), "presented": True},
        {"role": "Kind", "age_band": age_band(ben.age), "presented": False},
    ]
    assert item.shared["municipality"] == anna.household.municipality.name
    assert [n["label"] for n in item.shared["needs"]] == [need.problem_situation.label]


def test_the_author_s_preview_is_what_is_stored(conference, case_worker, anna, need):
    actor = actor_for(case_worker)
    preview = services.preview_item(
        actor,
        conference,
        person=anna,
        needs=[need],
        question=QUESTION,
        presentation="pseudonymised",
    )
    assert AgendaItem.objects.count() == 0
    item = present(case_worker, conference, anna, needs=[need])
    assert preview.shared == item.shared
    assert preview.case_label == item.case_label


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Frau Beispiel fragt nach Kita-Plätzen", "Name"),
        ("anna hat Schulden", "Name"),
        ("Geboren am 02.05.1988, arbeitslos", "Geburtsdatum"),
        ("Geburtstag 1988-05-02", "Geburtsdatum"),
        ("Ein Termin am 3.4.1975 fiel aus", "Datum, vielleicht ein Geburtsdatum"),
        ("Rückruf unter 0151 2345678 erbeten", "Telefonnummer"),
        ("Kontakt +49 6071 12345", "Telefonnummer"),
        ("Mail an anna.b@example.org", "E-Mail-Adresse"),
        ("Akte 06432BG0000001 prüfen", "BG-Nummer"),
        ("Akte 12345BG0000042 prüfen", "BG-Nummer"),
    ],
)
def test_identifiers_in_free_text_are_found(anna, ben, text, kind):
    kinds = {finding.kind for finding in find_identifiers(text, anna)}
    assert kind in kinds


def test_plain_professional_text_raises_no_warning(anna, ben):
    text = "Mutter, zwei Kinder; Mietrückstand seit 3 Monaten, Termin beim Vermieter am 12.11."
    assert find_identifiers(text, anna) == []
    # Folded spelling and hyphenated names are still names.
    household = anna.household
    member_of(household, first_name="Jörg", last_name="Müller-Lüdenscheid", role=MemberRole.OTHER)
    assert {f.text for f in find_identifiers("Herr Mueller kommt mit", anna)} == {"Mueller"}


def test_a_question_with_identifiers_needs_confirmation(conference, case_worker, anna, need):
    text = "Frau Beispiel (geb. 02.05.1988) braucht eine Wohnung"
    with pytest.raises(services.IdentifiersFound) as found:
        present(case_worker, conference, anna, needs=[need], question=text)
    assert {f.kind for f in found.value.findings} == {"Name", "Geburtsdatum"}
    assert AgendaItem.objects.count() == 0

    item = present(
        case_worker, conference, anna, needs=[need], question=text, confirm_identifiers=True
    )
    assert item.warnings_confirmed


def test_entrusted_needs_and_needs_of_other_files_are_refused(
    conference, case_worker, anna, youth_office
):
    entrusted = NeedFactory(person=anna, code="housing.rent_arrears", entrusted=True)
    with pytest.raises(ValidationError) as refused:
        present(case_worker, conference, anna, needs=[entrusted])
    assert "§ 65" in str(refused.value)
    stranger = NeedFactory(code="housing.rent_arrears")
    with pytest.raises(ValidationError):
        present(case_worker, conference, anna, needs=[stranger])
    assert AgendaItem.objects.count() == 0


def test_only_an_own_case_of_a_participant_goes_on_the_agenda(
    conference, case_worker, youth_worker, anna, network
):
    with pytest.raises(ValidationError):
        present(youth_worker, conference, anna)  # not the Jugendamt's case file
    outsider_conference = plan(case_worker, conference.invited_organisations.first())[0]
    outsider_conference.invited_organisations.clear()
    outsider_conference.organiser = youth_worker.memberships.get().organisation
    outsider_conference.save()
    with pytest.raises(services.ConferenceRefused):
        present(case_worker, outsider_conference, anna)


def test_identity_needs_a_consent_covering_every_participant(
    conference, case_worker, anna, youth_office, partner, need
):
    consent_for(anna, youth_office, purposes=(Purpose.CASE_CONFERENCE,))
    with pytest.raises(ValidationError) as refused:
        present(case_worker, conference, anna, presentation=Presentation.IDENTIFIED)
    assert "presentation" in refused.value.message_dict
    assert partner.name in refused.value.message_dict["presentation"][0]
    assert AgendaItem.objects.count() == 0


def test_a_consent_for_another_purpose_does_not_identify(
    jugendamt_only, case_worker, anna, youth_office
):
    consent_for(anna, youth_office, purposes=(Purpose.REFERRAL,))
    with pytest.raises(ValidationError):
        present(case_worker, jugendamt_only, anna, presentation=Presentation.IDENTIFIED)


@pytest.fixture
def identified(jugendamt_only, case_worker, anna, youth_office, need):
    consent = consent_for(anna, youth_office, purposes=(Purpose.CASE_CONFERENCE,))
    item = present(
        case_worker, jugendamt_only, anna, needs=[need], presentation=Presentation.IDENTIFIED
    )
    return item, consent


def test_an_identified_presentation_records_its_legal_basis(identified, youth_worker, anna):
    item, consent = identified
    assert list(item.consents.all()) == [consent]
    assert f"Nr. {consent.pk}" in item.legal_basis
    view = view_for(actor_for(youth_worker), item)
    assert view.identity["name"] == "Anna Beispiel"
    assert view.identity["birth_date"] == "02.05.1988"
    entry = AuditEntry.objects.filter(action="create").latest("pk")
    assert f"Nr. {consent.pk}" in entry.legal_basis


def test_after_revocation_the_identity_is_hidden_from_others(
    identified, case_worker, youth_worker, django_capture_on_commit_callbacks
):
    item, consent = identified
    with django_capture_on_commit_callbacks(execute=True):
        revoke_consent(actor=actor_for(case_worker), consent=consent)

    item.refresh_from_db()
    assert item.identity_revoked_at is not None
    view = view_for(actor_for(youth_worker), item)
    assert view.identity is None
    assert view.identity_withheld
    # The presenting organisation still sees its own case.
    assert view_for(actor_for(case_worker), item).identity["name"] == "Anna Beispiel"


def test_an_expired_consent_hides_the_identity_too(identified, youth_worker):
    item, consent = identified
    consent.valid_until = timezone.localdate() - timedelta(days=1)
    consent.valid_from = consent.valid_until - timedelta(days=30)
    consent.save()
    assert view_for(actor_for(youth_worker), item).identity is None


def test_an_organisation_invited_later_sees_the_case_pseudonymised(
    identified, jugendamt_only, partner, partner_user
):
    item, _consent = identified
    SecrecyAcknowledgement.objects.create(
        network=partner.network, organisation=partner, acknowledged_by=partner_user
    )
    jugendamt_only.invited_organisations.add(partner)
    assert view_for(actor_for(partner_user), item).identity is None


def test_health_needs_are_shown_only_to_roles_with_the_right(
    conference, case_worker, youth_lead, youth_worker, anna
):
    health = NeedFactory(person=anna, code="health.mental")
    item = present(case_worker, conference, anna, needs=[health])
    assert view_for(actor_for(youth_worker), item).needs[0]["special"] is True
    assert view_for(actor_for(youth_lead), item).needs == []


def test_a_person_without_household_keeps_one_label(case_worker, jobcenter, youth_office):
    from cases.factories import PersonFactory

    first = plan(case_worker, youth_office)[0]
    second = plan(case_worker, youth_office)[0]
    solo = PersonFactory(organisation=jobcenter, birth_date=date(2001, 1, 1))
    other = PersonFactory(organisation=jobcenter, birth_date=date(1999, 1, 1))
    label = present(case_worker, first, solo).case_label
    assert label.startswith(f"Fall {timezone.localdate().year}-P")
    assert present(case_worker, second, solo).case_label == label
    assert present(case_worker, second, other).case_label != label


def test_the_shared_part_uses_age_bands_at_the_given_day(anna):
    shared = build_shared(anna, [], today=date(2026, 5, 1))
    assert shared["presented"]["age_band"] == "35–49"
    shared = build_shared(anna, [], today=date(2026, 5, 2))
    assert shared["presented"]["age_band"] == "35–49"
    assert age_band(37) == "35–49"
    assert age_band(17) == "15–17"
    assert age_band(5) == "unter 6"


def test_viewing_a_conference_audits_each_case(client, conference, case_worker, youth_worker, anna):
    item = present(case_worker, conference, anna)
    client.force_login(youth_worker)
    before = AuditEntry.objects.filter(action="view").count()
    assert client.get(conference.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.filter(action="view").latest("pk")
    assert AuditEntry.objects.filter(action="view").count() == before + 1
    assert entry.subject_ref == f"cases.person:{anna.pk}"
    assert entry.object_ref == f"conferences.agendaitem:{item.pk}"
    assert "pseudonymisiert" in entry.legal_basis


def test_what_is_recorded_stays_german_whatever_the_screen_language(
    jugendamt_only, case_worker, anna, youth_office
):
    from django.utils import translation

    consent_for(anna, youth_office, purposes=(Purpose.CASE_CONFERENCE,))
    with translation.override("en"):
        item = present(case_worker, jugendamt_only, anna, presentation=Presentation.IDENTIFIED)
    assert "Einwilligung vom" in item.legal_basis
    assert item.shared["household"][0]["role"] == "Antragsteller/in"
    assert "Einwilligung Nr." in AuditEntry.objects.filter(action="create").latest("pk").legal_basis


def test_the_home_page_lists_upcoming_conferences_and_open_actions(
    client, conference, youth_worker
):
    client.force_login(youth_worker)
    page = client.get("/").content.decode()
    assert "Fallberatungen" in page
    assert conference.get_absolute_url() in page
